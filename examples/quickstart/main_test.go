package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/internal/golden"
	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden file")

// TestQuickstart compares the example's whole output with its golden file.
// The numbers in it are checked one by one in TestQuickstartNumbers.
func TestQuickstart(t *testing.T) {
	golden.CheckOutput(t, "testdata/quickstart.golden", *update, func(w io.Writer) error {
		return run(context.Background(), w)
	})
}

// TestQuickstartNumbers recomputes the team's March numbers from the events
// file with a plain loop (encoding/json, the last line of an id wins, a
// deleted line retracts) and finds each of them in the example's output.
func TestQuickstartNumbers(t *testing.T) {
	type line struct {
		ID       string         `json:"id"`
		Deleted  bool           `json:"deleted"`
		Kind     string         `json:"kind"`
		Actor    string         `json:"actor"`
		Amount   string         `json:"amount"`
		Currency string         `json:"currency"`
		Attrs    map[string]any `json:"attrs"`
	}
	final := map[string]line{}
	for _, l := range bytes.Split(bytes.TrimSpace(eventsNDJSON), []byte("\n")) {
		var e line
		if err := json.Unmarshal(l, &e); err != nil {
			t.Fatal(err)
		}
		if e.Deleted {
			delete(final, e.ID)
			continue
		}
		final[e.ID] = e
	}
	type row struct{ leads, web, deals, won, calls int64 }
	rows := map[string]*row{}
	revenue := map[string]decimal.Decimal{}
	for _, e := range final { // every event of the file is in March 2025, Moscow time
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
	for who, r := range rows {
		want := fmt.Sprintf("%d  %d  %d  %d  %s", r.leads, r.web, r.deals, r.won, revenue[who].String())
		found := false
		for _, l := range strings.Split(out, "\n") {
			if f := strings.Fields(l); len(f) > 6 && f[0] == who {
				found = strings.Join(f[1:6], "  ") == want && f[len(f)-1] == fmt.Sprint(r.calls)
				if !found {
					t.Errorf("%s: report line %q, want leads, web leads, deals, won, revenue = %s and %d calls", who, l, want, r.calls)
				}
			}
		}
		if !found {
			t.Errorf("%s: no line in the report", who)
		}
	}
}
