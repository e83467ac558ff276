package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/forecast"
	"github.com/shopspring/decimal"
)

const backtestPlan = `timezone: UTC
indicators:
  - {id: leads, kinds: [lead.created], aggregate: count}
report: {grain: month, from: 2025-02-01, to: 2025-07-01}
goals:
  - id: leads
    indicator: leads
    target: 40
    period: {from: 2025-01-01, every: month}
    participants: {users: [anna, boris]}
    chance: {seed: 3}
`

// backtestFiles writes backtestPlan and steadyEvents into a temporary
// directory and returns their paths.
func backtestFiles(t *testing.T) (plan, events string) {
	t.Helper()
	dir := t.TempDir()
	plan = filepath.Join(dir, "plan.yaml")
	writeTestFile(t, plan, backtestPlan)
	return plan, steadyEvents(t, dir)
}

// steadyEvents writes 2 leads every Monday-to-Friday of the first half of
// 2025 for anna and boris, at 10:00 UTC.
func steadyEvents(t *testing.T, dir string) string {
	var b strings.Builder
	for d := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC); d.Year() == 2025 && d.Month() < 7; d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		for _, who := range []string{"anna", "boris"} {
			for i := range 2 {
				fmt.Fprintf(&b, `{"id":"%s-%s-%d","kind":"lead.created","time":"%s","actor":"%s"}`+"\n", who, d.Format("0102"), i, d.Format(time.RFC3339), who)
			}
		}
	}
	path := filepath.Join(dir, "events.ndjson")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBacktestCommand(t *testing.T) {
	plan, events := backtestFiles(t)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"backtest", "-plan", plan, "-events", events, "-as-of", "2025-07-01T00:00:00Z", "-format", "json"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var bt struct {
		Cases   int
		Methods []struct {
			Method string
			MAE    *string // null where nothing was measured
			Brier  *string
		}
	}
	if err := json.Unmarshal(out.Bytes(), &bt); err != nil {
		t.Fatal(err)
	}
	is := func(s *string, want string) bool { return s != nil && *s == want }
	// February to June, 2 agents, 3 points; steady days make the run rate
	// and the draw exact: a perfect score, 0 and not null.
	if bt.Cases != 30 || len(bt.Methods) != 3 || !is(bt.Methods[0].MAE, "0") || !is(bt.Methods[2].MAE, "0") || !is(bt.Methods[2].Brier, "0") {
		t.Fatalf("%s", out.String())
	}
	out.Reset()
	code = run(context.Background(), []string{"backtest", "-plan", plan, "-events", events, "-as-of", "2025-07-01T00:00:00Z", "-at", "50%"}, &out, &errOut)
	if code != 0 || !strings.Contains(out.String(), "at 50%: 10 forecasts per method") || !strings.Contains(out.String(), "probabilistic  all") {
		t.Fatalf("table: exit %d\n%s", code, out.String())
	}
	// A point given twice, as written or not, counted its forecasts twice.
	for _, bad := range []string{"0%", "100%", "x", "1.5", "50%,50%", "25%,0.5,50%"} {
		errOut.Reset()
		if code := run(context.Background(), []string{"backtest", "-plan", plan, "-events", events, "-at", bad}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "-at") {
			t.Errorf("-at %s: exit %d, %s", bad, code, errOut.String())
		}
	}
}

func TestSuggestTargetsCommand(t *testing.T) {
	plan, events := backtestFiles(t)
	var out, errOut bytes.Buffer
	// As of mid-June: July is next, 23 working days at 2 a day, × 1.1.
	code := run(context.Background(), []string{"suggest-targets", "-plan", plan, "-events", events, "-as-of", "2025-06-15T00:00:00Z",
		"-history", "3", "-stretch", "1.1", "-format", "json"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var sg []struct {
		Participant, Period, Target, Base string
		Chance                            *string
		Workdays                          int
	}
	if err := json.Unmarshal(out.Bytes(), &sg); err != nil {
		t.Fatal(err)
	}
	if len(sg) != 2 || sg[0].Participant != "anna" || sg[0].Period != "2025-07" || sg[0].Workdays != 23 || sg[0].Base != "2" || sg[0].Target != "51" || *sg[0].Chance != "0" {
		t.Fatalf("%s", out.String())
	}
	for _, bad := range [][]string{{"-percentile", "120"}, {"-stretch", "0"}, {"-history", "0"}, {"-history", "73"}, {"-for", "2025-13-01"}} {
		errOut.Reset()
		args := append([]string{"suggest-targets", "-plan", plan, "-events", events}, bad...)
		if code := run(context.Background(), args, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), bad[0]) {
			t.Errorf("%v: exit %d, %s", bad, code, errOut.String())
		}
	}
}

// The documented backtest of the CRM pipeline runs: the example plan and
// mapping over a generated table of the same shape.
func TestBacktestPipelineExample(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n")
	n := 0
	for d := time.Date(2017, 3, 1, 0, 0, 0, 0, time.UTC); d.Before(time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		for i, agent := range []string{"Anna Snelling", "Boris Faz"} {
			if (d.Day()+i)%3 == 0 {
				continue
			}
			n++
			stage, value := "Won", fmt.Sprint(500+(n*37)%900)
			if n%4 == 0 {
				stage, value = "Lost", "0"
			}
			fmt.Fprintf(&b, "ID%05d,%s,GTX Basic,Acme,%s,%s,%s,%s\n", n, agent, stage, d.AddDate(0, 0, -20).Format("2006-01-02"), d.Format("2006-01-02"), value)
		}
	}
	csv := filepath.Join(dir, "sales_pipeline.csv")
	if err := os.WriteFile(csv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"backtest", "-plan", "../../examples/forecast/plan.yaml", "-mapping", "../../examples/forecast/mapping/pipeline.yaml",
		"-events", csv, "-as-of", "2017-07-01T00:00:00-04:00", "-from", "2017-04-01", "-to", "2017-07-01"}, &out, &errOut)
	// April to June, 2 agents, 2 goals, 3 points.
	if code != 0 || !strings.Contains(out.String(), ": 36 forecasts per method") {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errOut.String())
	}
}

// A percent of -at is the decimal written: 0.7% is the share 0.007, the
// same point as -at 0.007 (refused as given twice), labelled 0.7%. It was
// divided by 100 in floating point, 0.006999999999999999, labelled
// 0.6999999999999999% and taken beside 0.007 as another point.
func TestBacktestPointsAsWritten(t *testing.T) {
	for _, c := range []struct {
		at   string
		want []float64
	}{
		{"0.7%", []float64{0.007}},
		{"0.9%,1.1%,1.4%", []float64{0.009, 0.011, 0.014}},
		{"12.3%,57%,0.29", []float64{0.123, 0.57, 0.29}},
		{"99.9%", []float64{0.999}},
	} {
		got, err := parsePoints(c.at)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("-at %s: %v, %v; want %v", c.at, got, err, c.want)
		}
	}
	for _, bad := range []string{"0.7%,0.007", "1.4%,0.014", "NaN", "Inf%", "0x1p-2", "1e-999999999%", "1e999999999%"} {
		if got, err := parsePoints(bad); err == nil {
			t.Errorf("-at %s: %v, want a usage error", bad, got)
		}
	}
	plan, events := backtestFiles(t)
	code, out, errs := runCLI(t, "backtest", "-plan", plan, "-events", events, "-as-of", "2025-07-01T00:00:00Z", "-at", "0.7%,1.4%")
	if code != 0 || !strings.Contains(out, " at 0.7%, 1.4%: ") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

// The share reached of a reliability bin is rounded half up to three
// places, as the mean P beside it: 5 of 16 (0.3125) is 0.313, 1 of 16
// (0.0625) 0.063. The float's text rounded the binary value half to even,
// 0.312 and 0.062, where the mean P of the same fraction read 0.313.
func TestBacktestShareReachedRounding(t *testing.T) {
	bins := []struct {
		reached, count int
		want           string
	}{{5, 16, "0.313"}, {1, 16, "0.063"}, {3, 8, "0.375"}, {1, 2000, "0.001"}, {1, 3, "0.333"}, {2, 3, "0.667"}, {7, 7, "1.000"}, {0, 9, "0.000"}}
	m := forecast.MethodScore{Method: "m"}
	for i, b := range bins {
		m.Reliability = append(m.Reliability, forecast.Bin{From: decimal.New(int64(i), -1), To: decimal.New(int64(i+1), -1), Count: b.count, Reached: b.reached})
	}
	var out bytes.Buffer
	if err := writeBacktest(&out, &forecast.Backtest{Methods: []forecast.MethodScore{m}}); err != nil {
		t.Fatal(err)
	}
	for i, b := range bins {
		// The independent rounding: ⌊1000·r/c + ½⌋ by integers.
		thousandths := (2000*b.reached + b.count) / (2 * b.count)
		if want := fmt.Sprintf("%d.%03d", thousandths/1000, thousandths%1000); want != b.want {
			t.Fatalf("the table's want %s is not %d of %d rounded (%s)", b.want, b.reached, b.count, want)
		}
		row := regexp.MustCompile(fmt.Sprintf(`(?m)^\s*m\s+%s\s+%s\s+%d\s+0\s+%d\s+(\S+)\s*$`, regexp.QuoteMeta(decimal.New(int64(i), -1).String()), regexp.QuoteMeta(decimal.New(int64(i+1), -1).String()), b.count, b.reached))
		got := row.FindStringSubmatch(out.String())
		if got == nil || got[1] != b.want {
			t.Errorf("%d of %d: got %v, want %s\n%s", b.reached, b.count, got, b.want, out.String())
		}
	}
}
