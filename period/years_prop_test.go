package period

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// Any year of 1 to 9999, written bare, in quotes, or with leading zeros,
// alone or as the first or last of a range, in YAML or JSON: bare or in
// quotes it is the year strconv reads; with leading zeros outside quotes
// it is refused on its line, with the reading YAML 1.1 gives its digits in
// octal where that is another number, the year to write, and below 1000
// the words for a date's padding.
func TestParseWorkCalendarYearsProp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		y := rapid.OneOf(rapid.IntRange(1, 9999), rapid.IntRange(1, 1100), rapid.IntRange(2000, 2100)).Draw(t, "year")
		zeros := rapid.IntRange(0, 3).Draw(t, "zeros")
		quoted := rapid.IntRange(0, 3).Draw(t, "quoted") == 0
		asJSON := rapid.Bool().Draw(t, "json")
		text := strings.Repeat("0", zeros) + strconv.Itoa(y)
		value := text
		if quoted {
			value = `"` + text + `"`
		}
		other := "9999"
		first := rapid.Bool().Draw(t, "first")
		years := value
		if rapid.Bool().Draw(t, "range") {
			if first {
				years = "[" + value + ", " + other + "]"
			} else {
				years = "[1, " + value + "]"
			}
		}
		file := "name: x\nyears: " + years + "\n"
		line := 2
		if asJSON {
			file = "{\n  \"name\": \"x\",\n  \"years\": " + years + "\n}\n"
			line = 3
		}
		w, err := ParseWorkCalendar("f.yaml", []byte(file))
		if zeros == 0 || quoted {
			if err != nil {
				t.Fatalf("%q: %v", file, err)
			}
			lo, hi := y, y
			if strings.HasPrefix(years, "[") {
				if first {
					hi = 9999
				} else {
					lo = 1
				}
			}
			if got := w.Years(); len(got) != hi-lo+1 || got[0] != lo || got[len(got)-1] != hi || !slices.IsSorted(got) {
				t.Fatalf("%q: years %d…, want %d to %d", file, got[:min(len(got), 3)], lo, hi)
			}
			return
		}
		want := fmt.Sprintf("f.yaml:%d: years: want a year without a leading zero, got %s", line, text)
		if oct, err := strconv.ParseInt(text, 8, 64); err == nil && int(oct) != y {
			want += fmt.Sprintf(", which YAML 1.2 reads as %d and YAML 1.1 as the octal %d", y, oct)
		}
		want += fmt.Sprintf(": write %d", y)
		if y < 1000 {
			want += " (a year before 1000 is written in its own digits, not padded to four as in a date's YYYY)"
		}
		if err == nil || err.Error() != want {
			t.Fatalf("%q: %v\nwant %s", file, err, want)
		}
	})
}
