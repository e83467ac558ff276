package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/examples/internal/exampletest"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func TestGolden(t *testing.T) {
	exampletest.CheckTableAndJSON(t, run)
}

// rat is the exact rational of a decimal.
func rat(d decimal.Decimal) *big.Rat { return exampletest.Rat(d.String()) }

// TestByHand recomputes the key numbers apart from the engine, from the
// generated events with plain loops and exact rationals: each department's
// 2024 revenue and its share of the yearly target (largest remainder in
// kopecks, by hand), each department's revenue of 2025 and of May (the
// month of the move), and the second quarter's deals of the person who
// moved, on each side of the move.
func TestByHand(t *testing.T) {
	rep, err := evaluate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	ru, err := period.BuiltinWorkCalendar("RU")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := period.NewCalendar(moscow, period.WithWorkdays(ru))
	if err != nil {
		t.Fatal(err)
	}
	home := map[string]string{}
	for _, p := range people {
		home[p.id] = map[byte]string{'n': "north", 's': "south", 'k': "key_accounts"}[p.id[0]]
	}
	move := date.New(2025, 5, 15)
	unitOn := func(user string, d date.Date) string {
		if user == "s04" && d >= move {
			return "north"
		}
		return home[user]
	}
	units := []string{"north", "south", "key_accounts"}
	rev24 := map[string]*big.Rat{}
	rev25 := map[string]*big.Rat{}
	revMay := map[string]*big.Rat{}
	for _, u := range units {
		rev24[u], rev25[u], revMay[u] = new(big.Rat), new(big.Rat), new(big.Rat)
	}
	wonQ2 := map[string]int{} // s04 in each unit
	for _, e := range generate(cal) {
		l := e.Time.In(moscow)
		d := date.New(l.Year(), l.Month(), l.Day())
		u := unitOn(e.Actor, d)
		if e.Kind == "deal.won" {
			switch {
			case l.Year() == 2024:
				rev24[u].Add(rev24[u], rat(e.Amount.Decimal))
			case l.Year() == 2025:
				rev25[u].Add(rev25[u], rat(e.Amount.Decimal))
				if l.Month() == 5 {
					revMay[u].Add(revMay[u], rat(e.Amount.Decimal))
				}
				if e.Actor == "s04" && l.Month() >= 4 && l.Month() <= 6 {
					wonQ2[u]++
				}
			}
		}
	}
	// The history split of 60 000 000.00 in kopecks, by largest remainder.
	total := new(big.Rat)
	for _, u := range units {
		total.Add(total, rev24[u])
	}
	kopecks := big.NewInt(6_000_000_000)
	quota := map[string]*big.Int{}
	rem := map[string]*big.Rat{}
	given := new(big.Int)
	for _, u := range units {
		q := new(big.Rat).Quo(new(big.Rat).Mul(new(big.Rat).SetInt(kopecks), rev24[u]), total)
		whole := new(big.Int).Quo(q.Num(), q.Denom())
		quota[u] = whole
		rem[u] = new(big.Rat).Sub(q, new(big.Rat).SetInt(whole))
		given.Add(given, whole)
	}
	left := new(big.Int).Sub(kopecks, given).Int64()
	order := slices.Clone(units)
	slices.SortStableFunc(order, func(a, b string) int { return rem[b].Cmp(rem[a]) })
	for _, u := range order[:left] {
		quota[u].Add(quota[u], big.NewInt(1))
	}
	root := rep.Cascade.Trees[0].Root
	byID := map[string]*cascade.Node{}
	for _, tr := range rep.Cascade.Trees {
		tr.Root.Walk(func(n *cascade.Node) { byID[tr.Cascade+" "+n.Path+" "+n.ID] = n })
	}
	node := func(tree, id string) *cascade.Node {
		for k, n := range byID {
			if strings.HasPrefix(k, tree+" ") && n.ID == id {
				return n
			}
		}
		t.Fatalf("%s: no node %s", tree, id)
		return nil
	}
	for _, u := range units {
		n := node("revenue_2025", u+" 2025")
		want := new(big.Rat).SetFrac(quota[u], big.NewInt(100))
		if rat(n.Target.Decimal).Cmp(want) != 0 {
			t.Errorf("%s: target %s, by hand %s", u, n.Target.Decimal, want.FloatString(2))
		}
		if rat(n.Actual.Decimal).Cmp(rev25[u]) != 0 {
			t.Errorf("%s: 2025 revenue %s, by hand %s", u, n.Actual.Decimal, rev25[u].FloatString(2))
		}
		may := node("revenue_2025", u+" 2025-05")
		if rat(may.Actual.Decimal).Cmp(revMay[u]) != 0 {
			t.Errorf("%s: May revenue %s, by hand %s", u, may.Actual.Decimal, revMay[u].FloatString(2))
		}
		// Every month's weeks add up to the month, every quarter's months
		// to the quarter.
		n.Walk(func(m *cascade.Node) {
			if len(m.Children) == 0 {
				return
			}
			sum := decimal.Zero
			for _, c := range m.Children {
				sum = sum.Add(c.Target.Decimal)
			}
			if !sum.Equal(m.Target.Decimal) {
				t.Errorf("%s: children's targets add up to %s, not %s", m.ID, sum, m.Target.Decimal)
			}
		})
	}
	sum := decimal.Zero
	for _, c := range root.Children {
		sum = sum.Add(c.Target.Decimal)
	}
	if !sum.Equal(decimal.NewFromInt(60_000_000)) {
		t.Errorf("departments' targets add up to %s", sum)
	}
	// The person who moved: deals before the move with South, after with
	// North.
	var s04 []*cascade.Node
	for _, tr := range rep.Cascade.Trees {
		if tr.Cascade == "deals_q2" {
			tr.Root.Walk(func(n *cascade.Node) {
				if n.Participant == "s04" {
					s04 = append(s04, n)
				}
			})
		}
	}
	if len(s04) != 2 {
		t.Fatalf("s04 has %d nodes in deals_q2, want 2 (north and south)", len(s04))
	}
	for i, u := range []string{"north", "south"} {
		if got := s04[i].Actual.Decimal; !got.Equal(decimal.NewFromInt(int64(wonQ2[u]))) {
			t.Errorf("s04 in %s: %s deals, by hand %d", u, got, wonQ2[u])
		}
	}
	if len(rep.Cascade.Issues) != 1 || rep.Cascade.Issues[0].Msg != "children's targets add up to 14 880 000 of 15 000 000 (unallocated: 120 000)" {
		t.Errorf("issues: %v", rep.Cascade.Issues)
	}
}

// TestDocsReport checks the cascade section docs/cascade.md shows (section
// Report) against the example's report (testdata/report.golden.json):
// every value the page shows is the report's at the same place, where "…"
// stands for keys or list elements left out.
func TestDocsReport(t *testing.T) {
	block := exampletest.DocsBlock(t, "cascade.md", "```json", "\"cascade\": {")
	var shown, report map[string]any
	if err := json.Unmarshal([]byte("{"+block+"}"), &shown); err != nil {
		t.Fatalf("docs/cascade.md: the cascade section is not JSON: %v", err)
	}
	golden, err := os.ReadFile(filepath.Join("testdata", "report.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(golden, &report); err != nil {
		t.Fatal(err)
	}
	docsShows(t, "", shown, report)
}

// docsShows reports where shown, a value of the page, is not got, the
// report's at path.
func docsShows(t *testing.T, path string, shown, got any) {
	t.Helper()
	switch s := shown.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("docs/cascade.md shows an object at %s, the report has %v", path, got)
			return
		}
		for k, v := range s {
			if k != "…" {
				docsShows(t, path+"."+k, v, g[k])
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			t.Errorf("docs/cascade.md shows a list at %s, the report has %v", path, got)
			return
		}
		for i, v := range s {
			if v == "…" {
				return
			}
			if i >= len(g) {
				t.Errorf("docs/cascade.md shows %s[%d], the report has %d elements", path, i, len(g))
				return
			}
			docsShows(t, fmt.Sprintf("%s[%d]", path, i), v, g[i])
		}
		if len(s) != len(g) {
			t.Errorf("docs/cascade.md shows %d elements at %s with no \"…\", the report has %d", len(s), path, len(g))
		}
	default:
		if !reflect.DeepEqual(shown, got) {
			t.Errorf("docs/cascade.md shows %s = %v, the report has %v", path, shown, got)
		}
	}
}
