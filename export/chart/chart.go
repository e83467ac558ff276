package chart

import (
	"fmt"
	"strings"
	"sync"

	"codeberg.org/go-fonts/dejavu/dejavusans"
	"github.com/go-analyze/charts"
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/export/internal/names"
	"github.com/goalkit/goalkit/goal"
	"github.com/golang/freetype/truetype"
)

// Format is an image format: SVG or PNG.
type Format string

// The formats a chart is drawn in.
const (
	SVG Format = "svg"
	PNG Format = "png"
)

// Options say how a chart is drawn.
type Options struct {
	// Format is the image's format; zero is PNG.
	Format Format
	// Width and Height are the image's size in pixels; zero is 800 × 400.
	// A negative size, or one above 8192, is refused with an error.
	Width, Height int
	// Title is written above the chart; empty leaves the space to the chart.
	// One too long for a line is broken at spaces into lines that end
	// before the legend.
	// A name in it between U+2068 and U+2069 (FIRST STRONG ISOLATE, POP
	// DIRECTIONAL ISOLATE: Isolate) is isolated from the text around it,
	// as <bdi> isolates it in a page: a right-to-left goal name keeps the
	// period after it in its place ("NAME, 2025-03"). A PNG lays it out
	// and leaves the marks out; an SVG keeps them for its viewer where the
	// title has right-to-left text, and leaves them out where it has none.
	Title string
	// Words name the series in the legend, in the reader's language.
	Words Words
	// Names are the names to show for participants, by id (a directory's
	// units' names), whatever the participant is: a unit and a person of
	// one id get the same name. A participant without one is shown by its
	// id.
	Names map[string]string
	// Namer, when set, names participants instead of Names: the name for
	// a kind (goal.Team for a unit or another group, goal.User for a
	// person) and an id, so that a unit and a person of one id (Bitrix24's
	// department 1 and user 1) each have their own, as dashboard.Namer
	// gives them. false or "" shows the id; everyone ("*") is never asked:
	// it is "Company", as the dashboard shows it.
	Namer func(kind goal.ParticipantKind, id string) (string, bool)
	// Level is the level of a leaderboard's definition: its standings are
	// units (goal.Team) for score.LevelDepartments, people (goal.User)
	// otherwise, as "people", the default, says.
	Level string
}

// who is how a chart names a participant of a kind: its name from Namer,
// else from Names, else its id.
func (o Options) who(kind goal.ParticipantKind, participant string) string {
	if o.Namer != nil {
		return names.Config{Name: o.Namer}.Who(kind, participant)
	}
	return format.Named(o.Names, participant)
}

// Words are the names of a chart's series in its legend. An empty one is
// the English word: "plan", "actual", "target", "actual per day".
type Words struct {
	Plan, Actual, Target string
	// PerDay names Daily's bars.
	PerDay string
}

// or returns w as the chart sets it, or def where w is empty.
func (o Options) or(w, def string) string {
	if w == "" {
		return def
	}
	return o.text(w)
}

// maxSide is the largest width or height of a chart, in pixels: a PNG of
// 8192 × 8192 takes 256 MiB as it is drawn.
const maxSide = 8192

// DefaultWidth and DefaultHeight are the size of a chart whose options
// give none.
const (
	DefaultWidth  = 800
	DefaultHeight = 400
)

var font = sync.OnceValues(func() (*truetype.Font, error) {
	return truetype.Parse(dejavusans.TTF)
})

// dejavu returns DejaVu Sans, parsed once.
func dejavu() (*truetype.Font, error) {
	f, err := font()
	if err != nil {
		return nil, fmt.Errorf("chart: the DejaVu Sans font: %w", err)
	}
	return f, nil
}

// painter returns a painter for the options, in DejaVu Sans.
func (o Options) painter() (*charts.Painter, error) {
	f, err := dejavu()
	if err != nil {
		return nil, err
	}
	format := charts.ChartOutputPNG
	switch o.Format {
	case SVG:
		format = charts.ChartOutputSVG
	case PNG, "":
	default:
		return nil, fmt.Errorf("chart: format %q is not svg or png", o.Format)
	}
	w, h := o.Width, o.Height
	// A size from outside (a query's parameter) that no chart needs is
	// refused: a PNG of 100 000 × 100 000 pixels took 40 GB and the
	// process with them.
	for _, side := range []struct {
		name string
		n    int
	}{{"width", w}, {"height", h}} {
		if side.n < 0 || side.n > maxSide {
			return nil, fmt.Errorf("chart: %s %d is not 0 (the default) to %d pixels", side.name, side.n, maxSide)
		}
	}
	if w == 0 {
		w = DefaultWidth
	}
	if h == 0 {
		h = DefaultHeight
	}
	return charts.NewPainter(charts.PainterOptions{
		OutputFormat: format,
		Width:        w,
		Height:       h,
		Font:         f,
		Theme:        charts.GetTheme(charts.ThemeLight),
	}), nil
}

// dayLabels is how many of n days an axis labels: one every 120 pixels at
// most, so that labels never overlap.
func (o Options) dayLabels(n int) int {
	w := o.Width
	if w <= 0 {
		w = DefaultWidth
	}
	return max(2, min(n, w/120))
}

// text is text from outside as the chart sets it: its control characters
// made spaces (an SVG cannot hold most of them, and a title is one line)
// and, in a PNG, whose glyphs are drawn one after the other from left to
// right, right-to-left text (Hebrew, Arabic) put in the order it is drawn
// (format.Visual); an SVG's viewer orders it itself.
func (o Options) text(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if o.Format == SVG {
		if !format.Directional(s) {
			return format.Unmarked(s) // nothing for the marks to keep in place
		}
		return s
	}
	return format.Visual(s)
}

// titleSize is the size of a title's type, in points: the chart library's
// default.
const titleSize = 12

// title is the chart's title as the chart sets it (text), broken at spaces
// into lines that fit beside the legend of the names given, in a chart
// drawn by p: a long goal name no longer runs past the image's edge,
// taking the participant and the period after it, nor under the legend.
// A word wider than the room stays whole on its line. A line that breaks
// inside an isolated name closes the isolate, and the next opens it again.
func (o Options) title(p *charts.Painter, legend ...string) (string, error) {
	f, err := dejavu()
	if err != nil {
		return "", err
	}
	style := charts.FontStyle{FontSize: titleSize, Font: f, FontColor: charts.ColorBlack} // a colour: a transparent text measures nothing
	measure := func(s string) int { return p.MeasureText(o.text(s), 0, style).Width() }
	room := p.Width() - 2*titlePad
	if len(legend) > 0 {
		room -= legendGap
		for _, name := range legend {
			room -= measure(name) + legendMark
		}
	}
	var lines []string
	line, open := "", 0
	for _, word := range strings.Split(o.Title, " ") {
		if line != "" && measure(line+" "+word) > room {
			lines = append(lines, line+strings.Repeat(pdi, open))
			line = strings.Repeat(fsi, open)
		} else if line != "" {
			line += " "
		}
		line += word
		open = max(0, open+strings.Count(word, fsi)-strings.Count(word, pdi))
	}
	lines = append(lines, line)
	for i, l := range lines {
		lines[i] = o.text(l)
	}
	return strings.Join(lines, "\n"), nil
}

// The room a title leaves: the chart's padding at either side, and beside
// the legend a gap and, for each name, its mark and the space after it.
const (
	titlePad   = 20
	legendGap  = 10
	legendMark = 55
)

// The marks of an isolate (Isolate).
const (
	fsi = "\u2068"
	pdi = "\u2069"
)

// Isolate returns name between the marks U+2068 and U+2069, which isolate
// it from the text around it in a chart's title (Options.Title), as <bdi>
// isolates it in a page: "Isolate(goal) + ", " + label" keeps the period
// after a right-to-left goal name.
func Isolate(name string) string { return format.Isolate(name) }
