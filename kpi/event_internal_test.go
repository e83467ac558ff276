package kpi

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/colstore"

	"pgregory.net/rapid"
)

// problems counts the attributes of e with a bad name or value.
func problems(e *Event) int {
	n := 0
	for name, v := range e.Attrs {
		if name == "" || name == "bad\x01name" || !attrValue(v) {
			n++
		}
	}
	return n
}

// TestValidateWithKnownNames: checking an event against the names a table
// knows gives what Validate gives (the same error, or none), whatever the
// attributes: known or new names, bad names, values of a type attributes
// do not take, and more known names than are looked up; and it says there
// is no new name only when there is none.
func TestValidateWithKnownNames(t *testing.T) {
	names := []string{"source", "pipeline", "stage", "", "bad\x01name", "region"}
	values := []any{"web", int64(3), 7, int32(2), true, time.Unix(0, 0), 1.5, []string{"x"}, nil}
	rapid.Check(t, func(t *rapid.T) {
		e := Event{ID: "1", Kind: "call", Actor: "a", Time: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
		if n := rapid.IntRange(0, 4).Draw(t, "attrs"); n > 0 {
			e.Attrs = map[string]any{}
			for range n {
				e.Attrs[rapid.SampledFrom(names).Draw(t, "name")] = rapid.SampledFrom(values).Draw(t, "value")
			}
		}
		var known []string
		for _, n := range []string{"source", "pipeline", "stage", "region"} {
			if rapid.Bool().Draw(t, "known "+n) {
				known = append(known, n)
			}
		}
		if rapid.IntRange(0, 9).Draw(t, "many") == 0 {
			for i := range maxKnownNames {
				known = append(known, fmt.Sprintf("n%d", i))
			}
		}
		// Validate names one problem of several at random (a map's order):
		// the same error is asked for where there is one problem at most.
		want := e.Validate()
		vals := make([]any, len(known))
		c := eventCheck{known: known, vals: vals}
		got := e.validate(&c)
		news := c.news
		if got == nil && !news {
			for name := range e.Attrs {
				if !slices.Contains(known, name) {
					t.Fatalf("attrs %v, known %v: no new name, it says", e.Attrs, known)
				}
			}
			if len(e.Attrs) > 0 {
				for i, name := range known {
					if v, ok := e.Attrs[name]; vals[i] != v || ok != (vals[i] != nil) {
						t.Fatalf("attrs %v, known %v: values by name %v", e.Attrs, known, vals)
					}
				}
			}
		}
		if (got == nil) != (want == nil) || (problems(&e) <= 1 && fmt.Sprint(got) != fmt.Sprint(want)) {
			t.Fatalf("attrs %v, known %v: %v, Validate says %v", e.Attrs, known, got, want)
		}
	})
}

// TestValidateWithTable: checking an event against the table it goes to
// gives what Validate gives (the same error, or none) whether or not the
// table holds its kind, actor and currency, bad ones included (a table
// never holds one); the codes it finds are the table's codes of those
// strings (0 for one it does not hold); and applying the event with those
// codes leaves the table as applying it without them does.
func TestValidateWithTable(t *testing.T) {
	kinds := []string{"call", "deal", "", "bad\x01kind", "lead"}
	actors := []string{"ann", "bob", "", "bad\nactor", "cat"}
	curs := []string{"", "RUB", "EUR", "bad\x7fcur"}
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	rapid.Check(t, func(t *rapid.T) {
		with, without := colstore.New(time.UTC), colstore.New(time.UTC)
		for i := range rapid.IntRange(0, 6).Draw(t, "held") {
			in := colstore.Input{ID: fmt.Sprintf("h%d", i), Time: t0,
				Kind: rapid.SampledFrom(kinds[:2]).Draw(t, "held kind"), Actor: rapid.SampledFrom(actors[:2]).Draw(t, "held actor"),
				Currency: rapid.SampledFrom(curs[:3]).Draw(t, "held currency")}
			for _, tab := range []*colstore.Table{with, without} {
				in := in
				if err := tab.Apply(&in); err != nil {
					t.Fatal(err)
				}
			}
		}
		e := Event{ID: rapid.SampledFrom([]string{"h0", "n1", "bad\x02id"}).Draw(t, "id"), Time: t0,
			Kind: rapid.SampledFrom(kinds).Draw(t, "kind"), Actor: rapid.SampledFrom(actors).Draw(t, "actor"),
			Currency: rapid.SampledFrom(curs).Draw(t, "currency")}
		want := e.Validate()
		c := eventCheck{tab: with}
		got := with.Known("", "", "") // nothing known of empty strings
		if got != (colstore.Codes{}) {
			t.Fatalf("Known of empty strings: %v", got)
		}
		err := e.validate(&c)
		if fmt.Sprint(err) != fmt.Sprint(want) {
			t.Fatalf("event %+v: %v, Validate says %v", e, err, want)
		}
		if err != nil {
			return
		}
		codeOf := func(dict []string, s string) uint32 {
			if i := slices.Index(dict, s); i > 0 {
				return uint32(i)
			}
			return 0
		}
		var kindCode uint32
		if k, ok := with.KindCode(e.Kind); ok {
			kindCode = k
		}
		if c.codes.Kind != kindCode || c.codes.Actor != codeOf(with.Actors(), e.Actor) || c.codes.Currency != codeOf(with.Currencies(), e.Currency) {
			t.Fatalf("event %+v: codes %+v, the table's kinds/actors %v/currencies %v", e, c.codes, with.Actors(), with.Currencies())
		}
		a := colstore.Input{ID: e.ID, Kind: e.Kind, Time: e.Time, Actor: e.Actor, Currency: e.Currency, Codes: c.codes}
		b := a
		b.Codes = colstore.Codes{}
		if err := with.Apply(&a); err != nil {
			t.Fatal(err)
		}
		if err := without.Apply(&b); err != nil {
			t.Fatal(err)
		}
		var ra, rb colstore.Row
		for _, s := range with.Segs {
			o := without.Segment(s.Kind)
			if o == nil || o.N != s.N {
				t.Fatalf("segment %q: %d rows with the codes, %v without", s.Kind, s.N, o)
			}
			for i := range s.N {
				with.Read(s, i, &ra)
				without.Read(o, i, &rb)
				if fmt.Sprint(ra) != fmt.Sprint(rb) || s.Alive(i) != o.Alive(i) {
					t.Fatalf("segment %q row %d: %+v with the codes, %+v without", s.Kind, i, ra, rb)
				}
			}
		}
	})
}
