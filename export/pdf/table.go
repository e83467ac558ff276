package pdf

import (
	"sort"
	"strings"

	"github.com/goalkit/goalkit/export/internal/format"
)

// table is a table being laid out: a header and rows of cells, the first
// column left-aligned, the others (numbers) right-aligned unless said.
type table struct {
	header []string
	rows   [][]string
	// left marks columns other than the first that are left-aligned.
	left map[int]bool
	// bold marks rows written in bold (a total).
	bold map[int]bool
}

func newTable(header ...string) *table {
	for i := range header {
		header[i] = clean(header[i])
	}
	return &table{header: header, left: map[int]bool{}, bold: map[int]bool{}}
}

func (t *table) add(cells ...string) {
	for i := range cells {
		cells[i] = clean(cells[i])
	}
	t.rows = append(t.rows, cells)
}

// The sizes of a table's text: it starts at textSize and gets smaller, down
// to minTableSize, until it fits the page's width; a table that does not
// fit even then is written in groups of columns, each with the first
// column again.
const (
	minTableSize = 7
	cellPadding  = 1.2
	headerLine   = 4
)

// draw writes the table (see the sizes above). Headers wrap at spaces, so a
// long title does not widen its column beyond its numbers; a single word or
// cell wider than the page is cut with "…" as a last resort. The header is
// repeated on every page the table runs over.
func (d *document) table(t *table) {
	size := float64(textSize)
	widths := d.columnWidths(t, size)
	for sum(widths) > d.width() && size > minTableSize {
		size -= 0.5
		widths = d.columnWidths(t, size)
	}
	for _, cols := range groups(widths, d.width()) {
		d.tablePart(t, cols, widths, size)
	}
}

// groups splits the columns after the first into groups that fit width
// beside the first column; all of them when they fit together.
func groups(widths []float64, width float64) [][]int {
	var out [][]int
	cols := []int{0}
	used := widths[0]
	for i := 1; i < len(widths); i++ {
		if used+widths[i] > width && len(cols) > 1 {
			out = append(out, cols)
			cols, used = []int{0}, widths[0]
		}
		cols = append(cols, i)
		used += widths[i]
	}
	return append(out, cols)
}

// tablePart writes the columns cols of a table, each of its width (cut to
// the page's width when wider).
func (d *document) tablePart(t *table, cols []int, all []float64, size float64) {
	p := d.pdf
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = all[c]
	}
	if over := sum(widths) - d.width(); over > 0 {
		widest := 0
		for i := range widths {
			if widths[i] > widths[widest] {
				widest = i
			}
		}
		widths[widest] = max(widths[widest]-over, 10)
	}
	p.SetFont(family, "B", size)
	titles := make([][]string, len(cols))
	lines := 1
	for i, c := range cols {
		titles[i] = d.wrap(t.header[c], widths[i]-2*cellPadding)
		lines = max(lines, len(titles[i]))
	}
	headerHeight := float64(lines)*headerLine + 1.5
	header := func() {
		p.SetFont(family, "B", size)
		p.SetFillColor(230, 234, 242)
		l, _, _, _ := p.GetMargins()
		x, y := l, p.GetY()
		p.Rect(x, y, sum(widths), headerHeight, "F")
		for i, c := range cols {
			// The lines of a title sit at the bottom of the header.
			top := y + 0.75 + float64(lines-len(titles[i]))*headerLine
			for k, line := range titles[i] {
				p.SetXY(x, top+float64(k)*headerLine)
				p.CellFormat(widths[i], headerLine, d.fit(line, widths[i]), "", 0, d.align(t, c), false, 0, "")
			}
			x += widths[i]
		}
		p.Line(l, y+headerHeight, l+sum(widths), y+headerHeight)
		p.SetXY(l, y+headerHeight)
	}
	if d.room() < headerHeight+2*lineHeight {
		p.AddPage()
	}
	header()
	for r, row := range t.rows {
		if d.room() < lineHeight {
			p.AddPage()
			header()
		}
		style := ""
		if t.bold[r] {
			style = "B"
		}
		p.SetFont(family, style, size)
		for i, c := range cols {
			cell := ""
			if c < len(row) {
				cell = row[c]
			}
			p.CellFormat(widths[i], lineHeight, d.fit(cell, widths[i]), "", 0, d.align(t, c), false, 0, "")
		}
		p.Ln(-1)
	}
	p.Ln(2)
}

// columnWidths is the width of each column at a font size: its widest
// cell's, or its title's widest word's when wider.
func (d *document) columnWidths(t *table, size float64) []float64 {
	p := d.pdf
	widths := make([]float64, len(t.header))
	for i, h := range t.header {
		p.SetFont(family, "B", size)
		for _, word := range strings.Fields(h) {
			widths[i] = max(widths[i], d.textWidth(word))
		}
		for r, row := range t.rows {
			if i >= len(row) {
				continue
			}
			style := ""
			if t.bold[r] {
				style = "B"
			}
			p.SetFont(family, style, size)
			widths[i] = max(widths[i], d.textWidth(row[i]))
		}
		widths[i] += 2*cellPadding + 0.5
	}
	return widths
}

// wrap breaks text at spaces into lines no wider than width, in the
// current font; a longer word keeps a line of its own.
func (d *document) wrap(text string, width float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case d.textWidth(line+" "+word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return append(lines, line)
}

func sum(ws []float64) float64 {
	s := 0.0
	for _, w := range ws {
		s += w
	}
	return s
}

// fit returns s, cut at its end with "…" when it is wider than a cell of
// width w, in the order it is drawn (format.Visual: right-to-left text
// reversed).
func (d *document) fit(s string, w float64) string {
	room := w - 2*cellPadding
	if d.textWidth(s) <= room {
		return format.Visual(s)
	}
	// The longest start of s that fits with "…", found by halving: a
	// start is no narrower than a shorter one. Cutting a rune at a time
	// measured the text once a rune: a name of 40 000 letters took 20
	// seconds to write.
	r := []rune(s)
	n := sort.Search(len(r), func(n int) bool { return d.textWidth(string(r[:n+1])+"…") > room })
	return format.Visual(string(r[:n]) + "…")
}

func (d *document) align(t *table, col int) string {
	if col == 0 || t.left[col] {
		return "L"
	}
	return "R"
}
