package mapping

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/isodate/isodatetest"
	"github.com/shopspring/decimal"
)

// show writes a parsed cell as the test tables expect it.
func show(typ ColumnType, c cell) string {
	if !c.ok {
		return "absent"
	}
	switch typ {
	case String:
		return fmt.Sprintf("%q", c.s)
	case Int:
		return fmt.Sprint(c.i)
	case Decimal:
		return c.d.String() + fmt.Sprintf(" e%d", c.d.Exponent())
	case Bool:
		return fmt.Sprint(c.i == 1)
	case Date:
		return c.s + " " + c.t.Format(time.RFC3339)
	}
	return c.t.Format(time.RFC3339Nano)
}

func testCells(t *testing.T) *cells {
	berlin := mustZone(t, "Europe/Berlin")
	return newCells([]column{
		{header: "s", typ: String}, {header: "i", typ: Int}, {header: "d", typ: Decimal}, {header: "b", typ: Bool},
		{header: "day", typ: Date, loc: berlin, tod: 9 * 3600},
		{header: "at", typ: Time},
		{header: "wall", typ: Time, loc: berlin, ownZone: true},
	})
}

// readCell reads a cell of column col of testCells with read (a text or a
// database value) and returns its message, or the cell shown.
func readCell(t *testing.T, col int, read func(*cells, *cell) string) string {
	p := testCells(t)
	var c cell
	if msg := read(p, &c); msg != "" {
		return msg
	}
	return show(p.cols[col].typ, c)
}

func TestCellText(t *testing.T) {
	for _, tc := range []struct {
		col  int
		in   string
		want string // the value, or the message
	}{
		{0, "", "absent"},
		{0, " a,b ", `" a,b "`},
		{0, "\xff", "is not valid UTF-8"},
		{1, "42", "42"},
		{1, "-007", "-7"},
		{1, "+3", "3"},
		{1, "4.0", `not an int "4.0"`},
		{1, "1_000", `not an int "1_000"`},
		{1, " 4", `not an int " 4"`},
		{1, "9223372036854775808", `an int out of range "9223372036854775808"`},
		{2, "1054", "1054 e0"},
		{2, "-0.50", "-0.5 e-2"},
		{2, "+1.5e3", "1500 e2"},
		{2, "12345678901234567890.5", "12345678901234567890.5 e-1"},
		{2, "1,5", `not a decimal "1,5"`},
		{2, ".5", `not a decimal ".5"`},
		{2, "5.", `not a decimal "5."`},
		{2, "1e", `not a decimal "1e"`},
		{2, "NaN", `not a decimal "NaN"`},
		{2, "1e1001", `a decimal out of range "1e1001"`},
		{2, strings.Repeat("1", 100) + ".0", `a decimal of more than 100 characters "1111111111111111111111111111111111111111111111111111111111111111…"`},
		{3, "true", "true"},
		{3, "false", "false"},
		{3, "TRUE", `not a bool (true or false) "TRUE"`},
		{3, "1", `not a bool (true or false) "1"`},
		{4, "2017-03-01", "2017-03-01 2017-03-01T09:00:00+01:00"},
		{4, "2024-02-29", "2024-02-29 2024-02-29T09:00:00+01:00"},
		{4, "2017-13-01", `not a date "2017-13-01": months are 01 to 12`},
		{4, "2017-02-30", `not a date "2017-02-30": February 2017 has 28 days`},
		{4, "2023-02-29", `not a date "2023-02-29": February 2023 has 28 days`},
		{4, "2017-3-1", `not a date "2017-3-1"`},
		{4, "0000-01-01", `not a date "0000-01-01"`},
		{4, "2017-03-01T00:00:00Z", `not a date "2017-03-01T00:00:00Z"`},
		{5, "2025-03-20T17:40:12+03:00", "2025-03-20T17:40:12+03:00"},
		{5, "2025-03-20 17:40:12.5Z", "2025-03-20T17:40:12.5Z"},
		{5, "2025-03-20T17:40:12.123456789-05:30", "2025-03-20T17:40:12.123456789-05:30"},
		{5, "2025-03-20T17:40:12", `not a time with an offset "2025-03-20T17:40:12": set the column's zone (or the mapping's timezone) to read wall-clock times`},
		{5, "2025-03-20T17:40:12.1234567891Z", `not a time "2025-03-20T17:40:12.1234567891Z"`},
		{5, "2025-03-20T24:00:00Z", `not a time "2025-03-20T24:00:00Z"`},
		{5, "2025-03-20T17:40:60Z", `not a time "2025-03-20T17:40:60Z"`},
		{5, "2025-03-20T17:40:12+24:00", `not a time "2025-03-20T17:40:12+24:00"`},
		{5, "2025-03-20T17:40:12.Z", `not a time "2025-03-20T17:40:12.Z"`},
		{5, "2025-02-30T17:40:12Z", `not a time "2025-02-30T17:40:12Z": February 2025 has 28 days`},
		{5, "2025-03-20t17:40:12Z", `not a time "2025-03-20t17:40:12Z"`},
		{6, "2025-03-30 02:30:00", "2025-03-30T03:30:00+02:00"},
		{6, "2025-10-26T02:30:00.25", "2025-10-26T02:30:00.25+02:00"},
		{6, "2025-03-20T17:40:12Z", "2025-03-20T17:40:12Z"},
	} {
		t.Run(fmt.Sprintf("%d %s", tc.col, tc.in), func(t *testing.T) {
			got := readCell(t, tc.col, func(p *cells, c *cell) string { return p.text(tc.col, tc.in, c) })
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// A date or time cell of a day that does not exist says why, in the words
// of every other reader of a date (internal/isodate): "not a date" alone
// left an analyst to find what was wrong with 2025-04-31.
func TestCellImpossibleDates(t *testing.T) {
	for _, tc := range isodatetest.Impossible {
		p := testCells(t)
		var c cell
		if got, want := p.text(4, tc.In, &c), `not a date "`+tc.In+`": `+tc.Why; got != want {
			t.Errorf("date %s: got %s, want %s", tc.In, got, want)
		}
		at := tc.In + "T10:00:00Z"
		if got, want := p.text(5, at, &c), `not a time "`+at+`": `+tc.Why; got != want {
			t.Errorf("time %s: got %s, want %s", at, got, want)
		}
	}
}

func TestCellValue(t *testing.T) {
	utc := func(y int, m time.Month, d, h, mi int) time.Time { return time.Date(y, m, d, h, mi, 0, 0, time.UTC) }
	for _, tc := range []struct {
		col  int
		in   any
		want string
	}{
		{0, nil, "absent"},
		{0, "a", `"a"`},
		{0, []byte("b"), `"b"`},
		{0, []byte{}, "absent"},
		{0, int64(-12), `"-12"`},
		{0, true, `not a string: the bool true`},
		{0, 1.5, `the floating-point value 1.5 is not exact: select the column as text (CAST(s AS TEXT)) or as an integer`},
		{0, utc(2025, 1, 1, 0, 0), `not a string: the time "2025-01-01T00:00:00Z"`},
		{1, int64(7), "7"},
		{1, "8", "8"},
		{1, 7.0, `the floating-point value 7 is not exact: select the column as text (CAST(i AS TEXT)) or as an integer`},
		{2, int64(7), "7 e0"},
		{2, []byte("7.25"), "7.25 e-2"},
		{3, true, "true"},
		{3, int64(0), "false"},
		{3, int64(2), "not a bool (0 or 1) 2"},
		{3, "false", "false"},
		{4, utc(2017, 3, 1, 0, 0), "2017-03-01 2017-03-01T09:00:00+01:00"},
		{4, time.Date(2017, 3, 1, 0, 0, 0, 0, mustZone(t, "Asia/Tokyo")), "2017-03-01 2017-03-01T09:00:00+01:00"},
		{4, utc(2017, 3, 1, 0, 1), `not a date: the time "2017-03-01T00:01:00Z" has a time of day`},
		{4, int64(20170301), "not a date: the integer 20170301"},
		{4, "2017-03-01", "2017-03-01 2017-03-01T09:00:00+01:00"},
		{5, utc(2025, 3, 30, 1, 30), "2025-03-30T01:30:00Z"},
		{6, utc(2025, 3, 30, 2, 30), "2025-03-30T03:30:00+02:00"}, // a wall clock in the column's zone
		// A time the driver gives at an offset of its own (PostgreSQL's
		// timestamptz, a SQLite text with an offset) is that instant, as
		// the same text is, whatever the column's zone.
		{6, time.Date(2025, 3, 20, 17, 40, 12, 0, time.FixedZone("", 3*3600)), "2025-03-20T17:40:12+03:00"},
		{6, time.Date(2025, 3, 20, 17, 40, 12, 0, mustZone(t, "Asia/Tokyo")), "2025-03-20T17:40:12+09:00"},
		{6, struct{}{}, "unsupported value of type struct {}"},
	} {
		t.Run(fmt.Sprintf("%d %v", tc.col, tc.in), func(t *testing.T) {
			got := readCell(t, tc.col, func(p *cells, c *cell) string { return p.value(tc.col, tc.in, c) })
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// A time in the machine's zone, as pgx gives a timestamptz, is the same
// instant in a column with a zone of its own: the machine's zone changes
// nothing.
func TestCellValueLocal(t *testing.T) {
	p := testCells(t)
	in := time.Date(2025, 3, 20, 17, 40, 12, 0, time.Local)
	var c cell
	if msg := p.value(6, in, &c); msg != "" || !c.t.Equal(in) {
		t.Errorf("got %s (%s), want the instant %s", c.t.Format(time.RFC3339Nano), msg, in.Format(time.RFC3339Nano))
	}
}

// The fast path of parseDecimal gives what decimal.NewFromString gives,
// exponent included.
func TestParseDecimalFastPath(t *testing.T) {
	for _, s := range []string{"0", "-0", "1.50", "-123456789012345678", "123456789.123456789", "0.000001", "+7"} {
		got, bad := parseDecimal(s)
		want, err := decimal.NewFromString(s)
		if bad != "" || err != nil || !got.Equal(want) || got.Exponent() != want.Exponent() {
			t.Errorf("%s: got %v e%d (%s), want %v e%d (%v)", s, got, got.Exponent(), bad, want, want.Exponent(), err)
		}
	}
}
