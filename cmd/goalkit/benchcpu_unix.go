//go:build unix

package main

import (
	"syscall"
	"time"
)

// cpuTime is the processor time the process has used so far, user and
// system, on every core: on a shared machine it varies much less than
// wall time, which other processes stretch.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
