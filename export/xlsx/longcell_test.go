package xlsx_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/goalkit/goalkit/export/internal/sample"
)

// A text longer than a cell holds (32 767 UTF-16 units) is cut to its
// start and "…": the workbook library cut it without a mark, so a
// participant's id of 40 000 letters read as whole. Counted by hand: of a
// letter of one unit, 32 766 and "…"; of one of two units (𝔸), 16 383 and
// "…".
func TestLongTextIsCutVisibly(t *testing.T) {
	for _, c := range []struct {
		id, want string
	}{
		{strings.Repeat("ж", 40000), strings.Repeat("ж", 32766) + "…"},
		{strings.Repeat("𝔸", 20000), strings.Repeat("𝔸", 16383) + "…"},
		{strings.Repeat("ж", 32767), strings.Repeat("ж", 32767)},
	} {
		ev := `{"id":"e1","kind":"call","time":"2025-03-03T10:00:00Z","actor":"` + c.id + `"}` + "\n"
		plan, rep, err := sample.Evaluate([]byte("timezone: UTC\nindicators:\n  - {id: n, kinds: [call], aggregate: count}\nreport: {grain: month, from: 2025-03-01, to: 2025-04-01}\n"), []byte(ev), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		f, _ := write(t, plan, rep)
		rows, err := f.GetRows("Values")
		if err != nil {
			t.Fatal(err)
		}
		var got string
		for _, row := range rows {
			for _, cell := range row {
				if strings.HasPrefix(cell, c.id[:12]) {
					got = cell
				}
			}
		}
		if got != c.want {
			t.Errorf("an id of %d units: the cell holds %d units ending %q, want %d ending %q", len(utf16.Encode([]rune(c.id))),
				len(utf16.Encode([]rune(got))), got[max(0, len(got)-8):], len(utf16.Encode([]rune(c.want))), c.want[len(c.want)-8:])
		}
	}
}
