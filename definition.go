package goalkit

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/goalkit/goalkit/internal/planfile"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Definition is everything a plan defines. It is a plain value with json tags
// (the plan file format, YAML or JSON): hosts store and version it.
type Definition struct {
	// Timezone is the IANA zone in which event instants become local dates.
	Timezone string `json:"timezone"`
	// WeekStart is "monday" (ISO, the default) or "sunday".
	WeekStart string `json:"week_start,omitempty"`
	// FiscalYearStart is the month (1–12) the fiscal year starts in; default 1
	// (0 in Go; a plan file leaves the key out, and a 0 written is refused).
	FiscalYearStart int `json:"fiscal_year_start,omitempty" plan:"positive"`
	// Holidays names a built-in working-day calendar ("RU", "DE").
	Holidays string `json:"holidays,omitempty"`
	// Calendar is a working-day calendar file (docs/calendars.md), relative
	// to the directory of the plan file: the alternative to Holidays for
	// any country or company. ReadDefinition and ReadDefinitionFS read it
	// with the plan; Compile reports its problems with their lines.
	Calendar string `json:"calendar,omitempty"`
	// WorkCalendar, set in Go, is the working-day calendar itself (from
	// period.ParseWorkCalendar, period.NewWorkCalendar, a merge…): the
	// alternative to Holidays and Calendar for a host that keeps its
	// calendars itself. It is not part of the plan file.
	WorkCalendar *period.WorkCalendar `json:"-"`
	// Attributes types the event attributes the plan reads.
	Attributes map[string]kpi.AttrType `json:"attributes,omitempty"`
	// Indicators are the measured quantities.
	Indicators []kpi.IndicatorDef `json:"indicators"`
	// BudgetRates are the fixed rates of indicators whose rate policy is
	// "budget", keyed "USD/RUB".
	BudgetRates map[string]decimal.Decimal `json:"budget_rates,omitempty"`
	// Scorecards, Bonuses, Leaderboards, Badges and Competitions are the
	// scorecard sections (docs/scorecards.md).
	Scorecards   []score.ScorecardDef   `json:"scorecards,omitempty"`
	Bonuses      []score.BonusDef       `json:"bonuses,omitempty"`
	Leaderboards []score.LeaderboardDef `json:"leaderboards,omitempty"`
	Badges       []score.BadgeDef       `json:"badges,omitempty"`
	Competitions []score.CompetitionDef `json:"competitions,omitempty"`
	// Goals are targets on indicators or checklists, for participants over
	// periods (docs/goals.md).
	Goals []goal.Def `json:"goals,omitempty"`
	// Cascades are goal trees: targets split down the organisation and
	// time, actuals rolled up (docs/cascade.md).
	Cascades []cascade.Def `json:"cascades,omitempty"`
	// GoalStats asks the report for the statistics of its goals: how well
	// they work (docs/goal-stats.md).
	GoalStats *goalstats.Def `json:"goal_stats,omitempty"`
	// Report is what Evaluate reports by default.
	Report ReportDef `json:"report"`

	// positions maps definition paths to file lines, when read from a file.
	file      string
	positions planfile.Positions
	// calendar is the calendar file read with the plan.
	calendar loadedCalendar
}

// loadedCalendar is a calendar file read with a plan: its name in the plan
// and the calendar, or why it could not be read.
type loadedCalendar struct {
	name string
	work *period.WorkCalendar
	err  error
}

// ReportDef says which periods a report holds: the whole periods of Grain
// that start in [From, To).
type ReportDef struct {
	Grain period.Grain `json:"grain"`
	From  date.Date    `json:"from"`
	To    date.Date    `json:"to"`
}

// ParseDefinition reads a plan file's contents (YAML or JSON). name is used in
// errors, which name the line: `plan.yaml:12: indicators[1].agregate: unknown
// key "agregate" (did you mean "aggregate"?)`.
func ParseDefinition(name string, data []byte) (*Definition, error) {
	var d Definition
	pos, err := planfile.Decode(name, data, &d)
	if err != nil {
		return nil, err
	}
	d.file, d.positions = name, pos
	return &d, nil
}

// ReadDefinition reads a plan file, and the calendar file it names
// (Calendar), relative to the plan file's directory.
func ReadDefinition(path string) (*Definition, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d, err := ParseDefinition(filepath.Base(path), data)
	if err != nil {
		return nil, err
	}
	if d.Calendar != "" {
		var w *period.WorkCalendar
		if name := filepath.ToSlash(d.Calendar); fs.ValidPath(name) {
			// Errors name the file as the plan does.
			w, err = period.LoadWorkCalendarFS(os.DirFS(filepath.Dir(path)), name)
		} else {
			file := d.Calendar
			if !filepath.IsAbs(file) {
				file = filepath.Join(filepath.Dir(path), file)
			}
			w, err = period.LoadWorkCalendar(file)
		}
		d.calendar = loadedCalendar{name: d.Calendar, work: w, err: err}
	}
	return d, nil
}

// ReadDefinitionFS is like ReadDefinition but reads the plan file name, and
// its calendar file, from fsys (an embed.FS, say).
func ReadDefinitionFS(fsys fs.FS, name string) (*Definition, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	d, err := ParseDefinition(path.Base(name), data)
	if err != nil {
		return nil, err
	}
	if d.Calendar != "" {
		w, err := period.LoadWorkCalendarFS(fsys, path.Join(path.Dir(name), d.Calendar))
		d.calendar = loadedCalendar{name: d.Calendar, work: w, err: err}
	}
	return d, nil
}

// where prefixes a problem with the file and line it comes from, if known.
func (d *Definition) where(path string) string {
	if d.file == "" {
		return ""
	}
	if l := d.positions.Line(path); l > 0 {
		return fmt.Sprintf("%s:%d: ", d.file, l)
	}
	return d.file + ": "
}

// locate prefixes every problem's message with its file and line.
func (d *Definition) locate(err error) error {
	var ce *problem.Error
	if d.file == "" || !errors.As(err, &ce) {
		return err
	}
	for _, pr := range ce.Problems {
		pr.Where = strings.TrimSuffix(d.where(pr.Path), ": ")
	}
	return ce
}

// Number returns a pointer to the decimal s, for the optional numbers of a
// definition written in Go (goal.Def.Target, cascade.NodeDef.Weight,
// score.KPIDef.Target…): a nil pointer is "not given". Like
// regexp.MustCompile it is for literals: it panics when s is not a decimal.
//
//	goal.Def{ID: "leads50", Indicator: "leads", Target: goalkit.Number("50")}
func Number(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}
