package colstore

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// encoded is the binary form of a table: its dictionaries in order, every
// column as it is laid out (dense or sparse, its width), every row; the
// amounts too large for int64 units follow, by row (the binary form has
// them in a map's order).
func encoded(t interface{ Fatal(...any) }, tab *Table) []byte {
	var b bytes.Buffer
	w := NewWriter(&b)
	f := tab.Freeze()
	var bigs []string
	for i := range f.segs {
		for _, row := range slices.Sorted(maps.Keys(f.segs[i].big)) {
			bigs = append(bigs, fmt.Sprintf("%d %d %s", i, row, f.segs[i].big[row]))
		}
		f.segs[i].big = nil
	}
	f.Encode(w)
	w.String(fmt.Sprint(bigs))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// coder codes versions into a chunk kept from block to block, as a reader
// does: by codes when the chunk knows every value of a version, else with
// Apply.
type coder struct {
	c     *Table
	reuse *Table // a chunk cut and stitched, for the next Cut
	fast  int
	attrs []AttrCode
	// numbers: hand AppendCoded the number of each decimal id, as a
	// reader that parses it does (Coded.IDNum).
	numbers bool
}

// decimalID returns the number id writes when it is a decimal number below
// 2^40 without a leading zero, by strconv rather than the package's own
// reading.
func decimalID(id string) (uint64, bool) {
	n, err := strconv.ParseUint(id, 10, 64)
	return n, err == nil && (id[0] != '0' || id == "0") && n < 1<<40
}

// listed returns in with its attributes as a list in the order of their
// names: a map's order would make the order of new names differ between
// two tables.
func listed(in Input) Input {
	for _, name := range slices.Sorted(maps.Keys(in.Attrs)) {
		in.AttrList = append(in.AttrList, Attr{name, in.Attrs[name]})
	}
	in.Attrs = nil
	return in
}

func (k *coder) add(t interface{ Fatal(...any) }, in *Input) {
	if !in.Deleted && k.coded(in) {
		k.fast++
		return
	}
	if err := k.c.Apply(in); err != nil {
		t.Fatal(err)
	}
}

// coded appends in by codes, if the chunk has them all and takes it.
func (k *coder) coded(in *Input) bool {
	r := Coded{ID: []byte(in.ID), Time: in.Time, Amount: NoAmount}
	var ok bool
	if k.numbers && in.ID != "" {
		r.IDNum, r.IDNumKnown = decimalID(in.ID)
	}
	if r.Kind, ok = k.c.KindCode(in.Kind); !ok {
		return false
	}
	if r.Actor, ok = k.c.ActorCode(in.Actor); !ok {
		return false
	}
	if in.Currency != "" {
		if r.Cur, ok = k.c.CurrencyCode(in.Currency); !ok {
			return false
		}
	}
	if in.Amount.Valid {
		d := in.Amount.Decimal
		if d.Exponent() > 0 || d.NumDigits() > 18 {
			return false
		}
		r.Amount, r.Places = d.CoefficientInt64(), -d.Exponent()
	}
	if !in.Known.IsZero() {
		return false
	}
	k.attrs = k.attrs[:0]
	for _, a := range in.AttrList {
		ai, ok := k.c.Attr(a.Name)
		if !ok {
			return false
		}
		code, ok := k.c.ValueCode(ai, a.Value)
		if !ok {
			return false
		}
		k.attrs = append(k.attrs, AttrCode{ai, code})
	}
	r.Attrs = k.attrs
	return k.c.AppendCoded(&r)
}

// TestStitchMatchesApply checks that a table filled block by block (each
// block coded by one of a few coders, partly by codes, then cut and
// stitched in order) holds, byte for byte in its binary form, what a table
// that applied every version in turn holds, and that both go on alike.
func TestStitchMatchesApply(t *testing.T) {
	loc := time.FixedZone("MSK", 3*3600)
	ids := []string{"1", "2", "4097", "9000", "a", "b-1", "c", "5"}
	rapid.Check(t, func(t *rapid.T) {
		ins := genInputs(t)
		for i := range ins {
			ins[i] = listed(ins[i])
		}
		want := New(loc)
		for i := range ins {
			if err := want.Apply(&ins[i]); err != nil {
				t.Fatal(err)
			}
		}
		got := New(loc)
		if rapid.Bool().Draw(t, "grow") {
			got.Grow(len(ins))
		}
		coders := make([]*coder, rapid.IntRange(1, 3).Draw(t, "coders"))
		for i := range coders {
			coders[i] = &coder{c: NewChunk(loc), numbers: rapid.Bool().Draw(t, "numbers")}
		}
		for start, b := 0, 0; start < len(ins); b++ {
			end := rapid.IntRange(start, len(ins)).Draw(t, "block end")
			k := coders[b%len(coders)]
			for i := start; i < end; i++ {
				in := ins[i]
				k.add(t, &in)
			}
			c := k.c.Cut(k.reuse)
			if err := got.Stitch(c); err != nil {
				t.Fatal(err)
			}
			k.reuse = nil
			if rapid.Bool().Draw(t, "reuse") {
				k.reuse = c
			}
			start = end
		}
		if g, w := dump(got, ids), dump(want, ids); g != w {
			t.Fatalf("stitched:\n%s\napplied in turn:\n%s", g, w)
		}
		if g, w := encoded(t, got), encoded(t, want); !bytes.Equal(g, w) {
			t.Fatalf("the binary forms differ")
		}
		goOnAlike(t, got, want, listed(Input{ID: "a", Kind: "call", Time: t0, Actor: "dee", Attrs: map[string]any{"source": "web", "rare": "x"}, Currency: "EUR"}), ids)
	})
}

// TestStitchLarge stitches many blocks of many rows, numeric ids and
// others, with corrections across blocks: the columns grow as they go.
func TestStitchLarge(t *testing.T) {
	var ins []Input
	for i := range 50000 {
		id := fmt.Sprint(i % 30000)
		if i%3 == 0 {
			id = fmt.Sprintf("e-%d", i%20000)
		}
		in := Input{ID: id, Kind: []string{"call", "deal", "lead"}[i%3], Time: t0.Add(time.Duration(i) * time.Minute), Actor: fmt.Sprintf("u%d", i%301),
			Attrs: map[string]any{"source": fmt.Sprint("s", i%5)}}
		if i > 20000 {
			in.Attrs["wide"] = fmt.Sprint("w", i%400) // two-byte codes, from a row on
		}
		if i%4 == 1 {
			in.Amount = amount(fmt.Sprintf("%d.%02d", i, i%100))
			in.Currency = "RUB"
		}
		if i%1000 == 7 {
			in.Attrs["rare"] = int64(i)
		}
		ins = append(ins, listed(in))
	}
	want := New(time.UTC)
	for i := range ins {
		in := ins[i]
		if err := want.Apply(&in); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ block, expect int }{{100, 0}, {777, 1}, {9000, 0}, {4096, len(ins)}, {1000, 3 * len(ins)}} {
		t.Run(fmt.Sprint(c), func(t *testing.T) {
			rt := t

			got := New(time.UTC)
			if c.expect > 0 {
				got.Grow(c.expect)
			}
			ks := []*coder{{c: NewChunk(time.UTC)}, {c: NewChunk(time.UTC), numbers: true}}
			block := c.block
			for b, start := 0, 0; start < len(ins); b, start = b+1, start+block {
				k := ks[b%2]
				for i := start; i < min(start+block, len(ins)); i++ {
					in := ins[i]
					k.add(rt, &in)
				}
				cut := k.c.Cut(k.reuse)
				if err := got.Stitch(cut); err != nil {
					rt.Fatal(err)
				}
				k.reuse = cut
			}
			if ks[0].fast+ks[1].fast < len(ins)/2 {
				rt.Fatalf("only %d of %d versions by codes", ks[0].fast+ks[1].fast, len(ins))
			}
			if g, w := encoded(rt, got), encoded(rt, want); !bytes.Equal(g, w) {
				rt.Fatalf("the binary forms differ")
			}
			var lookups []string
			for i := 0; i < 30000; i += 997 {
				lookups = append(lookups, fmt.Sprint(i), fmt.Sprintf("e-%d", i))
			}
			if g, w := dump(got, lookups), dump(want, lookups); g != w {
				rt.Fatal("stitched and applied in turn differ")
			}
		})
	}
}
