package goal

import (
	"testing"

	"github.com/goalkit/goalkit/internal/planfile"
)

// A plan that writes interval: 0 or count: 0 under a goal's period is
// refused where it is read, naming the line and the key and what is
// allowed: 0 is Go's "not given", and both compiled as the default (every
// period, no limit) while -1 was refused. Left out, or null, they are the
// defaults; a negative one is goal.Compile's to refuse, in its words.
func TestPlanPeriodZeroRefused(t *testing.T) {
	for _, tc := range []struct {
		file, want string
	}{
		{"from: 2025-01-01\nevery: month\ninterval: 0\n", `p.yaml:3: interval: want a whole number of 1 or more, got "0" (leave interval out for its default)`},
		{"from: 2025-01-01\nevery: month\ncount: 0\n", `p.yaml:3: count: want a whole number of 1 or more, got "0" (leave count out for its default)`},
		{"from: 2025-01-01\nevery: month\ncount: 00\n", `p.yaml:3: count: want a whole number of 1 or more, got "00" (leave count out for its default)`},
		{"from: 2025-01-01\nevery: month\ninterval: x\n", `p.yaml:3: interval: want a whole number, got "x"`},
		{"from: 2025-01-01\nevery: month\ninterval: 2\ncount: 3\n", ""},
		{"from: 2025-01-01\nevery: month\ninterval: -1\n", ""},
		{"from: 2025-01-01\nevery: month\ninterval: null\ncount: ~\n", ""},
		{"from: 2025-01-01\nevery: month\n", ""},
	} {
		var d PeriodDef
		_, err := planfile.Decode("p.yaml", []byte(tc.file), &d)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%q: %q, want %q", tc.file, got, tc.want)
		}
	}
}

// The goal's other whole numbers whose 0 is Go's "not given" are refused
// so too where a plan writes 0: pace_history: 0 read as 3 periods, a
// checklist item's count: 0 as 1 event, chance.history: 0 as 6 periods,
// chance.samples: 0 as 1000 paths and a notification's days: 0 as 3 days
// before the end, each while -1 was refused.
func TestPlanGoalDefaultsZeroRefused(t *testing.T) {
	for _, tc := range []struct {
		file string
		v    any
		want string
	}{
		{"id: g\npace_history: 0\n", &Def{}, `p.yaml:2: pace_history: want a whole number of 1 or more, got "0" (leave pace_history out for its default)`},
		{"id: a\ncount: 0\n", &ItemDef{}, `p.yaml:2: count: want a whole number of 1 or more, got "0" (leave count out for its default)`},
		{"history: 0\nsamples: 0\n", &ChanceDef{}, "p.yaml:1: history: want a whole number of 1 or more, got \"0\" (leave history out for its default)\n" +
			`p.yaml:2: samples: want a whole number of 1 or more, got "0" (leave samples out for its default)`},
		{"on: deadline_approaching\ndays: 0\n", &NotifyRule{}, `p.yaml:2: days: want a whole number of 1 or more, got "0" (leave days out for its default)`},
		{"id: g\npace_history: 2\n", &Def{}, ""},
		{"history: 1\nsamples: 10\n", &ChanceDef{}, ""},
		{"on: deadline_approaching\ndays: 1\n", &NotifyRule{}, ""},
	} {
		_, err := planfile.Decode("p.yaml", []byte(tc.file), tc.v)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%q: %q, want %q", tc.file, got, tc.want)
		}
	}
}
