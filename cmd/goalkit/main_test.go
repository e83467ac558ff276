package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	quickPlan   = "../../examples/quickstart/plan.yaml"
	quickEvents = "../../examples/quickstart/events.ndjson"
	asOf        = "2025-04-01T00:00:00+03:00"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestEvalFormats(t *testing.T) {
	code, out, errs := runCLI(t, "eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct {
		AsOf     string `json:"as_of"`
		Timezone string `json:"timezone"`
		Values   []struct {
			Indicator, Participant, PeriodStart, PeriodEnd string
			Value                                          *string
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	if rep.AsOf != "2025-03-31T21:00:00Z" || rep.Timezone != "Europe/Moscow" || len(rep.Values) != 8*5 {
		t.Fatalf("as_of %s, timezone %s, %d values", rep.AsOf, rep.Timezone, len(rep.Values))
	}
	code, out, _ = runCLI(t, "eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf, "-format", "csv")
	if code != 0 || !strings.HasPrefix(out, "indicator,participant,period,period_start,period_end,value\nleads,anna,2025-03,2025-03-01,2025-04-01,11\n") {
		t.Fatalf("csv: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf, "-format", "table")
	if code != 0 || !strings.Contains(out, "participant   New leads") {
		t.Fatalf("table: exit %d\n%s", code, out)
	}
}

func TestExplain(t *testing.T) {
	code, out, errs := runCLI(t, "explain", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf,
		"-indicator", "conversion", "-participant", "vera", "-period", "2025-03")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"conversion for vera in 2025-03 = 66.7", "formula: round(won / deals * 100, 1)", "won for vera in 2025-03 = 4", "deals for vera in 2025-03 = 6"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	badPlan := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(badPlan, []byte("timezone: Europe/Moscow\nindicators:\n  - id: won\n    kinds: [deal.won]\n    agregate: count\nreport: {grain: month, from: 2025-03-01, to: 2025-04-01}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badEvents := filepath.Join(dir, "events.ndjson")
	if err := os.WriteFile(badEvents, []byte(`{"id":"1","kind":"deal.won","time":"2025-03-03T10:00:00+03:00","actor":"a"}`+"\n"+`{"id":"2","kind":"deal.won","time":"yesterday","actor":"a"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage: goalkit COMMAND"},
		{[]string{"frobnicate"}, 2, `goalkit: unknown command "frobnicate"`},
		{[]string{"eval", "-events", quickEvents}, 2, "goalkit eval: -plan is required"},
		{[]string{"eval", "-plan", quickPlan, "-events", quickEvents, "-format", "xml"}, 2, `goalkit eval: -format must be json, table or csv, got "xml"`},
		{[]string{"eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", "today"}, 2, `goalkit eval: -as-of "today" is not an RFC 3339 instant`},
		{[]string{"eval", "-plan", quickPlan, "-events", quickEvents, "-source", "sqlite:x.db"}, 2, "goalkit eval: -events and -source exclude each other"},
		{[]string{"eval", "-plan", badPlan, "-events", quickEvents}, 1, `goalkit eval: plan.yaml:5: indicators[0].agregate: unknown key "agregate" (did you mean "aggregate"?)`},
		{[]string{"eval", "-plan", quickPlan, "-events", badEvents}, 1, `events.ndjson:2: time: "yesterday" is not an RFC 3339 time with an offset or Z`},
		{[]string{"eval", "-nope"}, 2, "flag provided but not defined: -nope"},
		{[]string{"sync"}, 2, "usage: goalkit sync SYSTEM"},
		{[]string{"sync", "salesforce"}, 2, `goalkit sync: unknown system "salesforce" (known: bitrix24)`},
		{[]string{"directory", "bitrix24", "-url", "ftp://portal.example/rest/1/secret/"}, 2, "goalkit directory: "},
		{[]string{"act", "bitrix24", "-url", "https://portal.example/rest/1/secret/"}, 2, "goalkit act: act bitrix24: -notifications is required"},
		{[]string{"explain", "-plan", quickPlan, "-events", quickEvents, "-indicator", "won", "-period", "2025-13"}, 2, "goalkit explain: -period: "},
		{[]string{"explain", "-plan", quickPlan, "-events", quickEvents, "-indicator", "won", "-period", "2025-03", "-format", "xml"}, 2, `goalkit explain: -format must be text or json, got "xml"`},
		{[]string{"bench", "-n", "10", "-format", "xml"}, 2, `goalkit bench: -format must be text or json, got "xml"`},
		{[]string{"serve", "-plan", quickPlan, "-as-of", "today"}, 2, `goalkit serve: -as-of "today" is not an RFC 3339 instant`},
		{[]string{"suggest-targets", "-plan", quickPlan, "-events", quickEvents, "-as-of", "today"}, 2, `goalkit suggest-targets: -as-of "today" is not an RFC 3339 instant`},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("goalkit %s: exit %d, stderr:\n%s\nwant exit %d and %q", strings.Join(c.args, " "), code, errs, c.code, c.want)
		}
	}
}

func TestBenchJSON(t *testing.T) {
	code, out, errs := runCLI(t, "bench", "-n", "20000", "-iters", "1", "-format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m map[string]float64
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"events", "load_ms", "evaluate_ms", "ns_per_event", "heap_bytes_per_event", "track_events_per_s", "track_bytes_per_event"} {
		if _, ok := m[k]; !ok {
			t.Errorf("bench output lacks %q: %s", k, out)
		}
	}
	if m["events"] != 20000 || m["rows"] <= 0 || m["rows"] > 2001*12 { // at most 2,000 users and "*", × 12 months
		t.Errorf("bench: %s", out)
	}
}

func TestBenchWriteReadsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.csv")
	if code, _, errs := runCLI(t, "bench", "-n", "5000", "-write", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	code, out, errs := runCLI(t, "eval", "-plan", "../../goalkittest/workload.yaml", "-events", path, "-as-of", "2026-01-01T00:00:00Z", "-format", "csv")
	if code != 0 || strings.Count(out, "\n") < 1000 {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

// TestCalendarFile: a plan names a calendar file next to it; a date outside
// a calendar's years is an error that says which, not a panic.
func TestCalendarFile(t *testing.T) {
	dir := t.TempDir()
	by, err := os.ReadFile("../../period/testdata/by-2025.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"by-2025.yaml": string(by),
		"minsk.yaml": `timezone: Europe/Minsk
calendar: by-2025.yaml
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: per_day, formula: won / workdays()}
report: {grain: month, from: 2025-07-01, to: 2025-08-01}
`,
		"moscow-2027.yaml": `timezone: Europe/Moscow
holidays: RU
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: per_day, formula: won / workdays()}
report: {grain: month, from: 2027-01-01, to: 2027-02-01}
`,
		"events.ndjson": `{"id":"1","kind":"deal.won","time":"2025-07-10T10:00:00+03:00","actor":"a"}` + "\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	events := filepath.Join(dir, "events.ndjson")
	code, out, errs := runCLI(t, "eval", "-plan", filepath.Join(dir, "minsk.yaml"), "-events", events, "-as-of", "2025-08-01T00:00:00+03:00", "-format", "csv")
	// July 2025 in Belarus: 22 working days (3 and 4 July off, Saturday 12th worked).
	if code != 0 || !strings.Contains(out, "per_day,*,2025-07,2025-07-01,2025-08-01,0.04545454545454545\n") {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
	code, _, errs = runCLI(t, "eval", "-plan", filepath.Join(dir, "moscow-2027.yaml"), "-events", events, "-as-of", "2027-02-01T00:00:00+03:00")
	if want := "goalkit eval: indicator per_day, period 2027-01: workdays(): 2027-01-01 is outside the working-day calendar RU (years 2024-2026): add the year to the calendar, or declare outside: weekends"; code != 1 || !strings.Contains(errs, want) {
		t.Fatalf("exit %d, stderr:\n%s\nwant %s", code, errs, want)
	}
}

// Issue 17: a mistake in the command line exits 2 and names the flag; a
// date that does not exist says why, in the words of every date reader.
func TestFlagMistakes(t *testing.T) {
	dir := t.TempDir()
	star := filepath.Join(dir, "star.ndjson")
	if err := os.WriteFile(star, []byte(`{"id":"1","kind":"deal.won","time":"2025-03-03T10:00:00+03:00","actor":"a"}`+"\n"+`{"id":"2","kind":"lead.created","time":"2025-03-03T10:00:00+03:00","actor":"*"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"split", "-plan", "testdata/split.yaml", "-goal", "q1_revenue", "-by", "magic"}, 2,
			`goalkit split: -by: unknown split method "magic" (want even, weights, history, capacity, calendar_days, working_days, seasonal)` + "\n"},
		{[]string{"eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", "2025-02-30T00:00:00Z"}, 2,
			`goalkit eval: -as-of "2025-02-30T00:00:00Z" is not a real date: February 2025 has 28 days` + "\n"},
		{[]string{"eval", "-plan", quickPlan, "-events", star, "-as-of", "2025-04-01t00:00:00z"}, 1,
			"goalkit eval: " + star + `:2: actor: "*" is the whole company's row in reports, not an actor` + "\n"},
		{[]string{"check", "-plan", quickPlan, "-checks", "0"}, 2, "goalkit check: -checks must be at least 1, got 0\n"},
		{[]string{"import", "-events", quickEvents}, 2, "goalkit import: -events and -source are required\n"},
	} {
		code, _, errs := runCLI(t, c.args...)
		if code != c.code || errs != c.want {
			t.Errorf("goalkit %s: exit %d, stderr:\n%s\nwant exit %d and\n%s", strings.Join(c.args, " "), code, errs, c.code, c.want)
		}
	}
	// Lower-case t and z are RFC 3339 too.
	if code, _, errs := runCLI(t, "eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", "2025-04-01t00:00:00z", "-format", "csv"); code != 0 {
		t.Errorf("lower-case -as-of: exit %d: %s", code, errs)
	}
}

// Help is asked for as a command's flags take it, -h, -help, --h or
// --help, before a command and before a connector's system too: the usage,
// exit 0. --help was an unknown command (exit 2), and goalkit sync --help
// an unknown system.
func TestHelp(t *testing.T) {
	for _, h := range []string{"-h", "-help", "--h", "--help", "help"} {
		if code, _, errs := runCLI(t, h); code != 0 || !strings.Contains(errs, "usage: goalkit COMMAND") || strings.Contains(errs, "unknown") {
			t.Errorf("goalkit %s: exit %d, stderr:\n%s", h, code, errs)
		}
		if h == "help" {
			continue
		}
		for _, verb := range []string{"sync", "directory", "act"} {
			if code, _, errs := runCLI(t, verb, h); code != 0 || !strings.Contains(errs, "usage: goalkit "+verb+" SYSTEM") || strings.Contains(errs, "unknown") {
				t.Errorf("goalkit %s %s: exit %d, stderr:\n%s", verb, h, code, errs)
			}
		}
	}
}

// -limit 0 lists no excluded event, only their counts by reason, in the
// explanations of a formula's inputs too; -limit 1 lists one per reason. Explain's own limit of 0 is its default, and -limit 0 listed 20
// per reason.
func TestExplainLimitZero(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.yaml")
	events := filepath.Join(dir, "events.ndjson")
	if err := os.WriteFile(plan, []byte("timezone: UTC\nindicators:\n  - {id: won, kinds: [won], aggregate: count}\n  - {id: twice, formula: won * 2}\nreport: {grain: month, from: 2025-03-01, to: 2025-04-01}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i, day := range []string{"02-10", "02-11", "02-12", "03-05", "04-02", "04-03"} { // 3 before March, 1 in it, 2 after
		lines = append(lines, `{"id":"e`+string(rune('a'+i))+`","kind":"won","time":"2025-`+day+`T10:00:00Z","actor":"ann"}`)
	}
	if err := os.WriteFile(events, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		limit  string
		listed int // excluded events listed of the 5 outside the period
	}{{"0", 0}, {"1", 1}, {"20", 5}} {
		code, out, errs := runCLI(t, "explain", "-plan", plan, "-events", events, "-as-of", "2025-05-01T00:00:00Z",
			"-indicator", "twice", "-period", "2025-03", "-format", "json", "-limit", c.limit)
		if code != 0 {
			t.Fatalf("-limit %s: exit %d: %s", c.limit, code, errs)
		}
		var ex struct {
			Inputs []struct {
				Excluded       []struct{ Event string }
				ExcludedCounts map[string]int `json:"excluded_counts"`
			}
		}
		if err := json.Unmarshal([]byte(out), &ex); err != nil {
			t.Fatal(err)
		}
		if len(ex.Inputs) != 1 {
			t.Fatalf("-limit %s: %d inputs, want won's:\n%s", c.limit, len(ex.Inputs), out)
		}
		in := ex.Inputs[0]
		if n := len(in.Excluded); n != c.listed || in.ExcludedCounts["outside the period"] != 5 {
			t.Errorf("-limit %s: %d excluded events listed, counts %v; want %d listed of 5 outside the period:\n%s", c.limit, n, in.ExcludedCounts, c.listed, out)
		}
	}
}
