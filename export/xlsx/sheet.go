package xlsx

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// style is the look of a cell: its number format ("" is General) and
// whether it is bold.
type style struct {
	numFmt string
	bold   bool
}

// styleID returns the workbook's style for s, adding it the first time.
func (b *book) styleID(s style) (int, error) {
	if id, ok := b.styles[s]; ok {
		return id, nil
	}
	st := &excelize.Style{}
	if s.numFmt != "" {
		st.CustomNumFmt = &s.numFmt
	}
	if s.bold {
		st.Font = &excelize.Font{Bold: true}
	}
	id, err := b.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	b.styles[s] = id
	return id, nil
}

// percent is the format of a number that is a percent already (a
// scorecard's achievement: 56.83 for 56.83 %); it is written as the ratio
// it stands for, so that the cell computes as a percent does.
var percent = format.Number{Places: 2, Ratio: true}

// numberFormat is the Excel number format of a format: money with the
// places of its currency's minor unit and its symbol, ratios as percents
// with their places, other numbers General.
func numberFormat(n format.Number) string {
	switch {
	case n.Ratio:
		return "0" + places(n.Places) + "%"
	case n.Fixed():
		return "#,##0" + places(n.Places) + ` "` + format.Symbol(n.Currency) + `"`
	case n.Currency != "":
		return `General" ` + format.Symbol(n.Currency) + `"`
	}
	return ""
}

// places is the decimal part of a number format with n places: ".00".
func places(n int32) string {
	if n <= 0 {
		return ""
	}
	return "." + strings.Repeat("0", int(n))
}

// sheet is a sheet being written, row by row; the first error is kept and
// returned by finish.
type sheet struct {
	b      *book
	name   string
	row    int
	widths map[int]int
	err    error
}

// sheet starts a section's sheet named from want (see sheetName); the
// first one takes the place of the new workbook's empty sheet.
func (b *book) sheet(want string) (*sheet, error) { return b.newSheet(want, false) }

// goalSheet starts a goal's sheet named from want (see sheetName).
func (b *book) goalSheet(want string) (*sheet, error) { return b.newSheet(want, true) }

func (b *book) newSheet(want string, goal bool) (*sheet, error) {
	name := b.sheetName(want, goal)
	if !b.first {
		b.first = true
		if err := b.f.SetSheetName(b.f.GetSheetName(0), name); err != nil {
			return nil, err
		}
	} else if _, err := b.f.NewSheet(name); err != nil {
		return nil, err
	}
	return &sheet{b: b, name: name, widths: map[int]int{}}, nil
}

// cell is the name of a cell of the current row.
func (s *sheet) cell(col int) string { return colName(col) + fmt.Sprint(s.row) }

func (s *sheet) check(err error) {
	if s.err == nil && err != nil {
		s.err = fmt.Errorf("sheet %s, %s: %w", s.name, s.cell(1), err)
	}
}

// next moves to the next row.
func (s *sheet) next() { s.row++ }

// header writes a bold row of titles; the header of the sheet's first row
// is frozen, so it stays in sight while the rows scroll.
func (s *sheet) header(titles ...string) {
	s.next()
	id, err := s.b.styleID(style{bold: true})
	s.check(err)
	for i, t := range titles {
		s.text(i+1, t)
		s.check(s.b.f.SetCellStyle(s.name, s.cell(i+1), s.cell(i+1), id))
	}
	if s.row == 1 {
		s.check(s.b.f.SetPanes(s.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
	}
}

// text writes a text cell (textCell).
func (s *sheet) text(col int, v string) {
	v = textCell(v)
	s.width(col, v)
	s.check(s.b.f.SetCellStr(s.name, s.cell(col), v))
}

// textCell is v as a text cell holds it: through the formula guard, cut to
// what a cell holds (cellText).
func textCell(v string) string { return cellText(format.Guard(v)) }

// cellText is v as a cell holds it: a text longer than a cell's 32 767
// characters (UTF-16 units) is cut to its start and "…", so that a reader
// sees it cut. Excel refuses a longer cell, and the workbook library cut it
// without a mark: a participant's id or a warning of 40 000 characters
// read as if whole.
func cellText(v string) string {
	if len(v) <= excelize.TotalCellChars {
		return v // no more UTF-16 units than bytes
	}
	n := 0
	for i, r := range v {
		if n += utf16.RuneLen(r); n > excelize.TotalCellChars {
			// Room for "…" (one unit): the runes before this one, less
			// one unit or two.
			cut := v[:i]
			for m := n - utf16.RuneLen(r); m > excelize.TotalCellChars-1; {
				last, size := utf8.DecodeLastRuneInString(cut)
				m -= utf16.RuneLen(last)
				cut = cut[:len(cut)-size]
			}
			return cut + "…"
		}
	}
	return v
}

// integer writes a whole number; 0 is left blank when blank0 (a rank of
// 0 is no rank).
func (s *sheet) integer(col, v int, blank0 bool) {
	if v == 0 && blank0 {
		return
	}
	s.width(col, fmt.Sprint(v))
	s.check(s.b.f.SetCellInt(s.name, s.cell(col), int64(v)))
}

// flag writes a yes/no cell as Excel's TRUE or FALSE.
func (s *sheet) flag(col int, v bool) {
	s.width(col, "FALSE")
	s.check(s.b.f.SetCellBool(s.name, s.cell(col), v))
}

// num writes a number in its format; an undefined one is left blank. A
// number whose cell's double does not give it back (a percent's: the
// ratio it stands for) gets a note with its exact value (see package doc);
// one beyond a double's range is its exact decimal as text.
func (s *sheet) num(col int, v decimal.NullDecimal, n format.Number) {
	if !v.Valid {
		return
	}
	if !format.Finite(v.Decimal) {
		// No number cell holds it: its exact decimal, as text.
		s.width(col, v.Decimal.String())
		s.check(s.b.f.SetCellStr(s.name, s.cell(col), v.Decimal.String()))
		return
	}
	s.number(col, v.Decimal, n)
	if !format.RoundTrips(stored(v.Decimal, n)) {
		s.check(s.b.f.AddComment(s.name, excelize.Comment{
			Cell:      s.cell(col),
			Author:    "goalkit",
			Paragraph: []excelize.RichTextRun{{Text: "exact: " + v.Decimal.String()}},
		}))
	}
}

// dec writes a defined number (see num).
func (s *sheet) dec(col int, d decimal.Decimal, n format.Number) {
	s.num(col, decimal.NewNullDecimal(d), n)
}

// number writes d as a number cell in the format n.
func (s *sheet) number(col int, d decimal.Decimal, n format.Number) {
	f, _ := stored(d, n).Float64()
	s.width(col, n.Text(decimal.NewNullDecimal(d)))
	s.check(s.b.f.SetCellFloat(s.name, s.cell(col), f, -1, 64))
	if nf := numberFormat(n); nf != "" {
		id, err := s.b.styleID(style{numFmt: nf})
		s.check(err)
		s.check(s.b.f.SetCellStyle(s.name, s.cell(col), s.cell(col), id))
	}
}

// stored is the number a cell of the format n holds for d: d, or for a
// percent the ratio it stands for (56.83 is 0.5683).
func stored(d decimal.Decimal, n format.Number) decimal.Decimal {
	if n == percent {
		return d.Shift(-2)
	}
	return d
}

// dateFormat is the number format of a date cell: the ISO date the
// report's text writes.
const dateFormat = "yyyy-mm-dd"

// excelEpoch is day 0 of Excel's 1900 date system, as its serial numbers
// count from 1900-03-01 on (Excel takes 1900 for a leap year).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// dateSerial is the serial number of Excel's 1900 date system of the day
// of midnight (UTC); ok is false for a day that Excel shows wrongly or not
// at all: before 1900-03-01 or after 9999-12-31.
func dateSerial(midnight time.Time) (serial int64, ok bool) {
	if midnight.Before(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)) || midnight.Year() > 9999 {
		return 0, false
	}
	return (midnight.Unix() - excelEpoch.Unix()) / (24 * 60 * 60), true
}

// date writes a day (its midnight, UTC) as a date cell: its serial number
// in the format dateFormat, so that it sorts and filters as a date; a day
// Excel cannot show (dateSerial) is written as text.
func (s *sheet) date(col int, midnight time.Time) {
	text := midnight.Format(time.DateOnly)
	serial, ok := dateSerial(midnight)
	if !ok {
		s.text(col, text)
		return
	}
	s.width(col, text)
	s.check(s.b.f.SetCellInt(s.name, s.cell(col), serial))
	id, err := s.b.styleID(style{numFmt: dateFormat})
	s.check(err)
	s.check(s.b.f.SetCellStyle(s.name, s.cell(col), s.cell(col), id))
}

// width notes what a column holds, for its width.
func (s *sheet) width(col int, v string) {
	s.widths[col] = max(s.widths[col], utf8.RuneCountInString(v))
}

// finish sets the columns' widths to their contents (columnWidth) and
// returns the first error of the sheet.
func (s *sheet) finish() error {
	for col, w := range s.widths {
		s.check(s.b.f.SetColWidth(s.name, colName(col), colName(col), columnWidth(w)))
	}
	return s.err
}

// columnWidth is the width of a column whose widest cell has n characters:
// two more, at least 8 and at most 60.
func columnWidth(n int) float64 { return float64(min(max(n+2, 8), 60)) }
