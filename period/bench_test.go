package period

import (
	"testing"
	"time"
)

func BenchmarkContaining(b *testing.B) {
	c := cal(b, "Europe/Berlin", WithFiscalStart(time.April))
	day := d("2025-03-14")
	for b.Loop() {
		_ = c.Containing(FiscalQuarter, day)
	}
}

func BenchmarkAt(b *testing.B) {
	c := cal(b, "Europe/Berlin")
	t := utc(b, "2025-03-30T12:00:00Z")
	for b.Loop() {
		_ = c.At(Week, t)
	}
}

func BenchmarkWorkdaysYear(b *testing.B) {
	c := cal(b, "Europe/Moscow", WithWorkdays(ru(b)))
	year := per(Year, "2025-01-01", "2026-01-01")
	for b.Loop() {
		_ = c.Workdays(year)
	}
}

func BenchmarkElapsedWorkingTime(b *testing.B) {
	c := cal(b, "Europe/Moscow", WithWorkdays(ru(b)))
	month := per(Month, "2025-11-01", "2025-12-01")
	t := utc(b, "2025-11-05T09:00:00Z")
	for b.Loop() {
		_ = c.Elapsed(month, t, WorkingTime)
	}
}

func BenchmarkLabelRoundTrip(b *testing.B) {
	c := cal(b, "UTC")
	p := per(Week, "2025-12-29", "2026-01-05")
	for b.Loop() {
		if _, err := c.ParseLabel(c.Label(p)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseWorkCalendar(b *testing.B) {
	data, err := builtinFiles.ReadFile("calendars/ru.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ParseWorkCalendar("ru.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}
