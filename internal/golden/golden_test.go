package golden

import (
	"path/filepath"
	"testing"
)

type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Fatal(args ...any)            { panic("unexpected Fatal") }
func (r *recorder) Fatalf(f string, args ...any) { r.failed = f; panic(r) }

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")
	Check(t, path, []byte("a\nb\n"), true)
	Check(t, path, []byte("a\nb\n"), false)
	r := &recorder{TB: t}
	func() {
		defer func() { _ = recover() }()
		Check(r, path, []byte("a\nc\n"), false)
	}()
	if r.failed == "" {
		t.Fatal("a different output passed")
	}
}
