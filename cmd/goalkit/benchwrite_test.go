package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goalkittest"
)

// TestBenchWriteWhole: bench -write replaces its file only whole. A run
// cancelled midway (an interrupt) leaves the file as it was; it was
// truncated on the first byte and left with the events written so far,
// which a later eval read as the whole workload. A run that ends writes
// the header and every event.
func TestBenchWriteWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.csv")
	const old = "id,kind,time,actor\nx,deal.won,2025-03-03T10:00:00Z,anna\n"
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeWorkload(context.Background(), path, goalkittest.Workload{N: 5000, Seed: 1})
	if err != nil {
		t.Fatalf("a whole run: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(data), "\n")
	if !strings.HasPrefix(string(data), "id,") || lines < 5001 {
		t.Fatalf("a whole run wrote %d lines, want the header and 5000 events at least", lines)
	}

	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = writeWorkload(ctx, path, goalkittest.Workload{N: 5000, Seed: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled run: %v, want context.Canceled", err)
	}
	if data, err := os.ReadFile(path); err != nil || string(data) != old {
		t.Errorf("a cancelled run left %q (%v), want the old file whole", data, err)
	}
}

// TestBenchLoadCheckedFirst: a -load that is no way to load is refused
// before anything is drawn; it was refused only after the workload was
// drawn. (With -write, -load is refused as a flag that does not apply:
// TestBenchWriteFlags.)
func TestBenchLoadCheckedFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.csv")
	for _, args := range [][]string{{"bench", "-n", "10", "-load", "bogus"}} {
		code, out, errs := runCLI(t, args...)
		if want := `goalkit bench: -load: "bogus" is neither parallel nor serial`; code != 2 || out != "" || !strings.Contains(errs, want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %s\nwant exit 2 and %s", args, code, out, errs, want)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%q: the workload was written (%v)", args, err)
		}
	}
}

// TestBenchWriteFlags: -write writes the workload and stops, so a flag of
// the measure given with it (-plan, -iters, -load…) is refused, naming it,
// and nothing is written; each was dropped without a word, and -plan made
// a user think the workload was drawn for their plan.
func TestBenchWriteFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.csv")
	for _, c := range [][]string{{"-plan", quickPlan}, {"-iters", "3"}, {"-load", "serial"}, {"-load", "bogus"}, {"-track=false"}, {"-format", "json"}, {"-track-cores", "2"}} {
		code, out, errs := runCLI(t, append([]string{"bench", "-n", "10", "-write", path}, c...)...)
		name := strings.SplitN(c[0], "=", 2)[0]
		if want := "goalkit bench: " + name + " does not apply to -write"; code != 2 || out != "" || !strings.Contains(errs, want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %s\nwant exit 2 and %s", c, code, out, errs, want)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%q: the workload was written (%v)", c, err)
		}
	}
	if code, _, errs := runCLI(t, "bench", "-n", "10", "-seed", "3", "-write", path); code != 0 {
		t.Errorf("-n and -seed with -write: exit %d: %s", code, errs)
	}
}
