package period

import (
	"encoding/json"
	"testing"
)

func TestParseGrain(t *testing.T) {
	tests := []struct {
		in   string
		want Grain
	}{
		{"day", Day}, {"week", Week}, {"month", Month}, {"quarter", Quarter}, {"year", Year},
		{"fiscal_quarter", FiscalQuarter}, {"fiscal_year", FiscalYear},
		{"10d", Days(10)}, {"1d", Day}, {"007d", Days(7)}, {"36600d", Days(MaxDays)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			g, err := ParseGrain(tt.in)
			if err != nil || g != tt.want {
				t.Fatalf("ParseGrain = %v, %v; want %v", g, err, tt.want)
			}
			if back, err := ParseGrain(g.String()); err != nil || back != g {
				t.Fatalf("round trip of %q: %v, %v", g.String(), back, err)
			}
		})
	}
	unknown := ` (want day, week, month, quarter, year, fiscal_quarter, fiscal_year or a number of days such as "10d")`
	errs := []struct{ in, want string }{
		{"", `unknown grain ""` + unknown},
		{"Month", `unknown grain "Month"` + unknown},
		{"fortnight", `unknown grain "fortnight"` + unknown},
		{"d", `unknown grain "d"` + unknown},
		{"-3d", `unknown grain "-3d"` + unknown},
		{"0d", `grain "0d": length must be 1..36600 days`},
		{"36601d", `grain "36601d": length must be 1..36600 days`},
		{"99999999999999999999d", `grain "99999999999999999999d": length must be 1..36600 days`},
	}
	for _, tt := range errs {
		t.Run("error "+tt.in, func(t *testing.T) {
			g, err := ParseGrain(tt.in)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("ParseGrain = %v, %v; want error %q", g, err, tt.want)
			}
		})
	}
}

func TestGrainValues(t *testing.T) {
	if !(Grain{}).IsZero() || Day.IsZero() || !Days(0).IsZero() || !Days(-1).IsZero() || !Days(MaxDays+1).IsZero() {
		t.Error("IsZero")
	}
	ten, alsoTen := Days(10), Days(10)
	if Days(1) != Day || Days(7) == Week || ten != alsoTen {
		t.Error("comparison")
	}
	for _, tt := range []struct {
		g     Grain
		days  int
		fixed bool
	}{{Day, 1, true}, {Week, 7, true}, {Days(10), 10, true}, {Month, 0, false}, {FiscalYear, 0, false}} {
		if n, fixed := tt.g.Length(); n != tt.days || fixed != tt.fixed {
			t.Errorf("%v.Length() = %d, %v", tt.g, n, fixed)
		}
	}
}

func TestGrainJSON(t *testing.T) {
	type doc struct {
		G Grain `json:"g"`
		H Grain `json:"h"`
	}
	b, err := json.Marshal(doc{G: Days(14)})
	if err != nil || string(b) != `{"g":"14d","h":""}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil || back.G != Days(14) || !back.H.IsZero() {
		t.Fatalf("Unmarshal = %+v, %v", back, err)
	}
	err = json.Unmarshal([]byte(`{"g":"fortnight"}`), &back)
	if err == nil {
		t.Fatal("bad grain accepted")
	}
}
