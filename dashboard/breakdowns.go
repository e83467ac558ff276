package dashboard

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// breakdownsPage is the breakdowns view: for each indicator declared with
// by, in the chosen period, a table of the participants the viewer may see
// against the combinations of its attributes' values.
type breakdownsPage struct {
	Periods []navLink
	Period  string
	Tables  []breakdownTable
}

// breakdownTable is one broken-down indicator in one period: a row per
// participant, a column per combination (the others, outside a top, in
// their own column) and the total.
type breakdownTable struct {
	Indicator, Name, By string
	Columns             []string
	HasOther            bool
	Rows                []breakdownRow
}

type breakdownRow struct {
	Participant string
	// Cells are the combinations' values in the order of Columns ("" where
	// the participant has no row for one); Other and Total follow them.
	Cells        []number
	Other, Total number
}

// number is a number as shown, with the address of its explanation
// ("" when it has none).
type number struct {
	Text, URL string
}

// combination is the values of a breakdown row's attributes.
type combination []any

func (h *handler) breakdowns(q *request) (string, string, any, error) {
	rep, err := q.report()
	if err != nil {
		return "", "", nil, err
	}
	var page breakdownsPage
	if rep.Values == nil {
		return "breakdowns.html", "nav.breakdowns", page, q.checkPeriod()
	}
	rows := rep.Values.Rows()
	var ps []period.Period
	for _, r := range rows {
		if r.By != nil || r.Other {
			ps = append(ps, r.Period)
		}
	}
	var cur period.Period
	page.Periods, cur, err = q.periodLinks("breakdowns", ps)
	if err != nil || len(ps) == 0 {
		return "breakdowns.html", "nav.breakdowns", page, err
	}
	page.Period = q.h.data.Plan().Calendar().Label(cur)
	indicators := q.h.data.Plan().Indicators()
	for _, id := range indicators.IDs() {
		ix, _ := indicators.Lookup(id)
		if len(ix.Def.By) == 0 {
			continue
		}
		if t, ok := q.breakdownTable(ix, rep.Values, rows, cur); ok {
			page.Tables = append(page.Tables, t)
		}
	}
	return "breakdowns.html", "nav.breakdowns", page, nil
}

// breakdownTable builds the table of one indicator in the period p from
// the report's values and their rows; false when it has no breakdown row
// there.
func (q *request) breakdownTable(ix *kpi.Indicator, values *kpi.Result, rows []kpi.Row, p period.Period) (breakdownTable, bool) {
	f := formatOf(ix)
	id := ix.ID()
	t := breakdownTable{Indicator: id, Name: nameOr(ix.Def.Name, id), By: strings.Join(ix.Def.By, " · ")}
	var combos []combination
	type key struct {
		participant, combo string
	}
	cells := map[key]kpi.Row{}
	var participants []string
	for _, r := range rows {
		if r.Indicator != id || r.Period != p {
			continue
		}
		if !slices.Contains(participants, r.Participant) {
			participants = append(participants, r.Participant)
		}
		switch {
		case r.Other:
			t.HasOther = true
			cells[key{r.Participant, "other"}] = r
		case r.By != nil:
			k := comboKey(r.By)
			if !slices.ContainsFunc(combos, func(c combination) bool { return comboKey(c) == k }) {
				combos = append(combos, r.By)
			}
			cells[key{r.Participant, "by" + k}] = r
		}
	}
	if len(combos) == 0 && !t.HasOther {
		return t, false
	}
	slices.SortStableFunc(combos, compareCombos)
	for _, c := range combos {
		t.Columns = append(t.Columns, q.comboText(c))
	}
	for _, part := range participants {
		total, _ := values.Value(id, part, p)
		row := breakdownRow{
			Participant: q.participantText(q.valueKind(part), part),
			Total:       number{Text: f.text(q.l, total), URL: q.explainLink(id, part, p)},
		}
		for _, c := range combos {
			r, ok := cells[key{part, "by" + comboKey(c)}]
			if !ok {
				row.Cells = append(row.Cells, number{})
				continue
			}
			row.Cells = append(row.Cells, number{Text: f.text(q.l, r.Value), URL: q.breakdownLink(ix, part, p, r.By)})
		}
		if r, ok := cells[key{part, "other"}]; ok {
			row.Other = number{Text: f.text(q.l, r.Value)}
		}
		t.Rows = append(t.Rows, row)
	}
	return t, true
}

// breakdownLink is the address of the explanation of one breakdown row:
// the cell's address with by=1 and by.NAME=VALUE for each attribute that
// has a value (an attribute left out stands for events without it).
func (q *request) breakdownLink(ix *kpi.Indicator, participant string, p period.Period, by []any) string {
	u, err := url.Parse(q.explainLink(ix.ID(), participant, p))
	if err != nil {
		return ""
	}
	params := u.Query()
	params.Set("by", "1")
	types := q.defs().attrs
	for i, name := range ix.Def.By {
		if i < len(by) && by[i] != nil {
			params.Set("by."+name, goalkit.AttrText(by[i]))
			// A value whose type is not the declared one (a tracker takes
			// an int64 in a string attribute, and keeps it a row of its
			// own) names its type, or the explanation would read the text
			// as the declared type and explain the other row.
			if t := attrTypeOf(by[i]); t != 0 && t != types[name] {
				params.Set("by."+name+".type", t.String())
			}
		}
	}
	u.RawQuery = params.Encode()
	return u.String()
}

// attrTypeOf is the type of an attribute's value as kpi.Row.By holds it
// (zero for a value of no attribute type).
func attrTypeOf(v any) kpi.AttrType {
	switch v.(type) {
	case string:
		return kpi.AttrString
	case int64:
		return kpi.AttrInt
	case decimal.Decimal:
		return kpi.AttrDecimal
	case bool:
		return kpi.AttrBool
	case time.Time:
		return kpi.AttrTime
	}
	return 0
}

// comboKey is a combination as a text that tells combinations apart: by
// each value's type and text, as the engine tells breakdown rows apart (the
// string "5" and the integer 5 are two rows).
func comboKey(c []any) string {
	var b strings.Builder
	for _, v := range c {
		if v == nil {
			b.WriteString("\x00n")
		} else {
			fmt.Fprintf(&b, "\x00v%T\x00%s", v, goalkit.AttrText(v))
		}
	}
	return b.String()
}

// comboText writes a combination for a column's head: the values joined
// by " · ", "(none)" for events without the attribute.
func (q *request) comboText(c combination) string {
	parts := make([]string, len(c))
	for i, v := range c {
		switch x := v.(type) {
		case nil:
			parts[i] = q.l.T("none")
		case int64:
			parts[i] = q.l.number(strconv.FormatInt(x, 10))
		case decimal.Decimal:
			parts[i] = q.l.number(x.String())
		case time.Time:
			parts[i] = q.l.instant(x.In(q.h.data.Plan().Calendar().Location()))
		default:
			parts[i] = goalkit.AttrText(v)
		}
	}
	return strings.Join(parts, " · ")
}

// compareCombos orders combinations as the engine orders breakdown rows:
// each attribute ascending in turn, events without it last.
func compareCombos(a, b combination) int {
	for i := range min(len(a), len(b)) {
		if c := compareAttr(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func compareAttr(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case int64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
	case decimal.Decimal:
		if y, ok := b.(decimal.Decimal); ok {
			return x.Cmp(y)
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmp.Compare(btoi(x), btoi(y))
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y)
		}
	}
	return strings.Compare(goalkit.AttrText(a), goalkit.AttrText(b))
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
