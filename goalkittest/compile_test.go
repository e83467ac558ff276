package goalkittest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goalkittest"
)

// fatalTB records the message of a Fatal and ends the goroutine, as
// testing.T does, without failing the test that runs it.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper()           {}
func (f *fatalTB) Fatal(args ...any) { f.msg = fmt.Sprint(args...); runtime.Goexit() }

// fatalOf runs f with a fatalTB and returns what it failed with ("" when
// it did not fail).
func fatalOf(t *testing.T, f func(tb testing.TB)) string {
	r := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.msg
}

const plan = `
timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`

func TestCompilePlan(t *testing.T) {
	if p := goalkittest.CompilePlan(t, plan); len(p.Indicators().Kinds()) != 1 {
		t.Errorf("kinds %q", p.Indicators().Kinds())
	}
	for _, tt := range []struct{ name, src, want string }{
		{"parse", plan + "agregate: sum\n", `plan.yaml:6: agregate: unknown key "agregate"`},
		{"compile", `
timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: sum}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`, "plan.yaml:4: indicators[0].value: value is required for aggregate sum"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := fatalOf(t, func(tb testing.TB) { goalkittest.CompilePlan(tb, tt.src) })
			if got != tt.want {
				t.Errorf("failed with %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadPlan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.yaml")
	if err := os.WriteFile(path, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	if p := goalkittest.ReadPlan(t, path); len(p.Indicators().Kinds()) != 1 {
		t.Errorf("kinds %q", p.Indicators().Kinds())
	}
	if got := fatalOf(t, func(tb testing.TB) { goalkittest.ReadPlan(tb, path+".missing") }); got == "" {
		t.Error("a missing file did not fail the test")
	}
}

// ReadDirectory reads a directory file as goalkit directory writes it; a
// problem fails the test naming the file's line.
func TestReadDirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("directory.json", `{"units": [{"id": "sales"}, {"id": "east", "parent": "sales"}],
"memberships": [{"user": "anna", "unit": "east", "from": "2025-03-01"}]}`)
	d := goalkittest.ReadDirectory(t, good)
	ms, err := d.Memberships(t.Context())
	if err != nil || len(ms) != 1 || ms[0].User != "anna" || ms[0].Unit != "east" || ms[0].From.String() != "2025-03-01" {
		t.Fatalf("memberships %+v (%v)", ms, err)
	}
	for name, text := range map[string]string{
		"unknown.json": "{\"units\": [{\"id\": \"sales\"}],\n\"memberships\": [\n  {\"user\": \"anna\", \"unit\": \"sales\", \"form\": \"2025-03-01\"}]}",
		"date.json":    "{\"units\": [{\"id\": \"sales\"}],\n\"memberships\": [\n  {\"user\": \"anna\", \"unit\": \"sales\", \"from\": \"2025-02-30\"}]}",
	} {
		got := fatalOf(t, func(tb testing.TB) { goalkittest.ReadDirectory(tb, write(name, text)) })
		if !strings.HasPrefix(got, name+":3: memberships[0].") {
			t.Errorf("%s: failed with %q, want the file's line 3", name, got)
		}
	}
	if got := fatalOf(t, func(tb testing.TB) { goalkittest.ReadDirectory(tb, good+".missing") }); got == "" {
		t.Error("a missing file did not fail the test")
	}
}
