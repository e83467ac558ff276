package forecast

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// A case a host's data makes short, at a point the scorer does not have,
// or given to a nil Scorer is refused with an error that names it, and
// nothing of it is scored: the cases after it are counted as if it had
// never come.
func TestScorerRefusesShortCases(t *testing.T) {
	p := decimal.NewNullDecimal(dec("0.5"))
	full := Case{Final: dec("10"), Points: []decimal.Decimal{dec("8"), dec("12")}, P: []decimal.NullDecimal{p, p}, Reached: true}
	for _, tc := range []struct {
		name string
		sc   *Scorer
		i    int
		c    Case
		want string
	}{
		{"one point forecast for two methods", NewScorer([]string{"a", "b"}, []string{"25%"}), 0,
			Case{Final: dec("10"), Points: full.Points[:1], P: full.P}, "case 1 at 25%: 1 point forecasts and 2 probabilities for 2 methods (a, b)"},
		{"no probabilities", NewScorer([]string{"a", "b"}, []string{"25%"}), 0,
			Case{Final: dec("10"), Points: full.Points}, "case 1 at 25%: 2 point forecasts and 0 probabilities for 2 methods"},
		{"a point past the scorer's", NewScorer([]string{"a", "b"}, []string{"25%", "50%"}), 2, full, "case 1: point 2 is not one of the scorer's 2 points"},
		{"a negative point", NewScorer([]string{"a", "b"}, []string{"25%"}), -1, full, "case 1: point -1 is not one of the scorer's 1 points"},
		{"a zero Scorer", &Scorer{}, 0, full, "case 1: point 0 is not one of the scorer's 0 points"},
		{"a nil Scorer", nil, 0, full, "nil Scorer"},
		// A repeated name would report two scores under it.
		{"a method named twice", NewScorer([]string{"a", "a"}, []string{"25%"}), 0, full, `the scorer's methods name "a" twice (a, a)`},
		{"a point named twice", NewScorer([]string{"a", "b"}, []string{"25%", "50%", "25%"}), 1, full, `the scorer's points name "25%" twice (25%, 50%, 25%)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			err := tc.sc.Add(tc.i, tc.c)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
			if n, _ := tc.sc.Result(); n != 0 {
				t.Fatalf("%d cases scored, want none", n)
			}
		})
	}
	// A refused case is numbered after the cases scored before it, and is
	// not counted itself.
	sc := NewScorer([]string{"a", "b"}, []string{"25%"})
	if err := sc.Add(0, full); err != nil {
		t.Fatal(err)
	}
	if err := sc.Add(0, Case{}); err == nil || !strings.Contains(err.Error(), "case 2 at 25%") {
		t.Fatalf("got %v, want case 2 refused", err)
	}
	n, ms := sc.Result()
	// One case: MAE of a is |8 − 10| = 2, of b |12 − 10| = 2.
	if n != 1 || ms[0].Forecasts != 1 || nullStr(ms[0].MAE) != "2" || nullStr(ms[1].MAE) != "2" {
		t.Fatalf("got %d cases, %+v", n, ms)
	}
}

func TestBestOfNone(t *testing.T) {
	if got := Best(nil); got != "" {
		t.Fatalf("Best(nil) = %q, want \"\"", got)
	}
}

// A scorer keeps its own methods and points: a caller that reuses its
// slices after NewScorer changed the names its scores were reported under.
func TestScorerKeepsItsNames(t *testing.T) {
	methods, at := []string{"a", "b"}, []string{"25%"}
	sc := NewScorer(methods, at)
	methods[0], at[0] = "x", "99%"
	p := decimal.NewNullDecimal(dec("1"))
	if err := sc.Add(0, Case{Final: dec("1"), Points: []decimal.Decimal{dec("1"), dec("1")}, P: []decimal.NullDecimal{p, p}, Reached: true}); err != nil {
		t.Fatal(err)
	}
	_, ms := sc.Result()
	if ms[0].Method != "a" || ms[0].ByAt[0].At != "25%" {
		t.Fatalf("reported as %s at %s, want a at 25%%", ms[0].Method, ms[0].ByAt[0].At)
	}
}
