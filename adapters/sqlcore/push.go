package sqlcore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
)

// errDecline marks a query Push cannot answer exactly.
var errDecline = errors.New("decline")

// alt is one type an operand may take: when cond holds (empty: always), its
// value is expr, of type typ. scale is the exponent of a SQLite number
// (amount_units are 10⁻⁴); num is set for a constant number.
type alt struct {
	typ   formula.Type
	cond  string
	expr  string
	scale int32
	num   *decimal.Decimal
	tm    *time.Time
	str   *string // a constant string, made a parameter when used
	timeC bool    // the time column
}

// gen translates formula nodes for one query.
type gen struct {
	s    *Store
	args []any
	// inexact are the conditions of rows SQL would not read exactly
	// (SQLite: a non-integer number, an amount outside amount_units).
	inexact []string
}

func (g *gen) param(v any) string {
	g.args = append(g.args, v)
	return g.s.d.placeholder(len(g.args))
}

var attrNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func and(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return "(" + a + ") AND (" + b + ")"
}

// caseBool is a defined truth value: v when cond holds, else false.
func (g *gen) caseBool(cond, v string) string {
	if cond == "" {
		return "(" + v + ")"
	}
	return "(CASE WHEN " + cond + " THEN " + v + " ELSE " + g.s.d.boolLit(false) + " END)"
}

// operand translates a value node.
func (g *gen) operand(n formula.Node) ([]alt, error) {
	d, m := g.s.d, &g.s.m
	switch x := n.(type) {
	case *formula.Ident:
		return g.operand(*x)
	case *formula.Const:
		return g.operand(*x)
	case *formula.Neg:
		return g.operand(*x)
	case formula.Ident:
		var alts []alt
		switch x.Name {
		case "kind":
			alts = []alt{{typ: formula.TypeString, expr: m.col(m.Kind)}}
		case "id":
			alts = []alt{{typ: formula.TypeString, expr: m.col(m.ID)}}
		case "actor":
			alts = []alt{{typ: formula.TypeString, cond: m.col(m.Actor) + " <> ''", expr: m.col(m.Actor)}}
		case "currency":
			if m.Currency != "" {
				alts = []alt{{typ: formula.TypeString, cond: m.col(m.Currency) + " <> ''", expr: m.col(m.Currency)}}
			}
		case "time":
			alts = []alt{{typ: formula.TypeTime, expr: m.col(m.Time), timeC: true}}
		case "amount":
			if m.Amount == "" {
				break
			}
			if d.pg {
				a := alt{typ: formula.TypeNumber, cond: m.col(m.Amount) + " IS NOT NULL", expr: m.col(m.Amount)}
				if !g.s.own {
					// A host's column may be text, as a scan reads it: a
					// value that is not a number fails the query, and
					// pushErr declines where the scan is refused.
					a.expr += "::numeric"
				}
				alts = []alt{a}
				break
			}
			if !g.s.own {
				return nil, errDecline
			}
			g.inexact = append(g.inexact, "amount IS NOT NULL AND amount_units IS NULL")
			alts = []alt{{typ: formula.TypeNumber, cond: "amount_units IS NOT NULL", expr: "amount_units", scale: unitsExp}}
		default:
			if c, ok := m.AttrColumns[x.Name]; ok {
				a, err := g.attrColumn(c)
				if err != nil {
					return nil, err
				}
				alts = []alt{a}
				break
			}
			if m.Attrs == "" {
				break
			}
			if !attrNameRE.MatchString(x.Name) {
				return nil, errDecline
			}
			col := m.col(m.Attrs)
			num := alt{typ: formula.TypeNumber, cond: d.isNumber(col, x.Name), expr: d.attrNumber(col, x.Name)}
			if !d.pg {
				num.cond = d.jsonType(col, x.Name) + " = 'integer'"
			}
			alts = []alt{
				{typ: formula.TypeString, cond: d.isString(col, x.Name), expr: d.attrString(col, x.Name)},
				num,
				{typ: formula.TypeBool, cond: d.isBool(col, x.Name), expr: d.attrBool(col, x.Name)},
				{typ: formula.TypeTime, cond: d.isTimeObj(col, x.Name)}, // not comparable here
			}
		}
		if x.Type != formula.TypeAny {
			var keep []alt
			for _, a := range alts {
				if a.typ == x.Type {
					keep = append(keep, a)
				}
			}
			alts = keep
		}
		for _, a := range alts {
			if _, col := m.AttrColumns[x.Name]; col {
				break
			}
			if a.typ == formula.TypeNumber && a.expr != "" && !d.pg && x.Name != "amount" {
				// A JSON real, and a JSON integer past int64, which
				// json_type calls an integer but json_extract reads as a
				// float.
				g.inexact = append(g.inexact, "typeof("+a.expr+") = 'real'")
			}
		}
		return alts, nil
	case formula.Const:
		v := x.Value
		switch v.Type() {
		case formula.TypeAny:
			return nil, nil
		case formula.TypeString:
			s, _ := v.Str()
			return []alt{{typ: formula.TypeString, str: &s}}, nil
		case formula.TypeBool:
			b, _ := v.Bool()
			return []alt{{typ: formula.TypeBool, expr: d.boolLit(b)}}, nil
		case formula.TypeNumber:
			n, _ := v.Number()
			return []alt{{typ: formula.TypeNumber, num: &n}}, nil
		case formula.TypeTime:
			t, _ := v.Time()
			return []alt{{typ: formula.TypeTime, tm: &t}}, nil
		}
		return nil, errDecline
	case formula.Neg:
		// The engine pushes a negation (it cannot go out of range) but no
		// other arithmetic (kpi.PushQuery.Where): a filter with any is
		// declined below.
		if !d.pg {
			return nil, errDecline
		}
		a, err := g.number(x.X)
		if err != nil || a == nil {
			return nil, err
		}
		return []alt{{typ: formula.TypeNumber, cond: a.cond, expr: "(-" + g.numExpr(*a, 0) + ")"}}, nil
	}
	return nil, errDecline
}

// attrColumn is the operand of an attribute held in a column of its own.
func (g *gen) attrColumn(c AttrColumn) (alt, error) {
	col := quoteIdent(c.Column)
	a := alt{cond: col + " IS NOT NULL", expr: col}
	switch c.Type {
	case kpi.AttrString:
		a.typ = formula.TypeString
		if g.s.d.pg {
			a.expr = col + "::text"
		} else {
			g.inexact = append(g.inexact, "typeof("+col+") NOT IN ('text', 'null')")
		}
	case kpi.AttrInt, kpi.AttrDecimal:
		a.typ = formula.TypeNumber
		if g.s.d.pg {
			a.expr = col + "::numeric"
			if c.Type == kpi.AttrInt {
				// Scan refuses a value that is not an int64.
				g.inexact = append(g.inexact, "("+a.expr+" <> trunc("+a.expr+") OR "+a.expr+" NOT BETWEEN -9223372036854775808 AND 9223372036854775807)")
			}
		} else {
			a.cond = "typeof(" + col + ") = 'integer'"
			g.inexact = append(g.inexact, "typeof("+col+") NOT IN ('integer', 'null')")
		}
	case kpi.AttrBool:
		a.typ = formula.TypeBool
		if g.s.d.pg {
			a.expr = col + "::boolean"
		} else {
			g.inexact = append(g.inexact, col+" NOT IN (0, 1)")
		}
	default:
		return alt{}, errDecline // a time: not compared here
	}
	return a, nil
}

// number is the number alternative of an operand, nil when it has none.
func (g *gen) number(n formula.Node) (*alt, error) {
	alts, err := g.operand(n)
	if err != nil {
		return nil, err
	}
	for _, a := range alts {
		if a.typ == formula.TypeNumber {
			return &a, nil
		}
	}
	return nil, nil
}

// strExpr is the SQL of a string alternative.
func (g *gen) strExpr(a alt) string {
	if a.str != nil {
		return g.param(*a.str)
	}
	return a.expr
}

// numExpr is the SQL of a number alternative at scale (SQLite units).
func (g *gen) numExpr(a alt, scale int32) string {
	if a.num != nil {
		if g.s.d.pg {
			return "CAST(" + quoteString(a.num.String()) + " AS NUMERIC)"
		}
		return a.num.Shift(scale).String()
	}
	return a.expr
}

var sqlOps = map[string]string{"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}

// compare is the truth of l op r for one pair of alternatives of one type.
func (g *gen) compare(op string, l, r alt) (string, error) {
	d := g.s.d
	sop := sqlOps[op]
	cond := and(l.cond, r.cond)
	switch l.typ {
	case formula.TypeString:
		if l.str != nil && r.str != nil {
			return d.boolLit(formula.Holds(op, strings.Compare(*l.str, *r.str))), nil
		}
		return g.caseBool(cond, d.strOrder(g.strExpr(l), sop, g.strExpr(r))), nil
	case formula.TypeBool:
		if op != "==" && op != "!=" {
			return d.boolLit(false), nil
		}
		if !d.pg {
			// json_extract gives 1 and 0; make both sides 0/1.
			return g.caseBool(cond, "("+l.expr+") "+sop+" ("+r.expr+")"), nil
		}
		return g.caseBool(cond, l.expr+" "+sop+" "+r.expr), nil
	case formula.TypeNumber:
		if l.num != nil && r.num != nil {
			return d.boolLit(formula.Holds(op, l.num.Cmp(*r.num))), nil
		}
		if d.pg {
			return g.caseBool(cond, g.numExpr(l, 0)+" "+sop+" "+g.numExpr(r, 0)), nil
		}
		// SQLite: integers at a common scale.
		scale := l.scale
		if l.num != nil {
			scale = r.scale
		}
		if (l.num == nil && l.scale != scale) || (r.num == nil && r.scale != scale) {
			return "", errDecline
		}
		for _, a := range []alt{l, r} {
			if a.num != nil {
				u := a.num.Shift(scale)
				if !u.IsInteger() || !u.BigInt().IsInt64() {
					return "", errDecline
				}
			}
		}
		return g.caseBool(cond, g.numExpr(l, scale)+" "+sop+" "+g.numExpr(r, scale)), nil
	case formula.TypeTime:
		// Only the time column against a constant instant.
		switch {
		case l.timeC && r.tm != nil:
			lit, ok := g.s.timeLit(*r.tm)
			if !ok {
				return "", errDecline
			}
			return "(" + l.expr + " " + sop + " " + lit + ")", nil
		case r.timeC && l.tm != nil:
			return g.compare(flip[op], r, l)
		case l.tm != nil && r.tm != nil:
			return d.boolLit(formula.Holds(op, l.tm.Compare(*r.tm))), nil
		}
		return "", errDecline
	}
	return "", errDecline
}

var flip = map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

// or joins truth values.
func (g *gen) or(parts []string) string {
	if len(parts) == 0 {
		return g.s.d.boolLit(false)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// compareAll is l op r over every pair of alternatives of the same type.
func (g *gen) compareAll(op string, ls, rs []alt) (string, error) {
	var parts []string
	for _, l := range ls {
		for _, r := range rs {
			if l.typ != r.typ {
				continue
			}
			if l.typ == formula.TypeTime && (l.expr == "" && !l.timeC && l.tm == nil || r.expr == "" && !r.timeC && r.tm == nil) {
				return "", errDecline // a time-valued attribute
			}
			p, err := g.compare(op, l, r)
			if err != nil {
				return "", err
			}
			parts = append(parts, p)
		}
	}
	return g.or(parts), nil
}

// pred translates a node read as a condition: a defined truth value, true
// exactly where formula.EvalNode gives true.
func (g *gen) pred(n formula.Node) (string, error) {
	d := g.s.d
	switch x := n.(type) {
	case *formula.Compare:
		return g.pred(*x)
	case *formula.In:
		return g.pred(*x)
	case *formula.And:
		return g.pred(*x)
	case *formula.Or:
		return g.pred(*x)
	case *formula.Not:
		return g.pred(*x)
	case formula.Compare:
		if _, ok := sqlOps[x.Op]; !ok {
			return d.boolLit(false), nil
		}
		l, err := g.operand(x.L)
		if err != nil {
			return "", err
		}
		r, err := g.operand(x.R)
		if err != nil {
			return "", err
		}
		return g.compareAll(x.Op, l, r)
	case formula.In:
		xs, err := g.operand(x.X)
		if err != nil {
			return "", err
		}
		var parts, defined []string
		consts := make([][]alt, len(x.List))
		for i, v := range x.List {
			if consts[i], err = g.operand(formula.Const{Value: v}); err != nil {
				return "", err
			}
		}
		for _, a := range xs {
			defined = append(defined, g.caseBool(a.cond, d.boolLit(true)))
			for _, c := range consts {
				p, err := g.compareAll("==", []alt{a}, c)
				if err != nil {
					return "", err
				}
				if p != d.boolLit(false) {
					parts = append(parts, p)
				}
			}
		}
		member := g.or(parts)
		if !x.Not {
			return member, nil
		}
		return "(" + g.or(defined) + " AND NOT " + member + ")", nil
	case formula.And:
		return g.binary(x.L, "AND", x.R)
	case formula.Or:
		return g.binary(x.L, "OR", x.R)
	case formula.Not:
		p, err := g.pred(x.X)
		if err != nil {
			return "", err
		}
		return "(NOT " + p + ")", nil
	case formula.Ident, *formula.Ident, formula.Const, *formula.Const:
		alts, err := g.operand(n)
		if err != nil {
			return "", err
		}
		for _, a := range alts {
			if a.typ == formula.TypeBool {
				if a.expr == d.boolLit(true) || a.expr == d.boolLit(false) {
					return a.expr, nil
				}
				if d.pg {
					return g.caseBool(a.cond, a.expr), nil
				}
				return g.caseBool(a.cond, a.expr+" = 1"), nil
			}
		}
		return d.boolLit(false), nil
	case formula.Neg, *formula.Neg:
		// A number (or undefined) is never true.
		return d.boolLit(false), nil
	}
	return "", errDecline
}

// bucketExpr maps the time column to the index of its bucket, by a binary
// search over the bounds.
func bucketExpr(col string, lits []string, lo, hi int) string {
	if hi-lo == 1 {
		return strconv.Itoa(lo)
	}
	mid := (lo + hi) / 2
	return "CASE WHEN " + col + " < " + lits[mid] + " THEN " + bucketExpr(col, lits, lo, mid) + " ELSE " + bucketExpr(col, lits, mid, hi) + " END"
}

// Push implements kpi.Pusher: one grouped query per filter group. It
// declines (ok = false) what SQL would not answer exactly.
func (s *Store) Push(ctx context.Context, q kpi.PushQuery) ([]kpi.PushRow, bool, error) {
	if err := s.CheckAttributes(ctx, q.Attributes); err != nil {
		return nil, false, err
	}
	rows, err := s.push(ctx, q)
	if errors.Is(err, errDecline) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return rows, true, nil
}

func (s *Store) push(ctx context.Context, q kpi.PushQuery) ([]kpi.PushRow, error) {
	if len(q.Bounds) < 2 {
		return nil, nil
	}
	d, m := s.d, &s.m
	lits := make([]string, len(q.Bounds))
	for i, b := range q.Bounds {
		if i > 0 && b.Before(q.Bounds[i-1]) {
			return nil, fmt.Errorf("sqlcore: push: bounds are not in ascending order")
		}
		lit, ok := s.timeLit(b)
		if !ok {
			return nil, errDecline
		}
		lits[i] = lit
	}
	if !s.own && (q.Bounds[0].Before(time.Unix(0, insideFirstNs)) || q.Bounds[len(q.Bounds)-1].After(time.Unix(0, insideEndNs))) {
		// A host's table: a row of the range may be outside the years
		// 1678–2261 in its own zone, which a scan refuses, and no pass
		// looks for its time (hostSuspect).
		return nil, errDecline
	}
	g := &gen{s: s}
	w, args, err := s.kindsAndRange(nil, nil, q.Kinds, q.Bounds[0], q.Bounds[len(q.Bounds)-1])
	if err != nil {
		return nil, err
	}
	g.args = args
	// The rows of the range, w: a scan of it reads each, whatever the
	// as-of instant, and refuses what the checks below look for.
	scope := len(w)
	var asOf string // the condition of the rows counted as of q.AsOf
	if !q.AsOf.IsZero() {
		lit, ok := s.timeLit(q.AsOf)
		if !ok {
			return nil, errDecline
		}
		asOf = m.col(m.Time) + " <= " + lit
	}
	if err := s.oneRowPerID(ctx, "push", w, args); err != nil {
		return nil, err
	}
	if s.own && !d.pg {
		// An offset or known time that is not an integer, which the scan
		// refuses: the push declines, and the evaluation scans.
		var n int
		err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM goalkit_events INDEXED BY goalkit_events_nonint WHERE "+
			strings.Join(append(append([]string{}, w...), nonIntWhere), " AND ")+" LIMIT 1) t", args...).Scan(&n)
		if err != nil {
			return nil, s.ctxErr(ctx, "push", err)
		}
		if n > 0 {
			return nil, errDecline
		}
		if err := s.ownText(ctx, w, args); err != nil {
			return nil, err
		}
	}
	if s.own && d.pg {
		// A kind or currency with a control character, which the engine
		// refuses after a scan: the push declines, and the evaluation
		// scans. Such rows are read from ctrlIndex alone: OFFSET 0 keeps
		// the push's conditions out of that query, which the planner
		// otherwise answered from the index of kinds and times, testing
		// the expression on every row of the range, and the order by time
		// has it take the index, not a scan of the table, before the
		// table's statistics tell it the rows are few.
		var n int
		err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM (SELECT * FROM goalkit_events WHERE "+ctrlWhere+
			" ORDER BY ts_ns OFFSET 0) c WHERE "+strings.Join(append(append([]string{}, w...), "true"), " AND ")+" LIMIT 1) t", args...).Scan(&n)
		if err != nil {
			return nil, s.ctxErr(ctx, "push", err)
		}
		if n > 0 {
			return nil, errDecline
		}
	}
	if s.own {
		if err := s.ownValid(ctx, w, args); err != nil {
			return nil, err
		}
	}
	// counted is the condition of the rows counted (as of q.AsOf, q.Where),
	// w's last when there is one.
	counted := asOf
	if q.Where != nil {
		p, err := g.pred(q.Where)
		if err != nil {
			return nil, err
		}
		counted = and(asOf, p)
	}
	if counted != "" {
		w = append(w, counted)
	}
	// The value aggregated.
	value, scale, amount := "NULL", int32(0), false
	if d.pg {
		value = "NULL::numeric"
	}
	switch q.Value {
	case "":
	case "amount":
		amount = m.Amount != ""
		if amount {
			a, err := g.operand(formula.Ident{Name: "amount", Type: formula.TypeNumber})
			if err != nil {
				return nil, err
			}
			value, scale = a[0].expr, a[0].scale
		}
	case "kind", "id", "actor", "currency", "time":
	default:
		if c, ok := m.AttrColumns[q.Value]; ok {
			if c.Type != kpi.AttrInt && c.Type != kpi.AttrDecimal {
				break
			}
			a, err := g.attrColumn(c)
			if err != nil {
				return nil, err
			}
			value = "CASE WHEN " + a.cond + " THEN " + a.expr + " END"
			break
		}
		if m.Attrs == "" {
			break
		}
		a, err := g.number(formula.Ident{Name: q.Value, Type: formula.TypeNumber})
		if err != nil {
			return nil, err
		}
		if a != nil {
			value = "CASE WHEN " + a.cond + " THEN " + a.expr + " END"
		}
	}
	if len(g.inexact) > 0 {
		// SQLite: refuse if a row in scope holds a number SQL reads inexactly.
		cw := append(append([]string{}, w[:scope]...), g.or(uniq(g.inexact)))
		if asOf != "" {
			cw = append(cw, asOf)
		}
		var n int
		err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM "+quoteIdent(m.Table)+" WHERE "+strings.Join(cw, " AND ")+" LIMIT 1) t", g.args[:len(args)]...).Scan(&n)
		if err != nil {
			return nil, s.pushErr(ctx, w[:scope], args, err)
		}
		if n > 0 {
			return nil, errDecline
		}
	}
	cur := "NULL"
	if amount && m.Currency != "" {
		cur = m.col(m.Currency)
	}
	// The own table's rows a scan would refuse for their ids are found in
	// the same pass (ownSuspect): a suspect row of the range is read
	// whatever the filter and the as-of instant, and marks its group (x);
	// ownIDs then names it, or finds every suspect valid, and the numbers
	// are read again. So is a row whose actor may be one no event has
	// (actorSuspect), in the own table and a host's: its group is refused
	// where Go finds its actor bad; where not, and a filter or an as-of
	// instant is given, the numbers of a group whose actor actorSuspect
	// may hold (suspectActor) are read again.
	// Over a host's table, a row a scan may refuse for what else it holds
	// (hostSuspect) marks its group the same way, and hostValid checks
	// the range's such rows as a scan does.
	ac := s.actorSuspect()
	sc, suspect, where := ac, "0", w
	var c string
	if s.own {
		c, _ = s.ownSuspect()
	} else {
		c = s.hostSuspect()
	}
	suspect = "CASE WHEN " + c + " THEN 1 ELSE 0 END"
	sc = c + " OR " + ac
	if counted != "" {
		where = append(append([]string{}, w[:scope]...), "("+counted+" OR "+sc+")")
	}
	inner := func(w []string, suspect string) string {
		return "SELECT " + m.col(m.Actor) + " AS a, " + bucketExpr(m.col(m.Time), lits, 0, len(lits)-1) + " AS b, " +
			value + " AS v, " + cur + " AS c, " + suspect + " AS x FROM " + quoteIdent(m.Table) + " WHERE " + strings.Join(w, " AND ")
	}
	var aggs string
	if d.pg {
		aggs = "count(*), count(v), sum(v)::text, min(v)::text, max(v)::text, " +
			"COALESCE(jsonb_agg(DISTINCT c) FILTER (WHERE v IS NOT NULL AND c <> ''), '[]')::text"
	} else {
		aggs = "count(*), count(v), CAST(sum(v) AS TEXT), CAST(min(v) AS TEXT), CAST(max(v) AS TEXT), " +
			"COALESCE(json_group_array(DISTINCT c) FILTER (WHERE v IS NOT NULL AND c <> ''), '[]')"
	}
	query := func(w []string, suspect string) string {
		return "SELECT a, b, max(x), " + aggs + " FROM (" + inner(w, suspect) + ") t GROUP BY a, b"
	}
	out, bad, suspects, err := s.pushRows(ctx, query(where, suspect), g.args, scale, counted != "")
	if err != nil {
		return nil, s.pushErr(ctx, w[:scope], args, err)
	}
	if suspects&1 != 0 {
		check := s.ownIDs
		if !s.own {
			check = func(ctx context.Context, w []string, args []any) error { return s.hostValid(ctx, w, args, c) }
		}
		if err := check(ctx, w[:scope], args); err != nil {
			return nil, err
		}
	}
	if len(bad) > 0 {
		return nil, s.actorsProblem("push", bad)
	}
	if suspects != 0 {
		// Ids or actors past ASCII, each valid: the filter's rows again,
		// alone.
		if out, _, _, err = s.pushRows(ctx, query(w, "0"), g.args, scale, false); err != nil {
			return nil, s.pushErr(ctx, w[:scope], args, err)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Actor != out[j].Actor {
			return out[i].Actor < out[j].Actor
		}
		return out[i].Bucket < out[j].Bucket
	})
	return out, nil
}

// pushRows runs the grouped query of a push (actor, bucket, whether a row
// of the group is ownSuspect's, then the aggregates) and reads its rows,
// the values at scale (an error of the database is returned as it is, for
// pushErr); bad are the actors no event may have, in the
// database's order. suspects holds 1 where a group is marked ownSuspect's,
// and 2 where, filtered (the query's filter or as-of instant let
// actorSuspect's rows in), a group's actor is valid but one actorSuspect
// may hold: it leaves such groups out, whose numbers may count rows the
// filter or the instant leaves out.
func (s *Store) pushRows(ctx context.Context, query string, args []any, scale int32, filtered bool) (out []kpi.PushRow, bad []string, suspects int, err error) {
	d := s.d
	rs, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		if !d.pg && strings.Contains(err.Error(), "integer overflow") {
			return nil, nil, 0, errDecline
		}
		return nil, nil, 0, err
	}
	defer rs.Close()
	for rs.Next() {
		var (
			r           kpi.PushRow
			actor       *string
			suspect     int
			sum, mn, mx *string
			curs        string
		)
		if err := rs.Scan(&actor, &r.Bucket, &suspect, &r.Count, &r.N, &sum, &mn, &mx, &curs); err != nil {
			return nil, nil, 0, err
		}
		if suspect != 0 {
			// Marked whatever its actor: a scan names a bad id before
			// a bad actor.
			suspects |= 1
		}
		if actor != nil {
			r.Actor = *actor
			if badActor(r.Actor) {
				bad = append(bad, r.Actor)
				continue
			}
		}
		if suspect != 0 {
			continue
		}
		if filtered && s.suspectActor(r.Actor) {
			suspects |= 2
			continue
		}
		for i, p := range []*string{sum, mn, mx} {
			if p == nil {
				continue
			}
			v, err := decimal.NewFromString(*p)
			if err != nil {
				return nil, nil, 0, fmt.Errorf("%s: %w", display.QuoteID(*p), err)
			}
			if scale != 0 {
				v = v.Shift(-scale)
			}
			*[]*decimal.Decimal{&r.Sum, &r.Min, &r.Max}[i] = v
		}
		if curs != "[]" {
			if err := json.Unmarshal([]byte(curs), &r.Currencies); err != nil {
				return nil, nil, 0, fmt.Errorf("currencies: %w", err)
			}
			sort.Strings(r.Currencies)
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		if !d.pg && strings.Contains(err.Error(), "integer overflow") {
			return nil, nil, 0, errDecline
		}
		return nil, nil, 0, err
	}
	return out, bad, suspects, nil
}

// actorSuspect is the condition of a row whose actor may be one no event
// has (badActor): in SQLite, one with a "*" or a byte outside printable
// ASCII, which Go then tells from a valid one; in PostgreSQL, whose text is
// valid in its encoding, "*" or a control character. A push reads such rows
// whatever its filter, as a scan refuses them whatever its.
func (s *Store) actorSuspect() string {
	a := s.m.col(s.m.Actor)
	if s.d.pg {
		return "(" + a + "::text = '*' OR " + a + `::text ~ '[\x01-\x1f\x7f-\x9f]')`
	}
	// SQLite's GLOB stops at a NUL, found in the bytes.
	return "(CAST(" + a + " AS TEXT) GLOB '*[^ -)+-~]*' OR instr(CAST(" + a + " AS BLOB), x'00') > 0)"
}

// suspectActor reports whether actorSuspect may hold for a row of actor a
// (a valid one: badActor is false), which PostgreSQL's never does.
func (s *Store) suspectActor(a string) bool {
	return !s.d.pg && (!display.PrintableASCII(a) || strings.Contains(a, "*"))
}

// badActor reports whether no event may have actor a (kpi.Event.Validate):
// "*", the whole company's row of every result, or one that is not an
// identifier (a control character, invalid UTF-8). A scan of a table
// holding it is refused, and so is a push, which would give numbers, and a
// participant whose id writes control characters into reports, where a
// report scanned gives an error.
func badActor(a string) bool { return a == org.Everyone || display.IDProblem(a) != "" }

// actorsProblem is the error of op for the actors bad (badActor's, not
// empty): the least of them, whatever order the database gave them in, so
// that the error is the same on every database and for a scan and a push,
// and how many others.
func (s *Store) actorsProblem(op string, bad []string) error {
	bad = uniq(bad)
	a, why := bad[0], "is the whole company's row in reports, not an actor"
	if a != org.Everyone {
		why = display.IDProblem(a)
	}
	err := fmt.Errorf("sqlcore: %s: table %s: actor %s %s", op, s.m.Table, display.QuoteID(a), why)
	if len(bad) > 1 {
		err = fmt.Errorf("%w (and %d more actors no event may have)", err, len(bad)-1)
	}
	return err
}

func uniq(xs []string) []string {
	sort.Strings(xs)
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// binary joins two predicates with AND or OR; each is never NULL, so SQL's
// connective has the formula's meaning.
func (g *gen) binary(l formula.Node, op string, r formula.Node) (string, error) {
	ls, err := g.pred(l)
	if err != nil {
		return "", err
	}
	rs, err := g.pred(r)
	if err != nil {
		return "", err
	}
	return "(" + ls + " " + op + " " + rs + ")", nil
}

// ownText declines (errDecline) a push over SQLite's own table whose rows
// the conditions w (with args) select hold a kind or a currency that is
// not an identifier (textIndex), which a scan passes on for the engine to
// refuse: the evaluation then scans, and is refused, naming the event.
func (s *Store) ownText(ctx context.Context, w []string, args []any) error {
	rows, err := s.db.QueryContext(ctx, "SELECT kind, currency FROM goalkit_events INDEXED BY goalkit_events_text WHERE "+
		strings.Join(append(append([]string{}, w...), textWhere), " AND "), args...)
	if err != nil {
		return s.ctxErr(ctx, "push", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, cur string
		if err := rows.Scan(&kind, &cur); err != nil {
			return s.ctxErr(ctx, "push", err)
		}
		if display.IDProblem(kind) != "" || display.IDProblem(cur) != "" {
			return errDecline
		}
	}
	if err := rows.Err(); err != nil {
		return s.ctxErr(ctx, "push", err)
	}
	return nil
}

// ownValid declines (errDecline) a push over the own table whose rows the
// conditions w (with args) select hold what else a scan refuses of a row
// (an amount or a decimal attribute it cannot read or whose exponent is
// past ±1000, a time or known time outside the years 1678–2261, more than
// 64 attributes: Store.rowProblem), which Apply never writes: it reads the
// rows validIndex holds in the range, and Go checks each as a scan does.
// The evaluation then scans, and is refused, naming the event.
func (s *Store) ownValid(ctx context.Context, w []string, args []any) error {
	cols, names := s.scanColumns()
	var query string
	if s.d.pg {
		// From the partial index alone, as for ctrlIndex (push).
		query = "SELECT " + cols + " FROM (SELECT * FROM goalkit_events WHERE " + s.d.validWhere() +
			" ORDER BY ts_ns OFFSET 0) goalkit_events WHERE " + strings.Join(append(append([]string{}, w...), "true"), " AND ")
	} else {
		query = "SELECT " + cols + " FROM goalkit_events INDEXED BY goalkit_events_valid WHERE " +
			strings.Join(append(append([]string{}, w...), s.d.validWhere()), " AND ")
	}
	if err := s.scanRows(ctx, query, args, names, func(*kpi.Event) error { return nil }); err != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
		return errDecline
	}
	return nil
}

// hostSuspect is the condition of a row of a host's table that may hold
// what a scan refuses of it, beside its id and actor (Store.rowProblem,
// decodeAttrs, attrFromText), tested in a push's own pass, as no index of
// a host's table holds such rows: the own table's conditions (validWhere,
// textWhere or ctrlWhere) over the mapped columns, but for the time, which
// a push whose bounds are inside the years keeps inside them; more than 64
// attributes counted with the columns of their own; a value of a column of
// its own that a scan may refuse (attrColumnSuspect); in PostgreSQL an
// amount whose text may have an exponent past 1000 (a text column's).
func (s *Store) hostSuspect() string {
	d, m := s.d, &s.m
	col := func(c, cast, null string) string {
		if c == "" {
			return null
		}
		return m.col(c) + cast
	}
	text := textWhere
	kind, cur := col(m.Kind, "", "NULL"), col(m.Currency, "", "NULL")
	amount, attrs := col(m.Amount, "", "NULL"), col(m.Attrs, "", "NULL")
	if d.pg {
		text = ctrlWhere
		kind, cur = col(m.Kind, "::text", "NULL"), col(m.Currency, "::text", "NULL")
		amount, attrs = col(m.Amount, "::numeric", "NULL::numeric"), col(m.Attrs, "::jsonb", "NULL::jsonb")
	}
	years := fmt.Sprintf("ts_ns NOT BETWEEN %d AND %d OR ", int64(insideFirstNs), int64(insideEndNs-1))
	r := strings.NewReplacer(years, "", "ts_ns", s.timeCol(), "known_ns", col(m.Known, "", "NULL"),
		"amount", amount, "attrs", attrs, "kind", kind, "currency", cur)
	// A NULL amount (an event without one) makes each of its tests NULL,
	// which marks no row: they are tried only on an amount. The own
	// table's condition keeps migration 9's text, its index's.
	valid := d.validWhere()
	if !d.pg {
		valid = strings.Replace(valid, amountWhere9, "(amount IS NOT NULL AND ("+amountWhere9+"))", 1)
	}
	cond := "(" + r.Replace(valid+" OR "+text)
	if d.pg && m.Amount != "" {
		// A host's amount column may be text, which a scan reads as it
		// is: an exponent past 1000 ("1e2000") is a number of a small
		// scale, and a zero may have one. A NUMERIC's text has none, and
		// its tests are not tried.
		cond += " OR (NOT " + s.pgColumnOf(m.Amount, "numeric") + " AND (abs(" + amount + ") >= 1e1000 OR (" +
			amount + " = 0 AND " + m.col(m.Amount) + "::text ~ '[eE]')))"
	}
	if n := len(m.AttrColumns); n > 0 && m.Attrs != "" {
		a := s.attrsText()
		cond += fmt.Sprintf(" OR length(%s) - length(replace(%[1]s, ':', '')) > %d", a, 64-n)
	}
	for _, n := range m.attrNames() {
		cond += s.attrColumnSuspect(m.AttrColumns[n])
	}
	return cond + ")"
}

// attrColumnSuspect is hostSuspect's condition of an attribute column c (a
// leading " OR ", or nothing): a value a scan may refuse (attrFromText) in
// SQLite, whose columns keep any type: an int column's that is not an
// integer, a bool column's that is not 0 or 1; in PostgreSQL, which casts
// the column to the type (a value the cast refuses fails the push's query,
// and pushErr then reads the range as a scan does): an int column's that
// is not an integer of int64, a bool column's whose text is not true or
// false, a decimal column's of a scale past 1000 or none, and a time
// column's, which is cast.
func (s *Store) attrColumnSuspect(c AttrColumn) string {
	col := quoteIdent(c.Column)
	if !s.d.pg {
		switch c.Type {
		case kpi.AttrInt:
			return " OR typeof(" + col + ") NOT IN ('integer', 'null')"
		case kpi.AttrBool:
			return " OR typeof(" + col + ") NOT IN ('integer', 'null') OR " + col + " NOT IN (0, 1)"
		}
		return ""
	}
	// A column of the type's own holds no such value: the tests are
	// tried only on another's, which the query asks the catalog once.
	not := func(types ...string) string { return " OR (NOT " + s.pgColumnOf(c.Column, types...) + " AND " }
	switch c.Type {
	case kpi.AttrInt:
		v := col + "::numeric"
		return not("smallint", "integer", "bigint") + "(" + v + " <> trunc(" + v + ") OR " + v + " NOT BETWEEN -9223372036854775808 AND 9223372036854775807))"
	case kpi.AttrBool:
		return not("boolean") + col + "::text NOT IN ('true', 'false'))"
	case kpi.AttrDecimal:
		v := col + "::numeric"
		return " OR scale(" + v + ") > 1000 OR (" + v + " IS NOT NULL AND scale(" + v + ") IS NULL)"
	case kpi.AttrTime:
		return not("timestamp with time zone", "timestamp without time zone", "date") + col + " IS NOT NULL AND " + col + "::timestamptz IS NULL)"
	}
	return ""
}

// pgColumnOf is the condition, in PostgreSQL, that the mapped table's
// column col is of one of types: an uncorrelated subquery of the catalog,
// which the query computes once, not on each row (pg_typeof of the column
// cost a push's pass some 20 ns a row and column, BENCHMARKS.md). False
// where the catalog does not say.
func (s *Store) pgColumnOf(col string, types ...string) string {
	parts := strings.Split(col, ".")
	return "COALESCE((SELECT a.atttypid IN ('" + strings.Join(types, "'::regtype, '") + "'::regtype) FROM pg_attribute a WHERE a.attrelid = " +
		quoteString(quoteIdent(s.m.Table)) + "::regclass AND a.attname = " + quoteString(parts[len(parts)-1]) + "), false)"
}

// hostValid declines (errDecline) a push over a host's table whose rows
// the conditions w (with args) select hold a row hostSuspect marks that a
// scan refuses: it reads those rows as a scan does. The evaluation then
// scans, and is refused, naming the event.
func (s *Store) hostValid(ctx context.Context, w []string, args []any, suspect string) error {
	cols, names := s.scanColumns()
	query := "SELECT " + cols + " FROM " + quoteIdent(s.m.Table) + " WHERE " + strings.Join(append(append([]string{}, w...), suspect), " AND ")
	if err := s.scanRows(ctx, query, args, names, func(*kpi.Event) error { return nil }); err != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
		return errDecline
	}
	return nil
}

// pushErr is the error of a push whose query over the rows the conditions
// w (with args) select failed with err (errDecline and ctx's error go
// through). Over a host's table, the database may fail on a value a scan
// refuses, naming the event (in PostgreSQL an amount or a column of its
// own cast to a number that is not one, in SQLite attributes that are not
// JSON, read by a filter or the value): the push then reads the range as a
// scan does, and declines (errDecline) where the scan is refused, so that
// the evaluation scans and names the event; else the error names the
// table. Nothing of this runs where the query succeeds.
func (s *Store) pushErr(ctx context.Context, w []string, args []any, err error) error {
	if errors.Is(err, errDecline) {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if s.own {
		return fmt.Errorf("sqlcore: push: %w", err)
	}
	cols, names := s.scanColumns()
	query := "SELECT " + cols + " FROM " + quoteIdent(s.m.Table)
	if len(w) > 0 {
		query += " WHERE " + strings.Join(w, " AND ")
	}
	if scanErr := s.scanRows(ctx, query, args, names, func(*kpi.Event) error { return nil }); scanErr != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return errDecline
	}
	return fmt.Errorf("sqlcore: push: table %s: %w", s.m.Table, err)
}
