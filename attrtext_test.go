package goalkit_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A breakdown's attribute values as a report writes them, and read back
// by their declared types.
func ExampleAttrText() {
	at := time.Date(2025, 3, 10, 12, 0, 0, 500, time.FixedZone("", 3*3600))
	for _, v := range []any{"web", int64(-42), decimal.RequireFromString("1234.50"), true, at, nil} {
		fmt.Printf("%q\n", goalkit.AttrText(v))
	}
	v, err := goalkit.ParseAttr(kpi.AttrTime, "2025-03-10T12:00:00.0000005+03:00")
	fmt.Println(v.(time.Time).Equal(at), err)
	// Output:
	// "web"
	// "-42"
	// "1234.5"
	// "true"
	// "2025-03-10T12:00:00.0000005+03:00"
	// ""
	// true <nil>
}

func TestParseAttrErrors(t *testing.T) {
	for _, c := range []struct {
		t    kpi.AttrType
		s    string
		want string
	}{
		{kpi.AttrInt, "1.5", `strconv.ParseInt: parsing "1.5": invalid syntax`},
		{kpi.AttrInt, "", `strconv.ParseInt: parsing "": invalid syntax`},
		{kpi.AttrDecimal, "1,5", `can't convert 1,5 to decimal`},
		{kpi.AttrInt, "+5", `"+5": an integer is written without a plus sign`},
		{kpi.AttrBool, "yes", `"yes": a bool is true or false`},
		{kpi.AttrTime, "2025-03-10", `parsing time "2025-03-10" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "" as "T"`},
	} {
		if v, err := goalkit.ParseAttr(c.t, c.s); err == nil || err.Error() != c.want {
			t.Errorf("ParseAttr(%v, %q) = %v, %v; want the error %s", c.t, c.s, v, err, c.want)
		}
	}
	if v, err := goalkit.ParseAttr(0, "12"); err != nil || v != "12" {
		t.Errorf("an undeclared attribute: %#v, %v; want the string 12", v, err)
	}
}

// ParseAttr reads back what AttrText writes, to the same value.
func TestAttrTextRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var v any
		var typ kpi.AttrType
		switch rapid.IntRange(0, 4).Draw(t, "type") {
		case 0:
			v, typ = rapid.String().Draw(t, "s"), kpi.AttrString
		case 1:
			v, typ = rapid.Int64().Draw(t, "i"), kpi.AttrInt
		case 2:
			v, typ = decimal.New(rapid.Int64().Draw(t, "coef"), int32(rapid.IntRange(-20, 5).Draw(t, "exp"))), kpi.AttrDecimal
		case 3:
			v, typ = rapid.Bool().Draw(t, "b"), kpi.AttrBool
		case 4:
			zone := time.FixedZone("", 60*rapid.IntRange(-14*60, 14*60).Draw(t, "offset"))
			v, typ = time.Unix(rapid.Int64Range(-1e10, 1e10).Draw(t, "sec"), rapid.Int64Range(0, 999_999_999).Draw(t, "ns")).In(zone), kpi.AttrTime
		}
		got, err := goalkit.ParseAttr(typ, goalkit.AttrText(v))
		if err != nil {
			t.Fatalf("ParseAttr(%v, %q): %v", typ, goalkit.AttrText(v), err)
		}
		same := got == v
		switch x := v.(type) {
		case decimal.Decimal:
			same = x.Equal(got.(decimal.Decimal))
		case time.Time:
			same = x.Equal(got.(time.Time))
		}
		if !same {
			t.Fatalf("%#v → %q → %#v", v, goalkit.AttrText(v), got)
		}
	})
}
