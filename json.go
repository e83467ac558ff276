package goalkit

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// WriteJSON writes the report as JSON: as_of, timezone, values (one row per
// indicator × participant × period, values as decimal strings or null),
// breakdowns when the plan has indicators declared with by, and, when there
// are any, unpriced events and warnings.
func (r *Report) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var b []byte
	b = append(b, "{\n  \"as_of\": "...)
	b = appendJSONString(b, r.AsOf.UTC().Format(time.RFC3339Nano))
	b = append(b, ",\n  \"timezone\": "...)
	b = appendJSONString(b, r.Timezone)
	b = append(b, ",\n  \"values\": ["...)
	periods := r.Values.Periods()
	starts := make([]string, len(periods))
	ends := make([]string, len(periods))
	for i, p := range periods {
		starts[i] = jsonString(p.Start.String())
		ends[i] = jsonString(p.End.String())
	}
	first := true
	for _, ix := range r.Values.Set().Indicators() {
		id := jsonString(ix.ID())
		for _, part := range r.Values.Participants() {
			qp := jsonString(part)
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
	b = appendBreakdownsJSON(b, r.Values)
	// The other sections, each a key of its own when it has anything.
	type section struct {
		key  string
		v    any
		show bool
	}
	secs := []section{{"unpriced", r.Values.Unpriced, len(r.Values.Unpriced) > 0}, {"warnings", r.Values.Warnings, len(r.Values.Warnings) > 0}}
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
		b = appendJSONString(b, sec.key)
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

// appendJSONString appends s as a JSON string. Printable text is written as
// is and the quote and backslash escaped, as strconv.Quote does; every other
// character gets an escape JSON has (strconv.Quote's \x1b, \a and \U0001….
// are not JSON): \n, \r, \t, or \u00XX for the other control characters,
// \uXXXX (a surrogate pair above U+FFFF) for the other characters Go does not
// print, and U+FFFD for invalid UTF-8, as encoding/json writes it.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			b = append(b, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r == utf8.RuneError && n == 1:
			b = append(b, `\ufffd`...)
		case r < 0x80 || r == 0x2028 || r == 0x2029 || !strconv.IsPrint(r):
			if r > 0xffff {
				r -= 0x10000
				b = appendU4(b, 0xd800+r>>10)
				r = 0xdc00 + r&0x3ff
			}
			b = appendU4(b, r)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}

// jsonString is s as a JSON string.
func jsonString(s string) string {
	return string(appendJSONString(make([]byte, 0, len(s)+2), s))
}

func appendU4(b []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}
