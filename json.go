package goalkit

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/score"
)

// WriteJSON writes the report as JSON: as_of, timezone, values (one row per
// indicator × participant × period, values as decimal strings or null), and,
// when there are any, unpriced events and warnings.
func (r *Report) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var b []byte
	b = append(b, "{\n  \"as_of\": "...)
	b = strconv.AppendQuote(b, r.AsOf.UTC().Format(time.RFC3339Nano))
	b = append(b, ",\n  \"timezone\": "...)
	b = strconv.AppendQuote(b, r.Timezone)
	b = append(b, ",\n  \"values\": ["...)
	periods := r.Values.Periods()
	starts := make([]string, len(periods))
	ends := make([]string, len(periods))
	for i, p := range periods {
		starts[i] = strconv.Quote(p.Start.String())
		ends[i] = strconv.Quote(p.End.String())
	}
	first := true
	for _, ix := range r.Values.Set().Indicators() {
		id := strconv.Quote(ix.ID())
		for _, part := range r.Values.Participants() {
			qp := strconv.Quote(part)
			for pi, p := range periods {
				v, _ := r.Values.Value(ix.ID(), part, p)
				if !first {
					b = append(b, ',')
				}
				first = false
				b = append(b, "\n    {\"indicator\": "...)
				b = append(b, id...)
				b = append(b, ", \"participant\": "...)
				b = append(b, qp...)
				b = append(b, ", \"period_start\": "...)
				b = append(b, starts[pi]...)
				b = append(b, ", \"period_end\": "...)
				b = append(b, ends[pi]...)
				b = append(b, ", \"value\": "...)
				if v.Valid {
					b = append(b, '"')
					b = append(b, v.Decimal.String()...)
					b = append(b, '"')
				} else {
					b = append(b, "null"...)
				}
				b = append(b, '}')
				if len(b) > 1<<15 {
					if _, err := bw.Write(b); err != nil {
						return err
					}
					b = b[:0]
				}
			}
		}
	}
	b = append(b, "\n  ]"...)
	if len(r.Values.Unpriced) > 0 {
		js, err := json.MarshalIndent(r.Values.Unpriced, "  ", "  ")
		if err != nil {
			return err
		}
		b = append(b, ",\n  \"unpriced\": "...)
		b = append(b, js...)
	}
	if warnings := r.Values.Warnings; len(warnings) > 0 {
		js, err := json.MarshalIndent(warnings, "  ", "  ")
		if err != nil {
			return err
		}
		b = append(b, ",\n  \"warnings\": "...)
		b = append(b, js...)
	}
	b, err := appendScores(b, r.Scores)
	if err != nil {
		return err
	}
	if b, err = appendGoals(b, r.Goals); err != nil {
		return err
	}
	if b, err = appendCascade(b, r.Cascade); err != nil {
		return err
	}
	b = append(b, "\n}\n"...)
	if _, err := bw.Write(b); err != nil {
		return err
	}
	return bw.Flush()
}

// appendScores appends the scorecard keys of the JSON report.
func appendScores(b []byte, s *score.Scores) ([]byte, error) {
	if s == nil {
		return b, nil
	}
	for _, sec := range []struct {
		key string
		v   any
	}{{"scorecards", s.Scorecards}, {"bonuses", s.Bonuses}, {"leaderboards", s.Leaderboards}, {"badges", s.Badges}, {"competitions", s.Competitions}} {
		js, err := json.MarshalIndent(sec.v, "  ", "  ")
		if err != nil {
			return nil, err
		}
		b = append(b, ",\n  "...)
		b = strconv.AppendQuote(b, sec.key)
		b = append(b, ": "...)
		b = append(b, js...)
	}
	return b, nil
}

// appendGoals appends the goals, notifications and corrections keys of the
// JSON report.
func appendGoals(b []byte, g *goal.Result) ([]byte, error) {
	if g == nil {
		return b, nil
	}
	for _, sec := range []struct {
		key string
		v   any
		n   int
	}{{"goals", g.Rows, len(g.Rows)}, {"notifications", g.Notifications, len(g.Notifications)}, {"corrections", g.Corrections, -1}} {
		if sec.n == 0 {
			sec.v = []struct{}{}
		} else if sec.n < 0 && len(g.Corrections) == 0 {
			continue
		}
		js, err := json.MarshalIndent(sec.v, "  ", "  ")
		if err != nil {
			return nil, err
		}
		b = append(b, ",\n  "...)
		b = strconv.AppendQuote(b, sec.key)
		b = append(b, ": "...)
		b = append(b, js...)
	}
	return b, nil
}

// appendCascade appends the cascade key of the JSON report.
func appendCascade(b []byte, r *cascade.Result) ([]byte, error) {
	if r == nil {
		return b, nil
	}
	js, err := json.MarshalIndent(r, "  ", "  ")
	if err != nil {
		return nil, err
	}
	b = append(b, ",\n  \"cascade\": "...)
	return append(b, js...), nil
}
