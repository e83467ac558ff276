package sqlcore

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

func TestMappingErrors(t *testing.T) {
	for _, tc := range []struct {
		m    Mapping
		d    Dialect
		want string
	}{
		{Mapping{ID: "id", Kind: "k", Time: "t", Actor: "a"}, SQLite, "sqlcore: mapping: no table column"},
		{Mapping{Table: "e", ID: "id", Kind: "k", Actor: "a"}, SQLite, "sqlcore: mapping: no time column"},
		{Mapping{Table: "e; drop", ID: "id", Kind: "k", Time: "t", Actor: "a"}, SQLite, `sqlcore: mapping: bad column or table name "e; drop"`},
		{Mapping{Table: "e", ID: "id", Kind: "k", Time: "t", TimeType: "timestamp", Actor: "a"}, SQLite, `sqlcore: mapping: time type "timestamp" needs postgres`},
		{Mapping{Table: "e", ID: "id", Kind: "k", Time: "t", TimeType: "date", Actor: "a"}, Postgres, `sqlcore: mapping: unknown time type "date" (want unix_nanos or timestamp)`},
		{Mapping{Table: "e", ID: "id", Kind: "k", Time: "t", Actor: "a", AttrColumns: map[string]AttrColumn{"kind": {Column: "c", Type: kpi.AttrString}}}, SQLite,
			`sqlcore: mapping: attribute "kind": the name is the event's own field`},
		{Mapping{Table: "e", ID: "id", Kind: "k", Time: "t", Actor: "a", AttrColumns: map[string]AttrColumn{"at": {Column: "c", Type: kpi.AttrTime}}}, SQLite,
			`sqlcore: mapping: attribute "at": time columns need postgres`},
	} {
		_, err := New(nil, tc.d, &tc.m)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%+v: got %v, want %s", tc.m, err, tc.want)
		}
	}
	if _, err := New(nil, Postgres, &Mapping{Table: "crm.events", ID: "id", Kind: "k", Time: "t", TimeType: "timestamp", Actor: "a"}); err != nil {
		t.Error(err)
	}
}

func TestAttrsRoundTrip(t *testing.T) {
	at := time.Date(2025, 3, 1, 10, 0, 0, 5, time.FixedZone("", 3600))
	in := map[string]any{"s": "a\"b", "i": int64(-3), "d": decimal.RequireFromString("12.50"), "b": true, "t": at}
	js, err := encodeAttrs(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"b":true,"d":12.50,"i":-3,"s":"a\"b","t":{"$time":"2025-03-01T10:00:00.000000005+01:00"}}`; js != want {
		t.Fatalf("encoded %s, want %s", js, want)
	}
	out, err := decodeAttrs(js, false)
	if err != nil {
		t.Fatal(err)
	}
	// Numbers come back as decimals, with their places.
	if out["s"] != "a\"b" || out["b"] != true || !out["i"].(decimal.Decimal).Equal(decimal.New(-3, 0)) ||
		!out["d"].(decimal.Decimal).Equal(decimal.New(1250, -2)) || out["d"].(decimal.Decimal).Exponent() != -2 || !out["t"].(time.Time).Equal(at) {
		t.Fatalf("decoded %v", out)
	}
	typed, err := encodeTyped(in)
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeTyped(typed)
	if err != nil {
		t.Fatal(err)
	}
	if back["t"].(time.Time).Equal(at) {
		back["t"] = at
	}
	if !reflect.DeepEqual(back, in) {
		t.Fatalf("typed round trip: %v, want %v", back, in)
	}
	if _, err := encodeAttrs(map[string]any{"x": 1.5}); err == nil || err.Error() != `attribute "x": unsupported value of type float64 (want string, int64, decimal.Decimal, bool or time.Time)` {
		t.Fatalf("float: %v", err)
	}
}

// Of several attribute values it cannot read, decodeAttrs names the least
// name, every time: the map's order chose one at random, and one row gave
// one error one time and another the next.
func TestDecodeAttrsNamesTheLeast(t *testing.T) {
	const js = `{"d":[4],"b":{"x":1},"c":"ok","a":{"$time":"soon"},"e":true}`
	for i := range 50 {
		_, err := decodeAttrs(js, i%2 == 0)
		if err == nil || !strings.HasPrefix(err.Error(), `"a": `) {
			t.Fatalf("got %v, want the error of attribute \"a\"", err)
		}
	}
}

// Attributes are one JSON object: text after it (a host's text column) is
// an error; the scan read the first object and dropped the rest.
func TestDecodeAttrsOneObject(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`{"a":1}`, true}, {"{\"a\":1} \n\t", true}, {`null`, true},
		{`{"a":1} {"b":2}`, false}, {`{"a":1}}`, false}, {`{"a":1} x`, false}, {`{"a":1},`, false}, {`{} []`, false},
	} {
		for _, first := range []bool{false, true} {
			_, err := decodeAttrs(tc.in, first)
			if (err == nil) != tc.ok {
				t.Errorf("%q (first %v): got %v, want ok %v", tc.in, first, err, tc.ok)
			}
		}
	}
}

// A name an object of attributes holds twice has its first value where
// first is set (SQLite's reading of a host's JSON) and its last otherwise;
// the other names are read alike.
func TestDecodeAttrsNameTwice(t *testing.T) {
	const js = `{"s":"web","n":null,"s":"partner","n":5,"b":true}`
	for _, tc := range []struct {
		first bool
		want  map[string]any
	}{
		{true, map[string]any{"s": "web", "b": true}},
		{false, map[string]any{"s": "partner", "n": decimal.NewFromInt(5), "b": true}},
	} {
		got, err := decodeAttrs(js, tc.first)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("first %v: got %v, %v; want %v", tc.first, got, err, tc.want)
		}
	}
}
