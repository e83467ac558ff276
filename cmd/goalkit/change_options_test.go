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
)

// changeOptionsFiles writes a plan, its events and a directory of two
// teams: north (ann, bob) and south (cid).
func changeOptionsFiles(t *testing.T) (plan, events, directory string) {
	t.Helper()
	dir := t.TempDir()
	plan, events, directory = filepath.Join(dir, "plan.yaml"), filepath.Join(dir, "events.ndjson"), filepath.Join(dir, "directory.json")
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(plan, `timezone: UTC
indicators:
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
report: {grain: month, from: 2025-02-01, to: 2025-04-01}
`)
	write(directory, `{"units": [{"id": "north"}, {"id": "south"}],
 "memberships": [{"user": "ann", "unit": "north"}, {"user": "bob", "unit": "north"}, {"user": "cid", "unit": "south"}]}`)
	var b strings.Builder
	for i, e := range []struct{ when, actor, amount string }{
		{"2025-02-03", "ann", "100"}, {"2025-02-04", "bob", "50"}, {"2025-02-05", "cid", "70"},
		{"2025-03-03", "ann", "40"}, {"2025-03-04", "bob", "200"}, {"2025-03-05", "cid", "10"},
	} {
		fmt.Fprintf(&b, `{"id":"%d","kind":"deal.won","time":"%sT10:00:00Z","actor":"%s","amount":"%s"}`+"\n", i, e.when, e.actor, e.amount)
	}
	write(events, b.String())
	return plan, events, directory
}

// TestExplainChangeWithDirectory checks that the changes eval and
// explain print agree with eval's report under the same -directory: a
// unit's change is the change of the unit's rows in the report.
func TestExplainChangeWithDirectory(t *testing.T) {
	plan, events, directory := changeOptionsFiles(t)
	ctx := context.Background()
	jsonOf := func(args ...string) []byte {
		t.Helper()
		var out, errOut bytes.Buffer
		args = append(args, "-plan", plan, "-events", events, "-directory", directory, "-as-of", "2025-04-01T00:00:00Z")
		if code := run(ctx, args, &out, &errOut); code != 0 {
			t.Fatalf("%s: exit %d\n%s", args[0], code, errOut.String())
		}
		return out.Bytes()
	}
	type change struct {
		Participant string `json:"participant"`
		BaseValue   string `json:"base_value"`
		Value       string `json:"value"`
		Delta       string `json:"delta"`
	}
	var rep struct {
		Values []struct {
			Participant string `json:"participant"`
			PeriodStart string `json:"period_start"`
			Value       string `json:"value"`
		} `json:"values"`
		Changes []change `json:"changes"`
	}
	if err := json.Unmarshal(jsonOf("eval", "-explain-change", "revenue:2025-02:2025-03"), &rep); err != nil {
		t.Fatal(err)
	}
	value := map[[2]string]string{}
	for _, v := range rep.Values {
		value[[2]string{v.Participant, v.PeriodStart}] = v.Value
	}
	// The report's own numbers, and the change they make.
	want := func(who string) change {
		b, v := value[[2]string{who, "2025-02-01"}], value[[2]string{who, "2025-03-01"}]
		return change{Participant: who, BaseValue: b, Value: v, Delta: decimalText(t, v, b)}
	}
	if w := want("north"); w != (change{"north", "150", "240", "90"}) {
		t.Fatalf("the report's north is %+v", w)
	}
	if len(rep.Changes) != 1 || rep.Changes[0] != want("*") {
		t.Errorf("eval's change %+v, the report says %+v", rep.Changes, want("*"))
	}
	for _, who := range []string{"north", "south", "ann"} {
		var got change
		if err := json.Unmarshal(jsonOf("explain", "-indicator", "revenue", "-participant", who, "-period", "2025-03", "-change-from", "2025-02", "-format", "json"), &got); err != nil {
			t.Fatal(err)
		}
		if got != want(who) {
			t.Errorf("explain's change of %s is %+v, the report says %+v", who, got, want(who))
		}
		var ex struct {
			Value string `json:"value"`
		}
		if err := json.Unmarshal(jsonOf("explain", "-indicator", "revenue", "-participant", who, "-period", "2025-03", "-format", "json"), &ex); err != nil {
			t.Fatal(err)
		}
		if ex.Value != value[[2]string{who, "2025-03-01"}] {
			t.Errorf("explain's value of %s is %s, the report says %s", who, ex.Value, value[[2]string{who, "2025-03-01"}])
		}
	}
}

// decimalText is a − b for two integers' text.
func decimalText(t *testing.T, a, b string) string {
	t.Helper()
	var x, y int64
	if _, err := fmt.Sscan(a, &x); err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Sscan(b, &y); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(x - y)
}
