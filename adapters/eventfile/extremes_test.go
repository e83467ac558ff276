package eventfile

import (
	"bytes"
	"context"
	"math"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// edgeDecimal draws the decimals at the edges of what a store keeps and a
// file spells: a coefficient near the limits of int64 (as hundredths, the
// minor units of a coded amount, and whole), at 2^61 and past 2^63, of
// one digit, and exponents from -1000 to 1000, the file's limits.
func edgeDecimal() *rapid.Generator[decimal.Decimal] {
	near := func(v *big.Int) *rapid.Generator[*big.Int] {
		return rapid.Custom(func(t *rapid.T) *big.Int {
			d := rapid.Int64Range(-3, 3).Draw(t, "off")
			c := new(big.Int).Add(v, big.NewInt(d))
			if rapid.Bool().Draw(t, "neg") {
				c.Neg(c)
			}
			return c
		})
	}
	pow2 := func(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }
	coef := rapid.OneOf(
		near(big.NewInt(math.MaxInt64)),
		near(pow2(61)),
		near(pow2(63)),
		near(pow2(64)),
		near(big.NewInt(math.MaxInt64/100)),
		near(new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)),
		near(new(big.Int).Exp(big.NewInt(10), big.NewInt(19), nil)),
		near(big.NewInt(0)),
		rapid.Custom(func(t *rapid.T) *big.Int { return big.NewInt(rapid.Int64().Draw(t, "v")) }),
	)
	exp := rapid.OneOf(
		rapid.Int32Range(-20, 3),
		rapid.SampledFrom([]int32{-2, 0, -18, -19, 1000, -1000, 999, -999, 81, -81}),
		rapid.Int32Range(-1000, 1000),
	)
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		return decimal.NewFromBigInt(coef.Draw(t, "coef"), exp.Draw(t, "exp"))
	})
}

// edgeZone draws a zone: UTC, whole minutes up to a day either way, odd
// seconds, and offsets of a day and more, which RFC 3339 cannot spell.
func edgeZone() *rapid.Generator[*time.Location] {
	return rapid.Custom(func(t *rapid.T) *time.Location {
		off := rapid.OneOf(
			rapid.Just(0),
			rapid.Map(rapid.IntRange(-1439, 1439), func(m int) int { return m * 60 }),
			rapid.IntRange(-86399, 86399),
			rapid.SampledFrom([]int{-86400, 86400, 86401, -86401, 90000, -90000, 1, -1, 59, 61}),
		).Draw(t, "offset")
		return time.FixedZone("z", off)
	})
}

// edgeTime draws an instant near the ends of the years an event may have
// (1678 and 2261: the edges of what a zone moves), near 1970, or anywhere
// between, in an edge zone, with or without nanoseconds.
func edgeTime() *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		base := rapid.SampledFrom([]time.Time{
			time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC),
		}).Draw(t, "base")
		sec := rapid.OneOf(rapid.Int64Range(-2*86400, 2*86400), rapid.Int64Range(-200*365*86400, 200*365*86400)).Draw(t, "sec")
		nsec := rapid.OneOf(rapid.Just(int64(0)), rapid.Int64Range(0, 999_999_999)).Draw(t, "nsec")
		return base.Add(time.Duration(sec) * time.Second).Add(time.Duration(nsec)).In(edgeZone().Draw(t, "zone"))
	})
}

// spelled is t as RFC 3339 spells it, the reference of the test: in its own
// zone when the offset is whole minutes less than a day, else in UTC.
func spelled(t time.Time) time.Time {
	_, off := t.Zone()
	if off%60 != 0 || off <= -86400 || off >= 86400 {
		return t.UTC()
	}
	return t
}

// What a Writer writes of events at the edges (amounts near the limits of
// int64 and its hundredths and with exponents up to ±1000, attributes of
// every kind of character, times near the ends of the years an event may
// have and before 1970, zones of odd offsets), Load reads back into a
// memory store, by every way it fills one, as the events themselves: the
// last version of an id, none for a retracted one. The reference is the
// events drawn, resolved by a loop here; an event time the file would spell
// outside 1678–2261 is the one thing Write refuses.
func TestRoundTripEdgesIntoStore(t *testing.T) {
	for _, f := range []Format{CSV, NDJSON} {
		t.Run(f.String(), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				ids := rapid.SliceOfNDistinct(ident(1), 1, 4, rapid.ID[string]).Draw(t, "ids")
				n := rapid.IntRange(0, 12).Draw(t, "n")
				var buf bytes.Buffer
				w := NewWriter(&buf, f, []string{"t", "x", "s", "i", "d", "b"})
				live := map[string]kpi.Event{}
				for range n {
					e := genEventOf(f, "x", ident(1)).Draw(t, "event")
					e.ID = rapid.SampledFrom(ids).Draw(t, "id")
					e.Time = edgeTime().Draw(t, "time")
					if e.Amount.Valid {
						e.Amount = decimal.NewNullDecimal(edgeDecimal().Draw(t, "amount"))
					}
					if _, ok := e.Attrs["d"]; ok {
						e.Attrs["d"] = edgeDecimal().Draw(t, "d")
					}
					if _, ok := e.Attrs["t"]; ok && rapid.Bool().Draw(t, "edge t") {
						e.Attrs["t"] = edgeTime().Draw(t, "t")
					}
					if _, ok := e.Attrs["i"]; ok && rapid.Bool().Draw(t, "edge i") {
						e.Attrs["i"] = rapid.SampledFrom([]int64{math.MaxInt64, math.MinInt64, 1 << 61, -(1 << 61), 1<<53 + 1}).Draw(t, "i")
					}
					y := spelled(e.Time).Year()
					inYears := e.Deleted || (y >= 1678 && y <= 2261)
					long := e.Amount.Valid && len(refDecimalText(e.Amount.Decimal)) > 100
					if d, ok := e.Attrs["d"].(decimal.Decimal); ok && !e.Deleted && len(refDecimalText(d)) > 100 {
						long = true
					}
					err := w.Write(&e)
					switch {
					case !inYears || (long && !e.Deleted):
						if err == nil {
							t.Fatalf("Write took %s (year %d as spelled)", show(&e), y)
						}
						continue
					case err != nil:
						t.Fatalf("Write %s: %v", show(&e), err)
					}
					if e.Deleted {
						delete(live, e.ID)
					} else {
						live[e.ID] = expected(e)
					}
				}
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
				// The store gives event times in its own zone, or in UTC
				// where its offset has seconds (kpi.Table.Get).
				loc := edgeZone().Draw(t, "store zone")
				var want []string
				for _, e := range live {
					if _, off := e.Time.In(loc).Zone(); off%60 != 0 {
						e.Time = e.Time.UTC()
					} else {
						e.Time = e.Time.In(loc)
					}
					for k, v := range e.Attrs {
						if tv, ok := v.(time.Time); ok {
							e.Attrs[k] = spelled(tv)
						}
					}
					want = append(want, showValued(&e))
				}
				slices.Sort(want)
				opt := roundOpt
				opt.Format = f
				s := memory.New(loc)
				if err := Load(context.Background(), s, bytes.NewReader(buf.Bytes()), "rt", opt); err != nil {
					t.Fatalf("Load: %v\nfile:\n%s", err, buf.String())
				}
				got := storeEventsBy(t, s, showValued)
				if !slices.Equal(got, want) {
					t.Fatalf("Load got\n%s\nwant\n%s\nfile:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), buf.String())
				}
				// Every other way agrees, amounts by their value: a store
				// keeps an amount at its table's scale, which the history
				// of a way's own table sets.
				sameIntoBy(t, buf.Bytes(), "rt", opt, func() *memory.Store { return memory.New(loc) }, showValued)
			})
		})
	}
}

// refDecimalText is the length check's reference: the plain text of d with
// its exponent, or COEFFICIENTeEXPONENT when that is shorter than a plain
// text past 100 characters, written from the coefficient's digits.
func refDecimalText(d decimal.Decimal) string {
	c := d.Coefficient().String()
	e := int(d.Exponent())
	plain := ""
	neg := strings.HasPrefix(c, "-")
	digits := strings.TrimPrefix(c, "-")
	switch {
	case e >= 0 && e <= 100:
		plain = digits + strings.Repeat("0", e)
		if digits == "0" {
			plain = "0"
		}
	case e < 0 && e >= -100:
		if len(digits) <= -e {
			digits = strings.Repeat("0", -e-len(digits)+1) + digits
		}
		plain = digits[:len(digits)+e] + "." + digits[len(digits)+e:]
	}
	if plain != "" && neg && strings.Trim(plain, "0.") != "" {
		plain = "-" + plain
	}
	if plain != "" && len(plain) <= 100 {
		return plain
	}
	return c + "e" + big.NewInt(int64(e)).String()
}

// showValued is show with the amount as the number it is (a fraction in
// lowest terms), as the store keeps it: at the table's scale, so "1" may
// come back as "1.00".
func showValued(e *kpi.Event) string {
	c := *e
	c.Amount = decimal.NullDecimal{}
	s := show(&c)
	if e.Amount.Valid {
		s += " amount=" + e.Amount.Decimal.Rat().RatString()
	}
	return s
}
