package formula

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

var fuzzSeeds = []string{
	`source in ["web", "partner"] && pipeline == 2`,
	`amount * 0.9`, `(revenue - spend) / spend * 100`, `hours(time - created_at)`,
	`revenue / prev(revenue) - 1`, `tickets / workdays()`, `max(target, actual * 1.1)`,
	`source not in ["web"] || !(amount > 1e3)`, `lower(trim(stage)) startsWith "w"`,
	`coalesce(score, 0) ?? 1`, `if(vip, round(amount / 3, 2), floor(-amount))`,
	`weekday(time) in [6, 7] ? 1.5 : 1`, `sum([1, 2.5, score]) + avg(nums) + count(tags)`,
	`2 ** -3 % 0.7`, `clamp(amount, 0, 1_000)`, `source + "/" + kind`, `defined(region)`,
	`"a\"b" contains 'b'`, "`raw`", `1 < pipeline < 3`, `x.y[0]`, `{a: 1}`, `nil`, `let a = 1; a`,
	`startsWith(source, "w") and not endsWith(source, "x")`, `0x1F + 0b1 + 0o7 + .5e1`,
	`// comment` + "\n" + `amount /* c */ + 1`, `days() * elapsed()`, `min(time, created_at)`,
	`workdays_between(created_at, time) <= 3`, `days_between(time, created_at) - days(time - created_at)`,
}

func fuzzEnv() *Env {
	return EventEnv(map[string]Type{
		"source": TypeString, "stage": TypeString, "pipeline": TypeNumber, "created_at": TypeTime,
		"vip": TypeBool, "region": TypeString, "score": TypeNumber, "tags": TypeList, "nums": TypeList,
		"wait": TypeDuration, "extra": TypeAny,
	}).With(
		Decl{"revenue", TypeNumber}, Decl{"spend", TypeNumber}, Decl{"tickets", TypeNumber},
		Decl{"target", TypeNumber}, Decl{"actual", TypeNumber},
	).WithPrev().WithPeriodFuncs().WithLimits(Limits{MemoryBudget: 1 << 16})
}

func checkError(t *testing.T, src string, err error) {
	t.Helper()
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("%q: error %T %v is not an *Error", src, err, err)
	}
	if fe.Code == CodeInternal || fe.Code == 0 || fe.Code > CodeCalendar {
		t.Fatalf("%q: unexpected error %v (code %v)", src, err, fe.Code)
	}
	if fe.Pos < 0 || fe.Pos > len(src) || fe.Line < 1 || fe.Col < 1 || fe.Msg == "" || fe.Src != src {
		t.Fatalf("%q: bad error fields %+v", src, fe)
	}
	if !strings.HasSuffix(fe.Snippet(), "^") {
		t.Fatalf("%q: bad snippet %q", src, fe.Snippet())
	}
}

func FuzzCompile(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	env := fuzzEnv()
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("%q: compiling took %v", src, d)
			}
		}()
		for _, want := range []Type{TypeAny, TypeBool, TypeNumber} {
			p, err := Compile(src, env, want)
			if err != nil {
				if !utf8.ValidString(src) || len(src) > 0 {
					checkError(t, src, err)
				}
				continue
			}
			if want != TypeAny && p.Type() != want {
				t.Fatalf("%q: type %v, want %v", src, p.Type(), want)
			}
			refs := p.Refs()
			for i := 1; i < len(refs); i++ {
				if refLess(refs[i-1], refs[i]) >= 0 {
					t.Fatalf("%q: refs not sorted/deduplicated: %v", src, refs)
				}
			}
		}
	})
}

func FuzzEval(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, "web", int64(i*1234), int8(-2), i%2 == 0, int64(1740000000+i*3600), uint8(i))
	}
	env := fuzzEnv()
	f.Fuzz(func(t *testing.T, src, str string, coef int64, exp int8, b bool, secs int64, missing uint8) {
		p, err := Compile(src, env, TypeAny)
		if err != nil {
			return
		}
		num := Number(decimal.New(coef, int32(exp)))
		at := Time(time.Unix(secs, 0))
		all := map[string]Value{
			"source": String(str), "stage": String(str), "kind": String(str), "actor": String(str),
			"id": String(str), "currency": String(str), "region": String(str),
			"pipeline": num, "score": num, "amount": num, "revenue": num, "spend": num, "tickets": num,
			"target": num, "actual": Int(coef), "vip": Bool(b),
			"time": at, "created_at": Time(time.Unix(secs/2, int64(coef%1e9))),
			"tags": List(String(str), String("a")), "nums": List(num, Undefined(), Int(1)),
			"wait": Duration(time.Duration(coef)), "extra": num,
		}
		i := 0
		scope := ScopeFunc(func(r Ref) Value {
			i++
			if missing&(1<<(i%8)) != 0 {
				return Undefined()
			}
			if r.Func {
				return num
			}
			return all[r.Name]
		})
		v, err := p.Eval(scope)
		if err != nil {
			checkError(t, src, err)
			if err.(*Error).Code != CodeLimit {
				t.Fatalf("%q: Eval error %v", src, err)
			}
			return
		}
		if v.Defined() && p.Type() != TypeAny && v.Type() != p.Type() {
			t.Fatalf("%q: value %v of type %v, static type %v", src, v, v.Type(), p.Type())
		}
		_ = v.String()
		if n := p.Node(); n != nil {
			i = 0
			if w := EvalNode(n, scope); !w.Equal(v) {
				t.Fatalf("%q: Eval %v, EvalNode %v", src, v, w)
			}
		}
	})
}
