package formula

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// eventScope is a Scope over fixed event fields, like the one package kpi
// builds over an event: a switch on the name, no map for the common fields.
type eventScope struct {
	kind, source  string
	pipeline      Value
	amount        Value
	time, created Value
}

func (e *eventScope) Lookup(r Ref) Value {
	switch r.Name {
	case "kind":
		return String(e.kind)
	case "source":
		return String(e.source)
	case "pipeline":
		return e.pipeline
	case "amount":
		return e.amount
	case "time":
		return e.time
	case "created_at":
		return e.created
	}
	return Value{}
}

func benchEnv() *Env {
	return EventEnv(map[string]Type{"source": TypeString, "pipeline": TypeNumber, "created_at": TypeTime})
}

func benchScope() *eventScope {
	return &eventScope{
		kind: "deal.won", source: "partner", pipeline: Int(2),
		amount:  Number(decimal.RequireFromString("1500.50")),
		time:    Time(time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)),
		created: Time(time.Date(2025, 2, 27, 9, 30, 0, 0, time.UTC)),
	}
}

func BenchmarkEval(b *testing.B) {
	cases := []struct {
		name, src string
		env       *Env
		scope     Scope
	}{
		{"in_and_eq", `source in ["web", "partner"] && pipeline == 2`, benchEnv(), benchScope()},
		{"kind_eq", `kind == "deal.won"`, benchEnv(), benchScope()},
		{"amount_gt", `amount > 1000`, benchEnv(), benchScope()},
		{"amount_mul", `amount * 0.9`, benchEnv(), benchScope()},
		{"hours_between", `hours(time - created_at)`, benchEnv(), benchScope()},
		{"lower_eq", `lower(source) == "partner"`, benchEnv(), benchScope()},
		{"in_20_strings", `source in ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "partner"]`, benchEnv(), benchScope()},
		{"weekend", `weekday(time) in [6, 7]`, benchEnv().WithLocation(time.FixedZone("UTC+3", 3*3600)), benchScope()},
		{"missing_attr", `region == "eu" || !(pipeline > 3)`, benchEnv().With(Decl{"region", TypeString}), benchScope()},
		{"ratio", `won / created`, IndicatorEnv("won", "created"), MapScope{"won": Int(145), "created": Int(277)}},
		{"roi", `(revenue - spend) / spend * 100`, IndicatorEnv("revenue", "spend"),
			MapScope{"revenue": Number(decimal.RequireFromString("125000.00")), "spend": Number(decimal.RequireFromString("40000.00"))}},
		{"growth", `coalesce(revenue / prev(revenue) - 1, 0)`, IndicatorEnv("revenue"), ScopeFunc(func(r Ref) Value {
			if r.Back == 1 {
				return Int(1100)
			}
			return Int(1250)
		})},
		{"next_target", `max(target, actual * 1.1)`, NewEnv(Decl{"target", TypeNumber}, Decl{"actual", TypeNumber}),
			MapScope{"target": Int(100), "actual": Int(120)}},
		{"clamp", `clamp(actual / target, 0, 1.5)`, NewEnv(Decl{"target", TypeNumber}, Decl{"actual", TypeNumber}),
			MapScope{"target": Int(100), "actual": Int(120)}},
		{"abs", `abs(target - actual)`, NewEnv(Decl{"target", TypeNumber}, Decl{"actual", TypeNumber}),
			MapScope{"target": Int(100), "actual": Int(120)}},
		{"max_list", `max([target, actual, 110])`, NewEnv(Decl{"target", TypeNumber}, Decl{"actual", TypeNumber}),
			MapScope{"target": Int(100), "actual": Int(120)}},
	}
	for _, c := range cases {
		p, err := Compile(c.src, c.env, TypeAny)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Eval(c.scope); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	env := benchEnv()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(`source in ["web", "partner"] && pipeline == 2 && amount * 0.9 > 1000`, env, TypeBool); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvalNode measures the reference interpreter, for comparison.
func BenchmarkEvalNode(b *testing.B) {
	p, err := Compile(`source in ["web", "partner"] && pipeline == 2`, benchEnv(), TypeBool)
	if err != nil {
		b.Fatal(err)
	}
	n, s := p.Node(), benchScope()
	b.ReportAllocs()
	for b.Loop() {
		EvalNode(n, s)
	}
}
