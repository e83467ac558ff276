package forecast

import "testing"

// FormatChance writes a whole percent, rounded half up, never 100 % short of
// certainty nor 0 % above nothing.
func TestFormatChance(t *testing.T) {
	for p, want := range map[string]string{
		"0": "0 %", "1": "100 %", "0.5": "50 %", "0.62": "62 %", "0.625": "63 %", "0.615": "62 %", "0.6249": "62 %",
		"0.994": "99 %", "0.995": "99 %", "0.999999": "99 %", "0.000001": "1 %", "0.004": "1 %", "0.005": "1 %",
		"0.015": "2 %", "0.01": "1 %", "0.99": "99 %", "0.985": "99 %",
	} {
		if got := FormatChance(dec(p)); got != want {
			t.Errorf("FormatChance(%s) = %q, want %q", p, got, want)
		}
	}
}
