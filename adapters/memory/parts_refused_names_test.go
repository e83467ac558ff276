package memory_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// refusedNamesParts are two parts of versions: the first gives the store
// 1,010 attribute names; the second starts with a version that add refuses
// (its actor has a control character) after its 20 new attribute names
// were read, and then a valid version without attributes.
func refusedNamesParts() (part0, part1 []kpi.Event) {
	for i := range 1010 {
		e := ev(fmt.Sprint(i+1), "call", "ann", t0)
		e.Attrs = map[string]any{fmt.Sprint("a", i): "x"}
		part0 = append(part0, e)
	}
	bad := ev("bad", "call", "bad\x01actor", t0)
	bad.Attrs = map[string]any{}
	for i := range 20 {
		bad.Attrs[fmt.Sprint("z", i)] = "x"
	}
	return part0, []kpi.Event{bad, ev("ok", "call", "ann", t0)}
}

// addSkipping adds versions, skipping those add refuses, as a host that
// logs a bad line of its source and goes on does.
func addSkipping(add func(*kpi.Event) error, vs []kpi.Event) {
	for i := range vs {
		_ = add(&vs[i])
	}
}

// add refuses an invalid version "and keeps nothing of it" (ImportParts),
// so a host may skip it and go on. A refused version's new attribute names
// stay in the dictionary of the part's chunk, though; when they would take
// the store past kpi.MaxAttrNames, Stitch (ImportParallel into an empty
// store) and Merge (ImportParts, ImportParallel into a store that holds
// events) look for the first version past the limit (firstNamePast), find
// none, and panic: "colstore: too many attribute names, but no version
// has one". ImportParallel's panic is on whichever goroutine stitches the
// part, one the caller cannot recover from.
//
// Expected: the import gives what Import gives for the same versions
// skipped the same way (no error, the 1,011 valid versions), and never
// panics. Each case runs in a child process, so that a panic on another
// goroutine fails the case rather than the whole package.
func TestImportPartsSkippingARefusedVersionPastTheNames(t *testing.T) {
	part0, part1 := refusedNamesParts()
	serial := memory.New(time.UTC)
	err := serial.Import(context.Background(), func(add func(*kpi.Event) error) error {
		addSkipping(add, part0)
		addSkipping(add, part1)
		return nil
	})
	if err != nil || serial.Len() != 1011 {
		t.Fatalf("Import skipping the refused version: %v, %d events; want nil and 1011", err, serial.Len())
	}
	cases := map[string]func() (*memory.Store, error){
		// Part 0 is applied in place; part 1, coded aside meanwhile, is
		// stitched once part 0 is in.
		"ImportParallel into an empty store": func() (*memory.Store, error) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
			s := memory.New(time.UTC)
			part1Done := make(chan struct{})
			err := s.ImportParallel(context.Background(), 2, 0, func(p int, add func(*kpi.Event) error) error {
				if p == 1 {
					addSkipping(add, part1)
					close(part1Done)
					return nil
				}
				<-part1Done
				addSkipping(add, part0)
				return nil
			})
			return s, err
		},
		// Into a store that holds events (the first version of part 0,
		// applied before), both parts are chunks merged at the end.
		"ImportParts into a store that holds events": func() (*memory.Store, error) {
			s := memory.New(time.UTC)
			if err := s.Apply(part0[0]); err != nil {
				return nil, err
			}
			err := s.ImportParts(context.Background(), func(part func(int) func(*kpi.Event) error) error {
				a0, a1 := part(0), part(0)
				addSkipping(a0, part0[1:])
				addSkipping(a1, part1)
				return nil
			})
			return s, err
		},
	}
	if name := os.Getenv("GOALKIT_REFUSED_NAMES_CASE"); name != "" {
		s, err := cases[name]()
		if err != nil {
			fmt.Printf("error: %v\n", err)
			return
		}
		fmt.Printf("events: %d\n", s.Len())
		return
	}
	for name := range cases {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestImportPartsSkippingARefusedVersionPastTheNames$", "-test.count=1")
			cmd.Env = append(os.Environ(), "GOALKIT_REFUSED_NAMES_CASE="+name)
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "events: 1011\n") {
				msg := string(out)
				if i := strings.Index(msg, "goroutine "); i > 0 {
					msg = msg[:i] // the panic, not its stacks
				}
				t.Errorf("%s (%v):\n%s\nwant no error and the 1011 valid versions, as Import gives", name, err, strings.TrimSpace(msg))
			}
		})
	}
}
