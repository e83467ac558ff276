package goal_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A notification reads back as it was written, exactly; a field that cannot
// be read is named with the key.
func TestNotificationJSONRoundTrip(t *testing.T) {
	n := goal.Notification{Key: "at_risk/sales/anna/2025-03/", Kind: goal.NotifyAtRisk, Goal: "sales", Participant: "anna",
		Period: "2025-03", PeriodStart: date.New(2025, 3, 1), PeriodEnd: date.New(2025, 4, 1),
		At: time.Date(2025, 3, 20, 9, 30, 0, 123, time.UTC), Status: goal.AtRisk,
		Actual: decimal.NewNullDecimal(decimal.RequireFromString("150000.50")), Target: decimal.NewNullDecimal(decimal.RequireFromString("500000")),
		DaysLeft: 11, Message: "anna: 30 % of 500 000"}
	data, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	var back goal.Notification
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Actual.Decimal.Equal(n.Actual.Decimal) || !back.Target.Decimal.Equal(n.Target.Decimal) {
		t.Fatalf("numbers: %v %v", back.Actual, back.Target)
	}
	back.Actual, back.Target = n.Actual, n.Target // equal decimals, maybe not the same representation
	if !reflect.DeepEqual(back, n) {
		t.Fatalf("read back %+v\nwrote %+v", back, n)
	}
	// The key (a participant's id in it) is cut to 64 bytes, its control
	// characters escaped, and the text that cannot be read quoted and cut:
	// a key of 10,000 bytes, or an actual or an instant as long, made an
	// error as long (the instant's twice), and a newline in one broke the
	// log line.
	long, cut := strings.Repeat("9", 10_000), strings.Repeat("9", 64)+"…"
	for _, tc := range []struct{ in, want string }{
		{`{"kind":"at_risk"}`, "no key"},
		{`{"key":"k","period_start":"2025-03-01","period_end":"2025-04-01","actual":"1e3"}`, `k: actual: want a decimal, got "1e3"`},
		{`{"key":"k","period_start":"2025-13-01","period_end":"2025-04-01"}`, `k: period_start: "2025-13-01" is not a real date: months are 01 to 12`},
		{`{"key":"k","period_start":"2025-03-01","period_end":"2025-04-01","at":"yesterday"}`, `k: at: want an RFC 3339 instant, got "yesterday"`},
		{`{"key":"` + long + `","period_start":"2025-03-01","period_end":"2025-04-01","target":"` + long + `x"}`, cut + `: target: want a decimal, got "` + cut + `"`},
		{`{"key":"a\nb","period_start":"2025-03-01","period_end":"2025-04-01","at":"` + long + `"}`, `a\nb: at: want an RFC 3339 instant, got "` + cut + `"`},
	} {
		var got goal.Notification
		err := json.Unmarshal([]byte(tc.in), &got)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%.100s: %.300v, want %q", tc.in, err, tc.want)
		}
	}
}

// Any notification of the years a report can be as of (0000 to 9999) reads
// back as it was written: its decimals equal, exact whatever their scale,
// its instant the same instant, at nanoseconds, whatever the zone it was
// taken in. Only ParticipantKind, which the JSON does not carry, is lost.
func TestPropNotificationJSONRoundTrip(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("east", 14*3600), time.FixedZone("west", -12*3600-30*60)}
	num := func(t *rapid.T, label string) decimal.NullDecimal {
		if rapid.IntRange(0, 4).Draw(t, label+" null") == 0 {
			return decimal.NullDecimal{}
		}
		return decimal.NewNullDecimal(decimal.New(rapid.Int64().Draw(t, label), rapid.Int32Range(-40, 40).Draw(t, label+" exp")))
	}
	day := func(t *rapid.T, label string) date.Date {
		return date.Date(rapid.Int64Range(int64(date.New(0, 1, 1)), int64(date.New(9999, 12, 31))).Draw(t, label))
	}
	rapid.Check(t, func(t *rapid.T) {
		n := goal.Notification{
			Key:         rapid.StringN(1, 20, -1).Draw(t, "key"),
			Kind:        goal.NotifyKind(rapid.String().Draw(t, "kind")),
			Goal:        rapid.String().Draw(t, "goal"),
			Participant: rapid.String().Draw(t, "participant"),
			Period:      rapid.String().Draw(t, "period"),
			PeriodStart: day(t, "start"),
			PeriodEnd:   day(t, "end"),
			Status:      goal.Status(rapid.String().Draw(t, "status")),
			Milestone:   rapid.String().Draw(t, "milestone"),
			Actual:      num(t, "actual"),
			Target:      num(t, "target"),
			Forecast:    num(t, "forecast"),
			Before:      num(t, "before"),
			DaysLeft:    rapid.Int().Draw(t, "days left"),
			Message:     rapid.String().Draw(t, "message"),
		}
		if rapid.Bool().Draw(t, "at") {
			// An instant of the years 0000 to 9999 in UTC, seen from a zone.
			lo, hi := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
			n.At = time.Unix(rapid.Int64Range(lo, hi).Draw(t, "at"), rapid.Int64Range(0, 999_999_999).Draw(t, "ns")).
				In(zones[rapid.IntRange(0, len(zones)-1).Draw(t, "zone")])
		}
		data, err := json.Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		var back goal.Notification
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		for _, f := range []struct {
			name       string
			wrote, got decimal.NullDecimal
		}{{"actual", n.Actual, back.Actual}, {"target", n.Target, back.Target}, {"forecast", n.Forecast, back.Forecast}, {"before", n.Before, back.Before}} {
			if f.got.Valid != f.wrote.Valid || f.got.Valid && !f.got.Decimal.Equal(f.wrote.Decimal) {
				t.Fatalf("%s: wrote %v, read back %v (%s)", f.name, f.wrote, f.got, data)
			}
		}
		if !back.At.Equal(n.At) {
			t.Fatalf("at: wrote %v, read back %v (%s)", n.At, back.At, data)
		}
		back.Actual, back.Target, back.Forecast, back.Before, back.At = n.Actual, n.Target, n.Forecast, n.Before, n.At
		if !reflect.DeepEqual(back, n) {
			t.Fatalf("read back %+v\nwrote %+v", back, n)
		}
	})
}
