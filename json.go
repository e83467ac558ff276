package goalkit

import (
	"bufio"
	"encoding/json"
	"io"
	"time"

	"github.com/goalkit/goalkit/internal/jsonstr"
)

// WriteJSON writes the report as JSON: as_of, timezone, values (one row per
// indicator × participant × period, values as decimal strings or null),
// breakdowns when the plan has indicators declared with by, and, when there
// are any, unpriced events and warnings. A report a host made without values
// has no rows of them ("values": []).
func (r *Report) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var b []byte
	b = append(b, "{\n  \"as_of\": "...)
	b = jsonstr.Append(b, r.AsOf.UTC().Format(time.RFC3339Nano))
	b = append(b, ",\n  \"timezone\": "...)
	b = jsonstr.Append(b, r.Timezone)
	b = append(b, ",\n  \"values\": ["...)
	if r.Values != nil {
		periods := r.Values.Periods()
		starts := make([]string, len(periods))
		ends := make([]string, len(periods))
		for i, p := range periods {
			starts[i] = jsonstr.Quote(p.Start.String())
			ends[i] = jsonstr.Quote(p.End.String())
		}
		first := true
		for _, ix := range r.Values.Set().Indicators() {
			id := jsonstr.Quote(ix.ID())
			for _, part := range r.Values.Participants() {
				qp := jsonstr.Quote(part)
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
	}
	b = append(b, "\n  ]"...)
	// The other sections, each a key of its own when it has anything.
	type section struct {
		key  string
		v    any
		show bool
	}
	var secs []section
	if r.Values != nil {
		b = appendBreakdownsJSON(b, r.Values)
		secs = append(secs, section{"unpriced", r.Values.Unpriced, len(r.Values.Unpriced) > 0}, section{"warnings", r.Values.Warnings, len(r.Values.Warnings) > 0})
	}
	if s := r.Scores; s != nil {
		secs = append(secs, section{"scorecards", s.Scorecards, true}, section{"bonuses", s.Bonuses, true},
			section{"leaderboards", s.Leaderboards, true}, section{"badges", s.Badges, true}, section{"competitions", s.Competitions, true})
	}
	if g := r.Goals; g != nil {
		secs = append(secs, section{"goals", orEmpty(g.Rows), true}, section{"notifications", orEmpty(g.Notifications), true},
			section{"corrections", g.Corrections, len(g.Corrections) > 0})
	}
	if r.Cascade != nil {
		secs = append(secs, section{"cascade", r.Cascade, true})
	}
	if r.GoalStats != nil {
		secs = append(secs, section{"goal_stats", r.GoalStats, true})
	}
	secs = append(secs, section{"changes", r.Changes, len(r.Changes) > 0})
	for _, sec := range secs {
		if !sec.show {
			continue
		}
		js, err := json.MarshalIndent(sec.v, "  ", "  ")
		if err != nil {
			return err
		}
		b = append(b, ",\n  "...)
		b = jsonstr.Append(b, sec.key)
		b = append(b, ": "...)
		b = append(b, js...)
	}
	b = append(b, "\n}\n"...)
	if _, err := bw.Write(b); err != nil {
		return err
	}
	return bw.Flush()
}

// orEmpty returns xs, or an empty list for none: JSON's [] rather than null.
func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
