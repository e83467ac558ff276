package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// TestPushDeclinesArithmetic: a filter that computes numbers (amount * 10,
// amount + 1, amount - n) is declined, as SQLite declines it. The engine
// sends none (kpi.PushQuery.Where): on an event where it goes out of range
// a scan fails, naming the formula, while PostgreSQL computed it; the
// translation was reached only by a host's own push, which got an answer
// no report could give. A negation, which the engine does push, is still
// answered.
func TestPushDeclinesArithmetic(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	at := time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)
	ev := kpi.Event{ID: "1", Kind: "deal", Actor: "anna", Time: at, Amount: decimal.NewNullDecimal(decimal.New(5, 0)),
		Attrs: map[string]any{"n": decimal.New(2, 0)}}
	if err := s.Apply(ctx, ev); err != nil {
		t.Fatal(err)
	}
	amount := formula.Ident{Name: "amount", Type: formula.TypeNumber}
	n := formula.Ident{Name: "n", Type: formula.TypeNumber}
	ten := formula.Const{Value: formula.Int(10)}
	zero := formula.Const{Value: formula.Int(0)}
	bounds := []time.Time{at.Add(-time.Hour), at.Add(time.Hour)}
	attrs := map[string]kpi.AttrType{"n": kpi.AttrDecimal}
	for _, c := range []struct {
		name   string
		where  formula.Node
		pushed bool
	}{
		{"amount * 10 > 0", formula.Compare{Op: ">", L: formula.Arith{Op: "*", L: amount, R: ten}, R: zero}, false},
		{"amount + 1 > 0", formula.Compare{Op: ">", L: formula.Arith{Op: "+", L: amount, R: formula.Const{Value: formula.Int(1)}}, R: zero}, false},
		{"amount - n > 0", formula.Compare{Op: ">", L: formula.Arith{Op: "-", L: amount, R: n}, R: zero}, false},
		{"-amount < 0", formula.Compare{Op: "<", L: formula.Neg{X: amount}, R: zero}, true},
	} {
		rows, ok, err := s.Push(ctx, kpi.PushQuery{Kinds: []string{"deal"}, Where: c.where, Bounds: bounds, Attributes: attrs})
		if err != nil || ok != c.pushed {
			t.Errorf("%s: ok %t, err %v; want ok %t", c.name, ok, err, c.pushed)
			continue
		}
		if ok && (len(rows) != 1 || rows[0].Count != 1) {
			t.Errorf("%s: %+v, want one row of one event", c.name, rows)
		}
	}
}
