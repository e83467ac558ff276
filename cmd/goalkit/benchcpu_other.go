//go:build !unix

package main

import "time"

// cpuTime is not measured here: load_cpu_ms reads 0.
func cpuTime() time.Duration { return 0 }
