package sqlcoretest

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// TestPushNumbers checks Push on numeric attributes the random suites do
// not draw: integers past int64, decimals of many digits and whole ones
// with places (1.00, kept so in the JSON of attributes), which a
// database may read into a floating-point number. Push must decline or
// answer exactly what aggregating the events gives (adaptertest.CheckPush).
func TestPushNumbers(t *testing.T, open Open) {
	ctx := context.Background()
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	bounds := []time.Time{t0.Add(-time.Hour), t0.Add(time.Hour)}
	n := formula.Ident{Name: "n", Type: formula.TypeNumber}
	for _, values := range [][]string{
		{"99999999999999999999", "1"},
		{"9223372036854775808", "-3"},
		{"-9223372036854775809", "2"},
		{"9223372036854775807", "9223372036854775807"},
		{"12345678901234567890.5", "7"},
		{"0.0000000000000000000001", "4"},
		{"1.00", "2.0"}, // whole, with places: a JSON real in SQLite
		{"0.0", "6"},
	} {
		s := open(t)
		var events []kpi.Event
		for i, v := range values {
			events = append(events, kpi.Event{ID: string(rune('a' + i)), Kind: "deal.won", Time: t0, Actor: "u1",
				Attrs: map[string]any{"n": decimal.RequireFromString(v)}})
		}
		if err := s.Apply(ctx, events...); err != nil {
			t.Fatal(err)
		}
		for _, q := range []kpi.PushQuery{
			{Bounds: bounds, Value: "n"},
			{Bounds: bounds, Value: "n", Where: formula.Compare{Op: ">", L: n, R: formula.Const{Value: formula.Int(5)}}},
			{Bounds: bounds, Where: formula.Compare{Op: "<=", L: n, R: formula.Const{Value: formula.Int(9223372036854775807)}}},
		} {
			if _, err := adaptertest.CheckPush(ctx, s, events, q); err != nil {
				t.Errorf("attribute n of %v: %v", values, err)
			}
		}
	}
}

// TestPushAmountPlaces checks Push over amounts written with their places
// (trailing zeros kept): 1500.00 and 1.10, a zero of 1000 places and
// ±1e-996 written with 1000 and 999 places, whose text in SQLite is longer
// than the 1000 characters past which migration 9's index holds a row a
// scan may refuse, and a whole amount of 1001 digits. A row the store
// wrote itself is read and found valid: a count is answered, and every
// answer is what aggregating the events gives (adaptertest.CheckPush).
func TestPushAmountPlaces(t *testing.T, open Open) {
	ctx := context.Background()
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	bounds := []time.Time{t0.Add(-time.Hour), t0.Add(time.Hour)}
	amount := formula.Ident{Name: "amount", Type: formula.TypeNumber}
	for _, values := range [][]decimal.Decimal{
		{decimal.New(150000, -2), decimal.New(110, -2)},
		{decimal.New(0, -1000), decimal.New(250, -2)},
		{decimal.New(10000, -1000), decimal.New(-1, 0)},
		{decimal.New(-1000, -999), decimal.New(7, -1)},
		{decimal.New(5, 1000), decimal.New(1, 0)},
	} {
		s := open(t)
		var events []kpi.Event
		for i, v := range values {
			events = append(events, kpi.Event{ID: string(rune('a' + i)), Kind: "deal.won", Time: t0, Actor: "u1",
				Amount: decimal.NewNullDecimal(v), Currency: "USD"})
		}
		if err := s.Apply(ctx, events...); err != nil {
			t.Fatal(err)
		}
		for _, q := range []kpi.PushQuery{
			{Bounds: bounds},
			{Bounds: bounds, Value: "amount"},
			{Bounds: bounds, Value: "amount", Where: formula.Compare{Op: ">", L: amount, R: formula.Const{Value: formula.Int(1)}}},
		} {
			answered, err := adaptertest.CheckPush(ctx, s, events, q)
			if err != nil {
				t.Errorf("amounts %v: %v", values, err)
			}
			if q.Value == "" && !answered {
				t.Errorf("amounts %v: a count over the events is declined", values)
			}
		}
	}
}
