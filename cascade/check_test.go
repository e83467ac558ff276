package cascade_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

func intp(n int) *int { return &n }

// Every compile problem, with its full text.
func TestCompileProblems(t *testing.T) {
	e := newEnv(t)
	root := func(n cascade.NodeDef) cascade.Def {
		if n.Period == "" {
			n.Period = "2025"
		}
		if !score.Optional(n.Target).Valid {
			n.Target = dp("100")
		}
		return cascade.Def{ID: "c", Indicator: "won", Root: n}
	}
	months := &cascade.SplitDef{By: cascade.Even, Into: "month"}
	tests := []struct {
		name string
		defs []cascade.Def
		want string
	}{
		{"required", []cascade.Def{{}},
			"cascades[0].id: id is required\ncascades[0].indicator: indicator is required\ncascades[0].root.period: the root's period is required (a label such as 2025)\ncascades[0].root.target: the root's target is required"},
		{"bad id and duplicate", []cascade.Def{root(cascade.NodeDef{}), root(cascade.NodeDef{}), {ID: "Bad", Indicator: "won", Root: cascade.NodeDef{Period: "2025", Target: dp("1")}}},
			"cascades[1].id: cascade \"c\" is already defined at cascades[0]\ncascades[2].id: id \"Bad\" must match [a-z][a-z0-9_]*"},
		{"enums", []cascade.Def{{ID: "c", Indicator: "nope", Direction: "up", Rollup: "average", Places: intp(12), Root: cascade.NodeDef{Period: "2025", Target: dp("1")}}},
			"cascades[0].direction: direction must be higher or lower, got \"up\"\ncascades[0].indicator: unknown indicator \"nope\"\ncascades[0].places: places must be 0..9, got 12\ncascades[0].rollup: rollup must be measure, weights or target_share, got \"average\""},
		{"period outside the parent", []cascade.Def{root(cascade.NodeDef{Children: []cascade.NodeDef{{Period: "2025-12"}, {Period: "2026-01"}, {Period: "2025-13"}}})},
			"cascades[0].root.children[1].period: period 2026-01 [2026-01-01, 2026-02-01) is outside the parent's 2025 [2025-01-01, 2026-01-01)\ncascades[0].root.children[2].period: label \"2025-13\": month must be 1..12, got 13"},
		{"unit and user", []cascade.Def{root(cascade.NodeDef{Children: []cascade.NodeDef{{Unit: "sales", User: "u1"}}})},
			"cascades[0].root.children[0].user: a node is a unit or a user, not both"},
		// "*" is the company's row: a user "*" was evaluated as the company.
		{"the company as a participant", []cascade.Def{root(cascade.NodeDef{Children: []cascade.NodeDef{{User: "*"}, {Unit: "*"}}})},
			"cascades[0].root.children[0].user: user \"*\" is the whole company: leave unit and user out for the company's node\n" +
				"cascades[0].root.children[1].unit: unit \"*\" is the whole company: leave unit and user out for the company's node"},
		// No event's actor has such an id: the node could never count one.
		{"ids no actor has", []cascade.Def{root(cascade.NodeDef{Children: []cascade.NodeDef{{User: "u\n1"}, {Unit: "sales\xff"}}})},
			"cascades[0].root.children[0].user: user \"u\\n1\" is not an id: it has a control character (U+000A)\n" +
				"cascades[0].root.children[1].unit: unit \"sales\\xff\" is not an id: it is not valid UTF-8"},
		{"unit mismatch", []cascade.Def{{ID: "c", Indicator: "revenue", Root: cascade.NodeDef{Period: "2025", Target: dp("100"),
			Children: []cascade.NodeDef{{Indicator: "won"}, {Indicator: "avg_deal"}, {Indicator: "nope"}}}}},
			"cascades[0].root.children[0].indicator: indicator won is in count, the parent's revenue in money: a roll-up by measure needs the same quantity (set rollup: weights or target_share)\n" +
				"cascades[0].root.children[1].indicator: indicator avg_deal aggregates by avg, the parent's revenue by sum: a roll-up by measure needs the same quantity (set rollup: weights or target_share)\n" +
				"cascades[0].root.children[2].indicator: unknown indicator \"nope\""},
		// An unknown indicator near a known one says which, as every
		// unknown name of a plan does.
		{"did you mean", []cascade.Def{{ID: "c", Indicator: "revenu", Root: cascade.NodeDef{Period: "2025", Target: dp("100"),
			Children: []cascade.NodeDef{{Indicator: "Calls"}, {Indicator: "wn"}}}}},
			"cascades[0].indicator: unknown indicator \"revenu\" (did you mean \"revenue\"?)\n" +
				"cascades[0].root.children[0].indicator: unknown indicator \"Calls\" (did you mean \"calls\"?)\n" +
				"cascades[0].root.children[1].indicator: unknown indicator \"wn\" (did you mean \"won\"?)"},
		{"negative numbers", []cascade.Def{root(cascade.NodeDef{Children: []cascade.NodeDef{{Target: dp("-1"), Weight: dp("-2")}},
			Split: &cascade.SplitDef{By: cascade.Seasonal, Into: "month", Profile: []decimal.Decimal{dec("-1")}, Weights: map[string]decimal.Decimal{"x": dec("-3")}}})},
			"cascades[0].root.children[0].target: target must not be negative\ncascades[0].root.children[0].weight: weight must not be negative\n" +
				"cascades[0].root.split.profile[0]: weight -1 is negative\n" +
				"cascades[0].root.split.weights: weights apply to by: weights or capacity; by: seasonal does not read them\n" +
				"cascades[0].root.split.weights.x: weight -3 is negative"},
		// Long weights are quoted shortened, as formula's errors quote a
		// long number.
		{"long negative weights", []cascade.Def{root(cascade.NodeDef{
			Split: &cascade.SplitDef{By: cascade.Seasonal, Into: "month", Profile: append([]decimal.Decimal{decimal.New(-1, -10000)}, slices.Repeat([]decimal.Decimal{dec("1")}, 11)...)}}),
			root(cascade.NodeDef{Split: &cascade.SplitDef{By: cascade.Weights, Into: "month", Weights: map[string]decimal.Decimal{"2025-01": decimal.New(-7, -5000)}}})},
			"cascades[0].root.split.profile[0]: weight -1e-10000 is negative\n" +
				"cascades[1].id: cascade \"c\" is already defined at cascades[0]\n" +
				"cascades[1].root.split.weights.2025-01: weight -7e-5000 is negative"},
		{"split rules", []cascade.Def{
			root(cascade.NodeDef{Split: &cascade.SplitDef{}}),
			root(cascade.NodeDef{Split: &cascade.SplitDef{By: "random", Into: "fortnight"}}),
			root(cascade.NodeDef{User: "u1", Split: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits}}),
			root(cascade.NodeDef{Split: &cascade.SplitDef{By: cascade.WorkingDays, Into: cascade.IntoMembers}}),
			root(cascade.NodeDef{Split: &cascade.SplitDef{By: cascade.Seasonal, Into: "month"}}),
			root(cascade.NodeDef{Split: &cascade.SplitDef{By: cascade.Weights}, Children: []cascade.NodeDef{{Unit: "a"}}}),
			root(cascade.NodeDef{Split: &cascade.SplitDef{By: cascade.History, History: "last year", Then: months}, Children: []cascade.NodeDef{{Unit: "a"}}}),
			root(cascade.NodeDef{Split: &cascade.SplitDef{By: cascade.Even, Into: "month", Then: &cascade.SplitDef{By: "odd"}}}),
		}, strings.Join([]string{
			"cascades[0].root.split.by: by is required: even, weights, history, capacity, calendar_days, working_days, seasonal",
			"cascades[0].root.split.into: a split needs children: declare them or generate them with into",
			"cascades[1].id: cascade \"c\" is already defined at cascades[0]",
			"cascades[1].root.split.by: unknown split \"random\": even, weights, history, capacity, calendar_days, working_days, seasonal",
			"cascades[1].root.split.into: into must be units, members or a grain (day, week, month, quarter, …), got \"fortnight\"",
			"cascades[2].id: cascade \"c\" is already defined at cascades[0]",
			"cascades[2].root.split.into: a user has no units below",
			"cascades[3].id: cascade \"c\" is already defined at cascades[0]",
			"cascades[3].root.split.by: working_days splits over time, not into members",
			"cascades[3].root.split.into: into members needs a node with a unit",
			"cascades[4].id: cascade \"c\" is already defined at cascades[0]",
			"cascades[4].root.split.profile: a seasonal split needs a profile: one weight per child",
			"cascades[5].id: cascade \"c\" is already defined at cascades[0]",
			"cascades[5].root.split.weights: a split by weights needs weights (or a weight on every child)",
			"cascades[6].id: cascade \"c\" is already defined at cascades[0]",
			"cascades[6].root.split.history: label \"last year\": not a period label (want 2025, 2025-03, 2025-03-14, 2025-W14, 2025-Q2, FY2026, FY2026-Q1 or 2025-03-14/P10D)",
			"cascades[6].root.split.then: then applies to generated children: set into",
			"cascades[7].id: cascade \"c\" is already defined at cascades[0]",
			"cascades[7].root.split.then.by: unknown split \"odd\": even, weights, history, capacity, calendar_days, working_days, seasonal",
			"cascades[7].root.split.then.into: then splits generated children, which have none of their own: generate them with into",
		}, "\n")},
		// A node without children of its own has the parts of into alone:
		// a profile of another length split evenly at every evaluation.
		{"a profile of another length than the parts", []cascade.Def{root(cascade.NodeDef{Period: "2025-Q1", Split: &cascade.SplitDef{By: cascade.Seasonal, Into: "month", Profile: []decimal.Decimal{dec("1")}}})},
			"cascades[0].root.split.profile: the profile has 1 weights, 2025-Q1 splits into 3 month periods: one weight per child"},
		// A target finer than the places can never be split in whole
		// units: it was a split_failed issue at every evaluation. A
		// declared child's is taken from the parent's before the rest is
		// split, and is reported once, where it is declared.
		{"targets finer than the places", []cascade.Def{
			root(cascade.NodeDef{Target: dp("10.5"), Split: months}),
			{ID: "d", Indicator: "won", Root: cascade.NodeDef{Period: "2025", Target: dp("10"),
				Children: []cascade.NodeDef{{Unit: "sales", Target: dp("2.5"), Split: months}, {Unit: "support"}}}},
			{ID: "e", Indicator: "revenue", Places: intp(1), Root: cascade.NodeDef{Period: "2025", Target: dp("100.25"),
				Children: []cascade.NodeDef{{Unit: "sales", Target: dp("0.05")}, {Unit: "support"}}}},
		}, strings.Join([]string{
			"cascades[0].root.target: target 10.5 is finer than the cascade's places (0 decimal places): cascade c splits in whole units of 1; round it or raise places",
			"cascades[1].root.children[0].target: target 2.5 is finer than the cascade's places (0 decimal places): cascade d splits in whole units of 1; round it or raise places",
			"cascades[2].root.children[0].target: target 0.05 is finer than the cascade's places (1 decimal places): cascade e splits in whole units of 0.1; round it or raise places",
			"cascades[2].root.target: target 100.25 is finer than the cascade's places (1 decimal places): cascade e splits in whole units of 0.1; round it or raise places",
		}, "\n")},
		// A long target is quoted shortened, as formula's errors quote a
		// long number: 1e-10000 written out made a message of 10,000
		// characters.
		{"a long target finer than the places", []cascade.Def{
			root(cascade.NodeDef{Target: dp("1e-10000"), Split: months}),
			{ID: "d", Indicator: "won", Root: cascade.NodeDef{Period: "2025", Target: dp("123456789012345678901234567890.1234567891"), Split: months}},
		}, strings.Join([]string{
			"cascades[0].root.target: target 1e-10000 is finer than the cascade's places (0 decimal places): cascade c splits in whole units of 1; round it or raise places",
			"cascades[1].root.target: target 1.234567890123456…e29 is finer than the cascade's places (0 decimal places): cascade d splits in whole units of 1; round it or raise places",
		}, "\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cascade.Compile(tt.defs, cascade.Env{Calendar: e.cal, Indicators: e.inds})
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Fatalf("got:\n%s\nwant:\n%s", err, tt.want)
			}
			var ce *problem.Error
			if !asCompileError(err, &ce) {
				t.Fatalf("%T is not a *problem.Error", err)
			}
		})
	}
}

// Every issue of an evaluation, with its full text.
func TestIssues(t *testing.T) {
	e := newEnv(t)
	won := func(n cascade.NodeDef) cascade.Def {
		if n.Period == "" {
			n.Period = "2025-Q1"
		}
		return cascade.Def{ID: "c", Indicator: "won", Root: n}
	}
	tests := []struct {
		name string
		def  cascade.Def
		dir  org.Directory
		want []string
	}{
		{"under-allocated", cascade.Def{ID: "c", Indicator: "revenue", Root: cascade.NodeDef{Period: "2025", Target: dp("12000000"),
			Children: []cascade.NodeDef{{Unit: "sales", Target: dp("8000000")}, {Unit: "support", Target: dp("3880000")}}}}, sampleOrg,
			[]string{"cascades[0].root: children's targets add up to 11 880 000 of 12 000 000 (unallocated: 120 000)"}},
		{"over-allocated", won(cascade.NodeDef{Target: dp("100"), Children: []cascade.NodeDef{{Unit: "sales", Target: dp("70")}, {Unit: "support", Target: dp("40.5")}}}), sampleOrg,
			[]string{"cascades[0].root: children's targets add up to 110.5, over the target 100 (over-allocated: 10.5)"}},
		{"declared over the target", won(cascade.NodeDef{Target: dp("100"), Children: []cascade.NodeDef{{Unit: "sales", Target: dp("120")}, {Unit: "support"}}}), sampleOrg,
			[]string{"cascades[0].root: declared children's targets add up to 120, over the target 100 (over-allocated: 20): the other children get 0"}},
		{"lower is better is inherited", cascade.Def{ID: "c", Indicator: "cost", Direction: score.LowerIsBetter, Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("500"),
			Split: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits}}}, sampleOrg, nil},
		{"weights missing", won(cascade.NodeDef{Target: dp("10"), Split: &cascade.SplitDef{By: cascade.Weights, Into: cascade.IntoUnits, Weights: map[string]decimal.Decimal{"sales": dec("1")}}}), sampleOrg,
			[]string{"cascades[0].root.split.weights: no weight for support: it gets no share"}},
		{"zero weights", won(cascade.NodeDef{Target: dp("10"), Split: &cascade.SplitDef{By: cascade.History, Into: cascade.IntoUnits}}), sampleOrg,
			[]string{"cascades[0].root.split: every history weight is zero: split evenly"}},
		{"history of another length", won(cascade.NodeDef{Period: "2025-02", Target: dp("10"), Split: &cascade.SplitDef{By: cascade.History, Into: "day", History: "2025-01"}}), sampleOrg,
			[]string{"cascades[0].root.split.history: history 2025-01 has 31 day periods, company 2025-02 has 28 children: split evenly"}},
		// Beside a declared month: a profile of the months of the quarter
		// alone (of another length, without children, does not compile).
		{"profile of another length", won(cascade.NodeDef{Target: dp("10"), Split: &cascade.SplitDef{By: cascade.Seasonal, Into: "month", Profile: []decimal.Decimal{dec("1"), dec("1")}},
			Children: []cascade.NodeDef{{Period: "2025-01"}}}), sampleOrg,
			[]string{"cascades[0].root.split: the profile has 2 weights, company 2025-Q1 has 3 children: split evenly"}},
		{"another indicator needs a target", cascade.Def{ID: "c", Indicator: "won", Rollup: cascade.ByWeights, Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("10"),
			Children: []cascade.NodeDef{{Indicator: "calls"}}}}, sampleOrg,
			[]string{"cascades[0].root.children[0]: no target: company 2025-Q1 measures calls, not the parent's won; declare its target"}},
		{"units", won(cascade.NodeDef{Unit: "sales", Target: dp("10"), Children: []cascade.NodeDef{{Unit: "support"}, {Unit: "nope"}, {User: "u4"}, {User: "u2"}, {Unit: "sales_a"}}}), sampleOrg,
			[]string{"cascades[0].root.children[0]: unit support is not below the parent's unit sales",
				"cascades[0].root.children[1]: unknown unit nope",
				"cascades[0].root.children[2]: user u4 is not a member of the parent's unit sales during 2025-Q1"}},
		{"no directory", won(cascade.NodeDef{Unit: "sales", Target: dp("10")}), nil,
			[]string{"cascades[0].root: unit sales: no directory to find its members in"}},
		{"nothing generated", won(cascade.NodeDef{Unit: "sales_a", Target: dp("10"), Split: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits}}), sampleOrg,
			[]string{"cascades[0].root: into units generates no children for sales_a 2025-Q1"}},
		{"directory", won(cascade.NodeDef{Target: dp("10")}), enginetest.Directory(
			[]org.Unit{{ID: "a", Parent: "b"}, {ID: "b", Parent: "c"}, {ID: "c", Parent: "a"}, {ID: "d", Parent: "x"}, {ID: "e"}, {ID: "f", Parent: "e"}},
			[]org.Membership{{User: "u1", Unit: "e"}, {User: "u1", Unit: "f"}, {User: "u2", Unit: "e", To: d("2025-03-10")},
				{User: "u2", Unit: "d", From: d("2025-03-01")}, {User: "u3", Unit: "zz"}, {User: "u4", Unit: "e", From: d("2025-01-01")}, {User: "u4", Unit: "e", To: d("2025-02-01")}}),
			[]string{"directory.memberships[3]: u2 is in both e and d from 2025-03-01 to 2025-03-09 (memberships[2])",
				"directory.memberships[4]: membership of u3: unit zz does not exist",
				"directory.memberships[6]: u4 is in e twice from 2025-01-01 to 2025-01-31 (memberships[5])",
				"directory.units[0]: units form a cycle: a → b → c → a",
				"directory.units[3]: unit d: parent x does not exist"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := e.compile(t, tt.def)
			res := mustEvaluate(t, s, events{}, tt.dir)
			var got []string
			for _, is := range res.Issues {
				got = append(got, is.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// A unit the directory lists twice is where it is listed first, as the
// organisation reads it: a person in it and in the unit above it at once is
// not in two units.
func TestCheckDirectoryDuplicateUnit(t *testing.T) {
	units := []org.Unit{{ID: "a"}, {ID: "b", Parent: "a"}, {ID: "c"}, {ID: "b", Parent: "c"}}
	ms := []org.Membership{{User: "u", Unit: "a"}, {User: "u", Unit: "b"}}
	if got := cascade.CheckDirectory(units, ms); len(got) != 0 {
		t.Errorf("issues %v, want none", got)
	}
	ms = []org.Membership{{User: "u", Unit: "c"}, {User: "u", Unit: "b"}}
	if got := cascade.CheckDirectory(units, ms); len(got) != 1 || got[0].Code != cascade.TwoUnits {
		t.Errorf("issues %v, want u in both c and b", got)
	}
}

// The parent of a unit's repeat is not the unit's: the organisation reads
// the first listing, so a repeat that names a parent making a cycle, or one
// that does not exist, leaves the tree as it is, with no cycle and no
// orphan.
func TestCheckDirectoryRepeatsParent(t *testing.T) {
	units := []org.Unit{{ID: "a"}, {ID: "b", Parent: "a"}, {ID: "a", Parent: "b"}, {ID: "b", Parent: "zz"}, {ID: "c", Parent: "c"}}
	var got []string
	for _, p := range cascade.CheckDirectory(units, nil) {
		got = append(got, p.String())
	}
	want := []string{"directory.units[4]: units form a cycle: c → c"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	o, err := org.Load(context.Background(), enginetest.Directory(units, nil))
	if err != nil {
		t.Fatal(err)
	}
	if !o.Below("b", "a") || o.Below("a", "b") || !slices.Equal(o.Children(""), []string{"a"}) {
		t.Errorf("the organisation: b below a %v, a below b %v, roots %v", o.Below("b", "a"), o.Below("a", "b"), o.Children(""))
	}
}

// A membership whose end is at or before its start holds no date, so the
// organisation leaves it out: the directory check says so at its place, as
// it does for a membership of a unit that does not exist, and does not
// count it as a second unit.
func TestCheckDirectoryEmptyMembership(t *testing.T) {
	units := []org.Unit{{ID: "a"}, {ID: "b"}}
	ms := []org.Membership{
		{User: "u1", Unit: "a", From: d("2025-03-01"), To: d("2025-03-01")},
		{User: "u1", Unit: "b", From: d("2025-03-05"), To: d("2025-02-01")},
		{User: "u2", Unit: "a", From: d("2025-03-01"), To: d("2025-03-02")},
		{User: "u2", Unit: "b", To: d("2025-03-01")},
		{User: "u3", Unit: "zz", From: d("2025-03-01"), To: d("2025-01-01")},
	}
	want := []string{
		"directory.memberships[0]: membership of u1 in a: to 2025-03-01 is not after from 2025-03-01, so it holds no date",
		"directory.memberships[1]: membership of u1 in b: to 2025-02-01 is not after from 2025-03-05, so it holds no date",
		"directory.memberships[4]: membership of u3 in zz: to 2025-01-01 is not after from 2025-03-01, so it holds no date",
		"directory.memberships[4]: membership of u3: unit zz does not exist",
	}
	var got []string
	for _, p := range cascade.CheckDirectory(units, ms) {
		got = append(got, p.String())
		if p.Code != cascade.EmptyMembership && p.Code != cascade.Orphan {
			t.Errorf("%s: code %s", p, p.Code)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A membership of a unit the directory does not have is an orphan, which
// the organisation leaves out: it is not a second unit beside a later
// membership of a real one. It was reported twice, the second time as
// two_units ("u1 is in both gone and sales").
func TestCheckDirectoryOrphanIsNotASecondUnit(t *testing.T) {
	units := []org.Unit{{ID: "sales"}}
	ms := []org.Membership{{User: "u1", Unit: "gone"}, {User: "u1", Unit: "sales"}, {User: "u2", Unit: "sales"}, {User: "u2", Unit: "gone"}}
	var got []string
	for _, p := range cascade.CheckDirectory(units, ms) {
		got = append(got, string(p.Code)+" "+p.String())
	}
	want := []string{
		"orphan directory.memberships[0]: membership of u1: unit gone does not exist",
		"orphan directory.memberships[3]: membership of u2: unit gone does not exist",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	o, err := org.Load(context.Background(), enginetest.Directory(units, ms))
	if err != nil {
		t.Fatal(err)
	}
	p := period.Period{Grain: period.Month, Start: d("2025-03-01"), End: d("2025-04-01")}
	if got := fmt.Sprint(o.Members("gone", p), o.Members("sales", p)); got != "[] [u1 u2]" {
		t.Errorf("members of gone and sales: %s", got)
	}
}

// A target finer than the places compiles where nothing splits it: a leaf,
// children that all declare theirs, a lower-is-better cascade (children
// inherit), an indicator that does not add up, or a child on another
// indicator.
func TestCompileFinerTargetsNotSplit(t *testing.T) {
	e := newEnv(t)
	for _, def := range []cascade.Def{
		{ID: "leaf", Indicator: "won", Root: cascade.NodeDef{Period: "2025", Target: dp("10.5")}},
		{ID: "declared", Indicator: "won", Root: cascade.NodeDef{Period: "2025", Target: dp("10.5"),
			Children: []cascade.NodeDef{{Unit: "sales", Target: dp("5.5")}, {Unit: "support", Target: dp("5")}}}},
		{ID: "lower", Indicator: "cost", Direction: score.LowerIsBetter, Places: intp(0), Root: cascade.NodeDef{Period: "2025", Target: dp("10.5"),
			Split: &cascade.SplitDef{By: cascade.Even, Into: "month"}}},
		{ID: "average", Indicator: "avg_deal", Places: intp(0), Root: cascade.NodeDef{Period: "2025", Target: dp("10.5"),
			Split: &cascade.SplitDef{By: cascade.Even, Into: "month"}}},
		{ID: "other", Indicator: "won", Rollup: cascade.ByWeights, Root: cascade.NodeDef{Period: "2025", Target: dp("10"),
			Children: []cascade.NodeDef{{Indicator: "calls", Target: dp("0.5")}, {Unit: "sales"}}}},
		{ID: "places", Indicator: "revenue", Root: cascade.NodeDef{Period: "2025", Target: dp("10.50"),
			Split: &cascade.SplitDef{By: cascade.Even, Into: "month"}}},
	} {
		if _, err := cascade.Compile([]cascade.Def{def}, cascade.Env{Calendar: e.cal, Indicators: e.inds}); err != nil {
			t.Errorf("%s: %v", def.ID, err)
		}
	}
}

// A directory of a large company is checked at every evaluation in a
// fraction of a second: each membership was compared with every earlier
// one, and 100 000 of them (20 000 people, five memberships each) took
// tens of seconds. The two people in two units at once are still found.
func TestCheckDirectoryOfALargeCompany(t *testing.T) {
	units := []org.Unit{{ID: "sales"}, {ID: "support"}}
	var ms []org.Membership
	for i := range 20000 {
		for k := range 5 {
			from := d(fmt.Sprintf("%d-01-01", 2021+k))
			ms = append(ms, org.Membership{User: fmt.Sprintf("u%d", i), Unit: []string{"sales", "support"}[k%2], From: from, To: from.AddDate(1, 0, 0)})
		}
	}
	ms = append(ms, org.Membership{User: "u7", Unit: "support", From: d("2021-06-01"), To: d("2021-07-01")},
		org.Membership{User: "u19999", Unit: "sales", From: d("2025-12-01")})
	start := time.Now()
	got := cascade.CheckDirectory(units, ms)
	// About 10 ms, 0.5 s under the race detector; tens of seconds before.
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("checked in %s", took)
	}
	var msgs []string
	for _, p := range got {
		msgs = append(msgs, p.String())
	}
	want := []string{
		"directory.memberships[100000]: u7 is in both sales and support from 2021-06-01 to 2021-06-30 (memberships[35])",
		"directory.memberships[100001]: u19999 is in sales twice from 2025-12-01 to 2025-12-31 (memberships[99999])",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
}
