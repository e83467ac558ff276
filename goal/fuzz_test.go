package goal

import "testing"

// FuzzParseMilestone: a milestone that parses prints back to text that
// parses to the same milestone.
func FuzzParseMilestone(f *testing.F) {
	for _, s := range []string{"25%", "40", "-1.5", "120 %", "%", "", "1e3", "0.0001%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMilestone(s)
		if err != nil {
			return
		}
		again, err := ParseMilestone(m.String())
		if err != nil || again.Percent != m.Percent || !again.Value.Equal(m.Value) {
			t.Fatalf("%q → %q → %v, %v", s, m.String(), again, err)
		}
	})
}
