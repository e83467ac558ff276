package formula

import (
	"errors"
	"testing"
	"time"

	"github.com/goalkit/goalkit/period"
)

// betweenCase is a formula over the times a and b, given as wall-clock
// times in the zone of the environment.
type betweenCase struct {
	src, a, b, want string
}

func testBetween(t *testing.T, env *Env, loc *time.Location, cases []betweenCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.src+" "+c.a+" "+c.b, func(t *testing.T) {
			p, err := Compile(c.src, env, TypeAny)
			if err != nil {
				t.Fatal(err)
			}
			s := MapScope{}
			for name, v := range map[string]string{"a": c.a, "b": c.b} {
				if v == "" {
					continue // undefined
				}
				at, err := time.ParseInLocation(time.DateTime, v, loc)
				if err != nil {
					t.Fatal(err)
				}
				s[name] = Time(at)
			}
			if v, err := p.Eval(s); err != nil || v.String() != c.want {
				t.Fatalf("= %v, %v; want %s", v, err, c.want)
			}
		})
	}
}

func mustCalendar(t *testing.T, zone, holidays string) *period.Calendar {
	t.Helper()
	var opts []period.Option
	if holidays != "" {
		w, err := period.BuiltinWorkCalendar(holidays)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, period.WithWorkdays(w))
	}
	c, err := period.LoadCalendar(zone, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func timesEnv() *Env { return NewEnv(Decl{"a", TypeTime}, Decl{"b", TypeTime}) }

// TestDaysBetween: whole local calendar days, right across the daylight
// saving changes of Europe/Berlin (30 March and 26 October 2025), where
// days(b - a) counts 24-hour spans and is off by an hour.
func TestDaysBetween(t *testing.T) {
	berlin := mustCalendar(t, "Europe/Berlin", "")
	env := timesEnv().WithCalendar(berlin)
	testBetween(t, env, berlin.Location(), []betweenCase{
		{"days_between(a, b)", "2025-03-29 12:00:00", "2025-03-31 12:00:00", "2"},
		{"days(b - a)", "2025-03-29 12:00:00", "2025-03-31 12:00:00", "1.958333333333333"},
		{"days_between(a, b)", "2025-10-25 12:00:00", "2025-10-27 12:00:00", "2"},
		{"days(b - a)", "2025-10-25 12:00:00", "2025-10-27 12:00:00", "2.041666666666667"},
		{"days_between(a, b)", "2025-03-30 23:30:00", "2025-03-31 00:10:00", "1"},
		{"days_between(a, b)", "2025-03-30 00:00:00", "2025-03-30 23:59:59", "0"},
		{"days_between(a, b)", "2025-10-27 08:00:00", "2025-10-25 20:00:00", "-2"},
		{"days_between(a, b)", "2024-12-31 23:59:59", "2025-03-01 00:00:00", "60"},
		{"days_between(a, b)", "2025-03-01 00:00:00", "", "undefined"},
		{"days_between(a, b)", "", "2025-03-01 00:00:00", "undefined"},
	})
	// The local dates are the zone's: 23:30 UTC on Sunday 2 March is Monday
	// in Berlin, the same day as 10:00 UTC on Monday.
	testBetween(t, env, time.UTC, []betweenCase{
		{"days_between(a, b)", "2025-03-02 23:30:00", "2025-03-03 10:00:00", "0"},
	})
	testBetween(t, timesEnv(), time.UTC, []betweenCase{
		{"days_between(a, b)", "2025-03-02 23:30:00", "2025-03-03 10:00:00", "1"},
	})
}

// TestWorkdaysBetween: the working days among the local dates [a, b) in
// the plan's calendar, negative when b is before a.
func TestWorkdaysBetween(t *testing.T) {
	moscow := mustCalendar(t, "Europe/Moscow", "RU")
	testBetween(t, timesEnv().WithCalendar(moscow), moscow.Location(), []betweenCase{
		{"workdays_between(a, b)", "2025-02-28 10:00:00", "2025-03-03 09:00:00", "1"},                      // Friday to Monday
		{"workdays_between(a, b)", "2025-03-03 09:00:00", "2025-03-03 18:00:00", "0"},                      // the same day
		{"workdays_between(a, b)", "2025-04-30 10:00:00", "2025-05-12 10:00:00", "4"},                      // May holidays and moved days off
		{"workdays_between(a, b)", "2025-05-12 10:00:00", "2025-04-30 10:00:00", "-4"},                     // reversed
		{"workdays_between(a, b)", "2025-11-01 10:00:00", "2025-11-05 10:00:00", "1"},                      // the working Saturday
		{"workdays_between(a, b)", "2024-12-27 10:00:00", "2025-01-13 10:00:00", "4"},                      // 27 and 28 (Saturday) December, 9 and 10 January
		{"workdays_between(a, b)", "2026-12-30 10:00:00", "2026-12-31 10:00:00", "1"},                      // the last covered days
		{"workdays_between(a, b)", "2023-12-29 10:00:00", "", "undefined"},                                 // undefined, even outside
		{"workdays_between(a, b) + days_between(a, b)", "2025-03-07 10:00:00", "2025-03-11 10:00:00", "6"}, // 7 and 10 March
	})
	berlin := mustCalendar(t, "Europe/Berlin", "DE")
	testBetween(t, timesEnv().WithCalendar(berlin), berlin.Location(), []betweenCase{
		{"workdays_between(a, b)", "2025-03-28 18:00:00", "2025-03-31 09:00:00", "1"}, // across the spring change
		{"workdays_between(a, b)", "2025-10-24 18:00:00", "2025-10-27 09:00:00", "1"}, // across the autumn change
		{"workdays_between(a, b)", "2025-10-02 18:00:00", "2025-10-06 09:00:00", "1"}, // Day of German Unity
		{"workdays_between(a, b)", "2025-04-17 10:00:00", "2025-04-23 10:00:00", "2"}, // Easter: 17 and 22 April
		{"workdays_between(a, b)", "2025-03-31 00:30:00", "2025-03-31 23:30:00", "0"},
	})
	// Without a calendar: Monday to Friday, in UTC.
	testBetween(t, timesEnv(), time.UTC, []betweenCase{
		{"workdays_between(a, b)", "2025-04-30 10:00:00", "2025-05-12 10:00:00", "8"},
	})
}

func TestWorkdaysBetweenOutsideTheCalendar(t *testing.T) {
	moscow := mustCalendar(t, "Europe/Moscow", "RU")
	p, err := Compile("won_at - created_at > duration_ok || workdays_between(created_at, won_at) > 3",
		NewEnv(Decl{"created_at", TypeTime}, Decl{"won_at", TypeTime}, Decl{"duration_ok", TypeDuration}).WithCalendar(moscow), TypeBool)
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) Value {
		v, err := time.ParseInLocation(time.DateTime, s, moscow.Location())
		if err != nil {
			t.Fatal(err)
		}
		return Time(v)
	}
	_, err = p.Eval(MapScope{"created_at": at("2023-12-28 10:00:00"), "won_at": at("2024-01-10 10:00:00"), "duration_ok": Duration(time.Hour * 10000)})
	var fe *Error
	var oe *period.OutsideError
	want := "workdays_between: 2023-12-28 is outside the working-day calendar RU (years 2024-2026): add the year to the calendar, or declare outside: weekends (1:38)"
	if err == nil || err.Error() != want || !errors.As(err, &fe) || fe.Code != CodeCalendar || !errors.As(err, &oe) || oe.Date.String() != "2023-12-28" {
		t.Fatalf("Eval = %v\nwant %s", err, want)
	}
	if CodeCalendar.String() != "calendar" {
		t.Error(CodeCalendar.String())
	}
}

func TestBetweenTypes(t *testing.T) {
	env := timesEnv().With(Decl{"n", TypeNumber})
	for src, want := range map[string]string{
		"days_between(a, n)":        "argument 2 of days_between must be a time, got number (1:17)",
		"workdays_between(n, b)":    "argument 1 of workdays_between must be a time, got number (1:18)",
		"days_between(a)":           "days_between expects 2 arguments, got 1 (1:1)",
		"workdays_between(a, b, a)": "workdays_between expects 2 arguments, got 3 (1:1)",
		"workday_between(a, b)":     `unknown function "workday_between" (did you mean "workdays_between"?) (1:1)`,
	} {
		if _, err := Compile(src, env, TypeAny); err == nil || err.Error() != want {
			t.Errorf("%s: %v\nwant %s", src, err, want)
		}
	}
	p, err := Compile("days_between(a, b)", env, TypeAny)
	if err != nil || p.Type() != TypeNumber {
		t.Fatalf("type %v, %v", p.Type(), err)
	}
}

// TestBetweenDocExamples checks the examples of docs/formulas.md: time is
// 2025-03-02 23:30 UTC, created_at 2025-02-27 09:30 UTC, plan in
// Europe/Berlin with the German holidays.
func TestBetweenDocExamples(t *testing.T) {
	env := evalEnv().WithCalendar(mustCalendar(t, "Europe/Berlin", "DE"))
	for src, want := range map[string]string{
		"days_between(created_at, time)":     "4",
		"workdays_between(created_at, time)": "2",
		"hours(time - created_at)":           "86",
	} {
		p, err := Compile(src, env, TypeNumber)
		if err != nil {
			t.Fatal(err)
		}
		if v, err := p.Eval(evalScope()); err != nil || v.String() != want {
			t.Errorf("%s = %v, %v; want %s", src, v, err, want)
		}
	}
}
