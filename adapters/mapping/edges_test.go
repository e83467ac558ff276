package mapping

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/goalkit/goalkit/internal/display"
	"pgregory.net/rapid"
)

// edgeZones are zones whose midnights are odd: an offset of seconds before
// 1835 (Europe/Amsterdam's local mean time), of 45 minutes and a midnight
// skipped in 1986 (Asia/Kathmandu), a day skipped in 1994
// (Pacific/Kiritimati), a half hour west (America/St_Johns).
var edgeZones = []string{"UTC", "Europe/Amsterdam", "Asia/Kathmandu", "Pacific/Kiritimati", "America/St_Johns"}

// firstInstant is the reference of a date's instant at 00:00 in loc: the
// first instant whose date in loc is the day or a later one (a day a jump
// skips whole starts where the next one does), found by walking minute by
// minute from a day and more before, then second by second.
func firstInstant(y, m, d int, loc *time.Location) time.Time {
	day := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	reached := func(t time.Time) bool {
		ly, lm, ld := t.In(loc).Date()
		return !time.Date(ly, lm, ld, 0, 0, 0, 0, time.UTC).Before(day)
	}
	t := day.Add(-30 * time.Hour)
	for !reached(t) {
		t = t.Add(time.Minute)
	}
	for s := t.Add(-59 * time.Second); ; s = s.Add(time.Second) {
		if reached(s) {
			return s.In(loc)
		}
	}
}

// A table whose cells are at the edges of their types (decimals near the
// limits of int64 and its hundredths, with exponents up to ±990; ints at
// int64's ends, with a sign and leading zeros; dates of the first and last
// years an event may have, before 1970 and in zones whose midnights are
// odd; times of the years 0001–9999 at offsets up to ±23:59; strings of any
// character, keys with ':' and '%'), written by encoding/csv, loads as the
// events a reference computed here says: the date's first instant, the
// time's instant at its offset, the numbers' exact values, the strings as
// written (a CRLF in quotes read as LF).
func TestLoadCSVEdges(t *testing.T) {
	mappers := map[string]*Mapper{}
	for _, zone := range edgeZones {
		mappers[zone] = compileText(t, `timezone: `+zone+`
key: [id]
columns:
  id: {type: string}
  agent: {type: string}
  d: {type: date}
  tm: {type: time}
  v: {type: decimal}
  n: {type: int}
  s: {type: string}
events:
  - {kind: a, time: d, actor: agent, amount: v, attrs: {tm: tm, n: n, s: s}}
`)
	}
	tb := t
	rapid.Check(t, func(t *rapid.T) {
		zone := rapid.SampledFrom(edgeZones).Draw(t, "zone")
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		m := mappers[zone]
		ids := rapid.SliceOfNDistinct(rapid.StringOfN(rapid.SampledFrom([]rune("ab:%1 é😀,\"")), 1, 6, -1), 0, 6, rapid.ID[string]).Draw(t, "ids")
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write([]string{"id", "agent", "d", "tm", "v", "n", "s"})
		var want []string
		for _, id := range ids {
			y := rapid.OneOf(rapid.SampledFrom([]int{1678, 2261, 1835, 1986, 1994, 1970, 1969}), rapid.IntRange(1679, 2260)).Draw(t, "year")
			mo := rapid.IntRange(1, 12).Draw(t, "month")
			dd := rapid.IntRange(1, time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()).Draw(t, "day")
			if rapid.IntRange(0, 3).Draw(t, "edge day") == 0 {
				edge := rapid.SampledFrom([][2]int{{1, 1}, {12, 31}}).Draw(t, "edge")
				mo, dd = edge[0], edge[1]
			}
			row := []string{id, rapid.SampledFrom([]string{"anna", "b:1", "é"}).Draw(t, "agent"),
				fmt.Sprintf("%04d-%02d-%02d", y, mo, dd), "", "", "", ""}
			ref := fmt.Sprintf("a:%s %s %s", strings.NewReplacer("%", "%25", ":", "%3A").Replace(id), row[1], showInstant(firstInstant(y, mo, dd, loc)))
			if rapid.Bool().Draw(t, "has tm") {
				tm := drawTimeText(t)
				row[3] = tm
				rt, err := time.Parse(time.RFC3339Nano, strings.Replace(tm, " ", "T", 1))
				if err != nil {
					t.Fatalf("reference of %q: %v", tm, err)
				}
				ref += " tm=" + showInstant(rt)
			}
			if rapid.Bool().Draw(t, "has v") {
				v := drawDecimalText(t)
				row[4] = v
				r, ok := new(big.Rat).SetString(v)
				if !ok {
					t.Fatalf("reference of %q", v)
				}
				ref += " amount=" + r.RatString()
			}
			if rapid.Bool().Draw(t, "has n") {
				n := rapid.OneOf(rapid.SampledFrom([]string{"9223372036854775807", "-9223372036854775808", "+9223372036854775807", "-0", "+0", "007", "-0009223372036854775808"}),
					rapid.StringMatching(`[+-]?[0-9]{1,18}`)).Draw(t, "n")
				row[5] = n
				b, _ := new(big.Int).SetString(n, 10)
				ref += " n=" + b.String()
			}
			if s := rapid.StringN(0, 8, -1).Filter(utf8.ValidString).Draw(t, "s"); s != "" {
				row[6] = s
				ref += " s=" + strings.ReplaceAll(s, "\r\n", "\n")
			}
			if display.IDProblem(id) != "" {
				t.Fatalf("id %q", id)
			}
			_ = w.Write(row)
			want = append(want, ref)
		}
		w.Flush()
		got, err := versions(tb, m, buf.String(), "t.csv")
		if err != nil {
			t.Fatalf("%v\ntable:\n%s", err, buf.String())
		}
		var shown []string
		for _, e := range got {
			s := fmt.Sprintf("%s %s %s", e.ID, e.Actor, showInstant(e.Time))
			if v, ok := e.Attrs["tm"].(time.Time); ok {
				s += " tm=" + showInstant(v)
			}
			if e.Amount.Valid {
				s += " amount=" + e.Amount.Decimal.Rat().RatString()
			}
			if v, ok := e.Attrs["n"].(int64); ok {
				s += fmt.Sprintf(" n=%d", v)
			}
			if v, ok := e.Attrs["s"].(string); ok {
				s += " s=" + v
			}
			shown = append(shown, s)
		}
		if strings.Join(shown, "\n") != strings.Join(want, "\n") {
			t.Fatalf("got\n%s\nwant\n%s\ntable:\n%s", strings.Join(shown, "\n"), strings.Join(want, "\n"), buf.String())
		}
	})
}

// showInstant shows an instant in UTC with its offset in seconds.
func showInstant(t time.Time) string {
	_, off := t.Zone()
	return fmt.Sprintf("%s[%d]", t.UTC().Format(time.RFC3339Nano), off)
}

// drawTimeText draws a time cell with an offset: a year 0001–9999, a
// fraction of up to 9 digits, Z or an offset up to ±23:59, T or a space.
func drawTimeText(t *rapid.T) string {
	y := rapid.OneOf(rapid.SampledFrom([]int{1, 9999, 1677, 2262, 1969}), rapid.IntRange(1, 9999)).Draw(t, "tm year")
	mo := rapid.IntRange(1, 12).Draw(t, "tm month")
	d := rapid.IntRange(1, time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()).Draw(t, "tm day")
	s := fmt.Sprintf("%04d-%02d-%02d%s%02d:%02d:%02d", y, mo, d, rapid.SampledFrom([]string{"T", " "}).Draw(t, "sep"),
		rapid.IntRange(0, 23).Draw(t, "h"), rapid.IntRange(0, 59).Draw(t, "mi"), rapid.IntRange(0, 59).Draw(t, "sec"))
	if n := rapid.IntRange(0, 9).Draw(t, "frac"); n > 0 {
		s += "." + rapid.StringMatching(fmt.Sprintf("[0-9]{%d}", n)).Draw(t, "digits")
	}
	if rapid.IntRange(0, 3).Draw(t, "z") == 0 {
		return s + "Z"
	}
	off := rapid.OneOf(rapid.SampledFrom([]int{23*60 + 59, -(23*60 + 59), 0, 345, -210}), rapid.IntRange(-1439, 1439)).Draw(t, "offset")
	sign := "+"
	if off < 0 || (off == 0 && rapid.Bool().Draw(t, "minus zero")) {
		sign = "-"
	}
	if off < 0 {
		off = -off
	}
	return fmt.Sprintf("%s%s%02d:%02d", s, sign, off/60, off%60)
}

// drawDecimalText draws a decimal cell: near the limits of int64 and of
// int64 hundredths, 2^61, of 18 and 19 digits (the reader's fast path ends
// at 18), with a sign, a fraction, an exponent up to ±990.
func drawDecimalText(t *rapid.T) string {
	return rapid.OneOf(
		rapid.SampledFrom([]string{"9223372036854775807", "-9223372036854775808", "92233720368547758.07", "-92233720368547758.08",
			"92233720368547758.08", "2305843009213693952", "-2305843009213693952.00", "999999999999999999", "9999999999999999999",
			"0.999999999999999999", "+0", "-0", "-0.00", "1e990", "-1E-990", "1.5e-988", "+12.50e+3", "0e5"}),
		rapid.StringMatching(`[+-]?[0-9]{1,20}(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,2})?`),
	).Draw(t, "v")
}
