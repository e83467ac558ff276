package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/examples/internal/exampletest"
	"github.com/shopspring/decimal"
)

// TestQuickstart compares the example's whole output with its golden file.
// The numbers in it are checked one by one in TestQuickstartNumbers.
func TestQuickstart(t *testing.T) {
	exampletest.CheckOutput(t, "testdata/quickstart.golden", func(w io.Writer) error {
		return run(context.Background(), w)
	})
}

// TestQuickstartNumbers recomputes the team's March numbers from the events
// file with a plain loop (encoding/json, the last line of an id wins, a
// deleted line retracts) and finds each of them in the example's output.
func TestQuickstartNumbers(t *testing.T) {
	type row struct{ leads, web, deals, won, calls int64 }
	rows := map[string]*row{}
	revenue := map[string]decimal.Decimal{}
	for _, e := range exampletest.FinalEvents(t, eventsNDJSON) { // every event of the file is in March 2025, Moscow time
		r := rows[e.Actor]
		if r == nil {
			r = &row{}
			rows[e.Actor] = r
		}
		switch e.Kind {
		case "lead.created":
			r.leads++
			if s := e.Attrs["source"]; s == "web" || s == "partner" {
				r.web++
			}
		case "deal.created":
			r.deals++
		case "deal.won":
			r.won++
			a := decimal.RequireFromString(e.Amount)
			if e.Currency == "USD" {
				a = a.Mul(decimal.NewFromInt(90))
			}
			revenue[e.Actor] = revenue[e.Actor].Add(a)
		case "call":
			r.calls++
		}
	}
	var buf bytes.Buffer
	if err := run(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// The table's cells are two or more spaces apart; a number's thousands
	// are one space apart (1 570 500.00).
	sep := regexp.MustCompile(` {2,}`)
	cell := func(s string) decimal.Decimal { return decimal.RequireFromString(strings.ReplaceAll(s, " ", "")) }
	for who, r := range rows {
		want := []decimal.Decimal{decimal.NewFromInt(r.leads), decimal.NewFromInt(r.web), decimal.NewFromInt(r.deals), decimal.NewFromInt(r.won), revenue[who]}
		found := false
		for _, l := range strings.Split(out, "\n") {
			f := sep.Split(l, -1)
			if len(f) != 9 || f[0] != who {
				continue
			}
			found = true
			for i, w := range want {
				if !cell(f[i+1]).Equal(w) {
					t.Errorf("%s: report line %q, want leads, web leads, deals, won, revenue = %v and %d calls", who, l, want, r.calls)
					break
				}
			}
			if !cell(f[8]).Equal(decimal.NewFromInt(r.calls)) {
				t.Errorf("%s: report line %q, want %d calls", who, l, r.calls)
			}
		}
		if !found {
			t.Errorf("%s: no line in the report", who)
		}
	}
}
