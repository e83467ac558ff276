package goalkit_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"pgregory.net/rapid"
)

// A tracker's reports share the goal rows of unchanged instances with the
// reports before them (goal.Memo), and reuse their lists and arrays:
// whatever the plan, events, batches and instants, a report taken earlier
// is byte for byte what it was when it was returned (its JSON, and each
// row's instant, date and rank) after later applies and reports, full ones
// and ones narrowed to a participant, and value for value too (compared
// deep with a deep copy made when it was returned: deepCopy).
// The slice of a report's rows is its caller's: the test reverses it, and
// every later report is still the report without the Memo.
func TestTrackerReportsStayAsTheyWere(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		plan, stream, opts, instants := goalScenario(t)
		type taken struct {
			what string
			rep  *goalkit.Report
			json []byte
			rows string
			copy *goalkit.Report
		}
		var reports []taken
		// asTaken is a report with its rows in the order it was returned in.
		asTaken := func(tk taken) *goalkit.Report {
			if tk.rep.Goals == nil {
				return tk.rep
			}
			rep, g := *tk.rep, *tk.rep.Goals
			g.Rows = slices.Clone(g.Rows)
			slices.Reverse(g.Rows)
			rep.Goals = &g
			return &rep
		}
		eachBatch(t, plan, opts, stream, instants, func(tr *goalkit.Tracker, at time.Time) {
			ropts, what := drawReport(t, at)
			rep, err := tr.Report(ctx, at, ropts...)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			restore := goalkit.SetReuseValues(false)
			fresh, err := tr.Report(ctx, at, ropts...)
			restore()
			if err != nil {
				t.Fatalf("%s without the Memo: %v", what, err)
			}
			got := reportJSON(t, rep)
			if want := reportJSON(t, fresh); !bytes.Equal(got, want) {
				t.Fatalf("%s differs from the report without the Memo:\n%s\nwant:\n%s", what, got, want)
			}
			if rows, want := rowStamps(rep), rowStamps(fresh); rows != want {
				t.Fatalf("%s: rows\n%s\nwithout the Memo\n%s", what, rows, want)
			}
			for k, tk := range reports {
				was := asTaken(tk)
				if now := reportJSON(t, was); !bytes.Equal(now, tk.json) {
					t.Fatalf("report %d (%s) changed after %s:\n%s\nwas:\n%s", k, tk.what, what, now, tk.json)
				}
				if now := rowStamps(was); now != tk.rows {
					t.Fatalf("the rows of report %d (%s) changed after %s:\n%s\nwere:\n%s", k, tk.what, what, now, tk.rows)
				}
				if !reflect.DeepEqual(was, tk.copy) {
					t.Fatalf("report %d (%s) is not what it was after %s (compared deep)", k, tk.what, what)
				}
			}
			reports = append(reports, taken{what: what, rep: rep, json: got, rows: rowStamps(rep), copy: deepCopy(rep)})
			if rep.Goals != nil {
				slices.Reverse(rep.Goals.Rows)
			}
		})
	})
}

// rowStamps lists what the JSON of a report leaves out of its goal rows
// (the date of each, and the instant of the goals' result), with their
// participants and ranks.
func rowStamps(rep *goalkit.Report) string {
	if rep.Goals == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "as of %s\n", rep.Goals.AsOf.Format(time.RFC3339Nano))
	for _, r := range rep.Goals.Rows {
		fmt.Fprintf(&b, "%s %s %s %s %d\n", r.Goal, r.Label, r.Participant, r.Date, r.Rank)
	}
	return b.String()
}
