package adaptertest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// The reference: what a source that applied some event versions must hold,
// and what a scan of it must pass. It is written from the contract in
// kpi.Event and kpi.Source, not from any implementation.

// matches reports whether q selects e: kinds nil means every kind (an empty,
// non-nil list none), and the time lies in [From, To), a zero bound leaving
// its side open.
func matches(q kpi.Query, e *kpi.Event) bool {
	if q.Kinds != nil && !slices.Contains(q.Kinds, e.Kind) {
		return false
	}
	if !q.From.IsZero() && e.Time.Before(q.From) {
		return false
	}
	return q.To.IsZero() || e.Time.Before(q.To)
}

// selectEvents returns the events q selects.
func selectEvents(events []kpi.Event, q kpi.Query) []kpi.Event {
	var out []kpi.Event
	for i := range events {
		if matches(q, &events[i]) {
			out = append(out, events[i])
		}
	}
	return out
}

// scanDiff compares what a scan passed with the events it should have
// passed, in any order, and describes every difference ("" when there is
// none).
func scanDiff(got, want []kpi.Event) string {
	var b strings.Builder
	wantBy := map[string]*kpi.Event{}
	for i := range want {
		wantBy[want[i].ID] = &want[i]
	}
	seen := map[string]bool{}
	for i := range got {
		g := &got[i]
		switch w, ok := wantBy[g.ID]; {
		case seen[g.ID]:
			fmt.Fprintf(&b, "\n  event %q passed more than once", g.ID)
		case !ok:
			fmt.Fprintf(&b, "\n  event %q passed, but it is not a live event the query selects: %s", g.ID, format(g))
		default:
			if d := eventDiff(g, w); d != "" {
				fmt.Fprintf(&b, "\n  event %q: %s\n    got  %s\n    want %s", g.ID, d, format(g), format(w))
			}
		}
		seen[g.ID] = true
	}
	for i := range want {
		if !seen[want[i].ID] {
			fmt.Fprintf(&b, "\n  event %q not passed: %s", want[i].ID, format(&want[i]))
		}
	}
	return b.String()
}

// eventDiff names the fields in which a scanned event differs from the
// version applied: instants compare with Equal (the zone may differ; a
// zero Known is a zero Known),
// amounts and numbers by value (an int64 attribute may come back as a
// decimal.Decimal of the same value), everything else exactly.
func eventDiff(got, want *kpi.Event) string {
	var diffs []string
	if got.Kind != want.Kind {
		diffs = append(diffs, "kind")
	}
	if !got.Time.Equal(want.Time) {
		diffs = append(diffs, "time")
	}
	if got.Actor != want.Actor {
		diffs = append(diffs, "actor")
	}
	if got.Amount.Valid != want.Amount.Valid || want.Amount.Valid && !got.Amount.Decimal.Equal(want.Amount.Decimal) {
		diffs = append(diffs, "amount")
	}
	if got.Currency != want.Currency {
		diffs = append(diffs, "currency")
	}
	if got.Deleted {
		diffs = append(diffs, "deleted (a retraction was passed)")
	}
	if !got.Known.Equal(want.Known) {
		diffs = append(diffs, "known")
	}
	names := map[string]bool{}
	for k := range got.Attrs {
		names[k] = true
	}
	for k := range want.Attrs {
		names[k] = true
	}
	var bad []string
	for k := range names {
		g, gok := got.Attrs[k]
		w, wok := want.Attrs[k]
		if gok != wok || !sameAttr(g, w) {
			bad = append(bad, k)
		}
	}
	slices.Sort(bad)
	for _, k := range bad {
		diffs = append(diffs, fmt.Sprintf("attribute %q", k))
	}
	return strings.Join(diffs, ", ")
}

// sameAttr compares attribute values: numbers by value whatever their Go
// type, instants with Equal, strings and bools exactly. A string never
// equals a number or a bool.
func sameAttr(a, b any) bool {
	if x, ok := number(a); ok {
		y, ok := number(b)
		return ok && x.Equal(y)
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	}
	return false
}

func number(v any) (decimal.Decimal, bool) {
	switch x := v.(type) {
	case int:
		return decimal.NewFromInt(int64(x)), true
	case int32:
		return decimal.NewFromInt(int64(x)), true
	case int64:
		return decimal.NewFromInt(x), true
	case decimal.Decimal:
		return x, true
	}
	return decimal.Decimal{}, false
}

// format writes an event for a failure message, attributes with their types
// and sorted by name.
func format(e *kpi.Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{id %q", e.ID)
	if e.Deleted {
		b.WriteString(" deleted")
	}
	fmt.Fprintf(&b, " kind %q time %s actor %q", e.Kind, e.Time.Format(time.RFC3339Nano), e.Actor)
	if e.Amount.Valid {
		fmt.Fprintf(&b, " amount %s", e.Amount.Decimal)
	}
	if e.Currency != "" {
		fmt.Fprintf(&b, " currency %q", e.Currency)
	}
	if !e.Known.IsZero() {
		fmt.Fprintf(&b, " known %s", e.Known.Format(time.RFC3339Nano))
	}
	names := make([]string, 0, len(e.Attrs))
	for k := range e.Attrs {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		switch v := e.Attrs[k].(type) {
		case time.Time:
			fmt.Fprintf(&b, " %s=%s", k, v.Format(time.RFC3339Nano))
		case string:
			fmt.Fprintf(&b, " %s=%q", k, v)
		default:
			fmt.Fprintf(&b, " %s=%v(%T)", k, v, v)
		}
	}
	b.WriteString("}")
	return b.String()
}

// scope exposes an event to formulas as the engine does: its fields by
// name (an empty actor or currency and a null amount undefined), then its
// attributes.
func scope(e *kpi.Event) formula.Scope {
	return formula.ScopeFunc(func(r formula.Ref) formula.Value {
		if r.Back != 0 || r.Func {
			return formula.Undefined()
		}
		switch r.Name {
		case "kind":
			return formula.String(e.Kind)
		case "id":
			return formula.String(e.ID)
		case "actor":
			if e.Actor == "" {
				return formula.Undefined()
			}
			return formula.String(e.Actor)
		case "currency":
			if e.Currency == "" {
				return formula.Undefined()
			}
			return formula.String(e.Currency)
		case "time":
			return formula.Time(e.Time)
		case "amount":
			if !e.Amount.Valid {
				return formula.Undefined()
			}
			return formula.Number(e.Amount.Decimal)
		}
		return formula.ValueOf(e.Attrs[r.Name])
	})
}
