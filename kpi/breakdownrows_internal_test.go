package kpi

import "testing"

// partOf finds the participant of a row with participants that have no
// rows (equal bounds) before, between and after others.
func TestPartOf(t *testing.T) {
	first := []int{0, 0, 2, 2, 3, 6, 6} // rows: p1 0-1, p3 2, p4 3-5, p5 none
	want := []int{1, 1, 3, 4, 4, 4}
	for r, w := range want {
		if got := partOf(first, r); got != w {
			t.Errorf("row %d: participant %d, want %d", r, got, w)
		}
	}
}
