package mapping

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/suggest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// Mapper is a compiled mapping: it turns the rows of a table into events.
// It is immutable and safe for concurrent use; every load keeps its own
// state.
type Mapper struct {
	prefix string
	table  string
	query  string
	cols   []column       // sorted by name
	byName map[string]int // formula name → index in cols
	key    []int          // the key columns, in the key's order
	rules  []rule
	kinds  []string // sorted, once each
}

// column is a compiled ColumnDef.
type column struct {
	name   string // the name rules and formulas use
	header string // the name in the table
	typ    ColumnType
	loc    *time.Location // date; time values without an offset (nil: none)
	tod    int            // date: seconds after midnight
	// ownZone is set when the column names its zone: a time column then
	// reads a database's time values given in UTC by their wall clock in
	// it.
	ownZone bool
	// keep is set for a string column whose values events keep (actors,
	// currencies, attributes): they are copied out of the row's text.
	keep bool
}

// rule is a compiled EventDef.
type rule struct {
	id, kind  string
	idPrefix  string // the mapping's prefix, the rule's id and ':'
	when      *formula.Program
	time      int // column index
	actor     int
	amount    int // column index, or -1: amountC (which may be invalid: none)
	amountC   decimal.NullDecimal
	currency  int // column index, or -1: currencyC ("" none)
	currencyC string
	attrs     []attrCol // sorted by name
}

type attrCol struct {
	name string
	col  int
}

var (
	ruleIDRE    = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	tableRE     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)
	todRE       = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])(:([0-5][0-9]))?$`)
	currencyRE  = regexp.MustCompile(`^[A-Z]{3}$`)
	eventFields = []string{"id", "kind", "time", "actor", "amount", "currency", "deleted"}
)

// Compile checks every part of def and compiles its formulas. It returns
// one *problem.Error that lists every problem, sorted by path; when def was
// read by Parse, each problem names its file and line:
// `deals.yaml:12: events[1].time: unknown column "close_dat" (did you mean "close_date"?)`.
func Compile(def *Def) (*Mapper, error) {
	if def == nil {
		return nil, errors.New("mapping: no definition")
	}
	var ps problem.List
	c := &compiler{def: def, ps: &ps}
	m := c.compile()
	if err := ps.Err(); err != nil {
		if pe, ok := err.(*problem.Error); ok {
			for _, p := range pe.Problems {
				p.Where = def.where(p.Path)
			}
		}
		return nil, err
	}
	return m, nil
}

type compiler struct {
	def   *Def
	ps    *problem.List
	m     *Mapper
	names []string       // declared column names, sorted
	loc   *time.Location // the mapping's timezone; nil: none (formulas: UTC)
}

func (c *compiler) compile() *Mapper {
	d := c.def
	m := &Mapper{prefix: d.IDPrefix, table: d.Table, query: d.Query, byName: map[string]int{}}
	c.m = m
	if d.Timezone != "" {
		c.loc = c.zone("timezone", d.Timezone)
	}
	switch {
	case d.Table != "" && d.Query != "":
		c.ps.Add("query", problem.Conflict, "table and query exclude each other")
	case d.Table != "" && !tableRE.MatchString(d.Table):
		c.ps.Add("table", problem.Invalid, fmt.Sprintf("%q is not a table name (NAME or SCHEMA.NAME of letters, digits and _; write a query for others)", d.Table))
	}
	if !printable(d.IDPrefix) {
		c.ps.Add("id_prefix", problem.Invalid, "must be printable UTF-8 text")
	}
	c.columns()
	c.keys()
	if len(d.Events) == 0 {
		c.ps.Add("events", problem.Required, "at least one event rule is needed")
	}
	seen := map[string]int{}
	for i, e := range d.Events {
		c.rule(i, e, seen)
	}
	kinds := map[string]bool{}
	for _, r := range m.rules {
		kinds[r.kind] = true
		m.cols[r.actor].keep = true
		if r.currency >= 0 {
			m.cols[r.currency].keep = true
		}
		for _, a := range r.attrs {
			m.cols[a.col].keep = true
		}
	}
	m.kinds = slices.Sorted(maps.Keys(kinds))
	return m
}

// columns compiles the column declarations, sorted by name.
func (c *compiler) columns() {
	d := c.def
	if len(d.Columns) == 0 {
		c.ps.Add("columns", problem.Required, "at least one column is needed")
	}
	c.names = slices.Sorted(maps.Keys(d.Columns))
	for _, name := range c.names {
		cd := d.Columns[name]
		path := "columns." + name
		col := column{name: name, header: cd.columnName(name), typ: cd.Type}
		if !formula.ValidName(name) {
			c.ps.Add(path, problem.Invalid, fmt.Sprintf("%q is not a name formulas can use (a letter or _, then letters, digits and _; not a keyword): name it so and give the table's name in column", name))
		}
		if !printable(col.header) {
			c.ps.Add(path+".column", problem.Invalid, "must be printable UTF-8 text")
		}
		switch {
		case cd.Type == "":
			c.ps.Add(path+".type", problem.Required, "a column needs a type: "+typeNames())
		case !slices.Contains(columnTypes, cd.Type):
			msg := fmt.Sprintf("unknown type %q (want one of %s)", cd.Type, typeNames())
			if s := suggest.Closest(string(cd.Type), []string{"string", "int", "decimal", "bool", "date", "time"}); s != "" {
				msg = fmt.Sprintf("unknown type %q (did you mean %q?)", cd.Type, s)
			}
			c.ps.Add(path+".type", problem.Invalid, msg)
		}
		col.loc = c.loc
		if cd.Zone != "" {
			if cd.Type != Date && cd.Type != Time {
				c.ps.Add(path+".zone", problem.Invalid, "only date and time columns have a zone")
			} else if loc := c.zone(path+".zone", cd.Zone); loc != nil {
				col.loc, col.ownZone = loc, true
			}
		}
		if cd.Type == Date && cd.Zone == "" && d.Timezone == "" {
			c.ps.Add(path, problem.Required, "a date column needs a time zone: set the mapping's timezone or the column's zone")
		}
		if cd.TimeOfDay != "" {
			sm := todRE.FindStringSubmatch(cd.TimeOfDay)
			switch {
			case cd.Type != Date:
				c.ps.Add(path+".time_of_day", problem.Invalid, "only date columns have a time of day")
			case sm == nil:
				c.ps.Add(path+".time_of_day", problem.Invalid, fmt.Sprintf("%q is not a time of day HH:MM or HH:MM:SS (00:00 to 23:59:59)", cd.TimeOfDay))
			default:
				h, _ := digits(sm[1])
				mi, _ := digits(sm[2])
				sec, _ := digits(sm[4]) // "" is 0
				col.tod = h*3600 + mi*60 + sec
			}
		}
		c.m.byName[name] = len(c.m.cols)
		c.m.cols = append(c.m.cols, col)
	}
}

// zone loads the IANA zone name, or records why it cannot.
func (c *compiler) zone(path, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	switch {
	case name == "Local":
		c.ps.Add(path, problem.Invalid, `"Local" is the machine's zone: name an IANA zone`)
	case err != nil:
		c.ps.Add(path, problem.Invalid, fmt.Sprintf("unknown time zone %q", name))
	default:
		return loc
	}
	return nil
}

// keys checks the key columns.
func (c *compiler) keys() {
	d := c.def
	if len(d.Key) == 0 {
		c.ps.Add("key", problem.Required, "at least one key column is needed: the columns that identify a row")
	}
	for i, name := range d.Key {
		path := fmt.Sprintf("key[%d]", i)
		if slices.Contains(d.Key[:i], name) {
			c.ps.Add(path, problem.Duplicate, fmt.Sprintf("column %q is in the key twice", name))
			continue
		}
		ci, ok := c.column(path, name)
		if !ok {
			continue
		}
		switch t := c.m.cols[ci].typ; t {
		case String, Int, Date:
			c.m.key = append(c.m.key, ci)
		case Bool, Decimal, Time:
			c.ps.Add(path, problem.Invalid, fmt.Sprintf("column %q is of type %s; key columns are string, int or date", name, t))
		}
	}
}

// column finds a declared column referred to at path.
func (c *compiler) column(path, name string) (int, bool) {
	if name == "" {
		c.ps.Add(path, problem.Required, "a column name is needed")
		return 0, false
	}
	i, ok := c.m.byName[name]
	if !ok {
		msg := fmt.Sprintf("unknown column %q", name)
		if s := suggest.Closest(name, c.names); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		c.ps.Add(path, problem.Unknown, msg)
	}
	return i, ok
}

// typed finds a declared column of one of the types want.
func (c *compiler) typed(path, name string, what string, want ...ColumnType) (int, bool) {
	i, ok := c.column(path, name)
	if !ok {
		return 0, false
	}
	if t := c.m.cols[i].typ; !slices.Contains(want, t) {
		if !slices.Contains(columnTypes, t) {
			return 0, false // a bad type, reported with the column
		}
		c.ps.Add(path, problem.Invalid, fmt.Sprintf("column %q is of type %s; %s", name, t, what))
		return 0, false
	}
	return i, true
}

// rule compiles events[i]; seen maps the rule ids so far to their index.
func (c *compiler) rule(i int, e EventDef, seen map[string]int) {
	path := fmt.Sprintf("events[%d]", i)
	r := rule{id: e.ID, kind: e.Kind, amount: -1, currency: -1}
	ok := true
	fail := func(sub string, code problem.Code, msg string) {
		c.ps.Add(path+sub, code, msg)
		ok = false
	}
	switch {
	case e.Kind == "":
		fail(".kind", problem.Required, "an event rule needs a kind")
	case !printable(e.Kind):
		fail(".kind", problem.Invalid, "must be printable UTF-8 text")
	}
	switch {
	case e.ID == "" && e.Kind != "" && !ruleIDRE.MatchString(e.Kind):
		fail(".id", problem.Required, fmt.Sprintf("the kind %q cannot be the rule's id (letters, digits, '_', '.' and '-'): give an id", e.Kind))
	case e.ID != "" && !ruleIDRE.MatchString(e.ID):
		fail(".id", problem.Invalid, fmt.Sprintf("%q is not a rule id (letters, digits, '_', '.' and '-')", e.ID))
	}
	if r.id == "" {
		r.id = e.Kind
	}
	if r.id != "" {
		if j, dup := seen[r.id]; dup {
			fail(".id", problem.Duplicate, fmt.Sprintf("rule id %q is also the id of events[%d]: give one of them another id", r.id, j))
		} else {
			seen[r.id] = i
		}
	}
	r.idPrefix = c.m.prefix + r.id + ":"
	var found bool
	if r.time, found = c.typed(path+".time", e.Time, "an event's time comes from a date or time column", Date, Time); !found {
		ok = false
	}
	if r.actor, found = c.typed(path+".actor", e.Actor, "an actor comes from a string or int column", String, Int); !found {
		ok = false
	}
	if e.Amount != "" {
		if d, bad := parseDecimal(e.Amount); bad == "" {
			r.amountC = decimal.NewNullDecimal(d)
		} else if r.amount, found = c.typed(path+".amount", e.Amount, "an amount comes from a decimal or int column, or is a decimal", Decimal, Int); !found {
			ok = false
		}
	}
	if e.Currency != "" {
		_, isCol := c.m.byName[e.Currency]
		switch {
		case e.Amount == "":
			fail(".currency", problem.Invalid, "a currency needs an amount")
		case currencyRE.MatchString(e.Currency) && isCol:
			fail(".currency", problem.Conflict, fmt.Sprintf("%q is both a currency code and a column: rename the column", e.Currency))
		case currencyRE.MatchString(e.Currency):
			r.currencyC = e.Currency
		default:
			if r.currency, found = c.typed(path+".currency", e.Currency, "a currency comes from a string column, or is a code of three upper-case letters", String); !found {
				ok = false
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(e.Attrs)) {
		sub := path + ".attrs." + name
		switch {
		case !formula.ValidName(name):
			fail(".attrs."+name, problem.Invalid, fmt.Sprintf("%q is not an attribute name plans can use (a letter or _, then letters, digits and _)", name))
			continue
		case slices.Contains(eventFields, name):
			fail(".attrs."+name, problem.Invalid, fmt.Sprintf("%q is a field of every event, not an attribute", name))
			continue
		}
		ci, found := c.column(sub, e.Attrs[name])
		if !found {
			ok = false
			continue
		}
		r.attrs = append(r.attrs, attrCol{name: name, col: ci})
	}
	if e.When != "" {
		p, err := formula.Compile(e.When, c.env(c.loc), formula.TypeBool)
		if err != nil {
			c.ps.AddErr(path+".when", problem.Formula, err)
			ok = false
		} else if p.ReadsZone() {
			loc, msg := c.whenZone(p)
			switch {
			case msg != "":
				c.ps.Add(path+".when", problem.Invalid, msg)
				ok = false
			case loc != c.loc:
				p, err = formula.Compile(e.When, c.env(loc), formula.TypeBool)
				if err != nil {
					c.ps.AddErr(path+".when", problem.Formula, err)
					ok = false
				}
			}
		}
		r.when = p
	}
	if ok {
		c.m.rules = append(c.m.rules, r)
	}
}

// whenZone returns the zone a when's time helpers read times in: that of
// the date and time columns it reads (their own, else the mapping's
// timezone), so that a date is judged on its own calendar; the mapping's
// timezone (nil: UTC) when none of them has one. Columns of different zones
// are a problem (msg): the helpers read one zone. A time column without a
// zone holds times with offsets, instants it does not place in a zone.
func (c *compiler) whenZone(p *formula.Program) (loc *time.Location, msg string) {
	var named []string
	for _, ref := range p.Refs() {
		i, ok := c.m.byName[ref.Name]
		if !ok {
			continue
		}
		col := c.m.cols[i]
		if (col.typ != Date && col.typ != Time) || col.loc == nil {
			continue
		}
		if loc != nil && col.loc.String() != loc.String() {
			msg = "different"
		}
		if loc == nil {
			loc = col.loc
		}
		named = append(named, col.name+" in "+col.loc.String())
	}
	if msg != "" {
		return nil, fmt.Sprintf("its time helpers would read columns of different zones (%s); they read one: give the columns one zone, or set the mapping's timezone and leave their own out", strings.Join(named, ", "))
	}
	if loc == nil {
		return c.loc, ""
	}
	return loc, ""
}

// env declares the columns to formulas, by their types; the time helpers
// read times in loc (nil: UTC).
func (c *compiler) env(loc *time.Location) *formula.Env {
	decls := make([]formula.Decl, 0, len(c.m.cols))
	for _, col := range c.m.cols {
		var t formula.Type
		switch col.typ {
		case String:
			t = formula.TypeString
		case Int, Decimal:
			t = formula.TypeNumber
		case Bool:
			t = formula.TypeBool
		case Date, Time:
			t = formula.TypeTime
		default:
			continue // a bad type, reported
		}
		decls = append(decls, formula.Decl{Name: col.name, Type: t})
	}
	return formula.NewEnv(decls...).WithLocation(loc)
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// Kinds returns the kinds of the events the mapping makes, sorted.
func (m *Mapper) Kinds() []string { return slices.Clone(m.kinds) }

// Attributes returns the types of the attributes the mapping's events carry,
// as a plan's attributes section declares them: string, int, decimal, bool,
// or time for date and time columns. An attribute two rules take from
// columns of different types is absent.
func (m *Mapper) Attributes() map[string]kpi.AttrType {
	out := map[string]kpi.AttrType{}
	bad := map[string]bool{}
	for _, r := range m.rules {
		for _, a := range r.attrs {
			t := attrType(m.cols[a.col].typ)
			if prev, ok := out[a.name]; ok && prev != t {
				bad[a.name] = true
			}
			out[a.name] = t
		}
	}
	for n := range bad {
		delete(out, n)
	}
	return out
}

func attrType(t ColumnType) kpi.AttrType {
	switch t {
	case Int:
		return kpi.AttrInt
	case Decimal:
		return kpi.AttrDecimal
	case Bool:
		return kpi.AttrBool
	case Date, Time:
		return kpi.AttrTime
	}
	return kpi.AttrString
}
