package goalkit_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// tableCells splits the rows of a block of the table writer into cells:
// the first column is one of labels (left-aligned), every other ends where
// its header word ends (right-aligned).
func tableCells(t *rapid.T, header string, rows []string, labels []string) [][]string {
	h := []rune(header)
	var edges []int // the last rune of each header word after the first
	for i := range h {
		if h[i] != ' ' && (i+1 == len(h) || h[i+1] == ' ') {
			edges = append(edges, i)
		}
	}
	edges = edges[1:]
	var out [][]string
	for _, row := range rows {
		r := []rune(row)
		label := ""
		for _, l := range labels {
			if strings.HasPrefix(row, l+" ") && len(l) > len(label) {
				label = l
			}
		}
		if label == "" {
			t.Fatalf("table row %q starts with no participant", row)
		}
		cells := []string{label}
		from := len([]rune(label))
		for _, e := range edges {
			if e >= len(r) {
				t.Fatalf("table row %q is shorter than its header %q", row, header)
			}
			cells = append(cells, strings.TrimSpace(string(r[from:e+1])))
			from = e + 1
		}
		out = append(out, cells)
	}
	return out
}

// tableBlock is a block of the table writer: its title (a period's label,
// or an indicator by its attributes and a label), its header line and its
// rows (without the line above everyone's).
type tableBlock struct {
	title, header string
	rows          []string
}

// tableBlocks splits the table writer's text into its blocks, after the
// as-of line.
func tableBlocks(text string) []tableBlock {
	var out []tableBlock
	for _, block := range strings.Split(text, "\n\n")[1:] {
		lines := strings.Split(strings.TrimRight(block, "\n"), "\n")
		bl := tableBlock{title: lines[0], header: lines[1]}
		for _, l := range lines[2:] {
			if !strings.HasPrefix(l, "---") {
				bl.rows = append(bl.rows, l)
			}
		}
		out = append(out, bl)
	}
	return out
}

// tableNumber reads a number of the table back: "—" as null, thousands
// grouped with spaces.
func tableNumber(t *rapid.T, s string) string {
	if s == "—" {
		return "null"
	}
	d, err := decimal.NewFromString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("table cell %q is no number: %v", s, err)
	}
	return d.String()
}

// The table writer shows the numbers of the JSON: every total of every
// participant and period, and every breakdown row with its attributes'
// values ("(none)" for events without one), none more.
func TestPropTableShowsTheJSONsNumbers(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		zone := rapid.SampledFrom([]string{"UTC", "Europe/Berlin"}).Draw(t, "zone")
		plan := compile(t, parseDef(t, fmt.Sprintf(breakdownPropPlan, zone)))
		loc := plan.Calendar().Location()
		evs, _ := genBreakdownEvents(t, loc)
		rep := mustEvaluate(t, plan, storeOf(t, loc, evs...), drawnAsOf(loc))
		doc := readReportDoc(t, rep)
		label := func(row map[string]any) string {
			for _, p := range rep.Values.Periods() {
				if p.Start.String() == row["period_start"] && p.End.String() == row["period_end"] {
					return plan.Calendar().Label(p)
				}
			}
			t.Fatalf("row %v: a period not of the report", row)
			return ""
		}
		who := func(p string) string {
			if p == "*" {
				return "everyone (*)"
			}
			return p
		}
		var want []string
		for _, row := range doc.Values {
			want = append(want, fmt.Sprintf("%s|%s|%s|%s", label(row), row["indicator"], who(row["participant"].(string)), jsonValue(t, row["value"])))
		}
		for _, row := range doc.Breakdowns {
			by := row["by"].(map[string]any)
			id := row["indicator"].(string)
			ix, _ := rep.Values.Set().Lookup(id)
			var vals []string
			for _, name := range ix.Def.By {
				switch v := by[name].(type) {
				case nil:
					vals = append(vals, "(none)")
				case float64:
					vals = append(vals, fmt.Sprint(int64(v)))
				default:
					vals = append(vals, fmt.Sprint(v))
				}
			}
			want = append(want, fmt.Sprintf("%s by %s|%s|%s|%s|%s", id, strings.Join(ix.Def.By, ", "), label(row), who(row["participant"].(string)), strings.Join(vals, ","), jsonValue(t, row["value"])))
		}
		var b bytes.Buffer
		if err := rep.WriteTable(&b); err != nil {
			t.Fatal(err)
		}
		labels := append(slices.Clone(rep.Values.Participants()), "everyone (*)")
		var got []string
		for _, bl := range tableBlocks(b.String()) {
			title, header := bl.title, bl.header
			heads := strings.Fields(header)
			cells := tableCells(t, header, bl.rows, labels)
			if ind, per, ok := strings.Cut(title, ", 20"); ok && strings.Contains(ind, " by ") {
				for _, c := range cells {
					got = append(got, fmt.Sprintf("%s|20%s|%s|%s|%s", ind, per, c[0], strings.Join(c[1:len(c)-1], ","), tableNumber(t, c[len(c)-1])))
				}
				continue
			}
			for _, c := range cells {
				for i, h := range heads[1:] {
					got = append(got, fmt.Sprintf("%s|%s|%s|%s", title, h, c[0], tableNumber(t, c[i+1])))
				}
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("the table shows\n%s\nthe JSON\n%s\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), b.String())
		}
	})
}
