package formula

import (
	"maps"
	"slices"
	"time"

	"github.com/goalkit/goalkit/period"
)

// Decl declares a name an expression may use, and its type.
type Decl struct {
	Name string
	Type Type
}

// Limits are the safety limits of compiling and evaluating formulas. A zero
// field means the default.
type Limits struct {
	// MaxLength is the longest source, in bytes (default 65536).
	MaxLength int
	// MaxNodes is the largest number of syntax nodes (default 5000): every
	// name, constant, operator, call and list element is one.
	MaxNodes int
	// MaxDepth is the deepest nesting of parentheses, brackets and braces
	// (default 100).
	MaxDepth int
	// MemoryBudget is the number of bytes of strings one evaluation may
	// build with +, lower, upper and trim (default 1 MiB). Numbers are
	// bounded one by one (MaxDigits).
	MemoryBudget int
}

// The default limits.
const (
	DefaultMaxLength    = 64 << 10
	DefaultMaxNodes     = 5000
	DefaultMaxDepth     = 100
	DefaultMemoryBudget = 1 << 20
)

func (l Limits) withDefaults() Limits {
	if l.MaxLength <= 0 {
		l.MaxLength = DefaultMaxLength
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = DefaultMaxNodes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MemoryBudget <= 0 {
		l.MemoryBudget = DefaultMemoryBudget
	}
	return l
}

// An Env declares the names an expression may use, with their types, and
// what else it may do: the time zone of time helpers, the working-day
// calendar of workdays_between, prev(), and the period helpers days(),
// workdays() and elapsed(). Only the functions of the
// language reference exist; there is no now() and no access to host methods.
//
// An Env is immutable: the With… methods return modified copies. It is safe
// for concurrent use. A nil *Env is an empty environment in UTC.
type Env struct {
	names  map[string]Type
	loc    *time.Location
	work   *period.WorkCalendar
	prev   bool
	period bool
	limits Limits
}

// NewEnv returns an environment declaring decls. When a name is declared
// more than once, the last declaration wins. A name for which ValidName is
// false can be declared but not written in a formula.
func NewEnv(decls ...Decl) *Env {
	e := &Env{names: make(map[string]Type, len(decls))}
	for _, d := range decls {
		e.names[d.Name] = d.Type
	}
	return e
}

// keywords are the words of the syntax that cannot be names.
var keywords = map[string]bool{
	"true": true, "false": true, "nil": true, "in": true, "not": true, "and": true, "or": true,
	"contains": true, "startsWith": true, "endsWith": true, "matches": true, "let": true,
}

// ValidName reports whether name can be written in a formula: an identifier
// ([A-Za-z_][A-Za-z0-9_]*) that is not a keyword (true, false, nil, in, not,
// and, or, contains, startsWith, endsWith, matches, let). Plans should
// reject attributes and ids for which it is false.
func ValidName(name string) bool {
	if name == "" || keywords[name] || name[0] >= '0' && name[0] <= '9' {
		return false
	}
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func (e *Env) clone() *Env {
	if e == nil {
		return NewEnv()
	}
	c := *e
	c.names = maps.Clone(e.names)
	if c.names == nil {
		c.names = map[string]Type{}
	}
	return &c
}

// With returns a copy of e that also declares decls; they replace
// declarations of the same names.
func (e *Env) With(decls ...Decl) *Env {
	c := e.clone()
	for _, d := range decls {
		c.names[d.Name] = d.Type
	}
	return c
}

// WithLocation returns a copy of e whose time helpers (hour, weekday, day,
// month, …) read times in loc. A nil loc means UTC, the default.
func (e *Env) WithLocation(loc *time.Location) *Env {
	c := e.clone()
	c.loc = loc
	return c
}

// WithCalendar returns a copy of e whose time helpers read times in c's
// time zone (like WithLocation) and whose workdays_between counts c's
// working days. Without it, and for a nil c, times are read in UTC and the
// working days are Monday to Friday.
func (e *Env) WithCalendar(c *period.Calendar) *Env {
	cp := e.clone()
	cp.loc, cp.work = nil, nil
	if c != nil {
		cp.loc, cp.work = c.Location(), c.WorkCalendar()
	}
	return cp
}

// WithPrev returns a copy of e that allows prev(id) and prev(id, n) over the
// number names it declares: the value of id n periods before the current
// one (n defaults to 1), looked up as Ref{Name: id, Back: n}.
func (e *Env) WithPrev() *Env {
	c := e.clone()
	c.prev = true
	return c
}

// WithPeriodFuncs returns a copy of e that allows the period helpers days(),
// workdays() and elapsed(), looked up as Ref{Name: "days", Func: true} and
// so on. The host supplies their values (see the language reference).
func (e *Env) WithPeriodFuncs() *Env {
	c := e.clone()
	c.period = true
	return c
}

// WithLimits returns a copy of e with other safety limits; zero fields keep
// the defaults.
func (e *Env) WithLimits(l Limits) *Env {
	c := e.clone()
	c.limits = l
	return c
}

// Lookup returns the declared type of name.
func (e *Env) Lookup(name string) (Type, bool) {
	if e == nil {
		return TypeAny, false
	}
	t, ok := e.names[name]
	return t, ok
}

// Decls returns the declarations of e, sorted by name.
func (e *Env) Decls() []Decl {
	if e == nil {
		return nil
	}
	ds := make([]Decl, 0, len(e.names))
	for _, n := range slices.Sorted(maps.Keys(e.names)) {
		ds = append(ds, Decl{Name: n, Type: e.names[n]})
	}
	return ds
}

// Location returns the time zone of the time helpers (UTC by default).
func (e *Env) Location() *time.Location {
	if e == nil || e.loc == nil {
		return time.UTC
	}
	return e.loc
}

func (e *Env) workCalendar() *period.WorkCalendar {
	if e == nil {
		return nil
	}
	return e.work
}

func (e *Env) getLimits() Limits {
	if e == nil {
		return Limits{}.withDefaults()
	}
	return e.limits.withDefaults()
}

func (e *Env) hasPrev() bool   { return e != nil && e.prev }
func (e *Env) hasPeriod() bool { return e != nil && e.period }

// The fields every event has, as EventEnv declares them.
var eventFields = []Decl{
	{"id", TypeString},
	{"kind", TypeString},
	{"time", TypeTime},
	{"actor", TypeString},
	{"amount", TypeNumber},
	{"currency", TypeString},
}

// EventEnv returns the environment of event predicates (an indicator's
// where) and per-event values (its value): the event fields id, kind, actor
// and currency (strings), time (a time) and amount (a number), and the
// plan's attributes with their types. An attribute named like an event field
// is hidden by the field. The host's Scope answers Ref{Name: …} lookups for
// all of them; an attribute the event does not carry is undefined.
func EventEnv(attrs map[string]Type) *Env {
	e := &Env{names: make(map[string]Type, len(attrs)+len(eventFields))}
	for n, t := range attrs {
		e.names[n] = t
	}
	for _, d := range eventFields {
		e.names[d.Name] = d.Type
	}
	return e
}

// IndicatorEnv returns the environment of formulas over indicators of the
// same participant and period: each id is a number, and prev() and the
// period helpers are allowed.
func IndicatorEnv(ids ...string) *Env {
	e := &Env{names: make(map[string]Type, len(ids)), prev: true, period: true}
	for _, id := range ids {
		e.names[id] = TypeNumber
	}
	return e
}
