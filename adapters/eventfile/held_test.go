package eventfile

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// Into a memory store that already holds events (some of the ids the file
// corrects or retracts), every way Load fills it gives the store and the
// error of loading the file one version at a time. (It found that a time
// of 2262 in a zone ahead of UTC was refused one version at a time and
// taken in parts.)
func TestLoadIntoHeldStoreAgrees(t *testing.T) {
	for _, f := range []Format{CSV, NDJSON} {
		t.Run(f.String(), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				ids := rapid.SliceOfNDistinct(text(1), 1, 6, rapid.ID[string]).Draw(t, "ids")
				var first []kpi.Event
				for i, id := range ids {
					e := kpi.Event{ID: id, Kind: fmt.Sprint("k", i%2), Time: time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC), Actor: "u"}
					if rapid.Bool().Draw(t, "held attr") {
						e.Attrs = map[string]any{"s": fmt.Sprint("v", i), "held": int64(i)}
					}
					if e.Validate() == nil && rapid.IntRange(0, 3).Draw(t, "hold") > 0 {
						first = append(first, e)
					}
				}
				if len(first) == 0 {
					t.Skip("nothing held")
				}
				in := drawFile(t, f, ids, rapid.IntRange(0, 30).Draw(t, "n"), nil)
				opt := roundOpt
				opt.Format = f
				held := func() *memory.Store {
					s := memory.New(time.UTC)
					if err := s.Apply(first...); err != nil {
						t.Fatal(err)
					}
					return s
				}
				sameInto(t, in, "f", opt, held)
				// And Load itself, which picks one of those ways.
				one, s := held(), held()
				err := load(context.Background(), StoreFunc(one.Import), bytes.NewReader(in), "f", opt, 0, 64)
				if lerr := Load(context.Background(), s, bytes.NewReader(in), "f", opt); errText(lerr) != errText(err) {
					t.Fatalf("Load: %v, want %v", lerr, err)
				}
				if got, want := storeEvents(t, s), storeEvents(t, one); !slices.Equal(got, want) {
					t.Fatalf("Load: got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			})
		})
	}
}

// drawFile writes a file of format f of n events drawn with genEventOf,
// each of one of ids, calling each (when not nil) with every event written.
// Their ids, kinds and actors may hold control characters: such an event,
// which Write refuses, is written all the same, a line Load refuses.
func drawFile(t *rapid.T, f Format, ids []string, n int, each func(kpi.Event)) []byte {
	var buf bytes.Buffer
	w := NewWriter(&buf, f, []string{"t", "x", "s", "i", "d", "b"})
	for i := range n {
		e := genEventOf(f, "x", text(1)).Draw(t, "event")
		e.ID = rapid.SampledFrom(ids).Draw(t, "id")
		err := w.Write(&e)
		if err != nil && badIdent(&e) {
			err = w.writeUnchecked(&e)
		}
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if each != nil {
			each(e)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// badIdent reports whether an identifier Load reads of e (its id; for an
// event that is not a retraction its kind, actor and attribute names) is
// not one: the line of e is bad.
func badIdent(e *kpi.Event) bool {
	if display.IDProblem(e.ID) != "" {
		return true
	}
	if e.Deleted {
		return false
	}
	if display.IDProblem(e.Kind) != "" || display.IDProblem(e.Actor) != "" {
		return true
	}
	for k := range e.Attrs {
		if display.IDProblem(k) != "" {
			return true
		}
	}
	return false
}

// writeUnchecked writes e as Write does, without refusing the identifiers
// Load refuses, so that a drawn file holds such bad lines too.
func (w *Writer) writeUnchecked(e *kpi.Event) error {
	if w.err != nil {
		return w.err
	}
	return w.put(e)
}
