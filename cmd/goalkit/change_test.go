package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExplainChangeCommand(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.yaml")
	err := os.WriteFile(plan, []byte(`timezone: UTC
attributes: {source: string}
indicators:
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
report: {grain: month, from: 2025-02-01, to: 2025-04-01}
goals:
  - {id: sales, indicator: revenue, target: 100, period: {from: 2025-01-01, every: month}, participants: {users: [anna, boris]}}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	line := func(id, when, actor, source, amount string) {
		fmt.Fprintf(&b, `{"id":"%s","kind":"deal.won","time":"%sT10:00:00Z","actor":"%s","amount":"%s","attrs":{"source":"%s"}}`+"\n", id, when, actor, amount, source)
	}
	line("1", "2025-02-03", "anna", "web", "100")
	line("2", "2025-02-04", "boris", "partner", "50")
	line("3", "2025-03-03", "anna", "web", "40")
	line("4", "2025-03-04", "boris", "partner", "200")
	line("5", "2025-03-05", "boris", "web", "30")
	events := filepath.Join(dir, "events.ndjson")
	if err := os.WriteFile(events, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"explain", "-plan", plan, "-events", events, "-indicator", "revenue", "-period", "2025-03",
		"-change-from", "2025-02", "-change-by", "source", "-as-of", "2025-04-01T00:00:00Z"}, &out, &errOut)
	// 150 → 270: anna −60, boris +180; web −30, partner +150.
	want := `revenue for everyone: 150 in 2025-02, 270 in 2025-03, change +120

by participant
participant  2025-02  2025-03  change
anna             100       40     -60
boris             50      230    +180

by source
source   2025-02  2025-03  change
partner       50      200    +150
web          100       70     -30
`
	if code != 0 || out.String() != want {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"explain", "-plan", plan, "-events", events, "-indicator", "revenue", "-period", "2025-03", "-change-from", "2025-13"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "-change-from") {
		t.Errorf("bad label: exit %d %s", code, errOut.String())
	}
	// Plan against fact in March: 40 and 230 against 100 each.
	out.Reset()
	code = run(context.Background(), []string{"explain", "-plan", plan, "-events", events, "-plan-vs-fact", "sales", "-period", "2025-03", "-as-of", "2025-04-01T00:00:00Z"}, &out, &errOut)
	if code != 0 || !strings.HasPrefix(out.String(), "sales for everyone: 200 in plan, 270 in fact, change +70\n") || !strings.Contains(out.String(), "anna          100    40     -60") {
		t.Fatalf("plan vs fact: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	// The same in the report: after the table, and as the JSON's changes.
	for _, f := range []struct{ format, want string }{{"table", want}, {"json", `"changes": [`}} {
		out.Reset()
		code = run(context.Background(), []string{"eval", "-plan", plan, "-events", events, "-as-of", "2025-04-01T00:00:00Z", "-format", f.format,
			"-explain-change", "revenue:2025-02:2025-03:source"}, &out, &errOut)
		if code != 0 || !strings.Contains(out.String(), f.want) {
			t.Errorf("eval -format %s: exit %d\n%s%s", f.format, code, out.String(), errOut.String())
		}
	}
	for _, bad := range [][]string{{"-format", "csv", "-explain-change", "revenue:2025-02:2025-03"}, {"-explain-change", "revenue:2025-02"}, {"-explain-change", "revenue:2025-02:2025-15"}} {
		errOut.Reset()
		if code := run(context.Background(), append([]string{"eval", "-plan", plan, "-events", events}, bad...), &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "-explain-change") {
			t.Errorf("%v: exit %d %s", bad, code, errOut.String())
		}
	}
}
