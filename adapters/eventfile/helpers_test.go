package eventfile

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// show renders an event with the types of its attributes, for comparisons.
func show(e *kpi.Event) string {
	if e.Deleted {
		return fmt.Sprintf("%s deleted", e.ID)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %s", e.ID, e.Kind, showTime(e.Time), e.Actor)
	if e.Amount.Valid {
		fmt.Fprintf(&b, " amount=%s", decimalText(e.Amount.Decimal))
	}
	if e.Currency != "" {
		fmt.Fprintf(&b, " currency=%s", e.Currency)
	}
	for _, k := range slices.Sorted(maps.Keys(e.Attrs)) {
		fmt.Fprintf(&b, " %s=%s", k, showValue2(e.Attrs[k]))
	}
	return b.String()
}

func showTime(t time.Time) string {
	_, off := t.Zone()
	return fmt.Sprintf("%s[%d]", t.UTC().Format(time.RFC3339Nano), off)
}

func showValue2(v any) string {
	switch v := v.(type) {
	case decimal.Decimal:
		return "decimal(" + decimalText(v) + ")"
	case time.Time:
		return "time(" + showTime(v) + ")"
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

// readAll reads in with Read and returns every event seen, "LINE: EVENT", and
// the error text. It also reads in with ReadParallel, in small blocks with
// 2 and 3 workers, and checks it gives the same error and, when there is none,
// the same events with the same lines.
func readAll(t *testing.T, f Format, in string, opt Options) ([]string, string) {
	t.Helper()
	var seq []string
	err := read(context.Background(), strings.NewReader(in), "f", f, opt, func(line int64, e *kpi.Event) error {
		seq = append(seq, fmt.Sprintf("%d: %s", line, show(e)))
		return nil
	})
	msg := errText(err)
	for _, workers := range []int{2, 3} {
		for _, block := range []int{16, 100} {
			par, perr := readParallelBlocks(f, in, opt, workers, block)
			if pm := errText(perr); pm != msg {
				t.Errorf("ReadParallel(workers %d, blocks %d) error:\n%s\nRead error:\n%s", workers, block, pm, msg)
			} else if perr == nil && !slices.Equal(par, seq) {
				t.Errorf("ReadParallel(workers %d, blocks %d) events:\n%s\nRead events:\n%s", workers, block, strings.Join(par, "\n"), strings.Join(seq, "\n"))
			}
		}
	}
	return seq, msg
}

func readParallelBlocks(f Format, in string, opt Options, workers, block int) ([]string, error) {
	var mu sync.Mutex
	type ev struct {
		line int64
		s    string
	}
	var got []ev
	pr := &parallelRead{r: strings.NewReader(in), name: "f", f: f, opt: opt, blockSize: block}
	seen := make([]int64, workers)
	err := pr.run(context.Background(), workers, func(w int, line int64, e *kpi.Event) error {
		if line <= seen[w] {
			return fmt.Errorf("worker %d: line %d after line %d", w, line, seen[w])
		}
		seen[w] = line
		s := show(e)
		mu.Lock()
		got = append(got, ev{line, s})
		mu.Unlock()
		return nil
	})
	sort.Slice(got, func(i, j int) bool { return got[i].line < got[j].line })
	out := make([]string, len(got))
	for i, g := range got {
		out[i] = fmt.Sprintf("%d: %s", g.line, g.s)
	}
	return out, err
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// ndjson joins lines into a file.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

var _ = bytes.NewReader
