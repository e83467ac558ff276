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
