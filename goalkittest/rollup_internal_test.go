package goalkittest

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// TestRollupEqualsDirectOfAMovedMember: a person who moved between the
// units of a cascade counts under each unit only for the dates they
// belonged to it, so their node under the unit they left before the
// period's end holds less than the direct evaluation of the person over
// the whole period. The property compares only nodes of people who
// belonged to their unit for all of the node's period; it failed on this
// case (s3 moved from north to south on 31 March, their deal of 1 March
// counts under north).
func TestRollupEqualsDirectOfAMovedMember(t *testing.T) {
	data, err := os.ReadFile("../examples/serve/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	def, err := goalkit.ParseDefinition("plan.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := memory.ParseDirectory("directory.json", []byte(`{"units":[{"id":"north"},{"id":"south"}],"memberships":[
		{"user":"n1","unit":"north"},{"user":"n2","unit":"north"},{"user":"s1","unit":"south"},
		{"user":"s3","unit":"north","to":"2025-03-31"},{"user":"s3","unit":"south","from":"2025-03-31"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	c := newChecker(plan, CheckOptions{Directory: dir})
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, plan.Calendar().Location())
	events := []kpi.Event{
		{ID: "e1", Kind: "deal.won", Time: at, Actor: "s3", Amount: decimal.NewNullDecimal(decimal.RequireFromString("0.01"))},
		{ID: "e2", Kind: "deal.won", Time: at.AddDate(0, 0, 5), Actor: "n1", Amount: decimal.NewNullDecimal(decimal.RequireFromString("7"))},
	}
	if msg := c.rollupEqualsDirectOf(events); msg != "" {
		t.Fatal(msg)
	}
	// The property still compares the people who stayed: a report whose
	// cascade gave n1 another actual than the direct evaluation would fail.
	r, err := c.evaluate(events)
	if err != nil {
		t.Fatal(err)
	}
	var n1 string
	for _, tr := range r.Cascade.Trees {
		for _, u := range tr.Root.Children {
			for _, m := range u.Children {
				if m.Participant == "n1" {
					n1 = m.Actual.Decimal.String()
				}
			}
		}
	}
	if !strings.HasPrefix(n1, "7") {
		t.Fatalf("n1's node under north holds %q, want 7", n1)
	}
}
