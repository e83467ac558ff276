package eventfile

import (
	"bytes"
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// Load resolves corrections and retractions like a plain map of the lines
// in file order would.
func TestLoadResolves(t *testing.T) {
	for _, f := range []Format{CSV, NDJSON} {
		t.Run(f.String(), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				ids := rapid.SliceOfNDistinct(text(1), 1, 5, rapid.ID[string]).Draw(t, "ids")
				n := rapid.IntRange(0, 30).Draw(t, "n")
				var buf bytes.Buffer
				w := NewWriter(&buf, f, []string{"t", "x", "s", "i", "d", "b"})
				ref := map[string]string{}
				for i := range n {
					e := genEvent(f, "x").Draw(t, "event")
					e.ID = rapid.SampledFrom(ids).Draw(t, "id")
					if err := w.Write(&e); err != nil {
						t.Fatalf("line %d: %v", i+1, err)
					}
					if e.Deleted {
						delete(ref, e.ID)
					} else {
						x := expected(e)
						ref[e.ID] = show(&x)
					}
				}
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
				events, err := Load(context.Background(), &buf, "load", f, roundOpt)
				if err != nil {
					t.Fatal(err)
				}
				var got, want []string
				for i := range events {
					got = append(got, show(&events[i]))
					if events[i].Attrs != nil && len(events[i].Attrs) == 0 {
						t.Fatalf("event %q: empty Attrs map, want nil", events[i].ID)
					}
				}
				for _, id := range slices.Sorted(mapsKeys(ref)) {
					want = append(want, ref[id])
				}
				if !slices.Equal(got, want) {
					t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			})
		})
	}
}

func TestLoad(t *testing.T) {
	in := "id,kind,time,actor,amount,deleted,source\n" +
		"b,call,2025-01-01T00:00:00Z,u1,,,web\n" +
		"a,deal_won,2025-01-01T00:00:00Z,u1,5.00,,web\n" +
		"c,call,2025-01-01T00:00:00Z,u1,,,\n" +
		"a,deal_won,2025-01-02T00:00:00Z,u2,7.50,,partner\n" + // a correction
		"b,,,,,true,\n" + // a retraction
		"d,,,,,true,\n" + // a retraction of nothing
		"c,,,,,true,\n" +
		"c,meeting,2025-01-03T00:00:00Z,u3,,,\n" // brought back
	events, err := Load(context.Background(), strings.NewReader(in), "f.csv", CSV, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := range events {
		got = append(got, show(&events[i]))
	}
	want := []string{
		"a deal_won 2025-01-02T00:00:00Z[0] u2 amount=7.50 source=string(partner)",
		"c meeting 2025-01-03T00:00:00Z[0] u3",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !sort.SliceIsSorted(events, func(i, j int) bool { return events[i].ID < events[j].ID }) {
		t.Error("not sorted by ID")
	}
	events, err = Load(context.Background(), strings.NewReader(in+"e,call,bad,u1,,,\n"), "f.csv", CSV, Options{})
	if events != nil || errText(err) != `f.csv:10: time: "bad" is not an RFC 3339 time with an offset or Z` {
		t.Errorf("bad file: %v, %v", events, err)
	}
}
