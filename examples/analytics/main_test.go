package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/examples/internal/exampletest"
	"github.com/shopspring/decimal"
)

// TestAnalytics compares the example's whole output with its golden file.
// The numbers in it are checked in TestAnalyticsNumbers.
func TestAnalytics(t *testing.T) {
	exampletest.CheckOutput(t, "testdata/analytics.golden", func(w io.Writer) error {
		return run(context.Background(), w)
	})
}

// TestAnalyticsNumbers recomputes everyone's numbers of each month from the
// events file with plain loops (rationals for ratios and percentiles) and
// finds each in the report's JSON: leads, cost per lead and conversion by
// source, revenue of the top two products and of the others, median days
// to close, the 90th percentile of the first response.
func TestAnalyticsNumbers(t *testing.T) {
	ctx := context.Background()
	plan, store, err := load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := plan.Evaluate(ctx, store, asOf(plan))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Values []struct {
			Indicator   string
			Participant string
			PeriodStart string `json:"period_start"`
			Value       *string
		}
		Breakdowns []struct {
			Indicator   string
			Participant string
			PeriodStart string `json:"period_start"`
			By          map[string]any
			Other       bool
			Value       *string
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, v := range doc.Values {
		if v.Participant == "*" && v.Value != nil {
			got[fmt.Sprint(v.Indicator, " ", v.PeriodStart)] = *v.Value
		}
	}
	for _, b := range doc.Breakdowns {
		if b.Participant == "*" && b.Value != nil {
			k := fmt.Sprint(b.Indicator, " ", b.PeriodStart, " ", b.By["source"], b.By["product"])
			if b.Other {
				k = fmt.Sprint(b.Indicator, " ", b.PeriodStart, " other")
			}
			got[k] = *b.Value
		}
	}
	want := map[string]*big.Rat{}
	msk := time.FixedZone("MSK", 3*3600)
	rat := exampletest.Rat
	add := func(k string, x *big.Rat) {
		if want[k] == nil {
			want[k] = new(big.Rat)
		}
		want[k].Add(want[k], x)
	}
	events := exampletest.FinalEvents(t, eventsNDJSON)
	for _, month := range []string{"2025-02-01", "2025-03-01"} {
		in := func(e exampletest.Event) bool { return e.Time.In(msk).Format("2006-01") == month[:7] }
		spend, leads, created, won := map[string]*big.Rat{}, map[string]int64{}, map[string]int64{}, map[string]int64{}
		revenue := map[string]*big.Rat{}
		var days, minutes []*big.Rat
		for _, e := range events {
			if !in(e) {
				continue
			}
			src, _ := e.Attrs["source"].(string)
			switch e.Kind {
			case "marketing.spend":
				if spend[src] == nil {
					spend[src] = new(big.Rat)
				}
				spend[src].Add(spend[src], rat(e.Amount))
			case "lead.created":
				leads[src]++
			case "deal.created":
				created[src]++
			case "deal.won":
				won[src]++
				p := e.Attrs["product"].(string)
				if revenue[p] == nil {
					revenue[p] = new(big.Rat)
				}
				revenue[p].Add(revenue[p], rat(e.Amount))
				c, err := time.Parse(time.RFC3339, e.Attrs["created_at"].(string))
				if err != nil {
					t.Fatal(err)
				}
				// days_between counts local calendar days.
				y1, m1, d1 := c.In(msk).Date()
				y2, m2, d2 := e.Time.In(msk).Date()
				n := time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)).Hours() / 24
				days = append(days, big.NewRat(int64(n), 1))
			case "ticket.answered":
				minutes = append(minutes, big.NewRat(int64(e.Attrs["minutes"].(float64)), 1))
			}
		}
		for src, n := range leads {
			want[fmt.Sprint("leads ", month, " ", src, "<nil>")] = big.NewRat(n, 1)
			if spend[src] != nil {
				want[fmt.Sprint("cost_per_lead ", month, " ", src, "<nil>")] = new(big.Rat).Quo(spend[src], big.NewRat(n, 1))
			}
		}
		for src, n := range created {
			want[fmt.Sprint("conversion ", month, " ", src, "<nil>")] = new(big.Rat).Mul(big.NewRat(won[src], n), big.NewRat(100, 1))
		}
		// The top two products by revenue; the rest is other.
		var products []string
		for p := range revenue {
			products = append(products, p)
		}
		slices.SortFunc(products, func(a, b string) int { return revenue[b].Cmp(revenue[a]) })
		for i, p := range products {
			if i < 2 {
				want[fmt.Sprint("revenue ", month, " <nil>", p)] = revenue[p]
			} else {
				add(fmt.Sprint("revenue ", month, " other"), revenue[p])
			}
		}
		if len(days) > 0 {
			want["median_days_to_close "+month] = exampletest.Percentile(days, big.NewRat(1, 2))
		}
		want["p90_first_response "+month] = exampletest.Percentile(minutes, big.NewRat(9, 10))
	}
	// Running totals and windows: the quarter's revenue so far, the leads
	// of the last 30 days before each month's end, and the deals created
	// minus those won so far (the file starts in February).
	for _, month := range []string{"2025-02-01", "2025-03-01"} {
		start, _ := time.ParseInLocation("2006-01-02", month, msk)
		end := start.AddDate(0, 1, 0)
		qtd, open := new(big.Rat), int64(0)
		var leads int64
		for _, e := range events {
			t := e.Time.In(msk)
			if !t.Before(end) {
				continue
			}
			switch e.Kind {
			case "deal.won":
				qtd.Add(qtd, rat(e.Amount)) // every won deal of the file is in Q1
				open--
			case "deal.created":
				open++
			case "lead.created":
				if !t.Before(end.AddDate(0, 0, -30)) {
					leads++
				}
			}
		}
		want["revenue_qtd "+month] = qtd
		want["leads_30d "+month] = big.NewRat(leads, 1)
		want["open_pipeline "+month] = big.NewRat(open, 1)
	}
	// Cohorts: each deal in the month it was created; won within 30 days
	// (calendar days in Moscow), and the days it took whenever it was won.
	created, won := map[string]time.Time{}, map[string]time.Time{}
	for _, e := range events {
		deal, _ := e.Attrs["deal"].(string)
		switch e.Kind {
		case "deal.created":
			created[deal] = e.Time.In(msk)
		case "deal.won":
			if w, ok := won[deal]; !ok || e.Time.Before(w) {
				won[deal] = e.Time.In(msk)
			}
		}
	}
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	for _, month := range []string{"2025-02-01", "2025-03-01"} {
		var n, in30 int64
		var days []*big.Rat
		for deal, c := range created {
			if c.Format("2006-01") != month[:7] {
				continue
			}
			n++
			w, ok := won[deal]
			if !ok {
				continue
			}
			d := int64(day(w).Sub(day(c)).Hours() / 24)
			days = append(days, big.NewRat(d, 1))
			if d <= 30 {
				in30++
			}
		}
		want["won_in_30d "+month] = big.NewRat(in30, 1)
		want["cohort_conversion "+month] = big.NewRat(in30*100, n)
		if len(days) > 0 {
			want["cohort_days_to_close "+month] = exampletest.Percentile(days, big.NewRat(1, 2))
		}
	}
	if len(want) < 20 {
		t.Fatalf("only %d numbers to check", len(want))
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: not in the report", k)
			continue
		}
		d := decimal.RequireFromString(g)
		wd, _ := decimal.NewFromString(w.FloatString(20))
		// A non-terminating ratio keeps 16 significant digits.
		if d.Sub(wd).Abs().GreaterThan(decimal.New(1, -10)) {
			t.Errorf("%s = %s, want %s", k, g, w.FloatString(10))
		}
	}
}
