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
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// Into a memory store that already holds events, every way Load fills it
// gives the store and the error of loading the file one version at a time.
func TestLoadIntoHeldStoreAgrees(t *testing.T) {
	for _, f := range []Format{CSV, NDJSON} {
		t.Run(f.String(), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				ids := rapid.SliceOfNDistinct(text(1), 1, 6, rapid.ID[string]).Draw(t, "ids")
				write := func(n int) []byte {
					var buf bytes.Buffer
					w := NewWriter(&buf, f, []string{"t", "x", "s", "i", "d", "b"})
					for i := range n {
						e := genEvent(f, "x").Draw(t, "event")
						e.ID = rapid.SampledFrom(ids).Draw(t, "id")
						if err := w.Write(&e); err != nil {
							t.Fatalf("line %d: %v", i+1, err)
						}
					}
					if err := w.Flush(); err != nil {
						t.Fatal(err)
					}
					return buf.Bytes()
				}
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
				in := write(rapid.IntRange(0, 30).Draw(t, "n"))
				opt := roundOpt
				opt.Format = f
				ctx := context.Background()
				fresh := func() *memory.Store {
					s := memory.New(time.UTC)
					if err := s.Apply(first...); err != nil {
						t.Fatal(err)
					}
					return s
				}
				one := fresh()
				err := load(ctx, StoreFunc(one.Import), bytes.NewReader(in), "f", opt, 0, 64)
				want := storeEvents(t, one)
				check := func(how string, s *memory.Store, gerr error) {
					if errText(gerr) != errText(err) {
						t.Fatalf("%s: error %v, want %v", how, gerr, err)
					}
					if got := storeEvents(t, s); !slices.Equal(got, want) {
						t.Fatalf("%s: got\n%s\nwant\n%s", how, strings.Join(got, "\n"), strings.Join(want, "\n"))
					}
				}
				for _, workers := range []int{1, 3} {
					for _, columns := range []bool{true, false} {
						s := fresh()
						var dst PartStore = s
						if !columns {
							dst = partsOnly{s}
						}
						check(fmt.Sprintf("parts (columns %v), %d workers", columns, workers), s, loadParts(ctx, dst, bytes.NewReader(in), "f", opt, workers, 64))
					}
				}
				if f == CSV {
					for _, workers := range []int{0, 1, 3} {
						s := fresh()
						check(fmt.Sprintf("columns, %d workers", workers), s, loadColumns(ctx, s, bytes.NewReader(in), "f", opt, workers, 64))
					}
				}
				s := fresh()
				check("Load", s, Load(ctx, s, bytes.NewReader(in), "f", opt))
			})
		})
	}
}
