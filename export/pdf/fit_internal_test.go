package pdf

import (
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/export/internal/sample"
)

// fit cuts a text too wide for its cell to the longest start that fits
// with "…", as cutting a rune at a time does (the reference here), and a
// name of 40 000 letters in well under a second: cut a rune at a time, it
// took about 20 seconds, measured once a rune.
func TestFitCutsLongTextInTime(t *testing.T) {
	plan, rep := sample.Report(t)
	d := newDocument(plan, rep, config{}, "fit")
	slow := func(s string, w float64) string {
		room := w - 2*cellPadding
		if d.textWidth(s) <= room {
			return format.Visual(s)
		}
		r := []rune(s)
		for len(r) > 0 && d.textWidth(string(r)+"…") > room {
			r = r[:len(r)-1]
		}
		return format.Visual(string(r) + "…")
	}
	for _, s := range []string{"", "a", "Иван Петров", "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW", "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii W", "שלום עולם שלום עולם שלום עולם שלום עולם", strings.Repeat("ж", 300)} {
		for _, w := range []float64{0, 3, 5, 10, 25, 60, 200} {
			if got, want := d.fit(s, w), slow(s, w); got != want {
				t.Errorf("fit(%q, %v) = %q, want %q", s, w, got, want)
			}
		}
	}
	start := time.Now()
	got := d.fit(strings.Repeat("ж", 40000), 40)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("a name of 40 000 letters took %v to fit a cell", took)
	}
	if !strings.HasSuffix(got, "…") || d.textWidth(got) > 40-2*cellPadding {
		t.Errorf("the name fit as %q, %v wide", got, d.textWidth(got))
	}
}
