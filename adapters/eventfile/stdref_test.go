package eventfile

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The properties of this file read random event files, bad lines among
// them, with an independent reader built on encoding/csv and encoding/json
// and the rules of FORMATS.md written out plainly, and check every path
// Load takes against it: a file the reference reads loads into a store
// holding what the reference's events give, a file it refuses is refused
// at the first bad line it finds, and every path gives the same error.

// stdColumns are the columns of the files: the fields of FORMATS.md and an
// attribute of each type of typedOpt, and one undeclared.
var stdColumns = []string{"id", "kind", "time", "actor", "amount", "currency", "deleted", "source", "pipeline", "price", "ok", "at", "note"}

// stdCells are the values a field takes: mostly good ones, and now and
// then (stdBad) one of the bad; "" is an absent value. "T" stands for a
// drawn RFC 3339 instant.
var stdCells = map[string][2][]string{
	"id":       {{"1", "7", "007", "0", "+1", "65535", "65536", "1099511627776", "18446744073709551616", "deal-1", "é", "a,b"}, {"", "a\x01b", "b\u0085"}},
	"kind":     {{"call", "deal.won", "1"}, {"", "c\x7fx"}},
	"time":     {{"T", "T", "T", "1678-01-01T00:00:00Z", "1678-01-01T00:30:00+01:00", "2261-12-31T23:30:00-01:00", "2261-12-31t23:59:59.999999999999z"}, {"", "2025-02-30T10:00:00Z", "2025-01-01", "2025-01-01T24:00:00Z", "2025-01-01T00:00:00+24:00", "1600-01-01T00:00:00Z", "2262-06-01T00:00:00Z", "2025-01-01 00:00:00Z", "2016-12-31T23:59:60Z"}},
	"actor":    {{"u1", "898", "0898", "+898", "0", "65535", "65536", "ü"}, {"", "*", "u\x1b"}},
	"amount":   {{"", "", "1", "1.50", "-0", "+2", "1e3", "0.001", "-7.000", "12345678901234567890.5", "0.1e-2", "1E+3", "9223372036854775807", "-0.00", "0.000000000001"}, {"12,5", "12.", ".5", " 5", "1e5000", "x", "1e"}},
	"currency": {{"", "", "", "EUR", "USD"}, {"eur", "EURO"}},
	"deleted":  {{"", "", "", "", "false", "true"}, {"yes", "TRUE"}},
	"source":   {{"", "web", "1", "a,b", "a\"b", "a\nb"}, {}},
	"pipeline": {{"", "1", "-12", "0", "+3", "007", "9223372036854775807", "-9223372036854775808"}, {"1.5", "x", "9223372036854775808", "1.0", "1e2", "-0", "1e30"}},
	"price":    {{"", "1.5", "-0.25", "2e2", "7", "007.10", "-0"}, {"1,5", "x", "1e5000"}},
	"ok":       {{"", "true", "false"}, {"yes", "1"}},
	"at":       {{"", "T", "0001-01-01T00:00:00Z", "9999-12-31t23:59:59-23:59"}, {"2025-01-01", "2025-02-29T00:00:00Z"}},
	"note":     {{"", "x", "\"", "é", "1", "007", "-0", "1e3", "true", "65536"}, {"\xff"}},
}

// stdVersion is one line as drawn: its cells by column, and what breaks its
// syntax (for the writers).
type stdVersion struct {
	cells map[string]string
	// broken: "" (none), or the writer's own way to break the line.
	broken string
}

// drawStdVersions draws n versions, a bad cell or a broken line now and
// then.
func drawStdVersions(t *rapid.T, broken []string) []stdVersion {
	n := rapid.IntRange(0, 30).Draw(t, "versions")
	bad := rapid.IntRange(0, 60).Draw(t, "one in") // 0: no bad cell at all
	vs := make([]stdVersion, n)
	for i := range vs {
		v := stdVersion{cells: map[string]string{}}
		for _, c := range stdColumns {
			good, bads := stdCells[c][0], stdCells[c][1]
			s := rapid.SampledFrom(good).Draw(t, c)
			if bad > 0 && len(bads) > 0 && rapid.IntRange(0, bad*len(stdColumns)).Draw(t, c+" bad") == 0 {
				s = rapid.SampledFrom(bads).Draw(t, c+" bad value")
			}
			if s == "T" {
				s = drawTime(t)
			}
			v.cells[c] = s
		}
		if v.cells["amount"] == "" && rapid.IntRange(0, 20).Draw(t, "keep currency") > 0 {
			v.cells["currency"] = ""
		}
		if bad > 0 && rapid.IntRange(0, bad*3).Draw(t, "break") == 0 {
			v.broken = rapid.SampledFrom(broken).Draw(t, "how")
		}
		vs[i] = v
	}
	return vs
}

var (
	stdDecimal = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
	stdInt     = regexp.MustCompile(`^[+-]?[0-9]+$`)
	stdTime    = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-]([0-9]{2}):([0-9]{2}))$`)
)

// stdParseDecimal reads a decimal as FORMATS.md writes one: the grammar, at
// most 100 characters and an exponent within ±1000.
func stdParseDecimal(s string) (decimal.Decimal, bool) {
	if !stdDecimal.MatchString(s) || len(s) > 100 {
		return decimal.Decimal{}, false
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		if e, err := strconv.Atoi(s[i+1:]); err != nil || e > 1000 || e < -1000 {
			return decimal.Decimal{}, false
		}
	}
	d, err := decimal.NewFromString(s)
	return d, err == nil
}

// stdParseTime reads an RFC 3339 instant strictly: the form, an offset
// within ±23:59, a real date and time of day (time.Parse), and for an
// event's time the years 1678–2261, as the text spells the year.
func stdParseTime(s string, event bool) (time.Time, bool) {
	m := stdTime.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	if m[3] != "" && (m[3] > "23" || m[4] > "59") {
		return time.Time{}, false
	}
	tm, err := time.Parse(time.RFC3339Nano, strings.ToUpper(s))
	if err != nil {
		return time.Time{}, false
	}
	if event && (tm.Year() < 1678 || tm.Year() > 2261) {
		return time.Time{}, false
	}
	return tm, true
}

// stdIdent reports whether s is an identifier: not empty, without control
// characters.
func stdIdent(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f })
}

// stdValue is one field of a line as the reference read it: absent (nil),
// or text, a JSON number's text, a bool.
type stdValue struct {
	text   string
	number bool // a JSON number
	isBool bool
	truth  bool
}

// stdEvent makes the event of a line from its fields (nil: absent), or
// reports the line bad, by the rules of FORMATS.md. attrs holds every
// attribute field; for a CSV file, every value is text.
func stdEvent(fields map[string]*stdValue, attrs map[string]*stdValue, csvFile bool) (kpi.Event, bool) {
	var e kpi.Event
	str := func(name string) (string, bool) {
		v := fields[name]
		if v == nil {
			return "", true
		}
		if v.number || v.isBool {
			return "", false
		}
		return v.text, true
	}
	id, ok := str("id")
	if !ok || !stdIdent(id) {
		return e, false
	}
	e.ID = id
	if d := fields["deleted"]; d != nil {
		switch {
		case csvFile && d.text == "true", !csvFile && d.isBool && d.truth:
			e.Deleted = true
			return e, true
		case csvFile && d.text == "false", !csvFile && d.isBool:
		default:
			return e, false
		}
	}
	var kind, tm, actor, cur string
	for name, p := range map[string]*string{"kind": &kind, "time": &tm, "actor": &actor, "currency": &cur} {
		if *p, ok = str(name); !ok {
			return e, false
		}
	}
	if !stdIdent(kind) || !stdIdent(actor) || actor == "*" {
		return e, false
	}
	e.Kind, e.Actor = kind, actor
	if e.Time, ok = stdParseTime(tm, true); !ok {
		return e, false
	}
	if a := fields["amount"]; a != nil {
		if a.isBool {
			return e, false
		}
		d, ok := stdParseDecimal(a.text)
		if !ok {
			return e, false
		}
		e.Amount = decimal.NewNullDecimal(d)
	}
	if fields["currency"] != nil {
		if len(cur) != 3 || strings.ContainsFunc(cur, func(r rune) bool { return r < 'A' || r > 'Z' }) || !e.Amount.Valid {
			return e, false
		}
		e.Currency = cur
	}
	for name, v := range attrs {
		if v == nil {
			continue
		}
		var x any
		switch typedOpt.Attributes[name] {
		case kpi.AttrString:
			if v.number || v.isBool {
				return e, false
			}
			x = v.text
		case kpi.AttrInt:
			if !csvFile && !v.number || v.isBool || csvFile && !stdInt.MatchString(v.text) {
				return e, false
			}
			d, ok := stdParseDecimal(v.text)
			if !ok || !d.IsInteger() || !d.BigInt().IsInt64() {
				return e, false
			}
			x = d.IntPart()
		case kpi.AttrDecimal:
			d, ok := stdParseDecimal(v.text)
			if v.isBool || !ok {
				return e, false
			}
			x = d
		case kpi.AttrBool:
			switch {
			case !csvFile && v.isBool:
				x = v.truth
			case csvFile && (v.text == "true" || v.text == "false"):
				x = v.text == "true"
			default:
				return e, false
			}
		case kpi.AttrTime:
			if v.number || v.isBool {
				return e, false
			}
			if x, ok = stdParseTime(v.text, false); !ok {
				return e, false
			}
		default: // undeclared: its JSON type, text in CSV
			switch {
			case v.isBool:
				x = v.truth
			case v.number:
				d, ok := stdParseDecimal(v.text)
				if !ok {
					return e, false
				}
				x = d
			default:
				x = v.text
			}
		}
		if e.Attrs == nil {
			e.Attrs = map[string]any{}
		}
		e.Attrs[name] = x
	}
	return e, true
}

// stdCSV reads a CSV file with encoding/csv: its events, or the lines of
// its bad records. After a record whose syntax is wrong the reference
// stops (whole is false): encoding/csv and FORMATS.md may take up the
// rest of the file at different places. The header is good.
func stdCSV(in []byte) (events []kpi.Event, bad []int, whole bool) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(in, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	var header []string
	var out []kpi.Event
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, bad, true
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, append(bad, pe.StartLine), false
		}
		line, _ := r.FieldPos(0)
		// A line of blanks is a record of one field: not a record here.
		if len(rec) == 1 && strings.Trim(rec[0], " \t") == "" {
			continue
		}
		if header == nil {
			header = rec
			continue
		}
		if len(rec) != len(header) || slices.ContainsFunc(rec, func(f string) bool { return !utf8.ValidString(f) }) {
			bad = append(bad, line)
			continue
		}
		fields, attrs := map[string]*stdValue{}, map[string]*stdValue{}
		for i, name := range header {
			var v *stdValue
			if rec[i] != "" {
				v = &stdValue{text: rec[i]}
			}
			switch name {
			case "id", "kind", "time", "actor", "amount", "currency", "deleted":
				fields[name] = v
			default:
				attrs[name] = v
			}
		}
		if e, ok := stdEvent(fields, attrs, true); !ok {
			bad = append(bad, line)
		} else if bad == nil {
			out = append(out, e)
		}
	}
}

// writeStdCSV writes the versions as a CSV file with the columns in a
// drawn order: fields quoted when they must be and now and then when not,
// LF or CRLF, blank lines, a byte order mark, a last line without its end.
// A broken line has a field too few or too many, a quote in an unquoted
// field, text after a closing quote, or a quote never closed.
func writeStdCSV(t *rapid.T, vs []stdVersion) []byte {
	cols := rapid.Permutation(stdColumns).Draw(t, "columns")
	rnd := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "layout"), 0))
	var b bytes.Buffer
	if rapid.Bool().Draw(t, "bom") {
		b.WriteString("\xef\xbb\xbf")
	}
	crlf := rapid.Bool().Draw(t, "crlf")
	record := func(fields []string, broken string, last bool) {
		k := rnd.IntN(len(fields))
		switch broken {
		case "fewer":
			fields = slices.Delete(fields, k, k+1)
		case "more":
			fields = append(fields, "x")
		}
		for i, f := range fields {
			if i > 0 {
				b.WriteByte(',')
			}
			switch {
			case i == k && broken == "bare quote":
				b.WriteString("a\"" + strings.NewReplacer(",", "", "\"", "", "\n", "").Replace(f))
			case i == k && broken == "after quote":
				b.WriteString(`"` + strings.ReplaceAll(f, `"`, `""`) + `"x`)
			case i == k && broken == "not closed":
				b.WriteString(`"` + strings.ReplaceAll(f, `"`, `""`))
			case strings.ContainsAny(f, ",\"\r\n") || rnd.IntN(10) == 0:
				b.WriteString(`"` + strings.ReplaceAll(f, `"`, `""`) + `"`)
			default:
				b.WriteString(f)
			}
		}
		if last && rnd.IntN(2) == 0 {
			return
		}
		endLine(&b, crlf, rnd, []string{"", " ", "\t", " \t "}[rnd.IntN(4)])
	}
	record(slices.Clone(cols), "", len(vs) == 0)
	for i, v := range vs {
		fields := make([]string, len(cols))
		for k, c := range cols {
			fields[k] = v.cells[c]
		}
		record(fields, v.broken, i == len(vs)-1)
	}
	return b.Bytes()
}

// stdNDJSON reads an NDJSON file with encoding/json: its events, or the
// lines of its bad lines.
func stdNDJSON(in []byte) (events []kpi.Event, bad []int) {
	var out []kpi.Event
	for i, l := range bytes.Split(bytes.TrimPrefix(in, []byte("\xef\xbb\xbf")), []byte("\n")) {
		l = bytes.TrimSuffix(l, []byte("\r"))
		if len(bytes.Trim(l, " \t\r")) == 0 {
			continue
		}
		if e, ok := stdNDJSONLine(l); !ok {
			bad = append(bad, i+1)
		} else if bad == nil {
			out = append(out, e)
		}
	}
	return out, bad
}

// stdNDJSONLine reads one line: an object of known fields, each once, attrs
// an object of scalars, each key once, and nothing after it.
func stdNDJSONLine(l []byte) (kpi.Event, bool) {
	if !utf8.Valid(l) || !json.Valid(l) {
		return kpi.Event{}, false
	}
	dec := json.NewDecoder(bytes.NewReader(l))
	dec.UseNumber()
	if tok, _ := dec.Token(); tok != json.Delim('{') {
		return kpi.Event{}, false
	}
	// scalar reads a scalar value: nil for null; ok false for an object or
	// an array.
	scalar := func() (*stdValue, bool) {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		switch x := tok.(type) {
		case nil:
			return nil, true
		case string:
			return &stdValue{text: x}, true
		case json.Number:
			return &stdValue{text: string(x), number: true}, true
		case bool:
			return &stdValue{isBool: true, truth: x}, true
		}
		return nil, false
	}
	fields, attrs := map[string]*stdValue{}, map[string]*stdValue{}
	seen := map[string]bool{}
	for dec.More() {
		tok, _ := dec.Token()
		key := tok.(string)
		if seen[key] {
			return kpi.Event{}, false
		}
		seen[key] = true
		switch key {
		case "id", "kind", "time", "actor", "amount", "currency", "deleted":
			v, ok := scalar()
			if !ok {
				return kpi.Event{}, false
			}
			fields[key] = v
		case "attrs":
			tok, _ := dec.Token()
			if tok == nil {
				continue
			}
			if tok != json.Delim('{') {
				return kpi.Event{}, false
			}
			for dec.More() {
				tok, _ := dec.Token()
				name := tok.(string)
				if _, dup := attrs[name]; dup || name == "" {
					return kpi.Event{}, false
				}
				v, ok := scalar()
				if !ok {
					return kpi.Event{}, false
				}
				attrs[name] = v
			}
			dec.Token() // }
		default:
			return kpi.Event{}, false
		}
	}
	return stdEvent(fields, attrs, false)
}

// writeStdNDJSON writes the versions as NDJSON: keys in a drawn order,
// strings with some characters as \u escapes, numbers as JSON numbers where
// a field takes one, absent values left out or null, white space, blank
// lines, CRLF, a byte order mark. A broken line has a field twice, an
// unknown field, a value of the wrong type, text after the object or no
// closing brace.
func writeStdNDJSON(t *rapid.T, vs []stdVersion) []byte {
	rnd := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "layout"), 0))
	var b bytes.Buffer
	if rapid.Bool().Draw(t, "bom") {
		b.WriteString("\xef\xbb\xbf")
	}
	str := func(s string) string { return jsonText(rnd, s) }
	ws := func() string { return []string{"", "", "", " ", "\t"}[rnd.IntN(5)] }
	crlf := rapid.Bool().Draw(t, "crlf")
	for i, v := range vs {
		var all jsonMembers
		for _, c := range stdColumns {
			val := v.cells[c]
			var text string
			switch {
			case val == "" && rnd.IntN(3) > 0:
				continue
			case val == "":
				text = "null"
			case c == "deleted" || c == "ok":
				if val == "true" || val == "false" {
					text = val
				} else {
					text = str(val)
				}
			case c == "pipeline" || c == "amount" || c == "price" || c == "note":
				if jsonNumber(val) && (c == "pipeline" || rnd.IntN(2) == 0) {
					text = val
				} else {
					text = str(val)
				}
			default:
				text = str(val)
			}
			all.add(c, str(c)+ws()+":"+ws()+text)
		}
		members := all.list(rnd, ws)
		switch v.broken {
		case "twice":
			members = append(members, members[rnd.IntN(len(members))])
		case "unknown":
			members = append(members, `"amout":1`)
		case "wrong type":
			members = append(members, []string{`"attrs":[1]`, `"attrs":{"n":{}}`, `"id":7`, `"deleted":"true"`, `"amount":true`}[rnd.IntN(5)])
		}
		rnd.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
		line := ws() + "{" + ws() + strings.Join(members, ws()+","+ws()) + ws() + "}" + ws()
		switch v.broken {
		case "after":
			line += " x"
		case "not closed":
			line = strings.TrimSuffix(strings.TrimRight(line, " \t"), "}")
		}
		b.WriteString(line)
		if i == len(vs)-1 && rnd.IntN(2) == 0 {
			break
		}
		endLine(&b, crlf, rnd, ws())
	}
	return b.Bytes()
}

// stdCheck compares every path's load of in with the reference's reading:
// its events, or its bad lines, the first 20 named and the rest counted.
// Where the reference stopped early (whole false), the lines up to where
// it stopped.
func stdCheck(t *rapid.T, in []byte, name string, want []kpi.Event, bad []int, whole bool, paths map[string]func(*memory.Store) error) {
	var wantEvents []string
	if len(bad) == 0 {
		ref := memory.New(time.UTC)
		err := ref.Import(context.Background(), func(add func(*kpi.Event) error) error {
			for _, e := range want {
				if err := add(&e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("reference store: %v\n%q", err, in)
		}
		wantEvents = storeEvents(t, ref)
	}
	var first string
	for _, how := range slices.Sorted(func(yield func(string) bool) {
		for k := range paths {
			if !yield(k) {
				return
			}
		}
	}) {
		s := memory.New(time.UTC)
		err := paths[how](s)
		if len(bad) == 0 {
			if err != nil {
				t.Fatalf("%s: %v\n%q", how, err, in)
			}
			if got := storeEvents(t, s); !slices.Equal(got, wantEvents) {
				t.Fatalf("%s:\n%q\ngot\n%s\nwant\n%s", how, in, strings.Join(got, "\n"), strings.Join(wantEvents, "\n"))
			}
			continue
		}
		lines, n := errLines(t, err, name)
		wantLines, wantN := bad[:min(len(bad), maxErrors)], len(bad)
		if !whole {
			// The lines up to the last the reference read, and at least
			// as many in all.
			lines = slices.DeleteFunc(lines, func(l int) bool { return l > bad[len(bad)-1] })
			if n >= wantN {
				n = wantN
			}
			if len(bad) > maxErrors {
				lines = lines[:min(len(lines), maxErrors)]
			}
		}
		if !slices.Equal(lines, wantLines) || n != wantN {
			t.Fatalf("%s: error\n%v\nnames the lines %v of %d, want %v of %d\n%q", how, err, lines, n, wantLines, wantN, in)
		}
		if first == "" {
			first = err.Error()
		} else if err.Error() != first {
			t.Fatalf("%s: error\n%v\nwant, as the other paths\n%s\n%q", how, err, first, in)
		}
		if n := s.Len(); n != 0 {
			t.Fatalf("%s: the store kept %d events of a refused file", how, n)
		}
	}
}

// TestCSVAgainstEncodingCSV: random CSV files, bad lines among them, read
// as encoding/csv and FORMATS.md read them, by every path Load takes.
func TestCSVAgainstEncodingCSV(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		vs := drawStdVersions(t, []string{"fewer", "more", "bare quote", "after quote", "not closed"})
		in := writeStdCSV(t, vs)
		want, bad, whole := stdCSV(in)
		ctx := context.Background()
		block := rapid.SampledFrom([]int{64, 200, 4096}).Draw(t, "block")
		// Serial and one of the parallel paths, drawn: each case stays
		// cheap, and the cases cover them all.
		paths := map[string]func(*memory.Store) error{
			"coded, 3 workers": func(s *memory.Store) error {
				_, err := loadCoded(ctx, s, bytes.NewReader(in), "f.csv", typedOpt, 3, block)
				return err
			},
			"in parts, 3 workers": func(s *memory.Store) error {
				return loadParts(ctx, s, bytes.NewReader(in), "f.csv", typedOpt, 3, block)
			},
			"by position": func(s *memory.Store) error {
				return loadColumns(ctx, s, bytes.NewReader(in), "f.csv", typedOpt, 0, block)
			},
			"Load": func(s *memory.Store) error { return Load(ctx, s, bytes.NewReader(in), "f.csv", typedOpt) },
		}
		how := rapid.SampledFrom(slices.Sorted(maps.Keys(paths))).Draw(t, "path")
		stdCheck(t, in, "f.csv", want, bad, whole, map[string]func(*memory.Store) error{
			how: paths[how],
			"one at a time": func(s *memory.Store) error {
				return load(ctx, StoreFunc(s.Import), bytes.NewReader(in), "f.csv", typedOpt, 0, 4096)
			},
		})
	})
}

// TestNDJSONAgainstEncodingJSON is TestCSVAgainstEncodingCSV for NDJSON
// files, read by encoding/json.
func TestNDJSONAgainstEncodingJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		vs := drawStdVersions(t, []string{"twice", "unknown", "wrong type", "after", "not closed"})
		in := writeStdNDJSON(t, vs)
		want, bad := stdNDJSON(in)
		ctx := context.Background()
		block := rapid.SampledFrom([]int{64, 4096}).Draw(t, "block")
		stdCheck(t, in, "f.ndjson", want, bad, true, map[string]func(*memory.Store) error{
			"in parts, 3 workers": func(s *memory.Store) error {
				return loadParts(ctx, s, bytes.NewReader(in), "f.ndjson", typedOpt, 3, block)
			},
			"one at a time": func(s *memory.Store) error {
				return load(ctx, StoreFunc(s.Import), bytes.NewReader(in), "f.ndjson", typedOpt, 0, 4096)
			},
		})
	})
}

// jsonText writes s as a JSON string, some of its characters of the
// Basic Multilingual Plane as \u escapes, drawn by rnd; text that is not
// UTF-8 is written as it is, between quotes.
func jsonText(rnd *rand.Rand, s string) string {
	if !utf8.ValidString(s) {
		return `"` + s + `"`
	}
	var out strings.Builder
	out.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			out.WriteString(`\` + string(r))
		case r < 0x20 || r <= 0xffff && rnd.IntN(8) == 0:
			fmt.Fprintf(&out, `\u%04x`, r)
		default:
			out.WriteRune(r)
		}
	}
	out.WriteByte('"')
	return out.String()
}

// jsonMembers are the members of an NDJSON line a writer makes: the
// event's fields, and its attributes, the members of attrs.
type jsonMembers struct{ fields, attrs []string }

// add adds the member of the key key.
func (m *jsonMembers) add(key, member string) {
	switch key {
	case "id", "kind", "time", "actor", "amount", "currency", "deleted":
		m.fields = append(m.fields, member)
	default:
		m.attrs = append(m.attrs, member)
	}
}

// list returns the fields in a drawn order, then attrs, an object of the
// attributes in a drawn order: left out now and then when it has none.
func (m *jsonMembers) list(rnd *rand.Rand, ws func() string) []string {
	rnd.Shuffle(len(m.fields), func(i, j int) { m.fields[i], m.fields[j] = m.fields[j], m.fields[i] })
	rnd.Shuffle(len(m.attrs), func(i, j int) { m.attrs[i], m.attrs[j] = m.attrs[j], m.attrs[i] })
	if len(m.attrs) > 0 || rnd.IntN(4) == 0 {
		return append(m.fields, `"attrs":{`+strings.Join(m.attrs, ","+ws())+`}`)
	}
	return m.fields
}

// errLines returns the lines a refusal names, in order, and how many bad
// lines it says there are in all ("and N more bad lines").
func errLines(t *rapid.T, err error, name string) (lines []int, n int) {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var bad *Error
		switch {
		case errors.As(e, &bad) && bad.File == name:
			lines = append(lines, bad.Line)
		case e.Error() == "and 1 more bad line":
			n++
		default:
			more, ok := strings.CutPrefix(e.Error(), "and ")
			more, ok2 := strings.CutSuffix(more, " more bad lines")
			k, err := strconv.Atoi(more)
			if !ok || !ok2 || err != nil {
				t.Fatalf("error %q of %v is no bad line of %s", e, err, name)
			}
			n += k
		}
	}
	return lines, n + len(lines)
}
