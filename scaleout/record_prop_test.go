package scaleout_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// drawInstant draws an instant of the years 1 to 9999 to the nanosecond,
// in UTC, in a zone of whole minutes or in one with seconds of offset.
func drawInstant(t *rapid.T, label string) time.Time {
	sec := rapid.Int64Range(time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC).Unix(), time.Date(9999, 12, 30, 0, 0, 0, 0, time.UTC).Unix()).Draw(t, label+" s")
	at := time.Unix(sec, rapid.Int64Range(0, 999_999_999).Draw(t, label+" ns"))
	switch rapid.IntRange(0, 2).Draw(t, label+" zone") {
	case 0:
		return at.UTC()
	case 1:
		return at.In(time.FixedZone("m", 60*rapid.IntRange(-14*60, 14*60).Draw(t, label+" min")))
	default:
		return at.In(time.FixedZone("s", rapid.IntRange(-14*3600, 14*3600).Draw(t, label+" off")))
	}
}

// drawDecimal draws a decimal of up to 30 digits at an exponent of -20
// to 20.
func drawDecimal(t *rapid.T, label string) decimal.Decimal {
	digits := rapid.StringMatching(`-?[1-9][0-9]{0,29}|0`).Draw(t, label+" digits")
	d, err := decimal.NewFromString(fmt.Sprintf("%se%d", digits, rapid.IntRange(-20, 20).Draw(t, label+" exp")))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestEventRoundTripProp: every valid event version a host may give
// (attributes of every type, times in any zone, to the nanosecond, Known
// or not, retractions) decodes from its record as the same version: the
// same text, the same instants, the same amounts with their places, and
// its attributes' values as a table reads them (int and int32 as int64);
// and its ID lands in the partition Records chose for it.
func TestEventRoundTripProp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := kpi.Event{ID: rapid.StringMatching(`[a-z0-9Яé_.:-]{1,12}`).Draw(t, "id"), Deleted: rapid.Bool().Draw(t, "deleted")}
		if rapid.Bool().Draw(t, "known") {
			e.Known = drawInstant(t, "known")
		}
		if !e.Deleted {
			e.Kind = rapid.SampledFrom([]string{"won", "deal_won", "call"}).Draw(t, "kind")
			e.Time = drawInstant(t, "time")
			e.Actor = rapid.StringMatching(`[a-zЯ0-9]{0,6}`).Draw(t, "actor")
			if rapid.Bool().Draw(t, "amount") {
				e.Amount = decimal.NullDecimal{Decimal: drawDecimal(t, "amount"), Valid: true}
				e.Currency = rapid.SampledFrom([]string{"", "RUB", "USD"}).Draw(t, "currency")
			}
			for i := range rapid.IntRange(0, 6).Draw(t, "attrs") {
				name := fmt.Sprintf("a%d", i)
				if e.Attrs == nil {
					e.Attrs = map[string]any{}
				}
				switch rapid.IntRange(0, 6).Draw(t, name) {
				case 0:
					e.Attrs[name] = rapid.String().Draw(t, name+" s")
				case 1:
					e.Attrs[name] = rapid.Int64().Draw(t, name+" i")
				case 2:
					e.Attrs[name] = rapid.Int().Draw(t, name+" int")
				case 3:
					e.Attrs[name] = rapid.Int32().Draw(t, name+" i32")
				case 4:
					e.Attrs[name] = drawDecimal(t, name+" d")
				case 5:
					e.Attrs[name] = rapid.Bool().Draw(t, name+" b")
				default:
					e.Attrs[name] = drawInstant(t, name+" t")
				}
			}
		}
		if err := e.Validate(); err != nil {
			t.Skip(err)
		}
		data, err := scaleout.EncodeEvent(&e)
		if err != nil {
			t.Fatalf("a valid event does not encode: %v", err)
		}
		got, err := scaleout.DecodeEvent(data)
		if err != nil {
			t.Fatalf("%s does not decode: %v", data, err)
		}
		if got.ID != e.ID || got.Kind != e.Kind || got.Actor != e.Actor || got.Currency != e.Currency || got.Deleted != e.Deleted {
			t.Fatalf("%s: decoded %+v, want %+v", data, got, e)
		}
		if !got.Time.Equal(e.Time) || !got.Known.Equal(e.Known) || got.Known.IsZero() != e.Known.IsZero() {
			t.Fatalf("%s: times %v, %v; want %v, %v", data, got.Time, got.Known, e.Time, e.Known)
		}
		if got.Amount.Valid != e.Amount.Valid || !sameDecimal(got.Amount.Decimal, e.Amount.Decimal) {
			t.Fatalf("%s: amount %v, want %v", data, got.Amount, e.Amount)
		}
		if len(got.Attrs) != len(e.Attrs) {
			t.Fatalf("%s: %d attributes, want %d", data, len(got.Attrs), len(e.Attrs))
		}
		for name, v := range e.Attrs {
			g := got.Attrs[name]
			ok := false
			switch x := v.(type) {
			case int:
				ok = g == int64(x)
			case int32:
				ok = g == int64(x)
			case decimal.Decimal:
				d, isD := g.(decimal.Decimal)
				ok = isD && sameDecimal(d, x)
			case time.Time:
				ts, isT := g.(time.Time)
				ok = isT && ts.Equal(x)
			default:
				ok = g == v
			}
			if !ok {
				t.Fatalf("%s: attribute %s: %#v, want %#v", data, name, g, v)
			}
		}
		recs, err := scaleout.Records("b", time.Time{}, []kpi.Event{e}, 7)
		if err != nil {
			t.Fatal(err)
		}
		if want := scaleout.Partition(got.ID, 7); recs[0].Partition != want {
			t.Fatalf("event %q in partition %d, its decoded ID's is %d", e.ID, recs[0].Partition, want)
		}
	})
}

// sameDecimal reports whether a and b are one number with the same places
// (a whole number of a positive exponent is written out: 15e2 is 1500).
func sameDecimal(a, b decimal.Decimal) bool {
	return a.Equal(b) && min(a.Exponent(), 0) == min(b.Exponent(), 0)
}
