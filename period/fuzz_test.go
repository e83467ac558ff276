package period

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
)

func FuzzParseLabel(f *testing.F) {
	for _, s := range []string{
		"2025", "2025-03", "2025-03-14", "2025-W14", "2020-W53", "2025-Q2", "FY2026", "FY2026-Q1",
		"2025-03-14/P10D", "2025-02-29", "2025-W54", "FY", "/P1D", "2025-03-14/P", "9999-12-31/P36600D", "",
	} {
		f.Add(s, true)
		f.Add(s, false)
	}
	mon, err := NewCalendar(time.UTC, WithFiscalStart(time.April))
	if err != nil {
		f.Fatal(err)
	}
	sun, err := NewCalendar(time.UTC, WithWeekStart(time.Sunday), WithFiscalStart(time.October))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string, monday bool) {
		c := sun
		if monday {
			c = mon
		}
		p, err := c.ParseLabel(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "label ") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		if p.Start >= p.End || !p.Grain.valid() {
			t.Fatalf("ParseLabel(%q) = %v", s, p)
		}
		label := c.Label(p)
		back, err := c.ParseLabel(label)
		if err != nil || back != p {
			t.Fatalf("ParseLabel(%q) = %v, labelled %q, parsed back as %v, %v", s, p, label, back, err)
		}
	})
}

func FuzzParseWorkCalendar(f *testing.F) {
	for _, name := range []string{"calendars/ru.yaml", "calendars/de.yaml", "testdata/company.json", "testdata/bavaria.yaml", "testdata/by-2025.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"- 2025-01-01\n", "holidays: [\n", "weekends: []\n", "- &x 2025-01-01\n- *x\n", "{\"holidays\": [\"2025-01-01\"]}",
		"holidays:\n  - {date: 2025-11-01}\nworkdays:\n  - 2025-11-01\n", "- !!binary aGVsbG8=\n", "? [a]\n: b\n",
		"hours: 7.5\nyears: [2025, 2026]\noutside: weekends\nshortened:\n  - {date: 2025-03-07, hours: 6.25}\n",
		"hours: 1\nshortened: [2025-03-07]\n", "years: 2025\nholidays: [2024-12-31]\n", "shortened: [2025-03-08]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return // larger inputs only repeat what smaller ones find, slower
		}
		w, err := ParseWorkCalendar("fuzz.yaml", data)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("not a FileError: %v", err)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "fuzz.yaml:") {
					t.Fatalf("error line without FILE:LINE: %q", line)
				}
			}
			return
		}
		if strings.TrimSpace(w.Name()) == "" {
			t.Fatalf("a calendar without a name: %q", w.Name())
		}
		for _, h := range w.Holidays() {
			if w.IsWorkday(h.Date) {
				t.Fatalf("holiday %s is a working day", h.Date)
			}
		}
		for _, x := range w.Workdays() {
			if !w.IsWorkday(x.Date) {
				t.Fatalf("working day %s is not a working day", x.Date)
			}
		}
		if len(w.Weekends()) > 6 {
			t.Fatalf("weekends %v", w.Weekends())
		}
		day := w.DayHours()
		if day <= 0 || day > 24*time.Hour {
			t.Fatalf("a working day of %v", day)
		}
		for _, s := range w.Shortened() {
			if !w.IsWorkday(s.Date) || s.Hours <= 0 || s.Hours >= day {
				t.Fatalf("shortened day %v of a %v day", s, day)
			}
		}
		years := w.Years()
		if !slices.IsSorted(years) || len(slices.Compact(slices.Clone(years))) != len(years) {
			t.Fatalf("years %v", years)
		}
		if len(years) > 0 {
			first, last := years[0], years[len(years)-1]
			from, to := date.New(first, time.January, 1), date.New(last+1, time.January, 1)
			if err := w.Check(from-1, to); err == nil && w.Fallback() == NoFallback {
				t.Fatalf("the day before %d is covered", first)
			}
			if to-from <= 3000 && w.WorkingHours(from, to) < 0 {
				t.Fatal("negative working hours")
			}
		}
	})
}
