package goalkit

import (
	"bufio"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/jsonstr"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// The breakdown rows of a report (indicators declared with by), as each
// writer shows them: JSON's "breakdowns" key, CSV's by columns and the
// table's blocks per indicator and period.

// brokenDown returns the report's indicators declared with by, in
// definition order.
func brokenDown(res *kpi.Result) []*kpi.Indicator {
	var out []*kpi.Indicator
	for _, ix := range res.Set().Indicators() {
		if len(ix.Def.By) > 0 {
			out = append(out, ix)
		}
	}
	return out
}

// appendBreakdownsJSON appends the key "breakdowns" when the report has
// broken-down indicators: one row per indicator × participant × period ×
// combination of attribute values, "by" holding the values by attribute
// name (strings and booleans as JSON's, integers as numbers, decimals as
// decimal strings, times in RFC 3339, null for events without the
// attribute), or "other": true for the row of the combinations outside the
// top.
func appendBreakdownsJSON(b []byte, res *kpi.Result) []byte {
	if len(brokenDown(res)) == 0 {
		return b
	}
	b = append(b, ",\n  \"breakdowns\": ["...)
	first := true
	for _, row := range res.Rows() {
		if row.By == nil && !row.Other {
			continue
		}
		ix, _ := res.Set().Lookup(row.Indicator)
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, "\n    {\"indicator\": "...)
		b = jsonstr.Append(b, row.Indicator)
		b = append(b, ", \"participant\": "...)
		b = jsonstr.Append(b, row.Participant)
		b = append(b, ", \"period_start\": "...)
		b = jsonstr.Append(b, row.Period.Start.String())
		b = append(b, ", \"period_end\": "...)
		b = jsonstr.Append(b, row.Period.End.String())
		if row.Other {
			b = append(b, ", \"other\": true"...)
		} else {
			b = append(b, ", \"by\": {"...)
			for j, name := range ix.Def.By {
				if j > 0 {
					b = append(b, ", "...)
				}
				b = jsonstr.Append(b, name)
				b = append(b, ": "...)
				b = appendAttrJSON(b, row.By[j])
			}
			b = append(b, '}')
		}
		b = append(b, ", \"value\": "...)
		if row.Value.Valid {
			b = jsonstr.Append(b, row.Value.Decimal.String())
		} else {
			b = append(b, "null"...)
		}
		b = append(b, '}')
	}
	return append(b, "\n  ]"...)
}

// appendAttrJSON appends an attribute value as JSON.
func appendAttrJSON(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	}
	return jsonstr.Append(b, AttrText(v))
}

// byNames returns the attribute names of the report's breakdowns, each
// once, in the order they first appear.
func byNames(inds []*kpi.Indicator) []string {
	var names []string
	for _, ix := range inds {
		for _, n := range ix.Def.By {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	return names
}

// csvByColumns returns the columns CSV adds for a report with breakdowns
// (none without): by (the attributes a row is broken down by, joined with
// "+"; empty on a total row), by.NAME for each attribute (its value; empty
// for none) and other ("true" on the row of the combinations outside the
// top).
func csvByColumns(res *kpi.Result) []string {
	inds := brokenDown(res)
	if len(inds) == 0 {
		return nil
	}
	cols := []string{"by"}
	for _, n := range byNames(inds) {
		cols = append(cols, "by."+n)
	}
	return append(cols, "other")
}

// fillByColumns fills the columns of csvByColumns (cols) for row: empty on
// a total. A number (an int or decimal attribute's value) is written as it
// is, as the value column is, so -5 stays a number that ParseAttr reads
// back; other values go through the formula guard.
func fillByColumns(line []string, row kpi.Row, cols []string, set *kpi.Set) {
	clear(line)
	if row.By == nil && !row.Other {
		return
	}
	ix, _ := set.Lookup(row.Indicator)
	line[0] = display.Cell(strings.Join(ix.Def.By, "+"))
	if row.Other {
		line[len(line)-1] = "true"
		return
	}
	for j, n := range ix.Def.By {
		text := AttrText(row.By[j])
		switch row.By[j].(type) {
		case int64, decimal.Decimal:
		default:
			text = display.Cell(text)
		}
		line[slices.Index(cols, "by."+n)] = text
	}
}

// writeBreakdowns writes, for each broken-down indicator and period, a block
// with a row per participant and combination of attribute values: "(none)"
// for events without the attribute, "(other)" for the row of the
// combinations outside the top.
func (r *Report) writeBreakdowns(w *bufio.Writer) {
	byInd := map[string][]kpi.Row{}
	for _, row := range r.Values.Rows() {
		if row.By != nil || row.Other {
			byInd[row.Indicator] = append(byInd[row.Indicator], row)
		}
	}
	for _, ix := range brokenDown(r.Values) {
		rows := byInd[ix.ID()]
		f := indicatorFormat(ix)
		for _, p := range r.Values.Periods() {
			var mine []kpi.Row
			for _, row := range rows {
				if row.Period == p {
					mine = append(mine, row)
				}
			}
			if len(mine) == 0 {
				continue
			}
			fmt.Fprintf(w, "\n%s by %s, %s\n", indicatorTitle(ix), display.Text(strings.Join(ix.Def.By, ", ")), r.calendar().Label(p))
			vals := make([]decimal.NullDecimal, len(mine))
			for i, row := range mine {
				vals[i] = row.Value
			}
			col := f.column(vals)
			head := append([]string{"participant"}, ix.Def.By...)
			lines := [][]string{append(head, indicatorTitle(ix))}
			for i, row := range mine {
				line := []string{who(row.Participant)}
				for j := range ix.Def.By {
					switch {
					case row.Other && j == 0:
						line = append(line, "(other)")
					case row.Other:
						line = append(line, "")
					case row.By[j] == nil:
						line = append(line, "(none)")
					default:
						line = append(line, AttrText(row.By[j]))
					}
				}
				lines = append(lines, append(line, col[i]))
			}
			writeAligned(w, lines)
		}
	}
}
