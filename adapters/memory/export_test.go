package memory

import (
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/internal/colstore"
)

// SetBlockRows makes ImportParallel cut its coded parts into blocks of n
// versions, until the function it returns is called.
func SetBlockRows(n int) (restore func()) {
	old := blockRows
	blockRows = n
	return func() { blockRows = old }
}

// Rows renders the table of s row by row, in the order of its segments
// and of their rows, dead rows included (whether each is alive, whether
// it was retracted, its local date as the table keeps it), then what each
// of ids leads to and the table's counts and amount scale: two stores
// that render alike hold the same rows in the same places, whatever the
// order of the codes in their dictionaries.
func Rows(s *Store, ids []string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := colstore.Of(s.tab)
	var out []string
	var r colstore.Row
	for _, seg := range t.Segs {
		for i := range seg.N {
			t.Read(seg, i, &r)
			amount := "-"
			if r.Amount.Valid {
				amount = r.Amount.Decimal.String()
			}
			out = append(out, fmt.Sprintf("%s/%d %q alive=%v retracted=%v day=%d %d %q %s %q %v known=%d",
				seg.Kind, i, r.ID, seg.Alive(i), seg.Retracted(i), seg.Day[i], r.Time.UnixNano(), r.Actor, amount, r.Currency, attrs(r.Attrs), r.Known.UnixNano()))
		}
	}
	for _, id := range ids {
		if seg, row, ok := t.Lookup(id); ok {
			out = append(out, fmt.Sprintf("%q -> %s/%d", id, seg.Kind, row))
		} else {
			out = append(out, fmt.Sprintf("%q -> none", id))
		}
	}
	return append(out, fmt.Sprintf("live %d dead %d scale %d", t.Live(), t.Dead(), t.Scale))
}

// attrs renders a row's attributes in the order of their names.
func attrs(m map[string]any) string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	out := ""
	for _, n := range names {
		out += fmt.Sprintf("%s=%v(%T) ", n, m[n], m[n])
	}
	return out
}

// ErrImportEnded is the error of an add called after its import's function
// returned.
var ErrImportEnded = errImportEnded
