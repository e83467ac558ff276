package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"strings"
	"sync"
	"unicode"

	"codeberg.org/go-fonts/dejavu/dejavusans"
	"codeberg.org/go-fonts/dejavu/dejavusansbold"
	"codeberg.org/go-pdf/fpdf"
	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/export/internal/report"
	"github.com/golang/freetype/truetype"
)

// family is the name the documents give DejaVu Sans.
const family = "dejavu"

// Sizes of text, in points, and the height of a line of a table, in mm.
const (
	titleSize   = 16
	headingSize = 12
	textSize    = 9
	footSize    = 7
	lineHeight  = 5.5
)

// pagesAlias stands for the number of pages in the feet until the document
// is done, when fpdf replaces it on every page. It holds control
// characters, which clean turns into spaces in every text from outside, so
// that no name can hold it (fpdf's usual "{nb}" made "Anna {nb}" print as
// "Anna 3").
const pagesAlias = "\x01nb\x01"

// document is a PDF being written: A4 portrait, in millimetres.
type document struct {
	config
	pdf    *fpdf.Fpdf
	plan   *goalkit.Plan
	rep    *goalkit.Report
	images int
	// registered are the charts registered, by their PNG data; widths,
	// the widths in pixels of their images.
	registered map[string]registered
	widths     map[int]bool
}

// begin checks the plan and report a document of a period is written
// from, and returns them with the options as a document not yet begun
// (newDocument), with the label of the period (document.label): the
// start of Person and Department.
func begin(plan *goalkit.Plan, rep *goalkit.Report, period string, opts []Option) (*document, string, error) {
	rep, err := report.Usable(plan, rep)
	if err != nil {
		return nil, "", fmt.Errorf("pdf: %w", err)
	}
	d := &document{config: configOf(opts), plan: plan, rep: rep}
	label, err := d.label(period)
	return d, label, err
}

// newDocument starts a document with a title, its foot on every page.
func newDocument(plan *goalkit.Plan, rep *goalkit.Report, cfg config, title string) *document {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(true)
	p.SetCatalogSort(true)
	p.SetCreationDate(rep.AsOf)
	p.SetModificationDate(rep.AsOf)
	title = clean(title)
	p.SetTitle(title, true)
	p.SetCreator("goalkit", true)
	p.AddUTF8FontFromBytes(family, "", dejavusans.TTF)
	p.AddUTF8FontFromBytes(family, "B", dejavusansbold.TTF)
	p.SetMargins(15, 15, 15)
	p.SetAutoPageBreak(true, 18)
	p.SetCellMargin(cellPadding)
	p.AliasNbPages(pagesAlias)
	d := &document{config: cfg, pdf: p, plan: plan, rep: rep}
	foot := clean(fmt.Sprintf("as of %s · time zone %s", format.Instant(rep.AsOf, plan.Calendar().Location()), rep.Timezone))
	p.SetFooterFunc(func() {
		p.SetY(-13)
		p.SetFont(family, "", footSize)
		p.SetTextColor(90, 90, 90)
		p.CellFormat(0, 4, foot, "T", 0, "L", false, 0, "")
		p.SetX(15)
		p.CellFormat(0, 4, fmt.Sprintf("page %d of %s", p.PageNo(), pagesAlias), "", 0, "R", false, 0, "")
		p.SetTextColor(0, 0, 0)
	})
	p.AddPage()
	p.SetFont(family, "B", titleSize)
	d.paragraph(title, 8)
	p.Ln(2)
	return d
}

// width is the width of the page between the margins.
func (d *document) width() float64 {
	w, _ := d.pdf.GetPageSize()
	l, _, r, _ := d.pdf.GetMargins()
	return w - l - r
}

// room is the height left on the page above the bottom margin.
func (d *document) room() float64 {
	_, h := d.pdf.GetPageSize()
	_, _, _, b := d.pdf.GetMargins()
	return h - b - d.pdf.GetY()
}

// heading writes a section's heading, on a new page when less than need
// millimetres (the heading and what must follow it) are left.
func (d *document) heading(text string, need float64) {
	if d.room() < need+12 {
		d.pdf.AddPage()
	} else {
		d.pdf.Ln(3)
	}
	d.pdf.SetFont(family, "B", headingSize)
	d.paragraph(clean(text), 7)
	d.pdf.Ln(1)
}

// text writes a paragraph.
func (d *document) text(s string) {
	d.pdf.SetFont(family, "", textSize)
	d.paragraph(clean(s), 4.5)
}

// paragraph writes text across the page in the current font, lineHeight
// millimetres a line. As the bidirectional algorithm orders a paragraph
// line by line, the text is broken into lines first and each line is then
// put in the order it is drawn (format.Visual): the first line of a
// right-to-left paragraph holds its first words, not its last.
func (d *document) paragraph(text string, lineHeight float64) {
	lines := breakLines(text, d.width()-2*cellPadding, d.textWidth)
	for _, line := range format.VisualLines(lines) {
		d.pdf.MultiCell(0, lineHeight, line, "", "L", false)
	}
}

// breakLines breaks text into lines no wider than room as width measures
// them: at spaces (not at no-break spaces, which join what they stand
// between), a word wider than a line where it reaches the edge. Spaces in
// a line are kept as they are; the space a line ends at is left out.
func breakLines(text string, room float64, width func(string) float64) []string {
	var lines []string
	line, started := "", false
	for _, word := range strings.Split(text, " ") {
		switch {
		case !started:
			line, started = word, true
		case width(line+" "+word) <= room:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
		// A word wider than the page is broken where it reaches the
		// edge.
		for r := []rune(line); len(r) > 1 && width(line) > room; r = []rune(line) {
			n := len(r) - 1
			for n > 1 && width(string(r[:n])) > room {
				n--
			}
			lines = append(lines, string(r[:n]))
			line = string(r[n:])
		}
	}
	return append(lines, line)
}

// textWidth is the width of text in the current font, as it is drawn: the
// marks of isolates (format.Isolate) are not.
func (d *document) textWidth(s string) float64 {
	return d.pdf.GetStringWidth(format.Unmarked(s))
}

// image draws a chart, width by height millimetres, on a new page when it
// does not fit on this one.
func (d *document) image(png []byte, width, height float64) {
	if d.room() < height {
		d.pdf.AddPage()
	}
	l, _, _, _ := d.pdf.GetMargins()
	y := d.pdf.GetY()
	d.place(png, l, y, width, height)
	d.pdf.SetY(y + height + 2)
}

// place draws a PNG image at x, y, width by height millimetres.
//
// fpdf writes a document's images in the order of their widths in pixels,
// and those of the same width in the order of a map: two charts of the same
// width swapped their objects from run to run, and the same report gave
// different bytes. So a chart whose width another one has already taken
// is widened by columns of its own right edge, as few as make its width
// the document's only one, and drawn wider by as much, clipped to its own
// width by height: what prints is the same, and the order fixed. The same
// chart twice is one image.
func (d *document) place(png []byte, x, y, width, height float64) {
	name, scale := d.register(png)
	if scale == 1 {
		d.pdf.ImageOptions(name, x, y, width, height, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		return
	}
	d.pdf.ClipRect(x, y, width, height, false)
	d.pdf.ImageOptions(name, x, y, width*scale, height, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	d.pdf.ClipEnd()
}

// register registers a chart under a name of its own (the name of the same
// chart registered before), of a width in pixels no other image of the
// document has; scale is its width over the chart's.
func (d *document) register(data []byte) (name string, scale float64) {
	key := string(data)
	if r, ok := d.registered[key]; ok {
		return r.name, r.scale
	}
	if d.registered == nil {
		d.registered = map[string]registered{}
		d.widths = map[int]bool{}
	}
	scale = 1
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		d.pdf.SetError(fmt.Errorf("a chart: %w", err))
		return "", 1
	}
	if d.widths[cfg.Width] {
		wide := cfg.Width + 1
		for d.widths[wide] {
			wide++
		}
		if data, err = widen(data, wide); err != nil {
			d.pdf.SetError(fmt.Errorf("a chart: %w", err))
			return "", 1
		}
		scale = float64(wide) / float64(cfg.Width)
		cfg.Width = wide
	}
	d.widths[cfg.Width] = true
	d.images++
	name = fmt.Sprintf("chart%d", d.images)
	d.pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(data))
	d.registered[key] = registered{name, scale}
	return name, scale
}

// registered is a chart's image: its name and its width over the chart's.
type registered struct {
	name  string
	scale float64
}

// widen is a PNG image widened to width pixels by copies of its last
// column.
func widen(data []byte, width int) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, width, b.Dy()))
	draw.Draw(out, image.Rect(0, 0, b.Dx(), b.Dy()), img, b.Min, draw.Src)
	for y := range b.Dy() {
		edge := out.NRGBAAt(b.Dx()-1, y)
		for x := b.Dx(); x < width; x++ {
			out.SetNRGBA(x, y, edge)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// chartPixels is how many pixels a chart has per printed millimetre (127
// dots per inch): the charts' 12-pixel text prints at about 7 points.
const chartPixels = 5

// chartOptions are the options of a chart printed width by height
// millimetres, its participants named as the document names them.
func (d *document) chartOptions(title string, width, height float64) chart.Options {
	return chart.Options{Format: chart.PNG, Title: title, Width: int(width * chartPixels), Height: int(height * chartPixels), Namer: d.Name}
}

// finish writes the document to w.
func (d *document) finish(w io.Writer) error {
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// clean makes text from outside printable: control characters become
// spaces, so that a name cannot break a line of a table, and characters
// DejaVu Sans (regular or bold) has no glyph for become U+FFFD (�), which
// it has: fpdf cannot set them (it fails on characters outside the Basic
// Multilingual Plane, emoji among them).
func clean(s string) string {
	fonts := glyphs()
	return strings.Map(func(r rune) rune {
		switch {
		case r < ' ' || r == 0x7f:
			return ' '
		case format.IsMark(r):
			return r // format.Visual lays the isolate out and leaves its marks out
		case r > 0xffff:
			return unicode.ReplacementChar
		}
		for _, f := range fonts {
			if f != nil && f.Index(r) == 0 {
				return unicode.ReplacementChar
			}
		}
		return r
	}, s)
}

// glyphs are DejaVu Sans and DejaVu Sans Bold, parsed once, to look their
// glyphs up.
var glyphs = sync.OnceValue(func() []*truetype.Font {
	var fonts []*truetype.Font
	for _, ttf := range [][]byte{dejavusans.TTF, dejavusansbold.TTF} {
		f, err := truetype.Parse(ttf)
		if err != nil {
			f = nil // the fonts are embedded: this does not happen
		}
		fonts = append(fonts, f)
	}
	return fonts
})

// imagesSideBySide draws two charts of width by height millimetres beside
// each other, on a new page when they do not fit on this one.
func (d *document) imagesSideBySide(left, right []byte, width, height float64) {
	if d.room() < height {
		d.pdf.AddPage()
	}
	l, _, _, _ := d.pdf.GetMargins()
	y := d.pdf.GetY()
	d.place(left, l, y, width, height)
	d.place(right, l+d.width()-width, y, width, height)
	d.pdf.SetY(y + height + 2)
}
