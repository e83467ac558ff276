package goalkit

import (
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The mix and rate effects add back exactly to the change of the ratio,
// whatever the segments (some without a denominator in a period, some
// with a numerator alone).
func TestPropRatioSplitAddsBack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "segments")
		segs := make([]ratioSegment, n)
		num := func(label string) decimal.Decimal {
			return decimal.New(rapid.Int64Range(0, 5000).Draw(t, label), -rapid.Int32Range(0, 2).Draw(t, label+"exp"))
		}
		for i := range segs {
			segs[i] = ratioSegment{N1: num("n1"), D1: num("d1"), N2: num("n2"), D2: num("d2")}
			if rapid.Bool().Draw(t, "no d1") {
				segs[i].D1 = decimal.Zero
			}
			if rapid.Bool().Draw(t, "no d2") {
				segs[i].D2 = decimal.Zero
			}
		}
		sp, ok := splitRatio(segs)
		n1, d1, n2, d2 := new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat)
		for _, s := range segs {
			n1.Add(n1, s.N1.Rat())
			d1.Add(d1, s.D1.Rat())
			n2.Add(n2, s.N2.Rat())
			d2.Add(d2, s.D2.Rat())
		}
		if d1.Sign() == 0 || d2.Sign() == 0 {
			if ok {
				t.Fatal("a split of an undefined ratio")
			}
			return
		}
		want := new(big.Rat).Sub(new(big.Rat).Quo(n2, d2), new(big.Rat).Quo(n1, d1))
		got := new(big.Rat).Add(sp.mix, sp.rate)
		sum := new(big.Rat)
		for _, e := range sp.parts {
			sum.Add(sum, e.mix).Add(sum, e.rate)
		}
		if got.Cmp(want) != 0 || sum.Cmp(want) != 0 {
			t.Fatalf("mix + rate = %s, parts %s, want %s", got.RatString(), sum.RatString(), want.RatString())
		}
	})
}

// Hand-computed: conversion 8/80 and 6/20 (14 %) becomes 5/50 and 15/50
// (20 %): each channel converts as before, so the 6 points are all mix:
// web (0.5 − 0.8) × (0.1 + 0.1) / 2 = −0.03, partner (0.5 − 0.2) × 0.6 / 2
// = +0.09. With the shares kept and web going from 10 % to 20 %: all rate,
// 0.8 × 0.1 = +0.08.
func TestRatioSplitCases(t *testing.T) {
	d := decimal.RequireFromString
	sp, _ := splitRatio([]ratioSegment{{d("8"), d("80"), d("5"), d("50")}, {d("6"), d("20"), d("15"), d("50")}})
	if roundRat(sp.mix).String() != "0.06" || sp.rate.Sign() != 0 || roundRat(sp.parts[0].mix).String() != "-0.03" || roundRat(sp.parts[1].mix).String() != "0.09" {
		t.Fatalf("mix %s rate %s parts %s %s", sp.mix.RatString(), sp.rate.RatString(), sp.parts[0].mix.RatString(), sp.parts[1].mix.RatString())
	}
	sp, _ = splitRatio([]ratioSegment{{d("8"), d("80"), d("16"), d("80")}, {d("6"), d("20"), d("6"), d("20")}})
	if sp.mix.Sign() != 0 || roundRat(sp.rate).String() != "0.08" || roundRat(sp.parts[0].rate).String() != "0.08" {
		t.Fatalf("mix %s rate %s", sp.mix.RatString(), sp.rate.RatString())
	}
	// A channel new in the current period: all of its share is mix.
	sp, _ = splitRatio([]ratioSegment{{d("10"), d("100"), d("10"), d("100")}, {d("0"), d("0"), d("50"), d("100")}})
	// 0.1 → 60/200 = 0.3: the old channel's 10/100 → 10/200 (mix −0.025
	// by the midpoint: (0.5 − 1) × 0.2 / 2 = −0.05), the new one +0.25.
	if roundRat(sp.parts[0].mix).String() != "-0.05" || roundRat(sp.parts[1].mix).String() != "0.25" || roundRat(new(big.Rat).Add(sp.mix, sp.rate)).String() != "0.2" {
		t.Fatalf("parts %s %s", sp.parts[0].mix.RatString(), sp.parts[1].mix.RatString())
	}
}

func TestRoundRat(t *testing.T) {
	for r, want := range map[string]string{"1/3": "0.333333", "2/3": "0.666667", "-2/3": "-0.666667", "1/8": "0.125", "-1/2000000": "-0.000001", "1/2000001": "0"} {
		x, _ := new(big.Rat).SetString(r)
		if got := roundRat(x).String(); got != want {
			t.Errorf("%s: %s, want %s", r, got, want)
		}
	}
}
