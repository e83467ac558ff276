package golden

import (
	"errors"
	"io"
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

func TestCheckOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")
	write := func(w io.Writer) error { _, err := io.WriteString(w, "a\nb\n"); return err }
	CheckOutput(t, path, true, write)
	CheckOutput(t, path, false, write)
	r := &recorder{TB: t}
	func() {
		defer func() { _ = recover() }()
		CheckOutput(r, path, false, func(w io.Writer) error { _, err := io.WriteString(w, "a\nc\n"); return err })
	}()
	if r.failed == "" {
		t.Fatal("a different output passed")
	}
	failed := false
	func() {
		defer func() { failed = recover() != nil }()
		CheckOutput(r, path, false, func(io.Writer) error { return errors.New("boom") })
	}()
	if !failed {
		t.Fatal("an error from write passed")
	}
}
