package colstore

import (
	"strconv"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// numericIDRef is numericID written plainly: strconv's parse of a canonical
// decimal of one to thirteen digits.
func numericIDRef(id string) (uint64, bool) {
	if len(id) == 0 || len(id) > 13 || (id[0] == '0' && len(id) > 1) {
		return 0, false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n >= maxPaged {
		return 0, false
	}
	return n, true
}

func TestNumericID(t *testing.T) {
	for _, tc := range []struct {
		id string
		n  uint64
		ok bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7, true},
		{"00", 0, false},
		{"123", 123, true},
		{"1000", 1000, true},
		{"0123", 0, false},
		{"9999", 9999, true},
		{"12345", 12345, true},
		{"123456", 123456, true},
		{"1234567", 1234567, true},
		{"12345678", 12345678, true},
		{"99999999", 99999999, true},
		{"10000000", 10000000, true},
		{"123456789", 123456789, true},
		{"1099511627775", 1<<40 - 1, true},
		{"1099511627776", 0, false},
		{"12345678901234", 0, false},
		{"1234/678", 0, false}, // '/' is '0'-1
		{"1234:678", 0, false}, // ':' is '9'+1
		{"123a", 0, false},
		{"12 4", 0, false},
		{"-123", 0, false},
		{"1234567\x00", 0, false},
		{"\xb1234", 0, false},
		{"１２３４", 0, false},
	} {
		n, ok := numericID(tc.id)
		if n != tc.n && ok || ok != tc.ok {
			t.Errorf("numericID(%q) = %d, %v; want %d, %v", tc.id, n, ok, tc.n, tc.ok)
		}
	}
}

func FuzzNumericID(f *testing.F) {
	for _, s := range []string{"0", "1234", "12345678", "01234", "9999999999999", "12a4", "\x39\x3a\x30\x31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		n, ok := numericID(id)
		rn, rok := numericIDRef(id)
		if ok != rok || ok && n != rn {
			t.Fatalf("numericID(%q) = %d, %v; strconv says %d, %v", id, n, ok, rn, rok)
		}
	})
}

// Ids of every length from one byte to twenty, numeric or not, given their
// number by the caller or not, are kept byte for byte and found again,
// whether the segment's id bytes have room for them or grow.
func TestIDsKept(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tab := New(time.UTC)
		n := rapid.IntRange(1, 300).Draw(t, "n")
		ids := map[string]bool{}
		var order []string
		for i := range n {
			id := rapid.StringMatching(`[0-9]{1,13}|[a-z0-9:-]{1,20}`).Draw(t, "id")
			var codes Codes
			if num, ok := IDNumber(id); ok && rapid.Bool().Draw(t, "given") {
				codes.ID = num + 1
			}
			e := Version{ID: id, Kind: "k", Time: time.Unix(int64(i), 0).UTC()}
			if err := tab.ApplyVersion(&e, nil, codes, nil); err != nil {
				t.Fatalf("%q: %v", id, err)
			}
			if !ids[id] {
				order = append(order, id)
			}
			ids[id] = true
		}
		if tab.Live() != len(order) {
			t.Fatalf("%d live, want %d", tab.Live(), len(order))
		}
		for _, id := range order {
			s, row, ok := tab.Lookup(id)
			if !ok || s.ID(row) != id {
				t.Fatalf("%q: found %v, row's id %q", id, ok, s.ID(row))
			}
		}
	})
}
