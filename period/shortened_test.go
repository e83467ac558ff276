package period

import (
	"slices"
	"testing"
	"time"
)

func TestWorkingHours(t *testing.T) {
	w, err := NewWorkCalendar("w", nil, []NamedDay{{Date: d("2025-03-10")}}, []NamedDay{{Date: d("2025-03-15")}},
		WithShortened(ShortDay{Date: d("2025-03-07")}, ShortDay{Date: d("2025-03-15"), Hours: 5 * time.Hour}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		from, to string
		want     time.Duration
	}{
		{"2025-03-03", "2025-03-08", 39 * time.Hour}, // Monday to Friday, Friday 7 hours
		{"2025-03-08", "2025-03-10", 0},              // a weekend
		{"2025-03-10", "2025-03-17", 37 * time.Hour}, // holiday Monday, worked Saturday of 5 hours
		{"2025-03-07", "2025-03-07", 0},              // empty
		{"2025-03-17", "2025-03-01", 0},              // reversed
		// March 2025: 21 weekdays, less the holiday, plus the worked
		// Saturday: 21 days of 8 hours, less 1 on the 7th and 3 on the 15th.
		{"2025-03-01", "2025-04-01", 164 * time.Hour},
	}
	for _, tt := range tests {
		if got := w.WorkingHours(d(tt.from), d(tt.to)); got != tt.want {
			t.Errorf("WorkingHours(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
	var none *WorkCalendar
	if none.WorkingHours(d("2025-03-03"), d("2025-03-10")) != 40*time.Hour || none.DayHours() != DefaultDayHours || none.Shortened() != nil {
		t.Error("default calendar")
	}
	if got := w.Shortened(); !slices.EqualFunc(got, []string{"2025-03-07", "2025-03-15"}, func(s ShortDay, x string) bool { return s.Date.String() == x }) {
		t.Errorf("Shortened = %v", got)
	}
}

func TestHoursText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		8 * time.Hour:                  "8",
		7*time.Hour + 30*time.Minute:   "7.5",
		7*time.Hour + 15*time.Minute:   "7.25",
		7*time.Hour + 6*time.Minute:    "7.1",
		7*time.Hour + 20*time.Minute:   "7h20m0s",
		-time.Hour:                     "-1",
		time.Hour + 30*time.Second:     "1h0m30s",
		7*time.Hour + 3*time.Minute:    "7.05",
		23*time.Hour + 59*time.Minute:  "23h59m0s",
		7*time.Hour + 45*time.Minute:   "7.75",
		0:                              "0",
		12*time.Hour + 12*time.Minute:  "12.2",
		12*time.Hour + 1*time.Minute:   "12h1m0s",
		100*time.Hour + 24*time.Minute: "100.4",
		100*time.Hour + 27*time.Minute: "100.45",
		// A negative time under an hour keeps its sign (a shortened day's
		// hours given as -30 minutes are refused with them).
		-30 * time.Minute:               "-0.5",
		-6 * time.Minute:                "-0.1",
		-(time.Hour + 30*time.Minute):   "-1.5",
		-(7*time.Hour + 45*time.Minute): "-7.75",
		-(7*time.Hour + 20*time.Minute): "-7h20m0s",
	} {
		if got := hoursText(d); got != want {
			t.Errorf("hoursText(%v) = %q, want %q", d, got, want)
		}
	}
}
