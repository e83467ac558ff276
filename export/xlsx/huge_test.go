package xlsx_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/xuri/excelize/v2"
)

// TestBeyondDouble: a number beyond a double's range (about 1.8e308) has
// no number cell that holds it; it is written as text, its exact decimal,
// never as "+Inf".
func TestBeyondDouble(t *testing.T) {
	plan, rep, err := sample.Evaluate([]byte(`
timezone: UTC
indicators:
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
goals:
  - id: big
    name: Big
    indicator: revenue
    target: 100
    period: {from: 2025-03-01, every: month}
    participants: {users: [ann]}
`), []byte(`{"id": "a", "kind": "deal.won", "time": "2025-03-03T11:25:00Z", "actor": "ann", "amount": "-1e400"}
{"id": "b", "kind": "deal.won", "time": "2025-03-04T11:25:00Z", "actor": "ann", "amount": "7"}
`), time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := write(t, plan, rep)
	want := "-" + strings.Repeat("9", 399) + "3" // -1e400 + 7
	row := findRow(t, f, "Values", "revenue", "ann")
	for _, col := range "FG" {
		if got := readCell(t, f, "Values", fmt.Sprintf("%c%d", col, row)); (got.typ != excelize.CellTypeSharedString && got.typ != excelize.CellTypeInlineString) || got.raw != want {
			t.Errorf("Values!%c%d: %s %.20q…, want the text of the exact value", col, row, typeNames[got.typ], got.raw)
		}
	}
	// The goal's actual, on its sheet.
	goalRow := findRow(t, f, "Big", "2025-03", "ann")
	found := false
	for col := 'C'; col <= 'Z'; col++ {
		got := readCell(t, f, "Big", fmt.Sprintf("%c%d", col, goalRow))
		if strings.Contains(got.raw, "Inf") || strings.Contains(got.raw, "NaN") {
			t.Errorf("Big!%c%d: %q", col, goalRow, got.raw)
		}
		found = found || got.raw == want
	}
	if !found {
		t.Errorf("the goal's row has no cell with the exact actual")
	}
}
