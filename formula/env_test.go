package formula

import (
	"sync"
	"testing"
	"time"
)

func TestEnv(t *testing.T) {
	e := NewEnv(Decl{"a", TypeNumber}, Decl{"a", TypeString}, Decl{"b", TypeBool})
	if typ, ok := e.Lookup("a"); !ok || typ != TypeString {
		t.Errorf("later declaration should win: %v %v", typ, ok)
	}
	f := e.With(Decl{"c", TypeTime}).WithPrev().WithPeriodFuncs().WithLocation(time.FixedZone("X", 3600))
	if _, ok := e.Lookup("c"); ok || e.hasPrev() || e.hasPeriod() || e.Location() != time.UTC {
		t.Error("With… must not modify the receiver")
	}
	if got := len(f.Decls()); got != 3 || f.Decls()[2].Name != "c" || !f.hasPrev() || !f.hasPeriod() {
		t.Errorf("Decls = %v", f.Decls())
	}
	var nilEnv *Env
	if _, ok := nilEnv.Lookup("a"); ok || nilEnv.Decls() != nil || nilEnv.Location() != time.UTC {
		t.Error("nil Env")
	}
	if n := nilEnv.With(Decl{"x", TypeNumber}); n == nil {
		t.Error("nil.With")
	}
	ev := EventEnv(map[string]Type{"kind": TypeNumber, "source": TypeString})
	if typ, _ := ev.Lookup("kind"); typ != TypeString {
		t.Error("event fields must hide attributes of the same name")
	}
	ind := IndicatorEnv("won")
	if typ, _ := ind.Lookup("won"); typ != TypeNumber || !ind.hasPrev() || !ind.hasPeriod() {
		t.Error("IndicatorEnv")
	}
	// A nil env compiles formulas without names.
	p, err := Compile("1 + 1", nil, TypeNumber)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := p.Eval(nil); v.String() != "2" {
		t.Errorf("1 + 1 = %v", v)
	}
	if _, err := Compile("x", nil, TypeAny); err == nil || err.Error() != `unknown name "x" (1:1)` {
		t.Errorf("got %v", err)
	}
}

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{
		"source": true, "pipeline_2": true, "_x": true, "Amount": true,
		"": false, "2x": false, "in": false, "not": false, "and": false, "or": false, "contains": false,
		"matches": false, "let": false, "nil": false, "true": false, "x-y": false, "héllo": false, "$x": false,
	} {
		if got := ValidName(name); got != want {
			t.Errorf("ValidName(%q) = %v", name, got)
		}
		if !want {
			continue
		}
		p, err := Compile(name, NewEnv(Decl{name, TypeNumber}), TypeNumber)
		if err != nil {
			t.Errorf("%q: %v", name, err)
			continue
		}
		if v, _ := p.Eval(MapScope{name: Int(1)}); v.String() != "1" {
			t.Errorf("%q = %v", name, v)
		}
	}
}

func TestValueAccessors(t *testing.T) {
	at := time.Date(2025, 3, 1, 10, 0, 0, 5, time.FixedZone("X", 3600))
	for _, c := range []struct {
		v      Value
		typ    Type
		str    string
		goStr  string
		define bool
	}{
		{Undefined(), TypeAny, "undefined", "formula.Undefined()", false},
		{Bool(true), TypeBool, "true", "formula.Bool(true)", true},
		{Int(-42), TypeNumber, "-42", "formula.Number(-42)", true},
		{Int(1 << 62), TypeNumber, "4611686018427387904", "formula.Number(4611686018427387904)", true},
		{String("a\"b"), TypeString, `"a\"b"`, `formula.String("a\"b")`, true},
		{String(""), TypeString, `""`, `formula.String("")`, true},
		{Time(at), TypeTime, "2025-03-01T09:00:00.000000005Z", "formula.Time(2025-03-01T09:00:00.000000005Z)", true},
		{Duration(90 * time.Minute), TypeDuration, "1h30m0s", "formula.Duration(1h30m0s)", true},
		{List(Int(1), String("x"), Undefined()), TypeList, `[1, "x", undefined]`, `formula.List(formula.Number(1), formula.String("x"), formula.Undefined())`, true},
	} {
		if c.v.Type() != c.typ || c.v.String() != c.str || c.v.GoString() != c.goStr || c.v.Defined() != c.define {
			t.Errorf("%v: type %v, String %q, GoString %q, Defined %v", c.str, c.v.Type(), c.v.String(), c.v.GoString(), c.v.Defined())
		}
		if !c.v.Equal(c.v) {
			t.Errorf("%v not Equal to itself", c.str)
		}
	}
	if b, ok := Bool(true).Bool(); !b || !ok {
		t.Error("Bool")
	}
	if _, ok := Int(1).Bool(); ok {
		t.Error("Int.Bool ok")
	}
	if d, ok := Int(7).Number(); !ok || d.String() != "7" {
		t.Error("Number")
	}
	if s, ok := String("x").Str(); !ok || s != "x" {
		t.Error("Str")
	}
	if tm, ok := Time(at).Time(); !ok || !tm.Equal(at) || tm.Location() != time.UTC {
		t.Error("Time")
	}
	if d, ok := Duration(time.Second).Duration(); !ok || d != time.Second {
		t.Error("Duration")
	}
	l := []Value{Int(1)}
	lv := List(l...)
	l[0] = Int(2)
	if got, ok := lv.List(); !ok || got[0].String() != "1" {
		t.Error("List must copy")
	}
	for _, v := range []Value{Undefined(), Bool(true), String("x"), List()} {
		if _, ok := v.Number(); ok && v.Type() != TypeNumber {
			t.Error("Number ok")
		}
		if _, ok := v.Time(); ok {
			t.Error("Time ok")
		}
		if _, ok := v.Duration(); ok {
			t.Error("Duration ok")
		}
	}
	if _, ok := Int(1).Str(); ok {
		t.Error("Str ok")
	}
	if _, ok := Int(1).List(); ok {
		t.Error("List ok")
	}
	if Int(1).Equal(String("1")) || !Int(15).Equal(mustNum("15.0")) || String("a").Equal(String("b")) {
		t.Error("Equal")
	}
	if TypeNumber.String() != "number" || Type(42).String() != "Type(42)" || TypeBool.GoString() != "formula.TypeBool" {
		t.Error("Type.String")
	}
	if (Ref{Name: "won", Back: 2}).String() != "prev(won, 2)" || (Ref{Name: "days", Func: true}).String() != "days()" {
		t.Error("Ref.String")
	}
}

func mustNum(s string) Value {
	p, err := Compile(s, nil, TypeNumber)
	if err != nil {
		panic(err)
	}
	v, _ := p.Eval(nil)
	return v
}

// A Program is safe for concurrent use.
func TestConcurrentEval(t *testing.T) {
	p, err := Compile(`lower(source) in ["web", "partner"] && amount * 2 > 100 ? source + "!" : "no"`, evalEnv(), TypeString)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				src := "web"
				if (g+i)%2 == 0 {
					src = "Partner"
				}
				s := evalScope()
				s["source"] = String(src)
				v, err := p.Eval(s)
				if err != nil || v.String() != `"`+src+`!"` {
					t.Errorf("got %v, %v", v, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// ReadsZone says whether a program calls a helper that reads times in the
// Env's zone; where it says no, the zone never changes the program's value.
func TestReadsZone(t *testing.T) {
	env := NewEnv(Decl{Name: "t", Type: TypeTime}, Decl{Name: "u", Type: TypeTime}, Decl{Name: "d", Type: TypeDuration}, Decl{Name: "n", Type: TypeNumber})
	for _, c := range []struct {
		src  string
		want bool
	}{
		{"month(t) == 3", true},
		{"year(t) + quarter(t) + week(t) + day(t) + weekday(t) > 0", true},
		{"hour(t) < 9 || minute(t) > 30", true},
		{"days_between(t, u) > 1", true},
		{"workdays_between(t, u) > 1", true},
		{"false && month(t) == 3", true},
		{"t < u", false},
		{"u - t > d", false},
		{"hours(d) > 1 && n > 2", false},
		{"defined(t)", false},
	} {
		p, err := Compile(c.src, env, TypeBool)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		if got := p.ReadsZone(); got != c.want {
			t.Errorf("%s: ReadsZone %v, want %v", c.src, got, c.want)
		}
		if c.want {
			continue
		}
		// No zone changes what the program gives.
		tokyo := time.FixedZone("", 9*3600)
		q, err := Compile(c.src, env.WithLocation(tokyo), TypeBool)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2025, 2, 28, 20, 0, 0, 0, time.UTC)
		s := MapScope{"t": Time(at), "u": Time(at.Add(30 * time.Hour)), "d": Duration(time.Hour), "n": Int(3)}
		a, _ := p.Eval(s)
		b, _ := q.Eval(s)
		if a != b {
			t.Errorf("%s: %v in UTC, %v in +09:00", c.src, a, b)
		}
	}
}
