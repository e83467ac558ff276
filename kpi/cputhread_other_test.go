//go:build !linux

package kpi_test

import "time"

// threadCPUTime is not measured here: the benchmarks' writer-cpu figures
// are left out.
func threadCPUTime() time.Duration { return 0 }
