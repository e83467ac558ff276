package xlsx

import (
	"fmt"
	"io"
	"sort"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/internal/report"
	"github.com/xuri/excelize/v2"
)

// Write writes the report as an .xlsx workbook. The plan is the one the
// report was evaluated from: it gives the indicators' currencies and the
// periods' labels. A nil plan or report is an error; a report without
// values (Report.Values nil) has none to write.
func Write(w io.Writer, plan *goalkit.Plan, rep *goalkit.Report) error {
	rep, err := report.Usable(plan, rep)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	f := excelize.NewFile()
	defer f.Close()
	b := &book{f: f, plan: plan, styles: map[style]int{}, names: map[string]bool{}}
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
}

// no is false, for the options excelize takes as *bool.
var no = false
