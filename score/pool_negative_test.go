package score

import "testing"

// A total below 0 (possible with negative floors) weighs 0 in a pool
// without a threshold: the others share the whole pool, as the pool's doc
// says, and no one is paid a negative share.
func TestPoolNegativeTotalGetsNoShare(t *testing.T) {
	b := bonusFor(t, BonusDef{Pool: &PoolDef{Amount: dec("90")}})
	cards := []Card{card("-30"), card("20"), card("10")}
	for i, p := range []string{"a", "b", "c"} {
		cards[i].Participant = p
	}
	pays, err := b.Split(cards, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 90 × 20 / 30 and 90 × 10 / 30.
	want := map[string][3]string{"a": {"0", "0", "30"}, "b": {"60", "20", "30"}, "c": {"30", "10", "30"}}
	for _, p := range pays {
		w := want[p.Participant]
		if !p.Amount.Equal(dec(w[0])) || !p.Pool.Weight.Equal(dec(w[1])) || !p.Pool.Weights.Equal(dec(w[2])) {
			t.Errorf("%s: amount %s, weight %s of %s; want %v", p.Participant, p.Amount, p.Pool.Weight, p.Pool.Weights, w)
		}
	}
}
