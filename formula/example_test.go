package formula_test

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

func Example() {
	// An indicator's filter: a predicate over the event's fields and the
	// plan's attributes.
	env := formula.EventEnv(map[string]formula.Type{
		"source":   formula.TypeString,
		"pipeline": formula.TypeNumber,
	})
	where, err := formula.Compile(`source in ["web", "partner"] && pipeline == 2`, env, formula.TypeBool)
	if err != nil {
		panic(err)
	}
	event := formula.MapScope{
		"source":   formula.String("web"),
		"pipeline": formula.Int(2),
		"amount":   formula.Number(decimal.RequireFromString("1500.00")),
	}
	ok, _ := where.EvalBool(event)
	fmt.Println(ok)

	// A per-event value: exact decimal arithmetic.
	value, _ := formula.Compile(`amount * 0.9`, env, formula.TypeNumber)
	v, _ := value.Eval(event)
	fmt.Println(v)
	// Output:
	// true
	// 1350
}

func ExampleCompile_error() {
	env := formula.EventEnv(map[string]formula.Type{"source": formula.TypeString})
	_, err := formula.Compile(`sorce == "web"`, env, formula.TypeBool)
	fmt.Println("indicators[1].where:", err)
	fmt.Println(err.(*formula.Error).Snippet())

	_, err = formula.Compile(`amount * 2`, env, formula.TypeBool)
	fmt.Println("indicators[1].where", err)
	// Output:
	// indicators[1].where: unknown name "sorce" (did you mean "source"?) (1:1)
	// sorce == "web"
	// ^
	// indicators[1].where must be a boolean, got number (1:1)
}

func ExampleProgram_Eval_undefined() {
	env := formula.NewEnv(
		formula.Decl{Name: "won", Type: formula.TypeNumber},
		formula.Decl{Name: "created", Type: formula.TypeNumber},
	)
	scope := formula.MapScope{"won": formula.Int(3), "created": formula.Int(0)}
	for _, src := range []string{
		`won / created`,              // x / 0 is undefined, never an error
		`won / created > 0.5`,        // a comparison with undefined is false
		`!(won / created > 0.5)`,     // so its negation is true
		`coalesce(won / created, 0)`, // coalesce replaces undefined
		`defined(won / created)`,
		`0.1 + 0.2 == 0.3`, // numbers are exact decimals
		`2 / 3`,            // 16 significant digits when the quotient does not end
	} {
		p, err := formula.Compile(src, env, formula.TypeAny)
		if err != nil {
			panic(err)
		}
		v, _ := p.Eval(scope)
		fmt.Printf("%-28s %v\n", src, v)
	}
	// Output:
	// won / created                undefined
	// won / created > 0.5          false
	// !(won / created > 0.5)       true
	// coalesce(won / created, 0)   0
	// defined(won / created)       false
	// 0.1 + 0.2 == 0.3             true
	// 2 / 3                        0.6666666666666667
}

func ExampleIndicatorEnv() {
	// A formula over indicators of the same participant and period. The
	// host answers prev() and the period helpers through the Scope.
	env := formula.IndicatorEnv("revenue", "tickets")
	growth, _ := formula.Compile(`round((revenue / prev(revenue) - 1) * 100, 1)`, env, formula.TypeNumber)
	perDay, _ := formula.Compile(`tickets / workdays()`, env, formula.TypeNumber)
	fmt.Println(growth.Refs(), perDay.Refs())

	scope := formula.ScopeFunc(func(r formula.Ref) formula.Value {
		switch {
		case r.Name == "revenue" && r.Back == 0:
			return formula.Int(1250)
		case r.Name == "revenue" && r.Back == 1:
			return formula.Int(1100)
		case r.Name == "tickets":
			return formula.Int(84)
		case r.Name == "workdays" && r.Func:
			return formula.Int(21)
		}
		return formula.Undefined()
	})
	g, _ := growth.Eval(scope)
	d, _ := perDay.Eval(scope)
	fmt.Println(g, d)
	// Output:
	// [revenue prev(revenue)] [tickets workdays()]
	// 13.6 4
}

func ExampleEnv_WithLocation() {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		fmt.Println("1 7")
		return
	}
	env := formula.EventEnv(nil).WithLocation(berlin)
	p, _ := formula.Compile(`weekday(time)`, env, formula.TypeNumber)
	q, _ := formula.Compile(`weekday(time)`, formula.EventEnv(nil), formula.TypeNumber)
	// Sunday 23:30 UTC is Monday 00:30 in Berlin.
	event := formula.MapScope{"time": formula.Time(time.Date(2025, 3, 2, 23, 30, 0, 0, time.UTC))}
	a, _ := p.Eval(event)
	b, _ := q.Eval(event)
	fmt.Println(a, b)
	// Output:
	// 1 7
}

func ExampleProgram_Node() {
	env := formula.EventEnv(map[string]formula.Type{"source": formula.TypeString})
	p, _ := formula.Compile(`1000 < amount && source not in ["test"]`, env, formula.TypeBool)
	and := p.Node().(formula.And)
	fmt.Printf("%#v\n", and.L)
	fmt.Printf("%#v\n", and.R)
	fmt.Println(formula.EvalNode(p.Node(), formula.MapScope{
		"amount": formula.Int(1500), "source": formula.String("web"),
	}))
	// Output:
	// formula.Compare{Op:">", L:formula.Ident{Name:"amount", Type:formula.TypeNumber}, R:formula.Const{Value:formula.Number(1000)}}
	// formula.In{X:formula.Ident{Name:"source", Type:formula.TypeString}, List:[]formula.Value{formula.String("test")}, Not:true}
	// true
}

// Walk visits a program's simple tree, here to list the names a filter reads.
func ExampleWalk() {
	p, err := formula.Compile(`source in ["web", "partner"] && !(pipeline == 2)`, formula.EventEnv(map[string]formula.Type{"source": formula.TypeString, "pipeline": formula.TypeNumber}), formula.TypeBool)
	if err != nil {
		panic(err)
	}
	formula.Walk(p.Node(), func(n formula.Node) {
		if id, ok := n.(formula.Ident); ok {
			fmt.Println(id.Name)
		}
	})
	// Output:
	// source
	// pipeline
}

func ExampleEnv_WithCalendar() {
	ru, _ := period.BuiltinWorkCalendar("RU")
	moscow, _ := period.LoadCalendar("Europe/Moscow", period.WithWorkdays(ru))
	env := formula.NewEnv(formula.Decl{Name: "created_at", Type: formula.TypeTime}, formula.Decl{Name: "won_at", Type: formula.TypeTime}).
		WithCalendar(moscow)
	p, _ := formula.Compile(`[workdays_between(created_at, won_at), days_between(created_at, won_at)]`, env, formula.TypeList)
	at := func(s string) formula.Value {
		t, _ := time.ParseInLocation(time.DateTime, s, moscow.Location())
		return formula.Time(t)
	}
	// A deal opened before the May holidays of 2025 and won after them.
	v, _ := p.Eval(formula.MapScope{"created_at": at("2025-04-30 17:00:00"), "won_at": at("2025-05-12 10:00:00")})
	fmt.Println(v)

	_, err := p.Eval(formula.MapScope{"created_at": at("2023-12-28 10:00:00"), "won_at": at("2024-01-10 10:00:00")})
	fmt.Println(err)
	// Output:
	// [4, 12]
	// workdays_between: 2023-12-28 is outside the working-day calendar RU (years 2024-2026): add the year to the calendar, or declare outside: weekends (1:2)
}
