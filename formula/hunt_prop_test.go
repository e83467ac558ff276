package formula

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// genTime draws an instant within ±150 years of 2000 at a nanosecond.
func genTime(t *rapid.T, label string) time.Time {
	base := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	sec := rapid.Int64Range(-150*366*86400, 150*366*86400).Draw(t, label+" s")
	ns := rapid.Int64Range(0, 999_999_999).Draw(t, label+" ns")
	return base.Add(time.Duration(sec) * time.Second).Add(time.Duration(ns))
}

// civilDay is the number of days from 1970-01-01 to the date y-m-d of the
// proleptic Gregorian calendar, counted by a plain algorithm (days before
// the year, then before the month), not by package time.
func civilDay(y, m, d int) int64 {
	leap := func(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }
	var n int64
	for yy := 1970; yy < y; yy++ {
		n += 365
		if leap(yy) {
			n++
		}
	}
	for yy := y; yy < 1970; yy++ {
		n -= 365
		if leap(yy) {
			n--
		}
	}
	lengths := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	for mm := 1; mm < m; mm++ {
		n += int64(lengths[mm-1])
		if mm == 2 && leap(y) {
			n++
		}
	}
	return n + int64(d-1)
}

// Durations between two instants, in the units of seconds, minutes, hours
// and days, are the exact nanoseconds (big.Int from the instants' seconds)
// over the unit, rounded to 16 significant digits only where the quotient
// does not terminate (refDiv, shopspring's division); and
// days_between is the count of local calendar days, in a fixed zone, by a
// plain day count.
func TestDurationsAndDaysBetweenProp(t *testing.T) {
	env := NewEnv(Decl{"a", TypeTime}, Decl{"b", TypeTime})
	units := []struct {
		fn   string
		unit int64
	}{{"seconds", 1e9}, {"minutes", 60e9}, {"hours", 3600e9}, {"days", 86400e9}}
	progs := map[string]*Program{}
	for _, u := range units {
		p, err := Compile(u.fn+"(b - a)", env, TypeNumber)
		if err != nil {
			t.Fatal(err)
		}
		progs[u.fn] = p
	}
	rapid.Check(t, func(t *rapid.T) {
		a := genTime(t, "a")
		b := a.Add(time.Duration(rapid.Int64Range(-200*365*86400e9, 200*365*86400e9).Draw(t, "d")))
		if rapid.Bool().Draw(t, "near") {
			b = a.Add(time.Duration(rapid.Int64Range(-3*86400e9, 3*86400e9).Draw(t, "short d")))
		}
		s := MapScope{"a": Time(a), "b": Time(b)}
		ns := new(big.Int).Sub(
			new(big.Int).Add(new(big.Int).Mul(big.NewInt(b.Unix()), big.NewInt(1e9)), big.NewInt(int64(b.Nanosecond()))),
			new(big.Int).Add(new(big.Int).Mul(big.NewInt(a.Unix()), big.NewInt(1e9)), big.NewInt(int64(a.Nanosecond()))))
		for _, u := range units {
			v, err := progs[u.fn].Eval(s)
			if err != nil {
				t.Fatal(err)
			}
			want, ok := refDiv(decimal.NewFromBigInt(ns, 0), decimal.NewFromInt(u.unit))
			if !ok {
				t.Fatal("unit 0")
			}
			if got, _ := v.Number(); !v.Defined() || !got.Equal(want) {
				t.Fatalf("%s(b - a), a = %v, b = %v: %v, want %s", u.fn, a, b, v, want)
			}
		}
		off := rapid.IntRange(-14*60, 14*60).Draw(t, "offset minutes")
		zone := time.FixedZone("Z", off*60)
		p, err := Compile("days_between(a, b)", env.WithLocation(zone), TypeNumber)
		if err != nil {
			t.Fatal(err)
		}
		v, err := p.Eval(s)
		if err != nil {
			t.Fatal(err)
		}
		// The local date by hand: the instant plus the offset, in days.
		local := func(x time.Time) int64 {
			secs := x.Unix() + int64(off)*60
			return floorDiv(secs, 86400)
		}
		la, lb := a.In(zone), b.In(zone)
		if local(a) != civilDay(la.Year(), int(la.Month()), la.Day()) || local(b) != civilDay(lb.Year(), int(lb.Month()), lb.Day()) {
			t.Fatalf("the reference's local dates disagree for %v, %v", a, b)
		}
		if want := local(b) - local(a); !v.Equal(Int(want)) {
			t.Fatalf("days_between(%v, %v) at %+d min: %v, want %d", a, b, off, v, want)
		}
	})
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// min and max of several strings, durations or times, and sum, avg, count,
// min and max of a list of numbers with undefined elements, agree with a
// plain loop (avg: the exact sum over the count, divided as / divides).
func TestExtremaAndAggregatesProp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 6).Draw(t, "n") // min(x) of one argument reads a list
		kind := rapid.SampledFrom([]Type{TypeString, TypeDuration, TypeTime, TypeNumber}).Draw(t, "type")
		env := NewEnv()
		s := MapScope{}
		var names []string
		var vals []Value
		for i := range n {
			name := string(rune('a' + i))
			names = append(names, name)
			env = env.With(Decl{name, kind})
			var v Value
			switch kind {
			case TypeString:
				v = String(rapid.StringMatching(`[a-cé]{0,3}`).Draw(t, name))
			case TypeDuration:
				v = Duration(time.Duration(rapid.Int64Range(-5, 5).Draw(t, name)) * time.Second)
			case TypeTime:
				v = Time(time.Unix(rapid.Int64Range(-5, 5).Draw(t, name), 0).In(time.FixedZone("", 3600*rapid.IntRange(-3, 3).Draw(t, name+" zone"))))
			default:
				v = Number(genDecimal().Draw(t, name))
			}
			if rapid.IntRange(0, 4).Draw(t, name+" undefined") == 0 {
				v = Value{}
			}
			s[name] = v
			vals = append(vals, v)
		}
		less := func(x, y Value) bool {
			switch kind {
			case TypeString:
				return x.str() < y.str()
			case TypeNumber:
				dx, _ := x.Number()
				dy, _ := y.Number()
				return dx.Cmp(dy) < 0
			case TypeTime:
				return x.time().Before(y.time())
			}
			return x.i < y.i
		}
		eval := func(src string) Value {
			p, err := Compile(src, env, TypeAny)
			if err != nil {
				t.Fatalf("Compile(%q): %v", src, err)
			}
			v, err := p.Eval(s)
			if err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			return v
		}
		args := strings.Join(names, ", ")
		// Several arguments: undefined if one is.
		var lo, hi Value
		undefined := false
		for i, v := range vals {
			if !v.Defined() {
				undefined = true
				continue
			}
			if i == 0 || !lo.Defined() || less(v, lo) {
				lo = v
			}
			if i == 0 || !hi.Defined() || less(hi, v) {
				hi = v
			}
		}
		wantLo, wantHi := lo, hi
		if undefined {
			wantLo, wantHi = Value{}, Value{}
		}
		if got := eval("min(" + args + ")"); !got.Equal(wantLo) {
			t.Fatalf("min(%v) = %v, want %v", vals, got, wantLo)
		}
		if got := eval("max(" + args + ")"); !got.Equal(wantHi) {
			t.Fatalf("max(%v) = %v, want %v", vals, got, wantHi)
		}
		if kind != TypeNumber {
			return
		}
		// A list: undefined elements skipped.
		list := "[" + args + "]"
		if got := eval("min(" + list + ")"); !got.Equal(lo) {
			t.Fatalf("min(%v) = %v, want %v", vals, got, lo)
		}
		if got := eval("max(" + list + ")"); !got.Equal(hi) {
			t.Fatalf("max(%v) = %v, want %v", vals, got, hi)
		}
		sum, cnt := decimal.Zero, 0
		for _, v := range vals {
			if d, ok := v.Number(); ok {
				sum = sum.Add(d)
				cnt++
			}
		}
		if got, _ := eval("sum(" + list + ")").Number(); !got.Equal(sum) {
			t.Fatalf("sum(%v) = %v, want %s", vals, got, sum)
		}
		if got := eval("count(" + list + ")"); !got.Equal(Int(int64(cnt))) {
			t.Fatalf("count(%v) = %v, want %d", vals, got, cnt)
		}
		got := eval("avg(" + list + ")")
		if cnt == 0 {
			if got.Defined() {
				t.Fatalf("avg(%v) = %v, want undefined", vals, got)
			}
			return
		}
		want, _ := refDiv(sum, decimal.NewFromInt(int64(cnt)))
		if d, ok := got.Number(); !ok || !d.Equal(want) {
			t.Fatalf("avg(%v) = %v, want %s", vals, got, want)
		}
	})
}

// A number's text (Value.String) reads back as the same number, in range
// or not, in either form, and has no trailing zeros after a point.
func TestNumberTextRoundTripProp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var d decimal.Decimal
		if rapid.Bool().Draw(t, "edge") {
			d = genEdgeDecimal().Draw(t, "d")
		} else {
			d = genDecimal().Draw(t, "d")
		}
		for _, v := range []Value{Number(d), bigVal(d)} {
			s := v.String()
			back, err := decimal.NewFromString(s)
			if err != nil || !back.Equal(d) {
				t.Fatalf("%s reads back as %s (%v), want %s", s, back, err, sci(d))
			}
			if strings.Contains(s, ".") && !strings.Contains(s, "e") && strings.HasSuffix(s, "0") {
				t.Fatalf("%s has trailing zeros", s)
			}
		}
	})
}
