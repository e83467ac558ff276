package kpi_test

import (
	"syscall"
	"time"
)

// threadCPUTime is the user and system CPU time of the calling thread so
// far (the caller locks its goroutine to the thread).
func threadCPUTime() time.Duration {
	var ru syscall.Rusage
	const rusageThread = 1 // RUSAGE_THREAD
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
