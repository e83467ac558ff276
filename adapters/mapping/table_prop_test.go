package mapping

import (
	"bytes"
	"context"
	"database/sql/driver"
	"encoding/csv"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// tableZones are zones with daylight-saving jumps of an hour, of half an
// hour (Australia/Lord_Howe), at midnight (America/Santiago), a day skipped
// whole (Pacific/Apia), and a half-hour offset (America/St_Johns).
var tableZones = []string{"Europe/Berlin", "America/New_York", "America/Santiago", "Pacific/Apia",
	"Australia/Lord_Howe", "America/St_Johns", "Asia/Tehran"}

// tableMapping is the mapping of the random tables: every type of column,
// a key of a string, an int and a date, a header that needs quotes.
func tableMapping(zone, tod string) string {
	return `timezone: ` + zone + `
key: [region, n, day]
columns:
  region: {type: string, column: "Region, name"}
  n: {type: int}
  day: {type: date, time_of_day: "` + tod + `"}
  at: {type: time, zone: ` + zone + `}
  agent: {type: string}
  v: {type: decimal}
  ok: {type: bool}
  note: {type: string}
events:
  - {kind: deal.a, when: defined(day), time: day, actor: agent, amount: v, currency: EUR, attrs: {note: note, ok: ok, n: n}}
  - {kind: "b b", id: b, when: defined(at) && defined(ok) && ok, time: at, actor: agent, attrs: {day: day, v: v}}
`
}

// refWall is the reference of a wall-clock time's instant in loc, found
// along the zone's spans of constant offset (time.ZoneBounds): the first
// instant whose clock reads the wall time or a later one. Where that
// instant's clock reads exactly the wall time, it is the wall time's first
// occurrence; where it reads later, a jump skipped the wall time, which is
// read with the offset before the jump (moved forward by the jump).
func refWall(y, m, d, sec, nsec int, loc *time.Location) time.Time {
	wall := time.Date(y, time.Month(m), d, 0, 0, sec, 0, time.UTC)
	u := wall.Add(-16 * time.Hour) // its clock reads before the wall time: offsets are below 16 hours
	prevOff := 0
	for first := true; ; first = false {
		_, off := u.In(loc).Zone()
		_, end := u.In(loc).ZoneBounds()
		cand := wall.Add(-time.Duration(off) * time.Second)
		if cand.Before(u) {
			if first {
				panic("the walk starts too late")
			}
			// The span starts with its clock past the wall time.
			return wall.Add(-time.Duration(prevOff) * time.Second).Add(time.Duration(nsec)).In(loc)
		}
		if end.IsZero() || cand.Before(end) {
			return cand.Add(time.Duration(nsec)).In(loc)
		}
		u, prevOff = end, off
	}
}

// transitions lists the instants at which loc's offset changes, 1990–2030.
func transitions(loc *time.Location) []time.Time {
	var out []time.Time
	for t := time.Date(1990, 1, 1, 0, 0, 0, 0, loc); t.Year() < 2030; {
		_, end := t.ZoneBounds()
		if end.IsZero() {
			break
		}
		out = append(out, end)
		t = end
	}
	return out
}

// tableCell is a drawn cell: its text, and where it is bad the message of
// the load (without the place).
type tableCell struct {
	text string
	bad  string
	// val is the value a database driver may give instead of the text
	// (nil: none but the text).
	val driver.Value
}

// drawWall draws a wall-clock time near one of loc's jumps, or any, as
// its date and second of the day.
func drawWall(t *rapid.T, label string, loc *time.Location, jumps []time.Time) (y, m, d, sec int) {
	var w time.Time
	if len(jumps) > 0 && rapid.IntRange(0, 3).Draw(t, label+" near a jump") > 0 {
		j := rapid.SampledFrom(jumps).Draw(t, label+" jump")
		l := j.In(loc)
		w = time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC).
			Add(time.Duration(rapid.IntRange(-3*3600, 3*3600).Draw(t, label+" from the jump")) * time.Second)
		if rapid.Bool().Draw(t, label+" on the minute") {
			w = w.Truncate(time.Minute)
		}
	} else {
		w = time.Unix(rapid.Int64Range(0, 2145916800).Draw(t, label+" unix"), 0).UTC()
	}
	return w.Year(), int(w.Month()), w.Day(), w.Hour()*3600 + w.Minute()*60 + w.Second()
}

var (
	decimalRE = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
	intRE     = regexp.MustCompile(`^[+-]?[0-9]+$`)
)

// refDecimal is the reference of a decimal cell: its exact value, or the
// message of a text the docs' grammar refuses.
func refDecimal(s string) (string, string) {
	if !decimalRE.MatchString(s) {
		return "", "not a decimal " + strconv.Quote(s)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r.RatString(), ""
}

// refInt is the reference of an int cell.
func refInt(s string) (int64, string) {
	if !intRE.MatchString(s) {
		return 0, "not an int " + strconv.Quote(s)
	}
	b, _ := new(big.Int).SetString(s, 10)
	if !b.IsInt64() {
		return 0, "an int out of range " + strconv.Quote(s)
	}
	return b.Int64(), ""
}

// A random table (every type of column: numbers as the docs write them and
// as spreadsheets of other locales do, with decimal commas, thousands
// separators, currency marks, parentheses; dates and wall-clock times near
// daylight-saving jumps; empty cells; quoted cells with commas, quotes and
// line ends; blank lines, a byte order mark, CRLF, a last line without a
// line end) maps to the events a reference computed here says, row by
// row, rule by rule: the event where the rule applies, else its
// retraction. A table with bad rows is refused with each bad row's
// FILE:LINE and column, and the store gets nothing. The same table given
// by a database driver, its cells as text or as the driver's own values
// (int64, bool, time.Time, NULL), gives the same events, or the same
// errors at ROW numbers.
func TestPropTableToEvents(t *testing.T) {
	type zoneTOD struct{ zone, tod string }
	mappers := map[zoneTOD]*Mapper{}
	locs := map[string]*time.Location{}
	jumps := map[string][]time.Time{}
	for _, z := range tableZones {
		locs[z] = mustZone(t, z)
		jumps[z] = transitions(locs[z])
	}
	tb := t
	header := []string{"Region, name", "n", "day", "at", "agent", "v", "ok", "note", "extra"}
	rapid.Check(t, func(t *rapid.T) {
		zone := rapid.SampledFrom(tableZones).Draw(t, "zone")
		tod := rapid.SampledFrom([]string{"00:00", "02:30", "01:30:15", "23:59"}).Draw(t, "time of day")
		m := mappers[zoneTOD{zone, tod}]
		if m == nil {
			m = compileText(tb, tableMapping(zone, tod))
			mappers[zoneTOD{zone, tod}] = m
		}
		loc := locs[zone]
		todSec := 0
		for i, p := range strings.Split(tod, ":") {
			v, _ := strconv.Atoi(p)
			todSec += v * []int{3600, 60, 1}[i]
		}
		order := rapid.Permutation(header).Draw(t, "header order")
		col := map[string]int{}
		for i, h := range order {
			col[h] = i
		}

		type row struct {
			cells map[string]tableCell
			// want gives the versions, shown, for the note as read.
			want func(note string) []string
			bad  string // the row's message, without its place
		}
		var rows []row
		keys := map[string]bool{}
		nrows := rapid.IntRange(0, 10).Draw(t, "rows")
		for range nrows {
			c := map[string]tableCell{}
			// One cell at most is bad, so that the message does not
			// depend on the order in which cells are read.
			badCol := ""
			if rapid.IntRange(0, 9).Draw(t, "bad") == 0 {
				badCol = rapid.SampledFrom([]string{"Region, name", "n", "day", "day years", "at", "agent", "v", "ok", "note"}).Draw(t, "bad column")
			}
			region := rapid.SampledFrom([]string{"eu", "a:b", "50%", "x, \"y\"", " ", "é😀"}).Draw(t, "region")
			c["Region, name"] = tableCell{text: region}
			if badCol == "Region, name" {
				c["Region, name"] = tableCell{bad: "empty key"}
			}
			var n int64
			if badCol == "n" {
				s := rapid.SampledFrom([]string{"1,000", "1.0", "1e3", " 7", "٣", "9223372036854775808", "-00009223372036854775809", "(5)"}).Draw(t, "bad n")
				_, msg := refInt(s)
				c["n"] = tableCell{text: s, bad: msg}
			} else {
				n = rapid.OneOf(rapid.Int64Range(-3, 3), rapid.SampledFrom([]int64{1<<63 - 1, -1 << 63})).Draw(t, "n")
				s := strconv.FormatInt(n, 10)
				switch rapid.IntRange(0, 3).Draw(t, "n form") {
				case 0:
					if n >= 0 {
						s = "+" + s
					}
				case 1:
					if n >= 0 {
						s = "00" + s
					}
				}
				c["n"] = tableCell{text: s, val: n}
			}
			var dy, dm, dd int
			yearsBad := "" // the message of a day outside the years
			if badCol == "day" {
				c["day"] = rapid.SampledFrom([]tableCell{
					{text: "2021-02-29", bad: `not a date "2021-02-29": February 2021 has 28 days`},
					{text: "2021-13-01", bad: `not a date "2021-13-01": months are 01 to 12`},
					{text: "2021-04-31", bad: `not a date "2021-04-31": April has 30 days`},
					{text: "01.03.2021", bad: `not a date "01.03.2021"`},
					{text: "2021-3-1", bad: `not a date "2021-3-1"`},
					{text: "", bad: `empty key`},
				}).Draw(t, "bad day")
			} else {
				dy, dm, dd, _ = drawWall(t, "day", loc, jumps[zone])
				if badCol == "day years" {
					// Its year, in the zone, is not one of 1678–2261.
					dy = rapid.SampledFrom([]int{1, 1500, 1677, 2262, 9999}).Draw(t, "year outside")
					dd = min(dd, 28)
					if dy == 1677 || dy == 2262 {
						dm, dd = map[int]int{1677: 12, 2262: 1}[dy], map[int]int{1677: 31, 2262: 1}[dy]
					}
					at := refWall(dy, dm, dd, todSec, 0, loc)
					layout := time.RFC3339Nano
					if _, off := at.Zone(); off%60 != 0 {
						layout = "2006-01-02T15:04:05Z07:00:00"
					}
					yearsBad = fmt.Sprintf(`rule "deal.a": time column "day" is %s, outside the years 1678–2261 of an event's time`, at.Format(layout))
				}
				s := fmt.Sprintf("%04d-%02d-%02d", dy, dm, dd)
				c["day"] = tableCell{text: s, val: time.Date(dy, time.Month(dm), dd, 0, 0, 0, 0, time.UTC)}
			}
			// at: empty, a wall-clock time, or one with an offset.
			var at time.Time
			switch k := rapid.IntRange(0, 3).Draw(t, "at kind"); {
			case badCol == "at":
				c["at"] = rapid.SampledFrom([]tableCell{
					{text: "2021-03-28 25:00:00", bad: `not a time "2021-03-28 25:00:00"`},
					{text: "2021-02-29T10:00:00", bad: `not a time "2021-02-29T10:00:00": February 2021 has 28 days`},
					{text: "2021-03-28T10:00", bad: `not a time "2021-03-28T10:00"`},
					{text: "2021-03-28T10:00:00+0100", bad: `not a time "2021-03-28T10:00:00+0100"`},
					{text: "2021-03-28T10:00:00.1234567890Z", bad: `not a time "2021-03-28T10:00:00.1234567890Z"`},
				}).Draw(t, "bad at")
			case k == 0:
				c["at"] = tableCell{}
			case k == 1 || k == 2:
				y, mo, d, sec := drawWall(t, "at", loc, jumps[zone])
				nsec, frac := 0, ""
				if digits := rapid.IntRange(0, 9).Draw(t, "at fraction"); digits > 0 {
					frac = rapid.StringMatching(fmt.Sprintf("[0-9]{%d}", digits)).Draw(t, "at fraction digits")
					v, _ := strconv.Atoi(frac + strings.Repeat("0", 9-digits))
					nsec, frac = v, "."+frac
				}
				s := fmt.Sprintf("%04d-%02d-%02d%s%02d:%02d:%02d%s", y, mo, d, rapid.SampledFrom([]string{"T", " "}).Draw(t, "at sep"),
					sec/3600, sec/60%60, sec%60, frac)
				if k == 1 {
					at = refWall(y, mo, d, sec, nsec, loc)
					// A driver gives a timestamp without time zone in UTC.
					c["at"] = tableCell{text: s, val: time.Date(y, time.Month(mo), d, 0, 0, sec, nsec, time.UTC)}
					break
				}
				off := rapid.IntRange(-14*60, 14*60).Draw(t, "at offset")
				if off == 0 && rapid.Bool().Draw(t, "at Z") {
					c["at"] = tableCell{text: s + "Z"} // a driver's UTC time would be a wall clock
					at = time.Date(y, time.Month(mo), d, 0, 0, sec, nsec, time.UTC)
					break
				}
				sign, a := "+", off
				if off < 0 {
					sign, a = "-", -off
				}
				fz := time.FixedZone("", off*60)
				at = time.Date(y, time.Month(mo), d, 0, 0, sec, nsec, time.UTC).Add(-time.Duration(off) * time.Minute).In(fz)
				c["at"] = tableCell{text: fmt.Sprintf("%s%s%02d:%02d", s, sign, a/60, a%60), val: at}
			}
			agent := rapid.SampledFrom([]string{"anna", "b,c", "é\"x", "7"}).Draw(t, "agent")
			c["agent"] = tableCell{text: agent}
			if badCol == "agent" {
				c["agent"] = rapid.SampledFrom([]tableCell{
					{text: "", bad: `rule "deal.a": actor column "agent" is empty (a when condition such as defined(agent) skips such rows)`},
					{text: "*", bad: `rule "deal.a": actor column "agent" is "*", the whole company's row in reports, not an actor`},
					{text: "a\x01", bad: `rule "deal.a": actor column "agent" is "a\x01", which has a control character (U+0001)`},
				}).Draw(t, "bad agent")
			}
			var v string
			if badCol == "v" {
				s := rapid.SampledFrom([]string{"1,5", "1.234,50", "1,234.50", "$12", "12 €", "€12", "(5)", "1 000", "1e", ".5", "5.", "1_000", "0x10", "Inf", "NaN", "--1", "1e+"}).Draw(t, "bad v")
				_, msg := refDecimal(s)
				c["v"] = tableCell{text: s, bad: msg}
			} else if rapid.IntRange(0, 3).Draw(t, "v empty") > 0 {
				s := drawDecimalText(t)
				v, _ = refDecimal(s)
				cl := tableCell{text: s}
				if regexp.MustCompile(`^-?[0-9]{1,18}$`).MatchString(s) {
					cl.val, _ = strconv.ParseInt(s, 10, 64)
				}
				c["v"] = cl
			}
			ok := ""
			if badCol == "ok" {
				s := rapid.SampledFrom([]string{"TRUE", "1", "yes", "True", " true"}).Draw(t, "bad ok")
				c["ok"] = tableCell{text: s, bad: "not a bool (true or false) " + strconv.Quote(s)}
			} else if ok = rapid.SampledFrom([]string{"", "true", "false"}).Draw(t, "ok"); ok != "" {
				c["ok"] = tableCell{text: ok, val: ok == "true"}
			}
			if badCol == "note" {
				c["note"] = tableCell{text: "a\xffb", bad: "is not valid UTF-8"}
			} else {
				c["note"] = tableCell{text: rapid.OneOf(
					rapid.SampledFrom([]string{"", "a,b", "\"q\"", "x\r\ny", "x\ny\n", " ", "\t", "   \n  ", "a\rb", "\r\n"}),
					rapid.StringN(0, 6, -1).Filter(utf8.ValidString),
				).Draw(t, "note")}
			}
			c["extra"] = tableCell{text: rapid.SampledFrom([]string{"", "z", "a\"b,c\n", "\xff"}).Draw(t, "extra")}

			// A row whose key repeats an earlier one would be bad: left out.
			if badCol != "n" && badCol != "day" && badCol != "Region, name" {
				key := fmt.Sprintf("%q %d %s", region, n, c["day"].text)
				if keys[key] {
					continue
				}
				keys[key] = true
			}

			r := row{cells: c}
			// The row's message: a bad value, else an empty key, else a rule's.
			switch b := c[badCol].bad; {
			case badCol == "agent":
				r.bad = b
			case badCol == "day years":
				r.bad = yearsBad
			case b != "":
				r.bad = fmt.Sprintf("column %q: %s", badCol, b)
			}
			if r.bad == "" {
				esc := strings.NewReplacer("%", "%25", ":", "%3A")
				id := fmt.Sprintf("%s:%d:%s", esc.Replace(region), n, c["day"].text)
				dayAt := refWall(dy, dm, dd, todSec, 0, loc)
				r.want = func(note string) (vs []string) {
					a := fmt.Sprintf("deal.a:%s deal.a %s %s", id, agent, showInstant(dayAt))
					if v != "" {
						a += " amount=" + v + " EUR"
					}
					var attrs []string
					if note != "" {
						attrs = append(attrs, "note="+note)
					}
					if ok != "" {
						attrs = append(attrs, "ok="+ok)
					}
					attrs = append(attrs, fmt.Sprintf("n=%d", n))
					slices.Sort(attrs)
					vs = append(vs, a+" "+strings.Join(attrs, " "))
					if !at.IsZero() && ok == "true" {
						b := fmt.Sprintf("b:%s b b %s %s day=%s", id, agent, showInstant(at), showInstant(dayAt))
						if v != "" {
							b += " v=" + v
						}
						vs = append(vs, b)
					} else {
						vs = append(vs, "b:"+id+" deleted")
					}
					return vs
				}
			}
			rows = append(rows, r)
		}

		// The CSV text, blank lines between the records.
		crlf := rapid.Bool().Draw(t, "crlf")
		var buf bytes.Buffer
		if rapid.IntRange(0, 3).Draw(t, "bom") == 0 {
			buf.WriteString("\xef\xbb\xbf")
		}
		blanks := func(label string) {
			for range rapid.IntRange(0, 2).Draw(t, label) {
				buf.WriteString(rapid.SampledFrom([]string{"", " ", "\t", "  \t"}).Draw(t, label+" line"))
				if crlf {
					buf.WriteString("\r")
				}
				buf.WriteString("\n")
			}
		}
		record := func(fields []string) {
			w := csv.NewWriter(&buf)
			w.UseCRLF = crlf
			_ = w.Write(fields)
			w.Flush()
		}
		blanks("blanks before the header")
		record(order)
		for _, r := range rows {
			blanks("blanks")
			fields := make([]string, len(order))
			for h, cl := range r.cells {
				fields[col[h]] = cl.text
			}
			record(fields)
		}
		if rapid.Bool().Draw(t, "no last line end") {
			buf.Truncate(len(bytes.TrimRight(buf.Bytes(), "\r\n")))
		}
		table := buf.String()

		// The reference reads the records' lines with encoding/csv, past
		// the byte order mark and the blank lines.
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(table, "\xef\xbb\xbf")))
		cr.FieldsPerRecord = -1
		var lines []int
		var notes []string // the note of each record, as encoding/csv reads it
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("reference: %v", err)
			}
			if len(rec) == 1 && strings.Trim(rec[0], " \t") == "" {
				continue
			}
			line, _ := cr.FieldPos(0)
			lines = append(lines, line)
			notes = append(notes, rec[col["note"]])
		}
		if len(lines) != len(rows)+1 {
			t.Fatalf("reference: %d records, want %d\n%q", len(lines), len(rows)+1, table)
		}

		want := func(name string, note func(i int) string, place func(i int) int) ([]string, string) {
			var vs, errs []string
			for i, r := range rows {
				if r.bad != "" {
					errs = append(errs, fmt.Sprintf("%s:%d: %s", name, place(i), r.bad))
				}
				if r.want != nil {
					vs = append(vs, r.want(note(i))...)
				}
			}
			if errs != nil {
				return nil, strings.Join(errs, "\n")
			}
			return vs, ""
		}
		check := func(how string, got []kpi.Event, err error, wantVs []string, wantErr string) {
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != wantErr {
				t.Fatalf("%s: error\n%s\nwant\n%s\ntable:\n%q", how, gotErr, wantErr, table)
			}
			shown := make([]string, len(got))
			for i, e := range got {
				shown[i] = showVersion(e)
			}
			if !slices.Equal(shown, wantVs) {
				t.Fatalf("%s: got\n%s\nwant\n%s\ntable:\n%q", how, strings.Join(shown, "\n"), strings.Join(wantVs, "\n"), table)
			}
		}

		got, err := versions(tb, m, table, "t.csv")
		wantVs, wantErr := want("t.csv", func(i int) string { return notes[i+1] }, func(i int) int { return lines[i+1] })
		check("CSV", got, err, wantVs, wantErr)

		// The same table from a database.
		res := fakeResult{cols: order}
		for _, r := range rows {
			vals := make([]driver.Value, len(order))
			for h, cl := range r.cells {
				var v driver.Value
				switch k := rapid.IntRange(0, 2).Draw(t, "driver value"); {
				case cl.text == "" && k == 0:
					v = nil
				case cl.val != nil && k > 0:
					v = cl.val
				case k == 1:
					v = []byte(cl.text)
				default:
					v = cl.text
				}
				vals[col[h]] = v
			}
			res.rows = append(res.rows, vals)
		}
		db := fakeDB{"q": res}.open()
		defer db.Close()
		sqlRows, err := db.Query("q")
		if err != nil {
			t.Fatal(err)
		}
		var rec recorder
		err = m.LoadRows(context.Background(), &rec, sqlRows, "deals", Options{})
		wantVs, wantErr = want("deals", func(i int) string { return rows[i].cells["note"].text }, func(i int) int { return i + 1 })
		check("SQL", rec.got, err, wantVs, wantErr)
	})
}

// showVersion shows an event version: its id, kind, actor, instant (UTC
// and offset), amount as a fraction and currency, attributes sorted.
func showVersion(e kpi.Event) string {
	if e.Deleted {
		return e.ID + " deleted"
	}
	s := fmt.Sprintf("%s %s %s %s", e.ID, e.Kind, e.Actor, showInstant(e.Time))
	if e.Amount.Valid {
		s += " amount=" + e.Amount.Decimal.Rat().RatString() + " " + e.Currency
	}
	var attrs []string
	for k, v := range e.Attrs {
		switch v := v.(type) {
		case time.Time:
			attrs = append(attrs, k+"="+showInstant(v))
		case interface{ Rat() *big.Rat }:
			attrs = append(attrs, k+"="+v.Rat().RatString())
		default:
			attrs = append(attrs, fmt.Sprintf("%s=%v", k, v))
		}
	}
	slices.Sort(attrs)
	if len(attrs) > 0 {
		s += " " + strings.Join(attrs, " ")
	}
	return s
}
