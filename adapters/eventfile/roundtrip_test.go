package eventfile

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

var roundOpt = Options{Attributes: map[string]kpi.AttrType{
	"s": kpi.AttrString, "i": kpi.AttrInt, "d": kpi.AttrDecimal, "b": kpi.AttrBool, "t": kpi.AttrTime,
}}

// text draws strings rich in what needs quoting or escaping.
func text(min int) *rapid.Generator[string] {
	r := rapid.OneOf(
		rapid.SampledFrom([]rune{',', '"', '\n', '\r', ' ', '\\', '\t', 'é', '\u2028', '😀', 0, 0x7f, '\ufeff'}),
		rapid.RuneFrom([]rune("abcxyz019_.-")),
		rapid.Rune(),
	)
	return rapid.StringOfN(r, min, 12, -1)
}

// ident draws identifiers (ids, kinds, actors): like text, rich in what
// needs quoting or escaping, but without the control characters an
// identifier may not hold (kpi.Event.Validate).
func ident(min int) *rapid.Generator[string] {
	r := rapid.OneOf(
		rapid.SampledFrom([]rune{',', '"', ' ', '\\', 'é', '\u2028', '😀', '\ufeff', '\u00a0'}),
		rapid.RuneFrom([]rune("abcxyz019_.-")),
		rapid.Rune().Filter(func(r rune) bool { return display.IDProblem(string(r)) == "" }),
	)
	return rapid.StringOfN(r, min, 12, -1)
}

// genTime draws an attribute's time: any year RFC 3339 writes.
func genTime() *rapid.Generator[time.Time] { return genTimeIn(0, 9999) }

// genEventTime draws an event's time: of the years an event may have
// (1678–2261, in any zone).
func genEventTime() *rapid.Generator[time.Time] { return genTimeIn(1678, 2261) }

// genTimeIn draws times from the second day of year lo to the day before
// the last of year hi, so that no zone moves them out of [lo, hi].
func genTimeIn(lo, hi int) *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		lo := time.Date(lo, 1, 2, 0, 0, 0, 0, time.UTC).Unix()
		hi := time.Date(hi, 12, 30, 0, 0, 0, 0, time.UTC).Unix()
		sec := rapid.OneOf(rapid.Int64Range(lo, hi), rapid.Int64Range(1735689600, 1767225600)).Draw(t, "sec")
		nsec := rapid.OneOf(rapid.Just(int64(0)), rapid.Int64Range(0, 999_999_999)).Draw(t, "nsec")
		u := time.Unix(sec, nsec)
		switch rapid.IntRange(0, 3).Draw(t, "zone") {
		case 0:
			return u.UTC()
		case 1:
			return u.In(time.FixedZone("", rapid.IntRange(-1439, 1439).Draw(t, "min")*60))
		case 2:
			return u.In(time.FixedZone("odd", rapid.IntRange(-50000, 50000).Draw(t, "sec")))
		}
		return u.In(time.FixedZone("UTC+3", 3*3600))
	})
}

func genDecimal() *rapid.Generator[decimal.Decimal] {
	return rapid.OneOf(
		rapid.Custom(func(t *rapid.T) decimal.Decimal {
			return decimal.New(rapid.Int64().Draw(t, "v"), rapid.Int32Range(-20, 4).Draw(t, "exp"))
		}),
		rapid.Custom(func(t *rapid.T) decimal.Decimal {
			return decimal.New(rapid.Int64().Draw(t, "v"), rapid.Int32Range(-1000, 1000).Draw(t, "exp"))
		}),
		rapid.Custom(func(t *rapid.T) decimal.Decimal {
			s := rapid.StringMatching(`-?[1-9][0-9]{0,40}(\.[0-9]{1,30})?`).Draw(t, "s")
			return decimal.RequireFromString(s)
		}),
	)
}

// genEvent draws an event a Writer of format f accepts; weird is the name of
// an undeclared attribute.
func genEvent(f Format, weird string) *rapid.Generator[kpi.Event] {
	return genEventOf(f, weird, ident(1))
}

// genEventOf is genEvent with the id, kind and actor drawn by names: with
// text, they may hold control characters, which Write refuses and Load
// names as bad lines (see drawFile).
func genEventOf(f Format, weird string, names *rapid.Generator[string]) *rapid.Generator[kpi.Event] {
	return rapid.Custom(func(t *rapid.T) kpi.Event {
		e := kpi.Event{
			ID:      names.Draw(t, "id"),
			Kind:    names.Draw(t, "kind"),
			Time:    genEventTime().Draw(t, "time"),
			Actor:   names.Filter(func(a string) bool { return a != "*" }).Draw(t, "actor"), // "*" is refused: the company's row
			Deleted: rapid.IntRange(0, 4).Draw(t, "deleted") == 0,
		}
		if rapid.Bool().Draw(t, "amount") {
			e.Amount = decimal.NewNullDecimal(genDecimal().Draw(t, "amount"))
			if rapid.Bool().Draw(t, "currency") {
				e.Currency = rapid.StringMatching(`[A-Z]{3}`).Draw(t, "currency")
			}
		}
		attrs := map[string]*rapid.Generator[any]{
			"s": rapid.Map(text(1), func(s string) any { return s }),
			"i": rapid.OneOf(rapid.Map(rapid.Int64(), func(v int64) any { return v }), rapid.Map(rapid.Int(), func(v int) any { return v }),
				rapid.Map(rapid.Int32(), func(v int32) any { return v })),
			"d":   rapid.Map(genDecimal(), func(d decimal.Decimal) any { return d }),
			"b":   rapid.Map(rapid.Bool(), func(b bool) any { return b }),
			"t":   rapid.Map(genTime(), func(t time.Time) any { return t }),
			weird: rapid.Map(text(1), func(s string) any { return s }),
		}
		if f == NDJSON {
			// Undeclared attributes keep their JSON type.
			attrs["nd"] = rapid.Map(genDecimal(), func(d decimal.Decimal) any { return d })
			attrs["nb"] = rapid.Map(rapid.Bool(), func(b bool) any { return b })
			attrs["ns"] = rapid.Map(text(0), func(s string) any { return s })
		}
		for _, k := range slices.Sorted(mapsKeys(attrs)) {
			if rapid.Bool().Draw(t, "has "+k) {
				if e.Attrs == nil {
					e.Attrs = map[string]any{}
				}
				e.Attrs[k] = attrs[k].Draw(t, k)
			}
		}
		return e
	})
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// expected is what reading back a written event gives.
func expected(e kpi.Event) kpi.Event {
	if e.Deleted {
		return kpi.Event{ID: e.ID, Deleted: true}
	}
	norm := func(t time.Time) time.Time {
		if _, off := t.Zone(); off%60 != 0 {
			return t.UTC()
		}
		return t
	}
	e.Time = norm(e.Time)
	attrs := map[string]any{}
	for k, v := range e.Attrs {
		switch v := v.(type) {
		case int:
			attrs[k] = int64(v)
		case int32:
			attrs[k] = int64(v)
		case time.Time:
			attrs[k] = norm(v)
		default:
			attrs[k] = v
		}
	}
	e.Attrs = attrs
	return e
}

func TestRoundTrip(t *testing.T) {
	for _, f := range []Format{CSV, NDJSON} {
		t.Run(f.String(), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				weird := rapid.StringOfN(rapid.Rune(), 1, 8, -1).Filter(func(s string) bool {
					return !slices.Contains(csvStandard, s) && len(s) == len(strings.TrimLeft(s, "sidbtn")) && display.IDProblem(s) == "" &&
						// A CSV header name has no space at its ends.
						(f != CSV || strings.Trim(s, " ") == s)
				}).Draw(t, "weird")
				events := rapid.SliceOfN(genEvent(f, weird), 0, 8).Draw(t, "events")
				order := []string{"t", weird, "s", "i", "d", "b"}
				var buf bytes.Buffer
				w := NewWriter(&buf, f, order)
				var want []string
				for i := range events {
					if err := w.Write(&events[i]); err != nil {
						t.Fatalf("Write: %v", err)
					}
					e := expected(events[i])
					want = append(want, show(&e))
				}
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
				file := buf.String()
				par, err := readParallelBlocks(f, file, roundOpt, 3, rapid.IntRange(1, 64).Draw(t, "block"))
				if err != nil {
					t.Fatalf("readParallel: %v\nfile:\n%s", err, file)
				}
				for i, p := range par {
					par[i] = p[strings.Index(p, ": ")+2:]
				}
				if !slices.Equal(par, want) {
					t.Fatalf("readParallel got\n%s\nwant\n%s", strings.Join(par, "\n"), strings.Join(want, "\n"))
				}
				var got []string
				err = read(context.Background(), &buf, "rt", f, roundOpt, func(_ int64, e *kpi.Event) error {
					got = append(got, show(e))
					return nil
				})
				if err != nil {
					t.Fatalf("read: %v\nfile:\n%s", err, buf.String())
				}
				if !slices.Equal(got, want) {
					t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			})
		})
	}
}

// columns returns the attribute names a0, a1, … of n columns.
func columns(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("a%d", i)
	}
	return out
}

// attrs returns n attributes a0=0, a1=1, ….
func attrs(n int) map[string]any {
	out := make(map[string]any, n)
	for i := range n {
		out[fmt.Sprintf("a%d", i)] = int64(i)
	}
	return out
}

func TestWriterRefuses(t *testing.T) {
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ok := func(e kpi.Event) kpi.Event {
		if e.Kind == "" {
			e.Kind = "call"
		}
		if e.Actor == "" {
			e.Actor = "u1"
		}
		if e.Time.IsZero() {
			e.Time = at
		}
		return e
	}
	tests := []struct {
		name string
		f    Format
		e    kpi.Event
		want string
	}{
		{"no id", NDJSON, ok(kpi.Event{}), `eventfile: event without an id`},
		{"empty kind", NDJSON, kpi.Event{ID: "1", Actor: "u", Time: at}, `eventfile: event "1": empty kind`},
		{"empty actor", CSV, kpi.Event{ID: "1", Kind: "k", Time: at}, `eventfile: event "1": empty actor`},
		{"invalid UTF-8", NDJSON, ok(kpi.Event{ID: "1", Kind: "\xff"}), `eventfile: event "1": kind is not valid UTF-8`},
		{"id control character", CSV, ok(kpi.Event{ID: "1\n"}), `eventfile: event "1\n": id has a control character (U+000A)`},
		{"id control character of a retraction", NDJSON, kpi.Event{ID: "\x00", Deleted: true}, `eventfile: event "\x00": id has a control character (U+0000)`},
		{"kind control character", NDJSON, ok(kpi.Event{ID: "1", Kind: "call\t"}), `eventfile: event "1": kind has a control character (U+0009)`},
		{"actor control character", CSV, ok(kpi.Event{ID: "1", Actor: "\x1b[2J"}), `eventfile: event "1": actor has a control character (U+001B)`},
		{"attribute name control character", NDJSON, ok(kpi.Event{ID: "1", Attrs: map[string]any{"a\u0085": 1}}), `eventfile: event "1": attribute name "a\u0085" has a control character (U+0085)`},
		{"year", NDJSON, ok(kpi.Event{ID: "1", Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}), `eventfile: event "1": time 10000-01-01 00:00:00 +0000 UTC is outside the years 1678–2261`},
		{"currency without amount", NDJSON, ok(kpi.Event{ID: "1", Currency: "RUB"}), `eventfile: event "1": currency "RUB" without amount`},
		{"bad currency", NDJSON, ok(kpi.Event{ID: "1", Currency: "rub", Amount: decimal.NewNullDecimal(decimal.New(1, 0))}), `eventfile: event "1": currency "rub" is not 3 upper-case letters`},
		{"amount exponent", NDJSON, ok(kpi.Event{ID: "1", Amount: decimal.NewNullDecimal(decimal.New(1, -2000))}), `eventfile: event "1": amount exponent -2000 is outside ±1000`},
		{"long amount", NDJSON, ok(kpi.Event{ID: "1", Amount: decimal.NewNullDecimal(decimal.RequireFromString(strings.Repeat("9", 101)))}), `eventfile: event "1": amount has more than 100 characters`},
		{"long decimal attribute", NDJSON, ok(kpi.Event{ID: "1", Attrs: map[string]any{"d": decimal.RequireFromString("0." + strings.Repeat("9", 101))}}), `eventfile: event "1": attribute "d" has more than 100 characters`},
		{"float attribute", NDJSON, ok(kpi.Event{ID: "1", Attrs: map[string]any{"x": 1.5}}), `eventfile: event "1": attribute "x" has unsupported type float64`},
		{"empty attribute name", NDJSON, ok(kpi.Event{ID: "1", Attrs: map[string]any{"": 1}}), `eventfile: event "1": empty attribute name`},
		{"too many attributes", NDJSON, ok(kpi.Event{ID: "1", Attrs: attrs(kpi.MaxEventAttrs + 1)}), `eventfile: event "1": 65 attributes (at most 64)`},
		// {"id":"1","kind":"call","time":"2025-01-01T00:00:00Z","actor":"u1","attrs":{"source":"…"}}:
		// 86 bytes before the value, 3 after.
		{"line too long", NDJSON, ok(kpi.Event{ID: "1", Attrs: map[string]any{"source": strings.Repeat("x", MaxLine)}}), `eventfile: event "1": its line of 1048665 bytes is longer than 1048576, which Load refuses`},
		// 1,call,2025-01-01T00:00:00Z,u1,,,,…: 34 bytes before the value.
		{"CSV line too long", CSV, ok(kpi.Event{ID: "1", Attrs: map[string]any{"source": strings.Repeat("x", MaxLine-33)}}), `eventfile: event "1": its line of 1048577 bytes is longer than 1048576, which Load refuses`},
		// The id is quoted cut short: an id of 1 MiB made an error of 1 MiB.
		{"long id", NDJSON, ok(kpi.Event{ID: strings.Repeat("x", MaxLine), Kind: "\xff"}), `eventfile: event "` + strings.Repeat("x", 64) + `…": kind is not valid UTF-8`},
		// {"id":"…","kind":"call","time":"2025-01-01T00:00:00Z","actor":"u1"}:
		// 7 bytes before the id, 15+30+14 after.
		{"long id's line too long", NDJSON, ok(kpi.Event{ID: strings.Repeat("x", MaxLine)}), `eventfile: event "` + strings.Repeat("x", 64) + `…": its line of 1048642 bytes is longer than 1048576, which Load refuses`},
		{"long attribute name", NDJSON, ok(kpi.Event{ID: "1", Attrs: map[string]any{strings.Repeat("a", 1000) + "\x01": 1}}), `eventfile: event "1": attribute name "` + strings.Repeat("a", 64) + `…" has a control character (U+0001)`},
		{"CSV attribute not a column", CSV, ok(kpi.Event{ID: "1", Attrs: map[string]any{"x": "1"}}), `eventfile: event "1": attribute "x" is not a column of the writer`},
		{"CSV empty string", CSV, ok(kpi.Event{ID: "1", Attrs: map[string]any{"source": ""}}), `eventfile: event "1": attribute "source" is an empty string, which CSV cannot tell from no attribute`},
	}
	// Of several bad attributes the least name is told, every time; the
	// map's order chose one.
	several := ok(kpi.Event{ID: "1", Attrs: map[string]any{"z": 1.5, "m\u0085": 1, "b": "\xff", "k": time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "c": 2.5}})
	for range 50 {
		want := `eventfile: event "1": attribute "b" is not valid UTF-8`
		if got := errText(NewWriter(new(bytes.Buffer), NDJSON, nil).Write(&several)); got != want {
			t.Fatalf("several bad attributes: got %s, want %s", got, want)
		}
	}
	// So in CSV: attributes that are not columns, or empty strings.
	csvSeveral := ok(kpi.Event{ID: strings.Repeat("x", 1000), Attrs: map[string]any{"z": "1", "source": "", "m": "2", "c": "3", "y": "4"}})
	for range 50 {
		want := `eventfile: event "` + strings.Repeat("x", 64) + `…": attribute "c" is not a column of the writer`
		if got := errText(NewWriter(new(bytes.Buffer), CSV, []string{"source"}).Write(&csvSeveral)); got != want {
			t.Fatalf("several attributes a CSV writer refuses: got %s, want %s", got, want)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf, tt.f, []string{"source"})
			if got := errText(w.Write(&tt.e)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if want := map[Format]string{CSV: "id,kind,time,actor,amount,currency,deleted,source\n", NDJSON: ""}[tt.f]; buf.String() != want {
				t.Errorf("wrote %q, want %q", buf.String(), want)
			}
		})
	}
	// A writer of nothing refuses every write and the flush, naming why;
	// the flush panicked with a nil dereference.
	nowhere := NewWriter(nil, CSV, nil)
	e := ok(kpi.Event{ID: "1"})
	for _, err := range []error{nowhere.Write(&e), nowhere.Flush()} {
		if want := "eventfile: NewWriter: no io.Writer to write to"; errText(err) != want {
			t.Errorf("a writer of nothing: got %v, want %s", err, want)
		}
	}
	for _, tt := range []struct {
		f     Format
		order []string
		want  string
	}{
		{CSV, []string{"a", "id"}, `eventfile: attribute "id" has the name of a standard column`},
		{CSV, []string{"a", "a"}, `eventfile: attribute "a" listed twice`},
		// Load refuses a header name with a space around it.
		{CSV, []string{"a", " b"}, `eventfile: attribute " b" has a space at its start or end, which a CSV header cannot hold`},
		{CSV, []string{"b "}, `eventfile: attribute "b " has a space at its start or end, which a CSV header cannot hold`},
		{NDJSON, []string{""}, `eventfile: empty attribute name`},
		{0, nil, `eventfile: unknown format Format(0)`},
		// Load refuses a CSV header of more: the file would not read back.
		{CSV, columns(kpi.MaxEventAttrs + 1), `eventfile: 65 attribute columns (at most 64)`},
	} {
		w := NewWriter(new(bytes.Buffer), tt.f, tt.order)
		if got := errText(w.Flush()); got != tt.want {
			t.Errorf("NewWriter(%v, %q): got %s, want %s", tt.f, tt.order, got, tt.want)
		}
	}
	// readBack writes e alone with a writer of f and order, and loads what
	// it wrote, each event read back going to check.
	readBack := func(f Format, order []string, e kpi.Event, check func(got *kpi.Event)) {
		t.Helper()
		var buf bytes.Buffer
		w := NewWriter(&buf, f, order)
		e = ok(e)
		if err := w.Write(&e); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := Load(context.Background(), StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
			return fn(func(got *kpi.Event) error { check(got); return nil })
		}), &buf, "e."+map[Format]string{CSV: "csv", NDJSON: "ndjson"}[f], Options{}); err != nil {
			t.Fatal(err)
		}
	}
	// As many columns as a header may have read back.
	readBack(CSV, columns(kpi.MaxEventAttrs), kpi.Event{ID: "1", Attrs: map[string]any{"a63": "x"}}, func(got *kpi.Event) {
		if got.Attrs["a63"] != "x" || len(got.Attrs) != 1 {
			t.Errorf("read back %v", got.Attrs)
		}
	})
	// As many attributes as an event may have read back.
	readBack(NDJSON, nil, kpi.Event{ID: "1", Attrs: attrs(kpi.MaxEventAttrs)}, func(got *kpi.Event) {
		if len(got.Attrs) != kpi.MaxEventAttrs {
			t.Errorf("read back %d attributes", len(got.Attrs))
		}
	})
	// A line of MaxLine bytes, the longest Load reads, is written.
	readBack(CSV, []string{"source"}, kpi.Event{ID: "1", Attrs: map[string]any{"source": strings.Repeat("x", MaxLine-34)}}, func(*kpi.Event) {})
}
