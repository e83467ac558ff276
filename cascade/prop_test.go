package cascade_test

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"testing"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Every split adds back to the whole exactly, and no part is more than one
// unit from its exact quota.
func TestSplitConserves(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		places := rapid.IntRange(0, 4).Draw(t, "places")
		units := rapid.Int64Range(-1_000_000_000, 1_000_000_000).Draw(t, "units")
		total := decimal.New(units, int32(-places))
		n := rapid.IntRange(1, 20).Draw(t, "n")
		ws := make([]decimal.Decimal, n)
		sum := decimal.Zero
		for i := range ws {
			ws[i] = decimal.New(rapid.Int64Range(0, 100_000).Draw(t, "w"), -rapid.Int32Range(0, 3).Draw(t, "wexp"))
			sum = sum.Add(ws[i])
		}
		parts, err := score.Split(total, ws, int32(places))
		if sum.IsZero() {
			if err == nil {
				t.Fatal("zero weights split")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		got := decimal.Zero
		unit := decimal.New(1, int32(-places))
		for i, p := range parts {
			got = got.Add(p)
			if !p.Shift(int32(places)).IsInteger() {
				t.Fatalf("part %s is not whole units", p)
			}
			// |p - total·w/sum| < 1 unit, checked exactly: |p·sum - total·w| < unit·sum.
			diff := p.Mul(sum).Sub(total.Mul(ws[i])).Abs()
			if diff.Cmp(unit.Mul(sum)) >= 0 {
				t.Fatalf("part %d = %s is a unit or more from its quota", i, p)
			}
		}
		if !got.Equal(total) {
			t.Fatalf("parts add up to %s, not %s", got, total)
		}
	})
}

// Splits over time by days add up too, for any period and grain.
func TestTimeSplitConserves(t *testing.T) {
	e := newEnv(t)
	rapid.Check(t, func(t *rapid.T) {
		start := d("2024-01-01") + date.Date(rapid.IntRange(0, 700).Draw(t, "start"))
		g := rapid.SampledFrom([]period.Grain{period.Year, period.Quarter, period.Month}).Draw(t, "grain")
		p := e.cal.Containing(g, start)
		into := rapid.SampledFrom([]period.Grain{period.Week, period.Day, period.Month}).Draw(t, "into")
		m := rapid.SampledFrom([]cascade.Method{cascade.Even, cascade.CalendarDays, cascade.WorkingDays}).Draw(t, "by")
		total := decimal.New(rapid.Int64Range(0, 1e12).Draw(t, "total"), -2)
		parts, vals, err := cascade.TimeSplit(e.cal, p, into, total, m, 2)
		if err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		for i, v := range vals {
			sum = sum.Add(v)
			if i > 0 && parts[i].Start != parts[i-1].End {
				t.Fatalf("parts do not tile: %v %v", parts[i-1], parts[i])
			}
		}
		if !sum.Equal(total) || parts[0].Start != p.Start || parts[len(parts)-1].End != p.End {
			t.Fatalf("split of %s into %s adds up to %s, not %s", e.cal.Label(p), into, sum, total)
		}
	})
}

// propWorld is a random company: users u0..u5 in the units sales (with
// sales_a below it) and support, some of them moving once in the quarter,
// and random deals.
type propWorld struct {
	dir    *memory.Directory
	moves  map[string]move
	home   map[string]string
	events events
}

type move struct {
	to string
	on date.Date
}

var propUnits = []org.Unit{{ID: "sales"}, {ID: "sales_a", Parent: "sales"}, {ID: "support"}}

func drawWorld(t *rapid.T, e env) propWorld {
	w := propWorld{moves: map[string]move{}, home: map[string]string{}}
	var ms []org.Membership
	for i := range 6 {
		u := fmt.Sprintf("u%d", i)
		w.home[u] = rapid.SampledFrom([]string{"sales", "sales_a", "support"}).Draw(t, "unit")
		ms = append(ms, org.Membership{User: u, Unit: w.home[u]})
	}
	dir, err := memory.NewDirectory(propUnits, ms)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		u := fmt.Sprintf("u%d", i)
		if rapid.Bool().Draw(t, "moves") {
			mv := move{rapid.SampledFrom([]string{"sales", "sales_a", "support"}).Draw(t, "to"), d("2025-01-01") + date.Date(rapid.IntRange(1, 89).Draw(t, "on"))}
			if err := dir.Move(u, mv.to, mv.on); err != nil {
				t.Fatal(err)
			}
			w.moves[u] = mv
		}
	}
	w.dir = dir
	n := rapid.IntRange(0, 60).Draw(t, "events")
	for i := range n {
		kind := rapid.SampledFrom([]string{"deal.won", "deal.created"}).Draw(t, "kind")
		day := d("2025-01-01") + date.Date(rapid.IntRange(0, 89).Draw(t, "day"))
		amount := ""
		if kind == "deal.won" {
			amount = decimal.New(rapid.Int64Range(1, 1_000_000).Draw(t, "amount"), -2).String()
		}
		w.events = append(w.events, e.event(fmt.Sprint(i), kind, fmt.Sprintf("u%d", rapid.IntRange(0, 5).Draw(t, "actor")), day.String(), amount))
	}
	return w
}

// unitOn is the unit the user belongs to on the date.
func (w propWorld) unitOn(user string, day date.Date) string {
	if mv, ok := w.moves[user]; ok && day >= mv.on {
		return mv.to
	}
	return w.home[user]
}

// inUnit reports whether the unit or a unit below it holds the user that day.
func (w propWorld) inUnit(unit, user string, day date.Date) bool {
	u := w.unitOn(user, day)
	return u == unit || unit == "sales" && u == "sales_a"
}

// orgTree is company → units → months of the quarter, on an indicator.
func orgTree(ind string) cascade.Def {
	return cascade.Def{ID: "t", Indicator: ind, Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("1000"),
		Split: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits,
			Then: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits}},
		Children: []cascade.NodeDef{{ID: "jan", Period: "2025-01"}, {ID: "feb", Period: "2025-02"}, {ID: "mar", Period: "2025-03"}}}}
}

// An additive roll-up equals a direct evaluation of the union of the
// children's events, and the children of a partition add up to the parent;
// a ratio roll-up is Σnumerator / Σdenominator and an average Σamount /
// count over the subtree's events.
func TestRollupRecomputes(t *testing.T) {
	e := newEnv(t)
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t, e)
		for _, ind := range []string{"revenue", "conversion", "avg_deal"} {
			s := e.compile(t, orgTree(ind))
			res := mustEvaluate(t, s, w.events, w.dir)
			root := res.Trees[0].Root
			root.Walk(func(n *cascade.Node) {
				// By hand: the events of the node's participant and period.
				rev, won, created := new(big.Rat), 0, 0
				for _, ev := range w.events {
					day := e.cal.Date(ev.Time)
					if !n.Period.Contains(day) || n.Kind == cascade.UnitKind && !w.inUnit(n.Participant, ev.Actor, day) {
						continue
					}
					switch ev.Kind {
					case "deal.won":
						won++
						r, _ := new(big.Rat).SetString(ev.Amount.Decimal.String())
						rev.Add(rev, r)
					case "deal.created":
						created++
					}
				}
				switch ind {
				case "revenue":
					got, _ := new(big.Rat).SetString(n.Actual.Decimal.String())
					if !n.Actual.Valid || got.Cmp(rev) != 0 {
						t.Fatalf("%s: revenue %v, by hand %s", n.ID, n.Actual, rev.FloatString(2))
					}
				case "avg_deal": // recomputed from the subtree's events, never averaged
					if won == 0 {
						if n.Actual.Valid {
							t.Fatalf("%s: average %s of no deals", n.ID, n.Actual.Decimal)
						}
						break
					}
					want := new(big.Rat).Quo(rev, big.NewRat(int64(won), 1))
					got, _ := new(big.Rat).SetString(n.Actual.Decimal.String())
					diff := new(big.Rat).Sub(got, want)
					if diff.Abs(diff).Cmp(big.NewRat(1, 1e9)) > 0 {
						t.Fatalf("%s: average deal %v, by hand %s", n.ID, n.Actual, want.FloatString(12))
					}
				case "conversion":
					if created == 0 {
						if n.Actual.Valid {
							t.Fatalf("%s: conversion %s of no deals created", n.ID, n.Actual.Decimal)
						}
						break
					}
					want := decimal.NewFromInt(int64(won)).DivRound(decimal.NewFromInt(int64(created)), 30)
					if !n.Actual.Valid || n.Actual.Decimal.Sub(want).Abs().Cmp(decimal.New(1, -14)) > 0 {
						t.Fatalf("%s: conversion %v, by hand %d/%d", n.ID, n.Actual, won, created)
					}
				}
			})
			if ind == "revenue" {
				// The months tile the quarter; sales and support hold everyone.
				sum := decimal.Zero
				for _, m := range root.Children[:3] {
					sum = sum.Add(m.Actual.Decimal)
				}
				org := find(t, root, "sales 2025-Q1").Actual.Decimal.Add(find(t, root, "support 2025-Q1").Actual.Decimal)
				if !sum.Equal(root.Actual.Decimal) || !org.Equal(root.Actual.Decimal) {
					t.Fatalf("months add up to %s and units to %s, the quarter is %s", sum, org, root.Actual.Decimal)
				}
			}
		}
	})
}

// Moving a person changes only the periods after the move: with the move on
// another day, every node whose period ends before both days is unchanged.
func TestMoveChangesOnlyLaterPeriods(t *testing.T) {
	e := newEnv(t)
	def := cascade.Def{ID: "t", Indicator: "revenue", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("1000"),
		Split: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits,
			Then: &cascade.SplitDef{By: cascade.Even, Into: "month", Then: &cascade.SplitDef{By: cascade.Even, Into: "week"}}}}}
	s := e.compile(t, def)
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t, e)
		on1 := d("2025-01-01") + date.Date(rapid.IntRange(1, 89).Draw(t, "on1"))
		on2 := d("2025-01-01") + date.Date(rapid.IntRange(1, 89).Draw(t, "on2"))
		facts := func(on date.Date) map[string]decimal.NullDecimal {
			var ms []org.Membership
			for u, h := range w.home {
				if u == "u0" {
					continue
				}
				ms = append(ms, org.Membership{User: u, Unit: h})
			}
			ms = append(ms, org.Membership{User: "u0", Unit: "sales", To: on}, org.Membership{User: "u0", Unit: "support", From: on})
			res := mustEvaluate(t, s, w.events, enginetest.Directory(propUnits, ms))
			out := map[string]decimal.NullDecimal{}
			res.Trees[0].Root.Walk(func(n *cascade.Node) { out[n.Path] = n.Actual })
			return out
		}
		f1, f2 := facts(on1), facts(on2)
		cut := min(on1, on2)
		res, _ := evaluate(s, w.events, w.dir)
		res.Trees[0].Root.Walk(func(n *cascade.Node) {
			if n.Period.End <= cut && !f1[n.Path].Decimal.Equal(f2[n.Path].Decimal) {
				t.Fatalf("%s ends %s, before both moves (%s, %s), yet changed: %s → %s", n.ID, n.Period.End, on1, on2, f1[n.Path].Decimal, f2[n.Path].Decimal)
			}
			if n.Kind == cascade.Company && !f1[n.Path].Decimal.Equal(f2[n.Path].Decimal) {
				t.Fatalf("the company's %s changed with a move inside it", n.ID)
			}
		})
	})
}

// What Prune keeps of a node the viewer may not see is its plan only: for
// any viewer (a set of participants) and any tree, by measure or weighted,
// split by history or evenly, a kept node is as it was (but its share of a
// hidden parent's actual, by measure), and a hidden ancestor that holds it
// has no actual, achievement, weight, share or contribution; every node
// the viewer sees is there.
func TestPruneShowsNoHiddenFact(t *testing.T) {
	e := newEnv(t)
	participants := []string{"*", "sales", "sales_a", "support", "u0", "u1", "u2", "u3", "u4", "u5"}
	rapid.Check(t, func(t *rapid.T) {
		w := drawWorld(t, e)
		by := rapid.SampledFrom([]cascade.Method{cascade.History, cascade.Even}).Draw(t, "by")
		history := "" // read only by history
		if by == cascade.History {
			history = "2025-02"
		}
		def := cascade.Def{ID: "t", Indicator: "revenue", Rollup: rapid.SampledFrom([]cascade.Rollup{cascade.Measure, cascade.ByWeights, cascade.TargetShare}).Draw(t, "rollup"),
			Root: cascade.NodeDef{Period: "2025-03", Target: dp("1000"),
				Split: &cascade.SplitDef{By: by, Into: cascade.IntoUnits, History: history,
					Then: &cascade.SplitDef{By: by, Into: cascade.IntoMembers, History: history}}}}
		res := mustEvaluate(t, e.compile(t, def), w.events, w.dir)
		sees := map[string]bool{}
		for _, p := range participants {
			sees[p] = rapid.Bool().Draw(t, "sees "+p)
		}
		keep := func(n *cascade.Node) bool { return sees[n.Participant] }
		pruned := res.Prune(keep)
		measure := def.Rollup == cascade.Measure
		var check func(orig, got *cascade.Node, parentSeen bool)
		check = func(orig, got *cascade.Node, parentSeen bool) {
			hidden := []decimal.NullDecimal{got.Actual, got.Achievement, got.Weight, got.Share, got.Contribution}
			if !keep(orig) {
				for i, v := range hidden {
					if v.Valid || got.Met {
						t.Fatalf("hidden %s shows fact %d: %s (met %v)", got.ID, i, v.Decimal, got.Met)
					}
				}
			} else {
				share := orig.Share
				if measure && !parentSeen {
					share = decimal.NullDecimal{}
				}
				want := []decimal.NullDecimal{orig.Actual, orig.Achievement, orig.Weight, share, orig.Contribution}
				for i := range want {
					if want[i].Valid != hidden[i].Valid || want[i].Valid && !want[i].Decimal.Equal(hidden[i].Decimal) {
						t.Fatalf("kept %s: fact %d is %v, want %v", got.ID, i, hidden[i], want[i])
					}
				}
			}
			if got.Target.Valid != orig.Target.Valid || got.Target.Valid && !got.Target.Decimal.Equal(orig.Target.Decimal) {
				t.Fatalf("%s: target %v, want the plan's %v", got.ID, got.Target, orig.Target)
			}
			k := 0
			for _, oc := range orig.Children {
				kept := false
				oc.Walk(func(n *cascade.Node) { kept = kept || keep(n) })
				if !kept {
					continue
				}
				if k >= len(got.Children) || got.Children[k].Path != oc.Path {
					t.Fatalf("%s: child %s, which holds a node the viewer sees, is not kept", got.ID, oc.ID)
				}
				check(oc, got.Children[k], keep(orig))
				k++
			}
			if k != len(got.Children) {
				t.Fatalf("%s: %d children kept, want %d", got.ID, len(got.Children), k)
			}
		}
		kept := false
		res.Trees[0].Root.Walk(func(n *cascade.Node) { kept = kept || keep(n) })
		if !kept {
			if len(pruned.Trees) != 0 {
				t.Fatal("a tree with no node the viewer sees is kept")
			}
			return
		}
		check(res.Trees[0].Root, pruned.Trees[0].Root, true)
	})
}

// A node's actual is its participant's, whatever the host's ids: renaming
// every unit and user to ids that hold a "/", a quote or the cascade's own
// group prefixes ("unit:", "member:", "user:") changes no actual. A count
// of the events, by hand, is the reference: each event counts for the
// people's nodes of its actor and the units the actor belongs to, and an
// actor outside the directory whose id is a group's as the evaluation once
// named them ("unit:sales") only for the company.
func TestPropIdsAreOpaque(t *testing.T) {
	e := newEnv(t)
	rapid.Check(t, func(t *rapid.T) {
		odd := []string{"/", "unit:", "member:", "user:", `"`, "a/b", "unit:a", "member:\"a\"/", ""}
		name := func(kind string, i int) string {
			return rapid.SampledFrom(odd).Draw(t, fmt.Sprintf("%s%d prefix", kind, i)) + fmt.Sprintf("%s%d", kind, i) +
				rapid.SampledFrom(odd).Draw(t, fmt.Sprintf("%s%d suffix", kind, i))
		}
		nu, np := rapid.IntRange(1, 3).Draw(t, "units"), rapid.IntRange(1, 4).Draw(t, "people")
		var units []org.Unit
		for i := range nu {
			units = append(units, org.Unit{ID: name("u", i)})
		}
		var ms []org.Membership
		var people []string
		member := map[string]string{} // person → unit
		for i := range np {
			p := name("p", i)
			people = append(people, p)
			u := units[rapid.IntRange(0, nu-1).Draw(t, fmt.Sprint("unit of ", i))].ID
			ms, member[p] = append(ms, org.Membership{User: p, Unit: u}), u
		}
		// Actors outside the directory whose ids are what the evaluation
		// once named its groups: their events are the company's alone.
		actors := slices.Clone(people)
		for _, u := range units {
			actors = append(actors, "unit:"+u.ID)
		}
		for _, p := range people {
			actors = append(actors, "user:"+p, "member:"+strconv.Quote(member[p])+"/"+p)
		}
		var evs events
		won := map[string]int{}
		for i := range rapid.IntRange(0, 8).Draw(t, "events") {
			p := rapid.SampledFrom(actors).Draw(t, fmt.Sprint("actor ", i))
			evs = append(evs, e.event(fmt.Sprint("e", i), "deal.won", p, "2025-02-10", ""))
			won[p]++
		}
		var children []cascade.NodeDef
		for _, u := range units {
			children = append(children, cascade.NodeDef{Unit: u.ID, Split: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoMembers}})
		}
		for _, p := range people {
			children = append(children, cascade.NodeDef{User: p})
		}
		s := e.compile(t, cascade.Def{ID: "won_q1", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("100"), Children: children}})
		res := mustEvaluate(t, s, evs, enginetest.Directory(units, ms))
		res.Trees[0].Root.Walk(func(n *cascade.Node) {
			want := 0
			switch n.Kind {
			case cascade.Company:
				want = len(evs)
			case cascade.UnitKind:
				for p, u := range member {
					if u == n.Participant {
						want += won[p]
					}
				}
			case cascade.UserKind:
				want = won[n.Participant]
			}
			if !n.Actual.Valid || n.Actual.Decimal.IntPart() != int64(want) {
				t.Fatalf("%s (%s %q): actual %v, want %d", n.Path, n.Kind, n.Participant, n.Actual, want)
			}
		})
	})
}
