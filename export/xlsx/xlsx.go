package xlsx

import (
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/internal/names"
	"github.com/goalkit/goalkit/export/internal/report"
	"github.com/goalkit/goalkit/goal"
	"github.com/xuri/excelize/v2"
)

// Write writes the report as an .xlsx workbook. The plan is the one the
// report was evaluated from: it gives the indicators' currencies and the
// periods' labels. A nil plan or report is an error; a report without
// values (Report.Values nil) has none to write. With WithNames or
// WithNamer, every sheet's table of participants has a column "name" last,
// the participant as named (see the package's documentation).
func Write(w io.Writer, plan *goalkit.Plan, rep *goalkit.Report, opts ...Option) error {
	rep, err := report.Usable(plan, rep)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	f := excelize.NewFile()
	defer f.Close()
	b := &book{f: f, plan: plan, styles: map[style]int{}, names: map[string]bool{},
		named: names.Of(opts)}
	for _, write := range []func(*goalkit.Report) error{
		b.summary, b.goals, b.scorecards, b.bonuses, b.leaderboards, b.cascades, b.values,
	} {
		if err := write(rep); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	f.SetActiveSheet(0)
	// excelize adds the image types of a sheet's drawings (the charts) to
	// [Content_Types].xml from a map, in a new order each run: sorted, the
	// same report writes the same bytes.
	if f.ContentTypes != nil {
		defs := f.ContentTypes.Defaults
		sort.SliceStable(defs, func(i, j int) bool { return defs[i].Extension < defs[j].Extension })
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// book is a workbook being written.
type book struct {
	f      *excelize.File
	plan   *goalkit.Plan
	styles map[style]int
	// names are the sheet names taken, lower-cased (Excel's names ignore case).
	names map[string]bool
	first bool // the first sheet has replaced the default one
	// named names participants (the options), of the kinds the plan says
	// (goalkit.Plan.ValueKind and the others).
	named names.Config
}

// Option changes how a workbook is written; a nil Option changes nothing.
// It is the documents' option type (pdf.Option): pdf.WithNames and
// pdf.WithNamer serve here too.
type Option = names.Option

// WithNames names participants by id, whatever they are, as pdf.WithNames
// does: a unit and a person of one id get the same name (use WithNamer to
// tell them apart). nil names none.
func WithNames(byID map[string]string) Option { return names.With(names.ByID(byID)) }

// WithNamer names participants by the name that name gives for a kind and
// an id, as pdf.WithNamer does: goal.Team for a unit or another group,
// goal.User for a person; false or "" leaves the participant's name its
// id, and everyone ("*") is never asked: it is "Company", as the
// dashboard shows it (its id "*" on the Values sheet). The last of
// WithNames and WithNamer given is the one used; nil names none.
func WithNamer(name func(kind goal.ParticipantKind, id string) (string, bool)) Option {
	return names.With(name)
}

// withName is a table's columns with "name" last when the workbook names
// participants.
func (b *book) withName(columns ...string) []string {
	if b.named.Name == nil {
		return columns
	}
	return append(slices.Clip(columns), "name")
}

// who writes a participant of a kind as named into the column col, the
// table's last, when the workbook names participants: its name, else its
// id as the other columns show it.
func (s *sheet) who(col int, kind goal.ParticipantKind, participant string) {
	if s.b.named.Name != nil {
		s.text(col, s.b.named.Who(kind, participant))
	}
}

// no is false, for the options excelize takes as *bool.
var no = false
