package eventfile

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// refColumns are the columns of the files TestCSVAgainstReference writes:
// every field of FORMATS.md and attributes of each kind, in an order the
// property shuffles.
var refColumns = []string{"id", "kind", "time", "actor", "amount", "currency", "deleted", "source", "pipeline", "price", "ok", "note"}

// refValues are the cells of each column the property draws from: ids and
// values that look like numbers but are not plain ones (leading zeros, a
// sign, an exponent, past 2^40 or 2^64), commas, quotes, line ends and
// multi-byte UTF-8 that need quoting.
var refValues = map[string][]string{
	"id": {"1", "7", "007", "0", "+1", "-1", "1e3", "65535", "65536", "99999999", "123456789", "1099511627775",
		"1099511627776", "9999999999999", "18446744073709551616", "deal-1", "é", "a,b", "q\"x", "12345678,9", " 1"},
	"kind":  {"call", "deal.won", "1", "01", "+1", "é.ü"},
	"actor": {"898", "0898", "+898", "898.0", "u1", "0", "65535", "65536", "99999", "1000000", "ü", "a\"b"},
	"amount": {"", "1", "1.50", "-0", "+2", "0.001", "1e3", "-7.000", "12345678901234567890.5", "0.1e-2",
		"0.000000000001", "999999999999999999", "-999999999999999.999", "0.123456789012345678", "9223372036854775807", "-0.00"},
	"currency": {"EUR", "USD"},
	"source":   {"", "web", "1", "01", "+1", "1e3", " x ", "é,ü", "a\"b", "a\nb", "65536"},
	"pipeline": {"", "1", "007", "+3", "-0", "-12", "65536", "9223372036854775807", "0"},
	"price":    {"", "1", "1.5", "-0.25", "+3", "2e2", "007.10"},
	"ok":       {"", "true", "false"},
	"note": {"", "x", "\"", "a\r\nb", "\r", "é", strings.Repeat("long,", 12), "1", "007",
		strings.Repeat("x", 40), strings.Repeat("é", 20), strings.Repeat("7", 33)},
}

// refEvent is a version as the property wrote it, field by field.
type refEvent map[string]string

// drawTime draws an RFC 3339 instant and its reference value: time.Parse
// of the upper-cased text.
func drawTime(t *rapid.T) string {
	y := rapid.IntRange(1970, 2200).Draw(t, "year")
	m := rapid.IntRange(1, 12).Draw(t, "month")
	d := rapid.IntRange(1, time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()).Draw(t, "day")
	s := fmt.Sprintf("%04d-%02d-%02d%s%02d:%02d:%02d", y, m, d, rapid.SampledFrom([]string{"T", "t"}).Draw(t, "T"),
		rapid.IntRange(0, 23).Draw(t, "h"), rapid.IntRange(0, 59).Draw(t, "min"), rapid.IntRange(0, 59).Draw(t, "s"))
	if n := rapid.IntRange(0, 12).Draw(t, "frac"); n > 0 {
		s += "." + strings.Repeat(strconv.Itoa(rapid.IntRange(0, 9).Draw(t, "digit")), n)
	}
	return s + rapid.SampledFrom([]string{"Z", "z", "+03:00", "-00:00", "+23:59", "-05:30"}).Draw(t, "offset")
}

// refEvents turns the versions into the events FORMATS.md says they are,
// read independently of the reader: attributes typed as typedOpt types
// them, an empty cell absent.
func refEvents(t *rapid.T, vs []refEvent) []kpi.Event {
	var out []kpi.Event
	for _, v := range vs {
		e := kpi.Event{ID: v["id"]}
		if v["deleted"] == "true" {
			e.Deleted = true
			out = append(out, e)
			continue
		}
		e.Kind, e.Actor = v["kind"], v["actor"]
		tm, err := time.Parse(time.RFC3339Nano, strings.ToUpper(v["time"]))
		if err != nil {
			t.Fatalf("reference time %q: %v", v["time"], err)
		}
		e.Time = tm
		if a := v["amount"]; a != "" {
			d, err := decimal.NewFromString(a)
			if err != nil {
				t.Fatalf("reference amount %q: %v", a, err)
			}
			e.Amount = decimal.NewNullDecimal(d)
			e.Currency = v["currency"]
		}
		for name, s := range v {
			switch name {
			case "id", "kind", "time", "actor", "amount", "currency", "deleted":
				continue
			}
			if s == "" {
				continue
			}
			if e.Attrs == nil {
				e.Attrs = map[string]any{}
			}
			switch name {
			case "pipeline":
				n, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					t.Fatalf("reference int %q: %v", s, err)
				}
				e.Attrs[name] = n
			case "price":
				e.Attrs[name] = decimal.RequireFromString(s)
			case "ok":
				e.Attrs[name] = s == "true"
			default:
				e.Attrs[name] = s
			}
		}
		out = append(out, e)
	}
	return out
}

// endLine ends a line of a file the properties write, with CRLF or LF, and
// now and then adds a blank line (white space pad, then LF).
func endLine(b *bytes.Buffer, crlf bool, rnd *rand.Rand, pad string) {
	if crlf {
		b.WriteString("\r\n")
	} else {
		b.WriteString("\n")
	}
	if rnd.IntN(20) == 0 {
		b.WriteString(pad + "\n")
	}
}

// writeRefCSV writes the versions as a CSV file: a field is quoted when it
// must be and now and then when it need not; line ends are LF or CRLF,
// with blank lines (empty, or of spaces and tabs), a byte order mark and a
// last line without its end drawn too.
func writeRefCSV(t *rapid.T, cols []string, vs []refEvent, plain bool) []byte {
	in, _ := writeRefCSVLines(t, cols, vs, plain)
	return in
}

// writeRefCSVLines is writeRefCSV that also returns the line each version
// starts on.
func writeRefCSVLines(t *rapid.T, cols []string, vs []refEvent, plain bool) ([]byte, []int) {
	var b bytes.Buffer
	var starts []int
	rnd := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "layout"), 0))
	if rapid.Bool().Draw(t, "bom") {
		b.WriteString("\xef\xbb\xbf")
	}
	crlf := rapid.Bool().Draw(t, "crlf")
	record := func(fields []string, last bool) {
		for i, f := range fields {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(f, ",\"\r\n") || !plain && rnd.IntN(10) == 0 {
				b.WriteString(`"` + strings.ReplaceAll(f, `"`, `""`) + `"`)
			} else {
				b.WriteString(f)
			}
		}
		if last && rapid.Bool().Draw(t, "no final line end") {
			return
		}
		endLine(&b, crlf, rnd, []string{"", " ", "\t", " \t "}[rnd.IntN(4)])
	}
	record(cols, len(vs) == 0)
	for i, v := range vs {
		fields := make([]string, len(cols))
		for k, c := range cols {
			fields[k] = v[c]
		}
		starts = append(starts, 1+bytes.Count(b.Bytes(), []byte{'\n'}))
		record(fields, i == len(vs)-1)
	}
	return b.Bytes(), starts
}

// referenceCheck returns a check that a load of the file in succeeded
// and left in its store what a store given the versions vs as events
// (refEvents) holds.
func referenceCheck(t *rapid.T, vs []refEvent, in []byte) func(how string, s *memory.Store, err error) {
	want := memory.New(time.UTC)
	err := want.Import(context.Background(), func(add func(*kpi.Event) error) error {
		for _, e := range refEvents(t, vs) {
			if err := add(&e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reference store: %v", err)
	}
	wantEvents := storeEvents(t, want)
	return func(how string, s *memory.Store, err error) {
		if err != nil {
			t.Fatalf("%s: %v\n%q", how, err, in)
		}
		if got := storeEvents(t, s); !slices.Equal(got, wantEvents) {
			t.Fatalf("%s:\n%q\ngot\n%s\nwant\n%s", how, in, strings.Join(got, "\n"), strings.Join(wantEvents, "\n"))
		}
	}
}

// drawRefCSV draws the columns of a CSV file, in order, and its versions;
// plain files hold no quote.
func drawRefCSV(t *rapid.T) (perm []string, vs []refEvent, plain bool) {
	cols := slices.Clone(refColumns)
	// Wide files: more fields than a vector's bytes.
	extra := rapid.IntRange(0, 40).Draw(t, "extra columns")
	for i := range extra {
		cols = append(cols, fmt.Sprintf("x%d", i))
	}
	// Required columns first or not: shuffle.
	perm = rapid.Permutation(cols).Draw(t, "columns")
	n := rapid.IntRange(0, 60).Draw(t, "versions")
	// Plain files hold no quote: their blocks are split many lines at
	// a time.
	plain = rapid.Bool().Draw(t, "plain")
	pick := func(c string) string {
		vals, ok := refValues[c]
		if !ok {
			vals = refValues["note"]
		}
		if plain {
			vals = slices.DeleteFunc(slices.Clone(vals), func(v string) bool { return strings.ContainsAny(v, ",\"\r\n") })
		}
		return rapid.SampledFrom(vals).Draw(t, c)
	}
	vs = make([]refEvent, n)
	for i := range vs {
		v := refEvent{}
		for _, c := range perm {
			switch c {
			case "time":
				v[c] = drawTime(t)
			case "deleted":
				v[c] = rapid.SampledFrom([]string{"", "", "", "", "false", "true"}).Draw(t, "deleted")
			case "currency":
				if v["amount"] != "" || !slices.Contains(perm[:slices.Index(perm, c)], "amount") {
					v[c] = rapid.SampledFrom([]string{"", "EUR", "USD"}).Draw(t, "currency")
				}
			default:
				v[c] = pick(c)
			}
		}
		if v["amount"] == "" {
			v["currency"] = ""
		}
		vs[i] = v
	}
	return perm, vs, plain
}

// TestCSVAgainstReference loads CSV files of tricky but valid lines into a
// memory store by every path Load takes (coded into an empty store, by
// position, in parts, one version at a time) and checks that the store
// holds what a store given the same versions as events holds: the
// versions are read as FORMATS.md writes them, whatever the reader's fast
// paths (AVX2 splitting, the dictionaries' direct tables, ids handed over
// as numbers).
func TestCSVAgainstReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		perm, vs, plain := drawRefCSV(t)
		in := writeRefCSV(t, perm, vs, plain)

		ctx := context.Background()
		check := referenceCheck(t, vs, in)
		s := memory.New(time.UTC)
		check("Load", s, Load(ctx, s, bytes.NewReader(in), "f.csv", typedOpt))
		for _, block := range []int{64, 200, 4096} {
			for _, workers := range []int{1, 3} {
				s := memory.New(time.UTC)
				_, err := loadCoded(ctx, s, bytes.NewReader(in), "f.csv", typedOpt, workers, block)
				check(fmt.Sprintf("coded, %d workers, blocks of %d", workers, block), s, err)
				s = memory.New(time.UTC)
				check(fmt.Sprintf("in parts, %d workers, blocks of %d", workers, block), s,
					loadParts(ctx, s, bytes.NewReader(in), "f.csv", typedOpt, workers, block))
			}
			s := memory.New(time.UTC)
			check(fmt.Sprintf("by position, blocks of %d", block), s,
				loadColumns(ctx, s, bytes.NewReader(in), "f.csv", typedOpt, 0, block))
		}
		s = memory.New(time.UTC)
		check("one at a time", s, load(ctx, StoreFunc(s.Import), bytes.NewReader(in), "f.csv", typedOpt, 0, 4096))
	})
}

// writeRefNDJSON writes the versions as NDJSON: keys in a drawn order,
// strings escaped now plainly and now as \u escapes, amounts and decimal
// attributes as numbers or strings, white space here and there, blank
// lines, CRLF and a last line without its end.
func writeRefNDJSON(t *rapid.T, vs []refEvent) []byte {
	var b bytes.Buffer
	rnd := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "layout"), 0))
	str := func(s string) string { return jsonText(rnd, s) }
	ws := func() string { return []string{"", "", "", " ", "\t", "  "}[rnd.IntN(6)] }
	crlf := rapid.Bool().Draw(t, "crlf")
	for i, v := range vs {
		var members jsonMembers
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range v {
				if !yield(k) {
					return
				}
			}
		}) {
			val := v[k]
			if val == "" {
				continue
			}
			number := false
			switch k {
			case "pipeline":
				// An int attribute is an integral JSON number: one with a
				// leading zero or a plus sign is not JSON.
				n, _ := strconv.ParseInt(val, 10, 64)
				val, number = strconv.FormatInt(n, 10), true
				if n == 0 && strings.HasPrefix(val, "-") {
					val = "0"
				}
			case "amount", "price":
				// A JSON number where the text is one.
				number = rnd.IntN(2) == 0 && jsonNumber(val)
			case "ok":
				number = true // true and false as JSON literals
			case "deleted":
				if val == "false" {
					val = "false"
				}
				number = true
			}
			text := val
			if !number {
				text = str(val)
			}
			members.add(k, str(k)+ws()+":"+ws()+text)
		}
		b.WriteString(ws() + "{" + ws() + strings.Join(members.list(rnd, ws), ws()+","+ws()) + ws() + "}" + ws())
		if i == len(vs)-1 && rnd.IntN(2) == 0 {
			break
		}
		endLine(&b, crlf, rnd, ws())
	}
	return b.Bytes()
}

// jsonNumber reports whether s is a JSON number: RFC 8259's grammar of
// one, written as a regular expression.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`).MatchString

// TestNDJSONAgainstReference is TestCSVAgainstReference for NDJSON files.
func TestNDJSONAgainstReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		_, vs, _ := drawRefCSV(t)
		in := writeRefNDJSON(t, vs)
		ctx := context.Background()
		check := referenceCheck(t, vs, in)
		s := memory.New(time.UTC)
		check("Load", s, Load(ctx, s, bytes.NewReader(in), "f.ndjson", typedOpt))
		for _, block := range []int{64, 4096} {
			s := memory.New(time.UTC)
			check(fmt.Sprintf("in parts, 3 workers, blocks of %d", block), s,
				loadParts(ctx, s, bytes.NewReader(in), "f.ndjson", typedOpt, 3, block))
		}
		s = memory.New(time.UTC)
		check("one at a time", s, load(ctx, StoreFunc(s.Import), bytes.NewReader(in), "f.ndjson", typedOpt, 0, 4096))
	})
}

// A bad line of such a file is reported at the line its record starts
// on, by every path Load takes: line ends inside quoted fields, blank
// lines, CRLF and a byte order mark counted as the plain reading of the
// file counts them.
func TestCSVErrorLinesAgainstReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		perm, vs, plain := drawRefCSV(t)
		if len(vs) == 0 {
			return
		}
		bad := rapid.IntRange(0, len(vs)-1).Draw(t, "bad")
		vs[bad]["time"], vs[bad]["deleted"] = "2025-02-30T10:00:00Z", ""
		in, starts := writeRefCSVLines(t, perm, vs, plain)
		want := fmt.Sprintf(`f.csv:%d: time: "2025-02-30T10:00:00Z" is not a real date`, starts[bad])
		ctx := context.Background()
		check := func(how string, err error) {
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("%s: error %v, want %s…\n%q", how, err, want, in)
			}
		}
		s := memory.New(time.UTC)
		check("Load", Load(ctx, s, bytes.NewReader(in), "f.csv", typedOpt))
		for _, block := range []int{64, 200, 4096} {
			for _, workers := range []int{1, 3} {
				_, err := loadCoded(ctx, memory.New(time.UTC), bytes.NewReader(in), "f.csv", typedOpt, workers, block)
				check(fmt.Sprintf("coded, %d workers, blocks of %d", workers, block), err)
				check(fmt.Sprintf("in parts, %d workers, blocks of %d", workers, block),
					loadParts(ctx, memory.New(time.UTC), bytes.NewReader(in), "f.csv", typedOpt, workers, block))
			}
			check(fmt.Sprintf("by position, blocks of %d", block),
				loadColumns(ctx, memory.New(time.UTC), bytes.NewReader(in), "f.csv", typedOpt, 0, block))
		}
		s = memory.New(time.UTC)
		check("one at a time", load(ctx, StoreFunc(s.Import), bytes.NewReader(in), "f.csv", typedOpt, 0, 4096))
	})
}
