package enginetest

import "syscall"

// rusageThread is Linux's RUSAGE_THREAD: the calling thread's usage.
const rusageThread = 1

// ThreadCPU returns the user and system processor time of the calling
// thread so far, in nanoseconds, and whether it could be read. The caller
// locks its goroutine to the thread (runtime.LockOSThread) for a figure
// that is its goroutine's alone: the writer's of a benchmark of applies
// during reads, whose processor time says whether it ran slower or waited
// for a core.
func ThreadCPU() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
