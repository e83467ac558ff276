package goalkit_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// companyCalendar is a calendar file for the tests: a company that works
// Monday to Friday, closed on 7 March 2025 and open on Saturday 15 March,
// which is shortened.
const companyCalendar = `name: Company
years: 2025
holidays:
  - {date: 2025-03-07, name: closed}
workdays:
  - {date: 2025-03-15, name: open}
shortened:
  - {date: 2025-03-15, hours: 4}
`

// calendarPlan is a plan of tickets per working day, in March 2025, with
// the header lines given (a calendar or holidays).
func calendarPlan(header string) string {
	return `timezone: Europe/Berlin
` + header + `
indicators:
  - {id: tickets, kinds: [ticket], aggregate: count}
  - {id: per_day, formula: tickets / workdays()}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`
}

func TestPlanCalendarFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "plans", "calendars"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"plans/q1.yaml":                calendarPlan("calendar: calendars/company.yaml"),
		"plans/calendars/company.yaml": companyCalendar,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fromDisk, err := goalkit.ReadDefinition(filepath.Join(dir, "plans", "q1.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	mapFS := fstest.MapFS{}
	for name, data := range files {
		mapFS[name] = &fstest.MapFile{Data: []byte(data)}
	}
	fromFS, err := goalkit.ReadDefinitionFS(mapFS, "plans/q1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, def := range map[string]*goalkit.Definition{"disk": fromDisk, "fs": fromFS} {
		t.Run(name, func(t *testing.T) {
			plan := compile(t, def)
			w := plan.Calendar().WorkCalendar()
			if w.Name() != "Company" || def.Calendar != "calendars/company.yaml" {
				t.Fatalf("calendar %q from %q", w.Name(), def.Calendar)
			}
			// March 2025: 21 weekdays, less the 7th, plus the 15th.
			loc := plan.Calendar().Location()
			var events []kpi.Event
			for i := range 42 {
				events = append(events, kpi.Event{ID: string(rune('a'+i%26)) + string(rune('a'+i/26)), Kind: "ticket", Actor: "u1",
					Time: time.Date(2025, 3, 3, 10, 0, 0, 0, loc)})
			}
			rep := mustEvaluate(t, plan, storeOf(t, loc, events...), time.Date(2025, 4, 1, 0, 0, 0, 0, loc))
			march := rep.Values.Periods()[0]
			if v, ok := rep.Values.Value("per_day", "*", march); !ok || !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(2)) {
				t.Errorf("per_day = %v, want 42 / 21 = 2", v)
			}
		})
	}
}

func TestPlanCalendarErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("bad.yaml", "holidays:\n  - 2025-02-30\nshortened: [2025-03-08]\n")
	write("good.yaml", companyCalendar)
	tests := []struct {
		name, header, want string
	}{
		{"both", "holidays: RU\ncalendar: good.yaml", "plan.yaml:3: calendar: calendar and holidays both give the working-day calendar: keep one (a calendar file can hold a built-in calendar's days and more)"},
		{"bad file", "calendar: bad.yaml", "plan.yaml:2: calendar: bad.yaml:2: holiday: \"2025-02-30\" is not a real date: February 2025 has 28 days\n" +
			"plan.yaml:2: calendar: bad.yaml:3: 2025-03-08 is a saturday, not a working day: list it in workdays too if it is worked"},
		{"unknown built-in", "holidays: KZ", "plan.yaml:2: holidays: unknown holiday calendar \"KZ\" (built in: DE, RU; or name a calendar file with calendar:)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def, err := goalkit.ReadDefinition(write("plan.yaml", calendarPlan(tt.header)))
			if err != nil {
				t.Fatal(err)
			}
			_, err = goalkit.Compile(def)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Compile = %v\nwant %s", err, tt.want)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		def, err := goalkit.ReadDefinition(write("plan.yaml", calendarPlan("calendar: none.yaml")))
		if err != nil {
			t.Fatal(err)
		}
		_, err = goalkit.Compile(def)
		if err == nil || !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), `plan.yaml:2: calendar: calendar file "none.yaml": open `) {
			t.Fatalf("Compile = %v", err)
		}
	})
	t.Run("parsed, not read", func(t *testing.T) {
		def := parseDef(t, calendarPlan("calendar: good.yaml"))
		_, err := goalkit.Compile(def)
		if err == nil || err.Error() != `plan.yaml:2: calendar: calendar file "good.yaml" was not read with the plan: read the plan with ReadDefinition or ReadDefinitionFS, or set WorkCalendar in Go` {
			t.Fatalf("Compile = %v", err)
		}
	})
	t.Run("WorkCalendar in Go", func(t *testing.T) {
		w, err := period.ParseWorkCalendar("company.yaml", []byte(companyCalendar))
		if err != nil {
			t.Fatal(err)
		}
		def := parseDef(t, calendarPlan(""))
		def.WorkCalendar = w
		if plan := compile(t, def); plan.Calendar().WorkCalendar() != w {
			t.Error("WorkCalendar not used")
		}
		def.Holidays = "RU"
		if _, err := goalkit.Compile(def); err == nil || err.Error() != "plan.yaml: holidays: the definition's WorkCalendar and its holidays both give the working-day calendar: keep one" {
			t.Fatalf("Compile = %v", err)
		}
	})
}

// TestDaysToClose: the days from a deal's creation to its win, in working
// days of the plan's calendar and in local calendar days.
func TestDaysToClose(t *testing.T) {
	plan := parsePlan(t, `timezone: Europe/Moscow
holidays: RU
attributes: {created_at: time}
indicators:
  - {id: workdays_to_close, kinds: [deal.won], aggregate: avg, value: "workdays_between(created_at, time)"}
  - {id: days_to_close, kinds: [deal.won], aggregate: max, value: "days_between(created_at, time)"}
  - {id: quick, kinds: [deal.won], aggregate: count, where: "workdays_between(created_at, time) <= 3"}
report: {grain: month, from: 2025-05-01, to: 2025-06-01}
`)
	msk := plan.Calendar().Location()
	won := func(id, created, at string) kpi.Event {
		c, err := time.ParseInLocation(time.DateTime, created, msk)
		if err != nil {
			t.Fatal(err)
		}
		w, err := time.ParseInLocation(time.DateTime, at, msk)
		if err != nil {
			t.Fatal(err)
		}
		return kpi.Event{ID: id, Kind: "deal.won", Actor: "u1", Time: w, Attrs: map[string]any{"created_at": c}}
	}
	// 30 April to 12 May: 30 April and 5, 6, 7 May are working days; 2 to
	// 5 May: only the 5th counts, as [2 May, 5 May) holds none.
	src := storeOf(t, msk, won("d1", "2025-04-30 10:00:00", "2025-05-12 10:00:00"), won("d2", "2025-05-02 10:00:00", "2025-05-05 10:00:00"))
	rep := mustEvaluate(t, plan, src, time.Date(2025, 6, 1, 0, 0, 0, 0, msk))
	may := rep.Values.Periods()[0]
	if v, _ := rep.Values.Value("workdays_to_close", "*", may); !v.Valid || v.Decimal.String() != "2" {
		t.Errorf("workdays_to_close = %v, want (4 + 0) / 2", v)
	}
	if v, _ := rep.Values.Value("days_to_close", "*", may); !v.Valid || v.Decimal.String() != "12" {
		t.Errorf("days_to_close = %v, want 12", v)
	}
	if v, _ := rep.Values.Value("quick", "*", may); !v.Valid || v.Decimal.String() != "1" {
		t.Errorf("quick = %v, want 1", v)
	}
	// A deal created before the calendar's first year.
	src = storeOf(t, msk, won("old", "2023-12-20 10:00:00", "2025-05-12 10:00:00"))
	_, err := plan.Evaluate(context.Background(), src, time.Date(2025, 6, 1, 0, 0, 0, 0, msk))
	var oe *period.OutsideError
	if err == nil || !errors.As(err, &oe) || !strings.Contains(err.Error(), `value of event "old": workdays_between: 2023-12-20 is outside the working-day calendar RU`) &&
		err.Error() != `indicator quick, filter of event "old": workdays_between: 2023-12-20 is outside the working-day calendar RU (years 2024-2026): add the year to the calendar, or declare outside: weekends (1:1)` {
		t.Fatalf("Evaluate = %v", err)
	}
}

// TestCalendarsDocExample: the example of docs/calendars.md is the tested
// file.
func TestCalendarsDocExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("docs", "calendars.md"))
	if err != nil {
		t.Fatal(err)
	}
	by, err := os.ReadFile(filepath.Join("period", "testdata", "by-2025.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```yaml\n"+string(by)+"```\n") {
		t.Error("docs/calendars.md does not show period/testdata/by-2025.yaml as it is")
	}
}
