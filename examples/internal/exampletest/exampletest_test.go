package exampletest_test

import (
	"math/big"
	"testing"

	"github.com/goalkit/goalkit/examples/internal/exampletest"
)

func TestPercentile(t *testing.T) {
	vals := []*big.Rat{big.NewRat(4, 1), big.NewRat(1, 1), big.NewRat(3, 1), big.NewRat(2, 1)}
	for _, tt := range []struct{ p, want *big.Rat }{
		{big.NewRat(0, 1), big.NewRat(1, 1)},
		{big.NewRat(1, 2), big.NewRat(5, 2)},    // between 2 and 3
		{big.NewRat(9, 10), big.NewRat(37, 10)}, // 0.7 of the way from 3 to 4
		{big.NewRat(1, 1), big.NewRat(4, 1)},
	} {
		if got := exampletest.Percentile(vals, tt.p); got.Cmp(tt.want) != 0 {
			t.Errorf("Percentile(%s) = %s, want %s", tt.p, got, tt.want)
		}
	}
	if vals[0].Cmp(big.NewRat(4, 1)) != 0 {
		t.Error("Percentile sorted its argument")
	}
}

func TestFinalEvents(t *testing.T) {
	file := []byte(`{"id":"a","kind":"call","amount":"1"}
{"id":"b","kind":"call"}
{"id":"a","kind":"call","amount":"2"}
{"id":"b","deleted":true}
{"id":"c","kind":"deal.won"}
{"id":"b","kind":"meeting"}
`)
	var got []string
	for _, e := range exampletest.FinalEvents(t, file) {
		got = append(got, e.ID+" "+e.Kind+" "+e.Amount)
	}
	want := []string{"a call 2", "b meeting ", "c deal.won "}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}
