package colstore

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// A version applied with ApplyChecked leaves the table as ApplyVersion
// leaves it: the same rows, read back, and the same refusals of what the
// caller's check does not cover (identifiers new to the table, attribute
// values, the room for kinds). So does one whose attributes come as the
// codes CachedCode finds and the other values (sorted).
func TestApplyCheckedAsApplyVersion(t *testing.T) {
	plain, checked, sorted := New(time.UTC), New(time.UTC), New(time.UTC)
	// Values boxed once (found in the cache once coded), and values boxed
	// anew for each event (never found: a value in vals).
	sources := []any{"web", "partner", "ads"}
	var ids []string
	for i := range 3000 {
		id := fmt.Sprint(i % 2500) // the last 500 correct earlier ones
		if i%7 == 0 {
			id = "x-" + id // ids that are not numbers, looked up by text
		}
		v := Version{ID: id, Kind: []string{"call", "deal_won", "meeting"}[i%3], Time: t0.Add(time.Duration(i) * time.Hour),
			Actor: fmt.Sprint("u", i%13), Attrs: map[string]any{"source": sources[i%2], "n": int64(1000 + i%5)}}
		switch i % 4 {
		case 1:
			delete(v.Attrs, "n")
		case 2:
			v.Attrs["big"] = i%3 == 0
		case 3:
			v.Attrs["source"] = sources[2] // one value, boxed once
		}
		if i%3 == 1 {
			v.Amount = decimal.NewNullDecimal(decimal.New(int64(i), -2))
			v.Currency = "RUB"
		}
		if i%11 == 0 {
			v.Known = t0.Add(time.Duration(i) * time.Minute)
		}
		if i%97 == 0 {
			v = Version{ID: id, Deleted: true}
		}
		codes := checked.Known(v.Kind, v.Actor, v.Currency)
		if err := plain.ApplyVersion(&v, nil, Codes{}, nil); err != nil {
			t.Fatal(err)
		}
		if err := checked.ApplyChecked(&v, nil, nil, codes, nil); err != nil {
			t.Fatal(err)
		}
		vals, attrs := sortAttrs(sorted, &v)
		if err := sorted.ApplyChecked(&v, vals, attrs, sorted.Known(v.Kind, v.Actor, v.Currency), nil); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for _, other := range []*Table{checked, sorted} {
		if plain.Live() != other.Live() || plain.Dead() != other.Dead() {
			t.Fatalf("live %d, dead %d; checked: live %d, dead %d", plain.Live(), plain.Dead(), other.Live(), other.Dead())
		}
		for _, id := range ids {
			s1, r1, ok1 := plain.Lookup(id)
			s2, r2, ok2 := other.Lookup(id)
			if ok1 != ok2 {
				t.Fatalf("id %s found %v, checked %v", id, ok1, ok2)
			}
			if !ok1 {
				continue
			}
			var a, b Row
			plain.Read(s1, r1, &a)
			other.Read(s2, r2, &b)
			if !reflect.DeepEqual(a, b) || s1.Alive(r1) != s2.Alive(r2) {
				t.Fatalf("id %s reads %+v, checked %+v", id, a, b)
			}
		}
	}
	if hits := sortedHits; hits < 2000 {
		t.Fatalf("%d values found in the cache: the codes given were hardly tried", hits)
	}

	// What the caller's check does not cover is refused, the table unchanged.
	for _, v := range []Version{
		{ID: "1\n", Kind: "call", Time: t0},
		{ID: "1", Kind: "meet\x1bing", Time: t0},
		{ID: "1", Kind: "call", Time: t0, Actor: "\x1b[2J"},
		{ID: "1", Kind: "call", Time: t0, Currency: "RU\x00"},
		{ID: "1", Kind: "call", Time: t0, Attrs: map[string]any{"so\u009burce": "v"}},
	} {
		live, dead := checked.Live(), checked.Dead()
		err := checked.ApplyChecked(&v, nil, nil, checked.Known(v.Kind, v.Actor, v.Currency), nil)
		if err == nil || checked.Live() != live || checked.Dead() != dead {
			t.Fatalf("%+v: error %v, live %d → %d, dead %d → %d", v, err, live, checked.Live(), dead, checked.Dead())
		}
	}
}

// ApplyChecked refuses a kind past the table's room for kinds, and takes
// more versions of a kind it holds.
func TestApplyCheckedRoomForKinds(t *testing.T) {
	tab := New(time.UTC)
	for i := range MaxKinds {
		v := Version{ID: fmt.Sprint(i), Kind: fmt.Sprint("k", i), Time: t0}
		if err := tab.ApplyChecked(&v, nil, nil, Codes{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	v := Version{ID: "new", Kind: "one too many", Time: t0}
	if err := tab.ApplyChecked(&v, nil, nil, Codes{}, nil); err == nil || !strings.Contains(err.Error(), "kinds") {
		t.Fatalf("a kind past the room: %v", err)
	}
	v = Version{ID: "more", Kind: "k0", Time: t0}
	for _, codes := range []Codes{{}, tab.Known("k0", "", "")} {
		if err := tab.ApplyChecked(&v, nil, nil, codes, nil); err != nil {
			t.Fatalf("another version of a held kind (codes %+v): %v", codes, err)
		}
	}
	if tab.Live() != MaxKinds+1 {
		t.Fatalf("%d live, want %d", tab.Live(), MaxKinds+1)
	}
}

// sortedHits counts the values sortAttrs found in a table's cache.
var sortedHits int

// sortAttrs sorts v's attributes for tab as a tracker's check does: the
// codes CachedCode finds, the other values by their names' index; nil and
// nil (the table reads v.Attrs) when v has a name tab does not know.
func sortAttrs(tab *Table, v *Version) (vals []any, attrs []AttrCode) {
	if v.Deleted || len(v.Attrs) == 0 {
		return nil, nil
	}
	names := tab.Names()
	attrs = []AttrCode{}
	n := 0
	for i, name := range names {
		x, ok := v.Attrs[name]
		if !ok {
			continue
		}
		n++
		if c := tab.CachedCode(i, x); c != 0 {
			attrs = append(attrs, AttrCode{i, c})
			sortedHits++
			continue
		}
		if vals == nil {
			vals = make([]any, len(names))
		}
		vals[i] = x
	}
	if n != len(v.Attrs) {
		return nil, nil
	}
	return vals, attrs
}
