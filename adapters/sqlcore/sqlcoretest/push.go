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
