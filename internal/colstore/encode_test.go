package colstore

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// versionLog records the order of the versions applied to a table, as a
// tracker's log does, for Decode.
type versionLog struct {
	segs []int // segment of each version, -1 for a retraction
	ids  []string
}

func (l *versionLog) apply(t *testing.T, tab *Table, in Input) {
	t.Helper()
	if err := tab.Apply(&in); err != nil {
		t.Fatal(err)
	}
	if in.Deleted {
		l.segs = append(l.segs, -1)
		l.ids = append(l.ids, in.ID)
		return
	}
	kc, _ := tab.kinds.lookup(in.Kind)
	l.segs = append(l.segs, int(kc)-1)
	l.ids = append(l.ids, "")
}

func (l *versionLog) versions(next Next) error {
	for i, seg := range l.segs {
		if _, err := next(seg, l.ids[i]); err != nil {
			return err
		}
	}
	return nil
}

// rows describes every row of a table, dead ones too, and every id's
// newest row, as text.
func rows(tab *Table) string {
	var b strings.Builder
	var r Row
	for _, s := range tab.Segs {
		for i := range s.N {
			tab.Read(s, i, &r)
			fmt.Fprintf(&b, "%s/%d %s %s %s %v %s %v %v %v alive=%v retracted=%v day=%v\n", s.Kind, i, r.ID, r.Time.Format(time.RFC3339Nano), r.Actor,
				r.Amount, r.Currency, r.Attrs, r.Known.UnixNano(), r.Time.Location(), s.Alive(i), s.Retracted(i), s.LocalDay(i))
			seg, row, ok := tab.Lookup(r.ID)
			fmt.Fprintf(&b, "  newest %s/%d %v\n", seg.Kind, row, ok)
		}
	}
	dict := len(tab.actors.vals) + len(tab.curs.vals) + len(tab.attrIdx.vals)
	for _, d := range tab.attrVals {
		dict += len(d.vals)
	}
	fmt.Fprintf(&b, "live %d dead %d scale %d dict %d\n", tab.Live(), tab.Dead(), tab.Scale, dict)
	return b.String()
}

// TestEncodeDecode: a table with every form of column (codes of one, two
// and four bytes, sparse attributes, currencies), amounts rescaled and
// beyond int64, attribute values of every type, Known instants, string
// and numeric ids, corrections and retractions (of unknown ids too) reads
// back row for row, with the same live rows and id index; in another zone
// its dates are that zone's.
func TestEncodeDecode(t *testing.T) {
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	tab := New(moscow)
	var log versionLog
	for i := range 70_000 {
		in := Input{ID: fmt.Sprint(i), Kind: []string{"call", "deal"}[i%2], Time: t0.Add(time.Duration(i) * time.Hour), Actor: fmt.Sprintf("u%d", i%300),
			Attrs: map[string]any{"n": int64(i), "m": fmt.Sprint(i % 1000)}}
		if i%1000 == 0 {
			in.Attrs["rare"] = fmt.Sprint("r", i)
			in.Known = t0.Add(time.Duration(i) * time.Minute)
		}
		if i%2 == 1 {
			in.Amount = amount(fmt.Sprintf("%d.%d", i, i%10))
			in.Currency = []string{"", "RUB", "USD"}[i%3]
		}
		log.apply(t, tab, in)
	}
	for _, in := range []Input{
		{ID: "deal-a", Kind: "deal", Time: t0, Actor: "x", Amount: amount("1e30"), Attrs: map[string]any{"ok": true, "d": decimal.RequireFromString("1.50"), "at": time.Date(2025, 1, 2, 3, 4, 5, 6, moscow)}},
		{ID: "deal-b", Kind: "deal", Time: t0, Actor: "x", Amount: amount("0.001"), // rescales
			Attrs: map[string]any{"at": time.Date(2025, 7, 1, 0, 0, 0, 0, time.FixedZone("Europe/Moscow", 3600)), "at2": time.Date(2025, 7, 1, 0, 0, 0, 0, time.FixedZone("", -7200))}},
		{ID: "deal-c", Kind: "deal", Time: t0, Actor: "x", Attrs: map[string]any{"at": time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), "at2": time.Date(2025, 7, 1, 0, 0, 0, 1, time.Local)}},
		{ID: "deal-a", Kind: "call", Time: t0.Add(-time.Hour), Actor: "y"},
		{ID: "17", Deleted: true},
		{ID: "no-such", Deleted: true},
		{ID: "17", Kind: "deal", Time: t0, Actor: "z", Known: t0},
		{ID: "18", Deleted: true, Known: t0},
		{ID: "18", Deleted: true},
	} {
		log.apply(t, tab, in)
	}
	for _, loc := range []*time.Location{moscow, time.UTC} {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		tab.Freeze().Encode(w)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		r := NewReader(&buf)
		got, err := Decode(r, loc, log.versions)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.End(); err != nil {
			t.Fatal(err)
		}
		want := tab
		if loc != moscow {
			want = New(loc)
			next := make([]int, len(tab.Segs))
			for i, seg := range log.segs {
				var in Input
				if seg < 0 {
					in = Input{ID: log.ids[i], Deleted: true}
				} else {
					s := tab.Segs[seg]
					var row Row
					tab.Read(s, next[seg], &row)
					next[seg]++
					in = Input{ID: row.ID, Kind: row.Kind, Time: row.Time, Actor: row.Actor, Amount: row.Amount, Currency: row.Currency, Attrs: row.Attrs, Known: row.Known}
				}
				if err := want.Apply(&in); err != nil {
					t.Fatal(err)
				}
			}
		}
		if g, w := rows(got), rows(want); g != w {
			t.Fatalf("in %v: decoded table differs:\n%s", loc, firstDiff(g, w))
		}
	}
}

// snapshotBytes is tab frozen and encoded, as a snapshot holds it.
func snapshotBytes(t *testing.T, tab *Table) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	tab.Freeze().Encode(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d: got\n%s\nwant\n%s", i, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}

// TestDecodeRefusesOrder: an order of versions that names a row twice, or
// not at all, or a segment that does not exist, is refused.
func TestDecodeRefusesOrder(t *testing.T) {
	tab := New(time.UTC)
	var log versionLog
	log.apply(t, tab, Input{ID: "1", Kind: "call", Time: t0, Actor: "a"})
	log.apply(t, tab, Input{ID: "1", Kind: "call", Time: t0, Actor: "b"})
	snap := snapshotBytes(t, tab)
	for _, tc := range []struct {
		segs []int
		want string
	}{
		{[]int{0}, "corrupt in the order of the versions: 1 versions of \"call\", which has 2 rows"},
		{[]int{0, 0, 0}, "more versions of \"call\" than its 2 rows"},
		{[]int{0, 1}, "a version of segment 1 of 1"},
	} {
		l := versionLog{segs: tc.segs, ids: make([]string, len(tc.segs))}
		_, err := Decode(NewReader(bytes.NewReader(snap)), time.UTC, l.versions)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("order %v: got %v, want %q", tc.segs, err, tc.want)
		}
	}
}

// TestDecodeRefusesNames: a snapshot whose ids or dictionaries hold a text
// Validate refuses (here a control character) is refused whole, not taken
// into a table whose events then fail later checks.
func TestDecodeRefusesNames(t *testing.T) {
	tab := New(time.UTC)
	var log versionLog
	log.apply(t, tab, Input{ID: "id-é1", Kind: "call", Time: t0, Actor: "anna", Currency: "RUB", Attrs: map[string]any{"source": "web"}})
	log.apply(t, tab, Input{ID: "id-2", Kind: "won", Time: t0, Actor: "boris"})
	snap := snapshotBytes(t, tab)
	if _, err := Decode(NewReader(bytes.NewReader(snap)), time.UTC, log.versions); err != nil {
		t.Fatalf("the snapshot as written: %v", err)
	}
	for _, text := range []string{"call", "anna", "RUB", "source", "id-é1", "id-2"} {
		data := bytes.Clone(snap)
		i := bytes.Index(data, []byte(text))
		if i < 0 {
			t.Fatalf("%q is not in the snapshot", text)
		}
		data[i+1] = 0x1e
		_, err := Decode(NewReader(bytes.NewReader(data)), time.UTC, log.versions)
		if err == nil || !strings.Contains(err.Error(), "control character") {
			t.Errorf("%q with a control character: %v, want a refusal", text, err)
		}
	}
}
