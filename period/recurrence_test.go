package period

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestOccurrences(t *testing.T) {
	_, _, apr, _ := calendars(t) // UTC, fiscal years from April
	tests := []struct {
		name     string
		r        Recurrence
		from, to string
		want     []Period
	}{
		{"every 2 weeks, 3 times", Recurrence{Grain: Week, Every: 2, Anchor: d("2025-01-08"), Count: 3}, "2025-01-01", "2026-01-01", tiles(Week, "2025-01-06", "2025-01-20", "2025-02-03", "2025-02-17")},
		{"monthly until June", Recurrence{Grain: Month, Anchor: d("2025-03-10"), Until: d("2025-06-01")}, "2025-01-01", "2026-01-01", tiles(Month, "2025-03-01", "2025-04-01", "2025-05-01", "2025-06-01")},
		{"until is exclusive of a start", Recurrence{Grain: Month, Anchor: d("2025-03-10"), Until: d("2025-05-02")}, "2025-01-01", "2026-01-01", tiles(Month, "2025-03-01", "2025-04-01", "2025-05-01", "2025-06-01")},
		{"overlapping the range only", Recurrence{Grain: Month, Every: 1, Anchor: d("2024-01-01")}, "2025-02-15", "2025-04-01", tiles(Month, "2025-02-01", "2025-03-01", "2025-04-01")},
		{"the one running at a date", Recurrence{Grain: Week, Every: 2, Anchor: d("2025-01-06")}, "2025-03-05", "2025-03-06", tiles(Week, "2025-03-03", "2025-03-17")},
		{"none before the anchor", Recurrence{Grain: Quarter, Anchor: d("2025-07-01")}, "2025-01-01", "2025-07-01", []Period{}},
		{"until before the first", Recurrence{Grain: Quarter, Anchor: d("2025-07-01"), Until: d("2025-06-01")}, "2025-01-01", "2026-01-01", []Period{}},
		{"fiscal quarters every 2", Recurrence{Grain: FiscalQuarter, Every: 2, Anchor: d("2025-04-01"), Count: 2}, "2025-01-01", "2030-01-01", tiles(FiscalQuarter, "2025-04-01", "2025-10-01", "2026-04-01")},
		{"default anchor: 10-day sprints", Recurrence{Grain: Days(10)}, "2000-01-01", "2000-01-20", tiles(Days(10), "2000-01-03", "2000-01-13", "2000-01-23")},
		{"every 10 days from its own anchor", Recurrence{Grain: Days(10), Anchor: d("2025-03-14"), Count: 2}, "2025-01-01", "2026-01-01", tiles(Days(10), "2025-03-14", "2025-03-24", "2025-04-03")},
		{"yearly on 29 February", Recurrence{Grain: Year, Every: 4, Anchor: d("2024-02-29"), Count: 2}, "2020-01-01", "2040-01-01", tiles(Year, "2024-01-01", "2028-01-01", "2032-01-01")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := apr.Occurrences(tt.r, d(tt.from), d(tt.to))
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("Occurrences = %v, %v\nwant %v", got, err, tt.want)
			}
		})
	}
}

func TestOccurrencesErrors(t *testing.T) {
	c := cal(t, "UTC")
	type errorCase struct {
		name     string
		r        Recurrence
		from, to string
		want     string
	}
	tests := []errorCase{
		{"no grain", Recurrence{}, "2025-01-01", "2025-02-01", "recurrence: grain: missing or invalid"},
		{"negative", Recurrence{Grain: Day, Every: -1, Count: -2}, "2025-01-01", "2025-02-01",
			"recurrence: every: must be positive, got -1\ncount: must not be negative, got -2"},
		{"empty range", Recurrence{Grain: Day}, "2025-01-01", "2025-01-01", "occurrences from 2025-01-01 to 2025-01-01: empty range"},
		{"too many", Recurrence{Grain: Day, Anchor: d("1000-01-01")}, "1000-01-01", "9000-01-01", "occurrences from 1000-01-01 to 9000-01-01: more than 1048576"},
	}
	if strconv.IntSize == 64 { // an int of 32 bits cannot count that far
		// An occurrence lasts at most 2^40 days, where the arithmetic of
		// dates overflowed: every 2^63-1 days gave a day that ended before
		// it began, every 2^40 months a month of two billion years.
		tests = append(tests, []errorCase{
			{"every huge", Recurrence{Grain: Day, Every: math.MaxInt}, "2025-01-01", "2026-01-01",
				"recurrence: every: 9223372036854775807 periods of day may last more than 2^40 days (about three billion years): at most 1099511627776"},
			{"months", Recurrence{Grain: Month, Every: one << 40}, "2025-01-01", "2026-01-01",
				"recurrence: every: 1099511627776 periods of month may last more than 2^40 days (about three billion years): at most 35468117025"},
			{"years", Recurrence{Grain: Year, Every: one << 32}, "2025-01-01", "2026-01-01",
				"recurrence: every: 4294967296 periods of year may last more than 2^40 days (about three billion years): at most 3004130130"},
		}...)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Occurrences(tt.r, d(tt.from), d(tt.to))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	// Long ones within the bound are as long as they say: every 101 years.
	occ, err := c.Occurrences(Recurrence{Grain: Year, Every: 101, Anchor: d("2025-01-01")}, d("2025-01-01"), d("2025-01-02"))
	if err != nil || len(occ) != 1 || occ[0].Start != d("2025-01-01") || occ[0].End != d("2126-01-01") {
		t.Errorf("every 101 years: %v, %v", occ, err)
	}
	_, err = c.Occurrences(Recurrence{Grain: Day}, d("2025-01-02"), d("2025-01-01"))
	if !errors.Is(err, ErrEmptyRange) {
		t.Errorf("not ErrEmptyRange: %v", err)
	}
}

func TestRecurrenceEncoding(t *testing.T) {
	r := Recurrence{Grain: Days(14), Every: 2, Anchor: d("2025-01-06"), Count: 5}
	j, err := json.Marshal(r)
	if err != nil || string(j) != `{"grain":"14d","every":2,"anchor":"2025-01-06","count":5}` {
		t.Fatalf("json = %s, %v", j, err)
	}
	var back Recurrence
	if err := json.Unmarshal(j, &back); err != nil || back != r {
		t.Fatalf("json back = %+v, %v", back, err)
	}
	y, err := yaml.Marshal(r)
	if err != nil || string(y) != "grain: 14d\nevery: 2\nanchor: \"2025-01-06\"\ncount: 5\n" {
		t.Fatalf("yaml = %q, %v", y, err)
	}
	back = Recurrence{}
	if err := yaml.Unmarshal([]byte("grain: month\nanchor: 2025-01-06\nuntil: 2026-01-01\n"), &back); err != nil ||
		back != (Recurrence{Grain: Month, Anchor: d("2025-01-06"), Until: d("2026-01-01")}) {
		t.Fatalf("yaml back = %+v, %v", back, err)
	}
}
