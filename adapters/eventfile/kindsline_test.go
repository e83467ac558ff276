package eventfile

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/kpi"
)

// nearlyFullKinds returns a store that holds events of colstore.MaxKinds-3
// kinds (k0, k1, …): three kinds more fill it, a fourth is one too many.
func nearlyFullKinds(t testing.TB) *memory.Store {
	t.Helper()
	evs := make([]kpi.Event, colstore.MaxKinds-3)
	for i := range evs {
		evs[i] = kpi.Event{ID: fmt.Sprint("old", i), Kind: fmt.Sprint("k", i), Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Actor: "u"}
	}
	s := memory.New(time.UTC)
	if err := s.Apply(evs...); err != nil {
		t.Fatal(err)
	}
	return s
}

// A file whose parts together pass the store's event kinds was refused
// naming the file and the event but not its line (the store finds the
// limit when it merges the parts, after the file is read), where the same
// file loaded in order, and the CSV file coded into an empty store, named
// the line, as formats.md promises of every limit. The line is counted by
// hand here: blank lines, retractions and versions of kinds the store
// holds come before the kind past the limit, in several parts.
func TestKindsPastTheLimitNameTheirLine(t *testing.T) {
	var b strings.Builder
	line := 0
	put := func(s string) {
		b.WriteString(s + "\n")
		line++
	}
	ev := func(id, kind string, deleted bool) string {
		d := ""
		if deleted {
			d = `,"deleted":true`
		}
		return fmt.Sprintf(`{"id":%q,"kind":%q,"time":"2025-03-01T10:00:00Z","actor":"u1"%s}`, id, kind, d)
	}
	for i := range 40 {
		put(ev(fmt.Sprint("a", i), fmt.Sprint("k", i%7), false))
		if i%9 == 0 {
			put("")
			put("   ")
		}
		if i%11 == 0 {
			put(ev(fmt.Sprint("a", i), fmt.Sprint("k", i%7), true))
		}
	}
	put(ev("new1", "n1", false))
	put("")
	put(ev("new2", "n2", false))
	put(ev("new1", "n1", true))
	put(ev("new3", "n3", false))
	put("")
	put("")
	put(ev("again", "n2", false))
	put(ev("past", "n4", false))
	want := line
	put(ev("later", "n5", false))
	in := []byte(b.String())

	wantErr := fmt.Sprintf(`kinds.ndjson:%d: event "past": too many event kinds (at most %d)`, want, colstore.MaxKinds)
	for _, block := range []int{64, 512, partBlockSize} {
		s := nearlyFullKinds(t)
		err := loadParts(context.Background(), s, bytes.NewReader(in), "kinds.ndjson", Options{}, 3, block)
		if err == nil || err.Error() != wantErr {
			t.Errorf("blocks of %d bytes: %v\nwant %s", block, err, wantErr)
		}
		if s.Len() != colstore.MaxKinds-3 {
			t.Errorf("blocks of %d bytes: a refused file left %d events, want the %d before it", block, s.Len(), colstore.MaxKinds-3)
		}
	}
	s := nearlyFullKinds(t)
	if err := Load(context.Background(), s, bytes.NewReader(in), "kinds.ndjson", Options{}); err == nil || err.Error() != wantErr {
		t.Errorf("Load: %v\nwant %s", err, wantErr)
	}
	// Every way of loading, the file in order among them, agrees.
	sameInto(t, in, "kinds.ndjson", Options{}, func() *memory.Store { return nearlyFullKinds(t) })

	// A CSV file whose records hold line ends, through the parts.
	var c strings.Builder
	c.WriteString("id,kind,time,actor,note\n")
	line = 1
	for i := range 30 {
		note := "plain"
		if i%4 == 0 {
			note = "\"two\nlines\""
			line++
		}
		fmt.Fprintf(&c, "c%d,k%d,2025-03-01T10:00:00Z,u1,%s\n", i, i%5, note)
		line++
	}
	for i, k := range []string{"n1", "n2", "n3", "n4"} {
		fmt.Fprintf(&c, "d%d,%s,2025-03-01T10:00:00Z,u1,\"a\nb\nc\"\n", i, k)
		line += 3
	}
	want = line - 2 // the record of n4 starts two lines before it ends
	csvIn := []byte(c.String())
	wantErr = fmt.Sprintf(`kinds.csv:%d: event "d3": too many event kinds (at most %d)`, want, colstore.MaxKinds)
	for _, block := range []int{64, 512} {
		s := nearlyFullKinds(t)
		err := loadParts(context.Background(), s, bytes.NewReader(csvIn), "kinds.csv", Options{}, 3, block)
		if err == nil || err.Error() != wantErr {
			t.Errorf("CSV in blocks of %d bytes: %v\nwant %s", block, err, wantErr)
		}
	}
	sameInto(t, csvIn, "kinds.csv", Options{}, func() *memory.Store { return nearlyFullKinds(t) })
}

// A CSV file coded into an empty memory store where it is parsed, block
// by block, whose blocks together pass the event kinds, was refused
// naming the file and the event but not its line, the stitch of the
// blocks finding the limit after they were parsed.
func TestKindsPastTheLimitCodedNameTheirLine(t *testing.T) {
	var c strings.Builder
	c.WriteString("id,kind,time,actor,note\n")
	line := 1
	for i := range colstore.MaxKinds + 1 {
		note := ""
		if i%1000 == 999 {
			note = "\"a\nb\""
		}
		fmt.Fprintf(&c, "e%d,k%d,2025-03-01T10:00:00Z,u1,%s\n", i, i, note)
		line++
		if note != "" {
			line++
		}
	}
	// The last record, of the kind past the limit, is the file's last line.
	want := fmt.Sprintf(`kinds.csv:%d: event "e%d": too many event kinds (at most %d)`, line, colstore.MaxKinds, colstore.MaxKinds)
	s := memory.New(time.UTC)
	done, err := loadCoded(context.Background(), s, strings.NewReader(c.String()), "kinds.csv", Options{}, 3, 256<<10)
	if !done {
		t.Fatal("an empty memory store was not filled by codes")
	}
	if err == nil || err.Error() != want {
		t.Errorf("%v\nwant %s", err, want)
	}
	if s.Len() != 0 {
		t.Errorf("a refused file left %d events", s.Len())
	}
}
