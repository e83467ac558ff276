// Package formula is the expression language of goalkit: event filters (an
// indicator's where), per-event values (its value), formulas over
// indicators (won / created, revenue / prev(revenue) - 1) and rules
// (max(target, actual * 1.1)).
//
// Declare, compile, evaluate:
//
//	env := formula.EventEnv(map[string]formula.Type{"source": formula.TypeString})
//	where, err := formula.Compile(`source in ["web", "partner"]`, env, formula.TypeBool)
//	ok, err := where.EvalBool(scope)
//
// An Env declares the names a formula may use and their types, the time zone
// of the time helpers and the working-day calendar of workdays_between
// (Env.WithCalendar), and whether prev() and the period helpers days(),
// workdays() and elapsed() are allowed (Program.ReadsZone says whether a
// program calls a helper that reads that zone). Compile parses the formula with the
// parser of github.com/expr-lang/expr, type-checks it against the Env, folds
// constants and compiles it to a tree of Go closures. A Program is immutable
// and safe for concurrent use; Eval reads names through a Scope and never
// parses. Only the functions of the language reference exist: there is no
// now(), no access to the host's methods, fields or environment.
//
// # Values
//
// Numbers are exact decimals (github.com/shopspring/decimal): 0.1 + 0.2 ==
// 0.3. A division is exact when the quotient has a finite decimal
// expansion, and is otherwise rounded to DivisionDigits (16) significant
// digits; round(x, places) rounds half away from zero. No float64 is
// involved anywhere. Other values are bools, strings, time instants,
// durations and lists.
//
// # Undefined
//
// A value may be undefined: a missing attribute, x / 0, the avg of nothing,
// prev() of a first period. Undefined propagates through arithmetic and
// function calls, except defined(x), coalesce(x, y, …) (and x ?? y), the
// branch not taken by a condition, and the list aggregates sum, avg, count,
// min and max of a list, which skip undefined elements as SQL aggregates
// skip NULL. A comparison (==, !=, <, <=, >, >=, in, not in, contains,
// startsWith, endsWith) with an undefined side is false — != and not in
// too. Where a condition is expected (&&, ||, !, the condition of ?: and
// if), undefined counts as false. So when x is undefined, x == 1 and
// x != 1 are both false while !(x == 1) is true: a filter on an attribute
// an event does not carry does not select the event, as in SQL. Eval never
// returns Inf or NaN and never fails for x / 0.
//
// # Errors
//
// Compile reports the first problem of a formula as an *Error with a Code,
// the position (line:column, lines ending at any line break: LF, CR LF, CR,
// U+0085, U+2028, U+2029) and a snippet with a caret, safe to print on a
// terminal; unknown names get a did-you-mean. A message quotes a number
// literal longer than 40 characters in scientific form, to 16 significant
// digits with … where digits are left out (1e-10000 written out is quoted
// 1e-10000). A result of the wrong type gives "must be a boolean, got
// number", which callers prefix with the place of the formula. Eval fails
// only when a safety limit is exceeded (Limits, MaxDigits) or on a
// recovered panic; evaluation never crashes the host.
//
// # Native evaluators
//
// Program.Node returns a simplified syntax tree when the formula uses only
// names, constants, comparisons, in lists, and/or/not and + - * / on
// numbers, so that callers can run common filters natively (vectorised
// over dictionary-coded columns). EvalNode is its reference interpreter,
// with exactly the semantics of Eval.
//
// The language reference, with every function and an example, is
// docs/formulas.md in the repository.
package formula
