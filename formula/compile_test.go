package formula

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func eventEnv() *Env {
	return EventEnv(map[string]Type{
		"source": TypeString, "pipeline": TypeNumber, "stage": TypeString,
		"created_at": TypeTime, "vip": TypeBool,
	})
}

func indicatorEnv() *Env { return IndicatorEnv("won", "created", "revenue") }

func TestCompileErrors(t *testing.T) {
	ev := eventEnv()
	ind := indicatorEnv()
	cases := []struct {
		src  string
		env  *Env
		want Type
		err  string
		code Code
	}{
		// syntax
		{"amount +", ev, TypeAny, "unexpected end of formula (1:9)", CodeSyntax},
		{"amount > 1 and", ev, TypeAny, "unexpected end of formula (1:15)", CodeSyntax},
		{"(amount", ev, TypeAny, "unexpected end of formula (1:8)", CodeSyntax},
		{"amount = 5", ev, TypeAny, `unexpected "=" (use == to compare) (1:8)`, CodeSyntax},
		{"source == 'x' &", ev, TypeAny, `unexpected "&" (use && or and) (1:15)`, CodeSyntax},
		{"amount > 1)", ev, TypeAny, `unexpected ")" (1:11)`, CodeSyntax},
		{`source == "web`, ev, TypeAny, "unterminated string (1:11)", CodeSyntax},
		{`"a\"b`, ev, TypeAny, "unterminated string (1:1)", CodeSyntax},
		{"amount @ 2", ev, TypeAny, "unexpected character '@' (1:8)", CodeSyntax},
		{"", ev, TypeAny, "empty formula (1:1)", CodeSyntax},
		{" \n ", ev, TypeAny, "empty formula (1:1)", CodeSyntax},
		{"1a", ev, TypeAny, `bad number "1a" (1:2)`, CodeSyntax},
		{"amount\n  + * 2", ev, TypeAny, `unexpected "*" (2:5)`, CodeSyntax},
		{"amount 2", ev, TypeAny, "unexpected number 2 (1:8)", CodeSyntax},
		{"amount source", ev, TypeAny, `unexpected name "source" (1:8)`, CodeSyntax},
		{"amount > 1 else 2", ev, TypeAny, `unexpected name "else" (1:12)`, CodeSyntax},
		{"if amount > 1 { 1 } else { 2 }", ev, TypeAny, `unexpected name "amount" (write if(condition, a, b) or condition ? a : b) (1:4)`, CodeSyntax},
		{"amount ?? 1 + 2", ev, TypeAny, "?? cannot be mixed with other operators: add parentheses (1:13)", CodeSyntax},
		// expr reads these as 1 + (amount ?? 2): refused as the other order is
		{"1 + amount ?? 2", ev, TypeAny, "?? cannot be mixed with other operators: add parentheses (1:12)", CodeSyntax},
		{"pipeline > amount ?? 0", ev, TypeAny, "?? cannot be mixed with other operators: add parentheses (1:19)", CodeSyntax},
		{"round(1 * amount ?? 0)", ev, TypeAny, "?? cannot be mixed with other operators: add parentheses (1:18)", CodeSyntax},
		{"vip ? 1 : 2 - amount ?? 0", ev, TypeAny, "?? cannot be mixed with other operators: add parentheses (1:22)", CodeSyntax},
		// and these as -(amount ?? 1), !(vip ?? true)
		{"-amount ?? 1", ev, TypeAny, "?? cannot be mixed with other operators: add parentheses (1:9)", CodeSyntax},
		{"!vip ?? true", ev, TypeAny, "?? cannot be mixed with other operators: add parentheses (1:6)", CodeSyntax},
		{"amount ?? -pipeline ?? 0", ev, TypeAny, "?? cannot be mixed with other operators: add parentheses (1:21)", CodeSyntax},
		{"5(3)", ev, TypeAny, `a number cannot be called: unexpected "(" after 5 (1:1)`, CodeSyntax},
		{"#", ev, TypeAny, `unexpected "#" (predicates like filter(list, # > 1) are not supported) (1:1)`, CodeSyntax},
		{`filter(tags, # == "a")`, ev, TypeAny, `unexpected "#" (predicates like filter(list, # > 1) are not supported) (1:14)`, CodeSyntax},
		{`all(tags, {# == "a"})`, ev, TypeAny, "maps are not supported (1:12)", CodeUnsupported},
		{"\xff", ev, TypeAny, "formula is not valid UTF-8 (1:1)", CodeSyntax},

		// unknown names and functions
		{`sorce == "web"`, ev, TypeAny, `unknown name "sorce" (did you mean "source"?) (1:1)`, CodeUnknownName},
		{`Source == "web"`, ev, TypeAny, `unknown name "Source" (did you mean "source"?) (1:1)`, CodeUnknownName},
		{`amount > 0 && piepline == 2`, ev, TypeAny, `unknown name "piepline" (did you mean "pipeline"?) (1:15)`, CodeUnknownName},
		{"x == 1", ev, TypeAny, `unknown name "x" (1:1)`, CodeUnknownName},
		{"days", ind, TypeAny, `unknown name "days" (did you mean "days()"?) (1:1)`, CodeUnknownName},
		{"prev(wom)", ind, TypeAny, `unknown name "wom" (did you mean "won"?) (1:6)`, CodeUnknownName},
		{"now()", ev, TypeAny, `unknown function "now" (formulas cannot read the clock or build times) (1:1)`, CodeUnknownFunction},
		{`date("2025-01-01")`, ev, TypeAny, `unknown function "date" (formulas cannot read the clock or build times) (1:1)`, CodeUnknownFunction},
		{"mean([1])", ev, TypeAny, `unknown function "mean" (did you mean "avg"?) (1:1)`, CodeUnknownFunction},
		{"roud(amount, 2)", ev, TypeAny, `unknown function "roud" (did you mean "round"?) (1:1)`, CodeUnknownFunction},
		{"toJSON(amount)", ev, TypeAny, `unknown function "toJSON" (1:1)`, CodeUnknownFunction},
		{"prev(won)", ev, TypeAny, "prev is not available in this formula (1:1)", CodeUnknownFunction},
		{"days()", ev, TypeAny, "days() is not available in this formula (1:1)", CodeUnknownFunction},
		{"workdays()", ev, TypeAny, "workdays() is not available in this formula (1:1)", CodeUnknownFunction},
		{"amount(1)", ev, TypeAny, "amount is not a function (1:1)", CodeUnknownFunction},

		// types
		{"amount", ev, TypeBool, "must be a boolean, got number (1:1)", CodeType},
		{`source == "web"`, ev, TypeNumber, "must be a number, got bool (1:1)", CodeType},
		{`  lower(source)`, ev, TypeNumber, "must be a number, got string (1:3)", CodeType},
		{"time", ev, TypeNumber, "must be a number, got time (1:1)", CodeType},
		{"amount && vip", ev, TypeAny, "expected bool, got number (1:1)", CodeType},
		{"vip or amount", ev, TypeAny, "expected bool, got number (1:8)", CodeType},
		{"!amount", ev, TypeAny, "expected bool, got number (! applies before comparisons: write !(a == b)) (1:2)", CodeType},
		{`not source == "web"`, ev, TypeAny, "expected bool, got string (not applies before comparisons: write not (a == b)) (1:5)", CodeType},
		{"amount ? 1 : 2", ev, TypeAny, "expected bool, got number (1:1)", CodeType},
		{"if(amount, 1, 2)", ev, TypeAny, "expected bool, got number (1:4)", CodeType},
		{"source == 1", ev, TypeAny, "cannot compare string with number (1:8)", CodeType},
		{"'a' + 'b' == 1", ev, TypeAny, "cannot compare string with number (1:11)", CodeType},
		{"vip < true", ev, TypeAny, "cannot compare bools with < (1:5)", CodeType},
		{"[1] == [1]", ev, TypeAny, "cannot compare lists (1:5)", CodeType},
		{"source + 1", ev, TypeAny, "cannot apply + to string and number (1:8)", CodeType},
		{"\tamount +\t\"x\"", ev, TypeAny, "cannot apply + to number and string (1:9)", CodeType},
		{"time - 1", ev, TypeAny, "cannot apply - to time and number (1:6)", CodeType},
		{"time + time", ev, TypeAny, "cannot apply + to time and time (1:6)", CodeType},
		{"source * 2", ev, TypeAny, "cannot apply * to string and number (1:8)", CodeType},
		{"-source", ev, TypeAny, "cannot apply - to string (1:1)", CodeType},
		{"source ** 2", ev, TypeAny, "cannot apply ** to string (1:8)", CodeType},
		{`source in "web"`, ev, TypeAny, "in expects a list on the right, got string (1:8)", CodeType},
		{`pipeline in ["a"]`, ev, TypeAny, "cannot look for a number in a list of strings (1:10)", CodeType},
		{`[1] in [[1]]`, ev, TypeAny, "lists cannot hold lists (1:9)", CodeType},
		{`[1, "a"]`, ev, TypeAny, "list elements must have the same type: number and string (1:5)", CodeType},
		{"source contains 1", ev, TypeAny, "contains expects strings, got number (1:17)", CodeType},
		{`vip ? 1 : "x"`, ev, TypeAny, "both results of a condition must have the same type: number and string (1:11)", CodeType},
		{`if(vip, 1, "x")`, ev, TypeAny, "both results of if must have the same type: number and string (1:12)", CodeType},
		{"abs(source)", ev, TypeAny, "the argument of abs must be a number, got string (1:5)", CodeType},
		{"clamp(amount, 1, source)", ev, TypeAny, "argument 3 of clamp must be a number, got string (1:18)", CodeType},
		{`coalesce(amount, "x")`, ev, TypeAny, "argument 2 of coalesce must be a number like the others, got string (1:18)", CodeType},
		{"max(amount, source)", ev, TypeAny, "argument 2 of max must be a number like the others, got string (1:13)", CodeType},
		{"max(vip, vip)", ev, TypeAny, "argument 1 of max must be a number or a duration or a time or a string, got bool (1:5)", CodeType},
		{"min(amount)", ev, TypeAny, "the argument of min must be a list, got number (1:5)", CodeType},
		{"avg(amount)", ev, TypeAny, "the argument of avg must be a list, got number (1:5)", CodeType},
		{`sum(["a"])`, ev, TypeAny, "the argument of sum must be a list of numbers, got a list of strings (1:5)", CodeType},
		{"hours(amount)", ev, TypeAny, "the argument of hours must be a duration, got number (1:7)", CodeType},
		{"hour(amount)", ev, TypeAny, "the argument of hour must be a time, got number (1:6)", CodeType},
		{"lower(amount)", ev, TypeAny, "the argument of lower must be a string, got number (1:7)", CodeType},
		{"len(amount)", ev, TypeAny, "the argument of len must be a string or a list, got number (1:5)", CodeType},
		{"prev(won)", NewEnv(Decl{"won", TypeString}).WithPrev(), TypeAny, "prev needs a number, won is a string (1:6)", CodeType},

		// arguments
		{"round(1, 2, 3)", ev, TypeAny, "round expects 1 or 2 arguments, got 3 (1:1)", CodeArgument},
		{"abs()", ev, TypeAny, "abs expects 1 argument, got 0 (1:1)", CodeArgument},
		{"clamp(1)", ev, TypeAny, "clamp expects 3 arguments, got 1 (1:1)", CodeArgument},
		{"coalesce(amount)", ev, TypeAny, "coalesce expects at least 2 arguments, got 1 (1:1)", CodeArgument},
		{"contains(source)", ev, TypeAny, "contains expects 2 arguments, got 1 (1:1)", CodeArgument},
		{"workdays(1)", ind, TypeAny, "workdays expects no arguments, got 1 (1:1)", CodeArgument},
		{"prev()", ind, TypeAny, "prev expects 1 or 2 arguments, got 0 (1:1)", CodeArgument},
		{"round(amount, 1.5)", ev, TypeAny, "the places of round must be a whole number from -1000 to 1000 (1:15)", CodeArgument},
		{"round(amount, 1001)", ev, TypeAny, "the places of round must be a whole number from -1000 to 1000 (1:15)", CodeArgument},
		{"round(amount, -1001)", ev, TypeAny, "the places of round must be a whole number from -1000 to 1000 (1:15)", CodeArgument},
		{"amount ** pipeline", ev, TypeAny, "the exponent of ** must be a whole-number constant from -100 to 100 (1:11)", CodeArgument},
		{"amount ^ 0.5", ev, TypeAny, "the exponent of ^ must be a whole-number constant from -100 to 100 (1:10)", CodeArgument},
		{"prev(won, 0)", ind, TypeAny, "the second argument of prev must be a whole-number constant from 1 to 1000 (1:11)", CodeArgument},
		{"prev(won, created)", ind, TypeAny, "the second argument of prev must be a whole-number constant from 1 to 1000 (1:11)", CodeArgument},
		{"prev(1)", ind, TypeAny, "the first argument of prev must be a name, as in prev(revenue) (1:6)", CodeArgument},
		{"prev(won + 1)", ind, TypeAny, "the first argument of prev must be a name, as in prev(revenue) (1:6)", CodeArgument},

		// unsupported expr syntax
		{"nil", ev, TypeAny, "nil is not supported (test a missing value with defined(x)) (1:1)", CodeUnsupported},
		{"source.len", ev, TypeAny, "field access with . is not supported (1:8)", CodeUnsupported},
		{"source?.len", ev, TypeAny, "field access with . is not supported (1:9)", CodeUnsupported},
		{"[1,2][0]", ev, TypeAny, "indexing and slicing are not supported (1:6)", CodeUnsupported},
		{"source[1:2]", ev, TypeAny, "indexing and slicing are not supported (1:7)", CodeUnsupported},
		{"{a: 1}", ev, TypeAny, "maps are not supported (1:1)", CodeUnsupported},
		{"let x = 1; x", ev, TypeAny, "let is not supported (1:5)", CodeUnsupported},
		{"amount; 1", ev, TypeAny, "a formula is one expression: ; is not supported (1:1)", CodeUnsupported},
		{`source matches "x"`, ev, TypeAny, "matches (regular expressions) is not supported: use contains, startsWith or endsWith (1:8)", CodeUnsupported},
		{"1..3", ev, TypeAny, "ranges (..) are not supported (1:2)", CodeUnsupported},
		{`b"x"`, ev, TypeAny, "byte strings are not supported (1:1)", CodeUnsupported},
		{"amount.abs()", ev, TypeAny, "methods are not supported: write f(x), not x.f() (1:8)", CodeUnsupported},

		// limits
		{strings.Repeat("(", 101) + "1" + strings.Repeat(")", 101), ev, TypeAny, "formula nested too deeply (limit 100) (1:101)", CodeLimit},
		{strings.Repeat("1+", 3000) + "1", ev, TypeAny, "formula too large (limit 5000 nodes) (1:1)", CodeLimit},
		{strings.Repeat(" ", 70000) + "1", ev, TypeAny, "formula too long: 70001 bytes (limit 65536) (1:1)", CodeLimit},
		{"1e2000", ev, TypeAny, "number 1e2000 out of range (limit: 1000 digits) (1:1)", CodeLimit},
		{"(10 ** 100) ** 100", ev, TypeAny, "number out of range (limit: 1000 digits) (1:13)", CodeLimit},
		// A long literal is quoted in its scientific form, to 16
		// significant digits with … where digits are left out: the message
		// quoted 1e-10000 written out in its 10,002 characters.
		{"0." + strings.Repeat("0", 9999) + "1", ev, TypeAny, "number 1e-10000 out of range (limit: 1000 digits) (1:1)", CodeLimit},
		{"1" + strings.Repeat("0", 1000), ev, TypeAny, "number 1e1000 out of range (limit: 1000 digits) (1:1)", CodeLimit},
		{strings.Repeat("1234567890", 200), ev, TypeAny, "number 1.234567890123456…e1999 out of range (limit: 1000 digits) (1:1)", CodeLimit},
		{strings.Repeat("1234567890", 5) + ".5e2000", ev, TypeAny, "number 1.234567890123456…e2049 out of range (limit: 1000 digits) (1:1)", CodeLimit},
		{"1" + strings.Repeat("_000", 10) + "e99999999999", ev, TypeAny, "number 1e100000000029 out of range (limit: 1000 digits) (1:1)", CodeLimit},
		{"amount " + strings.Repeat("9", 50), ev, TypeAny, "unexpected number 9.999999999999999…e49 (1:8)", CodeSyntax},
		{strings.Repeat("5", 50) + "(3)", ev, TypeAny, `a number cannot be called: unexpected "(" after 5.555555555555555…e49 (1:1)`, CodeSyntax},
		// Text that is not a number: its ends, around ….
		{strings.Repeat("1", 100) + "a", ev, TypeAny, `bad number "1111111111111111…111111111111111a" (1:101)`, CodeSyntax},
		// A long name or string is quoted cut to 64 bytes and ….
		{strings.Repeat("x", 100) + " == 1", ev, TypeAny, `unknown name "` + strings.Repeat("x", 64) + `…" (1:1)`, CodeUnknownName},
		{strings.Repeat("f", 100) + "(1)", ev, TypeAny, `unknown function "` + strings.Repeat("f", 64) + `…" (1:1)`, CodeUnknownFunction},
		{"amount " + strings.Repeat("z", 100), ev, TypeAny, `unexpected name "` + strings.Repeat("z", 64) + `…" (1:8)`, CodeSyntax},
		{`amount "` + strings.Repeat("y", 100) + `"`, ev, TypeAny, `unexpected string "` + strings.Repeat("y", 64) + `…" (1:8)`, CodeSyntax},
		{"amount + 3", ev.WithLimits(Limits{MaxNodes: 2}), TypeAny, "formula too large (limit 2 nodes) (1:1)", CodeLimit},
		{"((amount))", ev.WithLimits(Limits{MaxDepth: 1}), TypeAny, "formula nested too deeply (limit 1) (1:2)", CodeLimit},
		{"amount", ev.WithLimits(Limits{MaxLength: 3}), TypeAny, "formula too long: 6 bytes (limit 3) (1:1)", CodeLimit},
		{`lower("` + strings.Repeat("A", 100) + `")`, ev.WithLimits(Limits{MemoryBudget: 10}), TypeAny, "memory budget of one evaluation exceeded (1:1)", CodeLimit},
	}
	for _, c := range cases {
		t.Run(c.src[:min(len(c.src), 40)], func(t *testing.T) {
			p, err := Compile(c.src, c.env, c.want)
			if err == nil {
				t.Fatalf("Compile(%q) = %v, want error %q", c.src, p.Type(), c.err)
			}
			if err.Error() != c.err {
				t.Errorf("Compile(%q) error\n got: %s\nwant: %s", c.src, err, c.err)
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not an *Error", err)
			}
			if fe.Code != c.code {
				t.Errorf("code %v, want %v", fe.Code, c.code)
			}
			if fe.Src != c.src || fe.Pos < 0 || fe.Pos > len(c.src) {
				t.Errorf("Src/Pos = %q/%d", fe.Src, fe.Pos)
			}
		})
	}
}

func TestErrorSnippetAndWrapping(t *testing.T) {
	src := "amount > 0 &&\n\tsorce == \"web\""
	_, err := Compile(src, eventEnv(), TypeBool)
	wrapped := fmt.Errorf("indicators[1].where: %w", err)
	if got, want := wrapped.Error(), `indicators[1].where: unknown name "sorce" (did you mean "source"?) (2:2)`; got != want {
		t.Errorf("wrapped error %q, want %q", got, want)
	}
	var fe *Error
	if !errors.As(wrapped, &fe) {
		t.Fatal("errors.As failed")
	}
	if got, want := fe.Snippet(), " sorce == \"web\"\n ^"; got != want {
		t.Errorf("Snippet() = %q, want %q", got, want)
	}
	if fe.Pos != strings.Index(src, "sorce") || fe.Line != 2 || fe.Col != 2 || fe.Code != CodeUnknownName {
		t.Errorf("Pos, Line, Col, Code = %d, %d, %d, %v", fe.Pos, fe.Line, fe.Col, fe.Code)
	}
	// Columns count characters, not bytes.
	_, err = Compile(`"héllo" == sorce`, eventEnv(), TypeBool)
	if got, want := err.Error(), `unknown name "sorce" (did you mean "source"?) (1:12)`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := err.(*Error).Snippet(), "\"héllo\" == sorce\n           ^"; got != want {
		t.Errorf("Snippet() = %q, want %q", got, want)
	}
	if CodeUnknownName.String() != "unknown name" || Code(99).String() != "Code(99)" {
		t.Error("Code.String")
	}
}

func TestTypesAndRefs(t *testing.T) {
	env := eventEnv().With(Decl{"tags", TypeList}, Decl{"extra", TypeAny})
	ind := indicatorEnv()
	cases := []struct {
		src  string
		env  *Env
		typ  Type
		refs string
	}{
		{`source in ["web", "partner"] && pipeline == 2`, env, TypeBool, "[pipeline source]"},
		{"amount * 0.9", env, TypeNumber, "[amount]"},
		{"time - created_at", env, TypeDuration, "[created_at time]"},
		{"created_at + (time - created_at)", env, TypeTime, "[created_at time]"},
		{"hours(time - created_at)", env, TypeNumber, "[created_at time]"},
		{`source + "/" + stage`, env, TypeString, "[source stage]"},
		{"extra", env, TypeAny, "[extra]"},
		{"extra + 1", env, TypeNumber, "[extra]"},
		{"extra * extra", env, TypeNumber, "[extra]"},
		{`extra + "x"`, env, TypeString, "[extra]"},
		{"extra - time", env, TypeDuration, "[extra time]"},
		{"time - extra", env, TypeAny, "[extra time]"},
		{"tags", env, TypeList, "[tags]"},
		{`"vip" in tags`, env, TypeBool, "[tags]"},
		{"[1, 2]", env, TypeList, "[]"},
		{"vip ? amount : 0", env, TypeNumber, "[amount vip]"},
		{"coalesce(extra, 1)", env, TypeAny, "[extra]"},
		{"revenue / prev(revenue) - 1", ind, TypeNumber, "[revenue prev(revenue)]"},
		{"won / workdays() + prev(won, 2) + prev(won) + days() + elapsed()", ind, TypeNumber,
			"[days() elapsed() won prev(won) prev(won, 2) workdays()]"},
		{"won / created", ind, TypeNumber, "[created won]"},
		{"1 + 2", ind, TypeNumber, "[]"},
	}
	for _, c := range cases {
		p, err := Compile(c.src, c.env, TypeAny)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if p.Type() != c.typ {
			t.Errorf("%s: type %v, want %v", c.src, p.Type(), c.typ)
		}
		if got := fmt.Sprint(p.Refs()); got != c.refs {
			t.Errorf("%s: refs %s, want %s", c.src, got, c.refs)
		}
		if p.Source() != c.src || p.String() != c.src {
			t.Errorf("Source() = %q", p.Source())
		}
	}
}

// A result of type any is converted to the wanted type: other types read
// as undefined.
func TestCompileWantAny(t *testing.T) {
	env := NewEnv(Decl{"x", TypeAny})
	p, err := Compile("x", env, TypeNumber)
	if err != nil {
		t.Fatal(err)
	}
	if p.Type() != TypeNumber || p.Node() != nil {
		t.Errorf("type %v, node %v", p.Type(), p.Node())
	}
	for _, c := range []struct{ in, out Value }{{Int(3), Int(3)}, {String("3"), Undefined()}, {Undefined(), Undefined()}} {
		if v, _ := p.Eval(MapScope{"x": c.in}); !v.Equal(c.out) {
			t.Errorf("x = %v: got %v, want %v", c.in, v, c.out)
		}
	}
}

func TestNodeShapes(t *testing.T) {
	env := eventEnv()
	cases := []struct{ src, node string }{
		{`source == "web"`, `Compare{== Ident{source string} Const{"web"}}`},
		{`"web" == source`, `Compare{== Ident{source string} Const{"web"}}`},
		{`3 < pipeline`, `Compare{> Ident{pipeline number} Const{3}}`},
		{`source in ["web", "partner"]`, `In{Ident{source string} ["web" "partner"]}`},
		{`source not in ["web"]`, `NotIn{Ident{source string} ["web"]}`},
		{`!(source in ["web"])`, `Not{In{Ident{source string} ["web"]}}`},
		{`not (source in ["web"])`, `Not{In{Ident{source string} ["web"]}}`},
		{`vip && (amount > 2 * 500 || -amount < 1.50)`, `And{Ident{vip bool} Or{Compare{> Ident{amount number} Const{1000}} Compare{< Neg{Ident{amount number}} Const{1.5}}}}`},
		{`amount * 0.9 - 1 / 4`, `Arith{- Arith{* Ident{amount number} Const{0.9}} Const{0.25}}`},
		{`1 < pipeline < 3`, `And{Compare{> Ident{pipeline number} Const{1}} Compare{< Ident{pipeline number} Const{3}}}`},
		{`0.1 + 0.2 == 0.3`, `Const{true}`},
		{`amount / 0`, `Arith{/ Ident{amount number} Const{0}}`},
		{`pipeline == 1 / 0`, `Compare{== Ident{pipeline number} Const{undefined}}`},
		{`lower(source) == "web"`, `<nil>`},
		{`source in [stage]`, `<nil>`},
		{`amount % 2 == 0`, `<nil>`},
		{`time > created_at`, `Compare{> Ident{time time} Ident{created_at time}}`},
		{`hours(time - created_at) > 1`, `<nil>`},
		{`source startsWith "w"`, `<nil>`},
		{`vip ? true : false`, `<nil>`},
		{`defined(source)`, `<nil>`},
	}
	for _, c := range cases {
		p, err := Compile(c.src, env, TypeAny)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if got := showNode(p.Node()); got != c.node {
			t.Errorf("%s: node\n got %s\nwant %s", c.src, got, c.node)
		}
	}
}

func showNode(n Node) string {
	switch n := n.(type) {
	case nil:
		return "<nil>"
	case Ident:
		return fmt.Sprintf("Ident{%s %v}", n.Name, n.Type)
	case Const:
		return fmt.Sprintf("Const{%v}", n.Value)
	case Compare:
		return fmt.Sprintf("Compare{%s %s %s}", n.Op, showNode(n.L), showNode(n.R))
	case In:
		name := "In"
		if n.Not {
			name = "NotIn"
		}
		return fmt.Sprintf("%s{%s %v}", name, showNode(n.X), n.List)
	case And:
		return fmt.Sprintf("And{%s %s}", showNode(n.L), showNode(n.R))
	case Or:
		return fmt.Sprintf("Or{%s %s}", showNode(n.L), showNode(n.R))
	case Not:
		return fmt.Sprintf("Not{%s}", showNode(n.X))
	case Arith:
		return fmt.Sprintf("Arith{%s %s %s}", n.Op, showNode(n.L), showNode(n.R))
	case Neg:
		return fmt.Sprintf("Neg{%s}", showNode(n.X))
	}
	return fmt.Sprintf("%T", n)
}
