package formula

import (
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

func evalEnv() *Env {
	return EventEnv(map[string]Type{
		"source": TypeString, "stage": TypeString, "pipeline": TypeNumber, "created_at": TypeTime,
		"vip": TypeBool, "region": TypeString, "score": TypeNumber, "flag": TypeBool,
		"tags": TypeList, "nums": TypeList, "wait": TypeDuration, "extra": TypeAny,
		"member": TypeBool, "closed_at": TypeTime,
	}).With(Decl{"target", TypeNumber}, Decl{"actual", TypeNumber})
}

func evalScope() MapScope {
	return MapScope{
		"id":         String("e1"),
		"kind":       String("deal.won"),
		"actor":      String("u07"),
		"currency":   String("EUR"),
		"source":     String("web"),
		"stage":      String(" Won "),
		"pipeline":   Int(2),
		"amount":     Number(decimal.RequireFromString("1500.50")),
		"time":       Time(time.Date(2025, 3, 2, 23, 30, 0, 0, time.UTC)), // Sunday; Monday in Berlin
		"created_at": Time(time.Date(2025, 2, 27, 9, 30, 0, 0, time.UTC)),
		"vip":        Bool(true),
		"flag":       Bool(false),
		"tags":       List(String("a"), String("b")),
		"nums":       List(Int(1), Int(2), Undefined(), Number(decimal.RequireFromString("4.5"))),
		"wait":       Duration(90 * time.Minute),
		"extra":      Int(7),
		"target":     Int(100),
		"actual":     Int(120),
		// region, score, member and closed_at are declared but missing: undefined.
	}
}

func TestEval(t *testing.T) {
	cases := []struct{ src, want string }{
		// numbers: exact decimals
		{"0.1 + 0.2", "0.3"},
		{"0.1 + 0.2 == 0.3", "true"},
		{"amount * 0.9", "1350.45"},
		{"amount - 0.50", "1500"},
		{"1 / 3", "0.3333333333333333"},
		{"2 / 3 * 3", "2.0000000000000001"},
		{"145 / 277", "0.5234657039711191"},
		{"1 / 8", "0.125"},
		{"10 / 4", "2.5"},
		{"amount / 0", "undefined"},
		{"7 % 3", "1"},
		{"-7 % 3", "-1"},
		{"7.5 % 2", "1.5"},
		{"5 % 0", "undefined"},
		{"2 ** 10", "1024"},
		{"2 ^ 3 ^ 2", "512"},
		{"1.1 ** 2", "1.21"},
		{"2 ** -2", "0.25"},
		{"0 ** -1", "undefined"},
		{"0 ** 0", "1"},
		{"-amount", "-1500.5"},
		{"+amount", "1500.5"},
		{"1_000_000 * 3", "3000000"},
		{"0x10 + 0b11 + 0o7", "26"},
		// Any size, as decimal literals; past int64 they were "bad number".
		{"0xFFFFFFFFFFFFFFFFF", "295147905179352825855"},
		{"0x1_0000_0000_0000_0000 - 1", "18446744073709551615"},
		{"0b1" + strings.Repeat("0", 100), "1267650600228229401496703205376"},
		{"-0o777_777_777_777_777_777_777", "-9223372036854775807"},
		{"1e3 + .5 + 2.", "1002.5"},
		{"123456789012345678901234567890 + 1", "123456789012345678901234567891"},
		{"99999999999999999 * 99999999999999999", "9999999999999999800000000000000001"},

		// comparisons and logic
		{"pipeline == 2", "true"},
		{"pipeline != 2", "false"},
		{"pipeline >= 2.0", "true"},
		{"amount > 1500.5", "false"},
		{"amount >= 1500.50", "true"},
		{`source == "web"`, "true"},
		{`source < "x"`, "true"},
		{"time > created_at", "true"},
		{"vip == true", "true"},
		{"vip != flag", "true"},
		{"1 < pipeline < 3", "true"},
		{"vip && !flag", "true"},
		{"vip and not flag", "true"},
		{"flag || vip", "true"},
		{"flag or flag", "false"},
		{"wait > wait - wait", "true"},

		// in, not in, string tests
		{`source in ["web", "partner"]`, "true"},
		{`source in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "web"]`, "true"},
		{`source not in ["web", "partner"]`, "false"},
		{`pipeline in [1, 2.0, 3]`, "true"},
		{`source in [stage, source]`, "true"},
		{`source not in [stage, kind]`, "true"},
		{`"a" in tags`, "true"},
		{`"z" not in tags`, "true"},
		{`source in []`, "false"},
		{`source contains "e"`, "true"},
		{`source not contains "e"`, "false"},
		{`source startsWith "we"`, "true"},
		{`source endsWith "b"`, "true"},
		{`source not endsWith "b"`, "false"},
		{`contains(source, "x")`, "false"},
		{`startsWith(kind, "deal.")`, "true"},
		{`endsWith(kind, ".won")`, "true"},
		{`not startsWith(kind, "lead.")`, "true"},

		// strings
		{`lower("ÀBC")`, `"àbc"`},
		{`upper(source)`, `"WEB"`},
		{`trim(stage)`, `"Won"`},
		{"trim(\"\\t Won\\u00a0\\r\\n\")", `"Won"`}, // white space of any kind, as Unicode has it
		{`trim("a  b")`, `"a  b"`},
		{`lower(trim(stage)) == "won"`, "true"},
		{`source + "/" + kind`, `"web/deal.won"`},
		{`len("héllo")`, "5"},
		{`len(tags)`, "2"},
		{`len(nums)`, "4"},

		// number functions
		{"abs(-2.5)", "2.5"},
		{"round(2.5)", "3"},
		{"round(-2.5)", "-3"},
		{"round(2.45, 1)", "2.5"},
		{"round(-2.45, 1)", "-2.5"},
		{"round(1234.5, -2)", "1200"},
		{"round(amount / 3, 2)", "500.17"},
		{"round(amount, pipeline)", "1500.5"},
		{"round(amount, 0.5 + pipeline)", "undefined"},
		{"round(amount, pipeline * 1000)", "undefined"},
		{"round(amount, -pipeline * 500)", "0"},
		{"floor(2.7)", "2"},
		{"floor(-2.1)", "-3"},
		{"ceil(2.1)", "3"},
		{"ceil(-2.7)", "-2"},
		{"clamp(15, 0, 10)", "10"},
		{"clamp(-5, 0, 10)", "0"},
		{"clamp(5, 0, 10)", "5"},
		{"clamp(5, 10, 0)", "undefined"},
		{"min(3, 1, 2)", "1"},
		{"max(3, 1, 2)", "3"},
		{"max(target, actual * 1.1)", "132"},
		{"min(time, created_at) == created_at", "true"},
		{`max("a", "b")`, `"b"`},
		{"min(wait, wait + wait)", "1h30m0s"},
		{"min([3, 1, 2])", "1"},
		{"max(nums)", "4.5"},
		{"min([])", "undefined"},
		{"sum([1, 2, 3.5])", "6.5"},
		{"sum(nums)", "7.5"},
		{"sum([])", "0"},
		{"avg([1, 2])", "1.5"},
		{"avg(nums)", "2.5"},
		{"avg([])", "undefined"},
		{"count(nums)", "3"},
		{"count(tags)", "2"},
		{"count([])", "0"},
		{"sum(tags)", "undefined"},

		// time and durations (UTC here; see TestTimeZone)
		{"year(time)", "2025"},
		{"quarter(time)", "1"},
		{"month(time)", "3"},
		{"week(time)", "9"},
		{"day(time)", "2"},
		{"weekday(time)", "7"},
		{"weekday(created_at)", "4"},
		{"hour(time)", "23"},
		{"minute(time)", "30"},
		{"time - created_at", "86h0m0s"},
		{"hours(time - created_at)", "86"},
		{"days(time - created_at)", "3.583333333333333"},
		{"minutes(wait)", "90"},
		{"hours(wait)", "1.5"},
		{"seconds(wait)", "5400"},
		{"hours(created_at - time)", "-86"},
		{"created_at + (time - created_at) == time", "true"},
		{"time - wait > created_at", "true"},
		{"hours(-wait)", "-1.5"},

		// conditions and undefined
		{"vip ? 1 : 2", "1"},
		{"flag ? 1 : 2", "2"},
		{"if(vip, amount, 0)", "1500.5"},
		{"if(region == \"eu\", 1, 2)", "2"},
		{"member ? 1 : 2", "2"},
		{"!member", "true"},
		{"member == false", "false"},
		{"defined(score)", "false"},
		{"defined(amount)", "true"},
		{"coalesce(score, 0)", "0"},
		{"coalesce(score, pipeline, 0)", "2"},
		{"score ?? -1", "-1"},
		{"(-score) ?? 1", "1"},
		{"-(score ?? 1)", "-1"},
		{"score ?? -pipeline", "-2"},
		{"(1 + score) ?? 5", "5"},
		{"1 + (score ?? 5)", "6"},
		{"max(score ?? 1, 2 * 3)", "6"},
		{"vip ? score ?? 7 : 1 + 2", "7"},
		{"!vip ? 1 : score ?? pipeline", "2"},
		{"score + 1", "undefined"},
		{"abs(score)", "undefined"},
		{"max(score, 1)", "undefined"},
		{"score == 1", "false"},
		{"score != 1", "false"},
		{"!(score == 1)", "true"},
		{"score > 0 || vip", "true"},
		{"score > 0 && vip", "false"},
		{`region in ["eu"]`, "false"},
		{`region not in ["eu"]`, "false"},
		{`!(region in ["eu"])`, "true"},
		{`region contains "e"`, "false"},
		{`region not contains "e"`, "false"},
		{`lower(region)`, "undefined"},
		{"hours(time - closed_at)", "undefined"},
		{"closed_at > time || closed_at <= time", "false"},

		// names of type any are checked when the formula runs
		{"extra + 1", "8"},
		{`extra + "x"`, "undefined"},
		{"extra == 7", "true"},
		{`extra == "7"`, "false"},
	}
	env := evalEnv()
	scope := evalScope()
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			p, err := Compile(c.src, env, TypeAny)
			if err != nil {
				t.Fatal(err)
			}
			v, err := p.Eval(scope)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.String(); got != c.want {
				t.Errorf("%s = %s, want %s", c.src, got, c.want)
			}
			if v.Defined() && p.Type() != TypeAny && v.Type() != p.Type() {
				t.Errorf("%s: value of type %v, static type %v", c.src, v.Type(), p.Type())
			}
			if n := p.Node(); n != nil {
				if w := EvalNode(n, scope); !w.Equal(v) {
					t.Errorf("EvalNode = %v, Eval = %v", w, v)
				}
			}
		})
	}
}

func TestTimeZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	env := evalEnv().WithLocation(berlin)
	for src, want := range map[string]string{
		"weekday(time)": "1", "day(time)": "3", "hour(time)": "0", "week(time)": "10",
		"month(time)": "3", "year(time)": "2025", "minute(time)": "30",
	} {
		p, err := Compile(src, env, TypeNumber)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := p.Eval(evalScope()); v.String() != want {
			t.Errorf("%s in Berlin = %v, want %s", src, v, want)
		}
	}
	if env.Location() != berlin || NewEnv().Location() != time.UTC {
		t.Error("Location")
	}
}

func TestPrevAndPeriodLookups(t *testing.T) {
	env := IndicatorEnv("revenue", "tickets")
	var seen []Ref
	scope := ScopeFunc(func(r Ref) Value {
		seen = append(seen, r)
		switch r {
		case Ref{Name: "revenue"}:
			return Int(1200)
		case Ref{Name: "revenue", Back: 1}:
			return Int(1000)
		case Ref{Name: "revenue", Back: 2}:
			return Undefined()
		case Ref{Name: "tickets"}:
			return Int(42)
		case Ref{Name: "workdays", Func: true}:
			return Int(21)
		case Ref{Name: "days", Func: true}:
			return Int(31)
		case Ref{Name: "elapsed", Func: true}:
			return Number(decimal.RequireFromString("0.5"))
		}
		return Undefined()
	})
	for src, want := range map[string]string{
		"revenue / prev(revenue) - 1":          "0.2",
		"revenue / prev(revenue, 2) - 1":       "undefined",
		"tickets / workdays()":                 "2",
		"days() * elapsed()":                   "15.5",
		"coalesce(prev(revenue, 2), 0)":        "0",
		"revenue / elapsed()":                  "2400",
		"round(tickets / workdays() * 100, 1)": "200",
	} {
		p, err := Compile(src, env, TypeNumber)
		if err != nil {
			t.Fatal(err)
		}
		if v, err := p.Eval(scope); err != nil || v.String() != want {
			t.Errorf("%s = %v (%v), want %s", src, v, err, want)
		}
	}
	for _, r := range seen {
		if r.Back < 0 || r.Func && r.Back != 0 {
			t.Errorf("bad ref %+v", r)
		}
	}
	// MapScope answers plain names only.
	p, _ := Compile("coalesce(prev(revenue), -1) + coalesce(days(), -1)", env, TypeNumber)
	if v, _ := p.Eval(MapScope{"revenue": Int(1)}); v.String() != "-2" {
		t.Errorf("MapScope prev/days = %v", v)
	}
}

func TestEvalBool(t *testing.T) {
	env := evalEnv()
	for src, want := range map[string]bool{
		`source == "web"`: true,
		`flag`:            false,
		`region == "eu"`:  false,
		`vip`:             true,
	} {
		p, err := Compile(src, env, TypeBool)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := p.EvalBool(evalScope()); err != nil || got != want {
			t.Errorf("%s: %v, %v", src, got, err)
		}
	}
	// An undefined bool is false for EvalBool, undefined for Eval.
	p, _ := Compile("vip", env, TypeBool)
	if v, _ := p.Eval(MapScope{}); v.Defined() {
		t.Errorf("vip missing: Eval = %v", v)
	}
	if b, _ := p.EvalBool(nil); b {
		t.Error("vip missing: EvalBool = true")
	}
}

// A Scope value of another type than declared reads as undefined.
func TestScopeTypeMismatch(t *testing.T) {
	p, err := Compile(`pipeline + 1`, evalEnv(), TypeNumber)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := p.Eval(MapScope{"pipeline": String("2")}); v.Defined() {
		t.Errorf("got %v, want undefined", v)
	}
	p, _ = Compile(`source == "2"`, evalEnv(), TypeBool)
	if v, _ := p.Eval(MapScope{"source": Int(2)}); v != Bool(false) {
		t.Errorf("got %v, want false", v)
	}
}

func TestMemoryBudget(t *testing.T) {
	env := NewEnv(Decl{"s", TypeString}).WithLimits(Limits{MemoryBudget: 1000})
	p, err := Compile(`len(s + s + s + s)`, env, TypeNumber)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := p.Eval(MapScope{"s": String(strings.Repeat("x", 100))}); err != nil || v.String() != "400" {
		t.Errorf("within budget: %v, %v", v, err)
	}
	_, err = p.Eval(MapScope{"s": String(strings.Repeat("x", 200))})
	if err == nil || err.Error() != "memory budget of one evaluation exceeded (1:15)" || err.(*Error).Code != CodeLimit {
		t.Errorf("over budget: %v", err)
	}
	// The budget is per evaluation.
	if _, err := p.Eval(MapScope{"s": String(strings.Repeat("x", 100))}); err != nil {
		t.Error(err)
	}
}

// upper and lower charge the budget with the bytes they build, which may
// be more than they read: "ȿ" (2 bytes) is "Ȿ" (3) in upper case, "Ⱥ" (2)
// is "ⱥ" (3) in lower case, and a byte that is not UTF-8 becomes U+FFFD
// (3). They charged the length of their argument, so a string of 800 bytes
// built 1 200 under a budget of 1 000.
func TestMemoryBudgetChargesWhatIsBuilt(t *testing.T) {
	env := NewEnv(Decl{"s", TypeString}).WithLimits(Limits{MemoryBudget: 1000})
	for _, c := range []struct{ src, s string }{
		{"len(upper(s))", strings.Repeat("ȿ", 400)},
		{"len(lower(s))", strings.Repeat("Ⱥ", 400)},
		{"len(upper(s))", strings.Repeat("\xff", 400)},
	} {
		p, err := Compile(c.src, env, TypeNumber)
		if err != nil {
			t.Fatal(err)
		}
		v, err := p.Eval(MapScope{"s": String(c.s)})
		if err == nil || err.(*Error).Code != CodeLimit {
			t.Errorf("%s of %d bytes: %v, %v; want the budget exceeded", c.src, len(c.s), v, err)
		}
		// Within the budget it builds them; len counts characters.
		half := c.s[:len(c.s)/2]
		if v, err := p.Eval(MapScope{"s": String(half)}); err != nil || v.String() != strconv.Itoa(utf8.RuneCountInString(half)) {
			t.Errorf("%s of %d bytes: %v, %v", c.src, len(half), v, err)
		}
	}
}

// Eval recovers panics of the Scope too: evaluation never crashes the host.
func TestEvalRecoversPanics(t *testing.T) {
	p, err := Compile("amount > 1", evalEnv(), TypeBool)
	if err != nil {
		t.Fatal(err)
	}
	v, err := p.Eval(ScopeFunc(func(Ref) Value { panic("boom") }))
	if err == nil || err.Error() != "internal error: boom (1:1)" || err.(*Error).Code != CodeInternal || v.Defined() {
		t.Errorf("got %v, %v", v, err)
	}
}

func TestTimeArithmetic(t *testing.T) {
	env := NewEnv(Decl{"a", TypeTime}, Decl{"b", TypeTime}, Decl{"d", TypeDuration})
	at := time.Date(2025, 3, 1, 10, 0, 0, 999_999_999, time.UTC)
	for _, c := range []struct {
		src  string
		s    MapScope
		want string
	}{
		{"a + d", MapScope{"a": Time(at), "d": Duration(1)}, "2025-03-01T10:00:01Z"},
		{"d + a", MapScope{"a": Time(at), "d": Duration(2)}, "2025-03-01T10:00:01.000000001Z"},
		{"a - d", MapScope{"a": Time(at.Add(1)), "d": Duration(2)}, "2025-03-01T10:00:00.999999998Z"},
		{"a - d", MapScope{"a": Time(at), "d": Duration(-time.Hour)}, "2025-03-01T11:00:00.999999999Z"},
		{"a - b", MapScope{"a": Time(at), "b": Time(at.Add(-1500 * time.Millisecond))}, "1.5s"},
		{"a - b", MapScope{"a": Time(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)), "b": Time(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))}, "undefined"},
		{"d + d", MapScope{"d": Duration(1<<63 - 1)}, "undefined"},
		{"d - d - d - d", MapScope{"d": Duration(-1 << 63)}, "undefined"},
		{"-d", MapScope{"d": Duration(-1 << 63)}, "undefined"},
		{"a - d", MapScope{"a": Time(at), "d": Duration(-1 << 63)}, "undefined"},
		{"hours(a - b)", MapScope{"a": Time(at), "b": Time(at.Add(-20 * time.Minute))}, "0.3333333333333333"},
		{"minutes(a - b) == 20", MapScope{"a": Time(at), "b": Time(at.Add(-20 * time.Minute))}, "true"},
		{"a > b", MapScope{"a": Time(at), "b": Time(at.Add(-1))}, "true"},
		{"a == b", MapScope{"a": Time(at), "b": Time(at.In(time.FixedZone("X", 7200)))}, "true"},
	} {
		p, err := Compile(c.src, env, TypeAny)
		if err != nil {
			t.Fatal(err)
		}
		if v, err := p.Eval(c.s); err != nil || v.String() != c.want {
			t.Errorf("%s with %v = %v (%v), want %s", c.src, c.s, v, err, c.want)
		}
	}
}
