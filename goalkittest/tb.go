package goalkittest

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
)

// recordTB is the rapid.TB of Run: it records what rapid logs and whether it
// failed, and ends the goroutine on FailNow and SkipNow as testing.T does.
type recordTB struct {
	name   string
	mu     sync.Mutex
	log    strings.Builder
	failed bool
}

func (r *recordTB) Helper()      {}
func (r *recordTB) Name() string { return r.name }

func (r *recordTB) Logf(format string, args ...any) { r.Log(fmt.Sprintf(format, args...)) }

func (r *recordTB) Log(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log.WriteString(strings.TrimSuffix(fmt.Sprintln(args...), "\n"))
	r.log.WriteByte('\n')
}

func (r *recordTB) Errorf(format string, args ...any) { r.Logf(format, args...); r.Fail() }
func (r *recordTB) Error(args ...any)                 { r.Log(args...); r.Fail() }
func (r *recordTB) Fatalf(format string, args ...any) { r.Logf(format, args...); r.FailNow() }
func (r *recordTB) Fatal(args ...any)                 { r.Log(args...); r.FailNow() }
func (r *recordTB) Skipf(format string, args ...any)  { r.Logf(format, args...); r.SkipNow() }
func (r *recordTB) Skip(args ...any)                  { r.Log(args...); r.SkipNow() }
func (r *recordTB) SkipNow()                          { runtime.Goexit() }
func (r *recordTB) FailNow()                          { r.Fail(); runtime.Goexit() }

func (r *recordTB) Fail() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
}

func (r *recordTB) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}
