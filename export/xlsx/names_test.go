package xlsx

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// FuzzSheetNames: any goal names, even the same one twice, make sheets
// that Excel accepts, each a distinct name of at most 31 characters as
// Excel counts them (UTF-16 units: an emoji is two). Names are told apart
// as Excel and excelize tell them, ignoring case by Unicode's folding:
// "ΠΩΛΗΣΕΙΣ" and "πωλησεις" (a final sigma) are one name, which lower-
// casing did not see, and the second goal's rows went into the first's
// sheet.
func FuzzSheetNames(f *testing.F) {
	f.Add("План выручки на месяц", "Report")
	f.Add("План/факт: выручка [Q1] * ? отдела продаж Москвы", "'quoted'")
	f.Add("", "history")
	f.Add("abcdefghijklmnopqrstuvwxyz0123'x", "a'")
	f.Add(strings.Repeat("ж", 40), strings.Repeat("Ж", 40))
	f.Add("📈 "+strings.Repeat("ж", 40), strings.Repeat("😀", 20))
	f.Add("ΠΩΛΗΣΕΙΣ", "πωλησεις")
	f.Add("Kelvin", "\u212aelvin")
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			t.Skip()
		}
		file := excelize.NewFile()
		defer file.Close()
		bk := &book{f: file, styles: map[style]int{}, names: map[string]bool{}}
		var seen []string
		for _, want := range []string{a, b, a, "Values"} {
			s, err := bk.sheet(want)
			if err != nil {
				t.Fatalf("sheet %q: %v", want, err)
			}
			if n := units(s.name); n > maxName || n == 0 {
				t.Fatalf("sheet %q named %q: %d characters", want, s.name, n)
			}
			if strings.ContainsAny(s.name, `[]:*?/\`) || strings.HasPrefix(s.name, "'") || strings.HasSuffix(s.name, "'") {
				t.Fatalf("sheet %q named %q", want, s.name)
			}
			for _, other := range seen {
				if strings.EqualFold(s.name, other) {
					t.Fatalf("sheet %q named %q, as %q is already", want, s.name, other)
				}
			}
			seen = append(seen, s.name)
		}
		if got := len(file.GetSheetList()); got != 4 {
			t.Fatalf("%d sheets, want 4", got)
		}
	})
}
