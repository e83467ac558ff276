package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(plan, []byte(backtestPlan), 0o644); err != nil {
		t.Fatal(err)
	}
	events := steadyEvents(t, dir)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"backtest", "-plan", plan, "-events", events, "-as-of", "2025-07-01T00:00:00Z", "-format", "json"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var bt struct {
		Cases   int
		Methods []struct {
			Method string
			MAE    string
			Brier  string
		}
	}
	if err := json.Unmarshal(out.Bytes(), &bt); err != nil {
		t.Fatal(err)
	}
	// February to June, 2 agents, 3 points; steady days make the run rate
	// and the draw exact.
	if bt.Cases != 30 || len(bt.Methods) != 3 || bt.Methods[0].MAE != "0" || bt.Methods[2].MAE != "0" || bt.Methods[2].Brier != "0" {
		t.Fatalf("%s", out.String())
	}
	out.Reset()
	code = run(context.Background(), []string{"backtest", "-plan", plan, "-events", events, "-as-of", "2025-07-01T00:00:00Z", "-at", "50%"}, &out, &errOut)
	if code != 0 || !strings.Contains(out.String(), "at 50%: 10 forecasts per method") || !strings.Contains(out.String(), "probabilistic  all") {
		t.Fatalf("table: exit %d\n%s", code, out.String())
	}
	for _, bad := range []string{"0%", "100%", "x", "1.5"} {
		errOut.Reset()
		if code := run(context.Background(), []string{"backtest", "-plan", plan, "-events", events, "-at", bad}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "-at") {
			t.Errorf("-at %s: exit %d, %s", bad, code, errOut.String())
		}
	}
}

func TestSuggestTargetsCommand(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(plan, []byte(backtestPlan), 0o644); err != nil {
		t.Fatal(err)
	}
	events := steadyEvents(t, dir)
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
	for _, bad := range [][]string{{"-percentile", "120"}, {"-stretch", "0"}, {"-history", "0"}, {"-for", "2025-13-01"}} {
		errOut.Reset()
		args := append([]string{"suggest-targets", "-plan", plan, "-events", events}, bad...)
		if code := run(context.Background(), args, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), bad[0]) {
			t.Errorf("%v: exit %d, %s", bad, code, errOut.String())
		}
	}
}
