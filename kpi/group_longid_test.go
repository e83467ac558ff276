package kpi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
)

// A request's refused group names the group and the member cut to 64
// bytes: a group id or a member of 100 KB made an error of 100 KB (twice
// that where both were named).
func TestGroupErrorsNameLongIDsCut(t *testing.T) {
	ctx := context.Background()
	set, req := callsOfMarch(t)
	events := kpi.Events{{ID: "e1", Kind: "call", Actor: "anna", Time: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)}}
	long := strings.Repeat("g", 100_000)
	cut := strings.Repeat("g", 64) + "…"
	mar1, mar10 := date.New(2025, 3, 1), date.New(2025, 3, 10)
	for _, tc := range []struct {
		groups []org.Group
		want   string
	}{
		{[]org.Group{{ID: long, Members: []string{"anna"}}, {ID: long}},
			`groups: group "` + cut + `" is given twice (groups 0 and 1)`},
		{[]org.Group{{ID: long, Members: []string{"anna", ""}}},
			"group " + cut + ": members[1] is empty: an event without an actor counts in the whole company's row alone"},
		{[]org.Group{{ID: long, Spans: []org.Span{{Member: long, From: mar10, To: mar1}}}},
			"group " + cut + ": membership of " + cut + " from 2025-03-10 to 2025-03-01 is empty"},
		{[]org.Group{{ID: long, Members: []string{long}, Spans: []org.Span{{Member: long, From: mar1}}}},
			"group " + cut + ": " + cut + " is both a member and a dated member"},
		{[]org.Group{{ID: long, Spans: []org.Span{{Member: long, From: mar1}, {Member: long, From: mar10}}}},
			"group " + cut + ": memberships of " + cut + " overlap"},
	} {
		req.Groups = tc.groups
		if _, err := set.Evaluate(ctx, events, req); err == nil || err.Error() != tc.want {
			t.Errorf("%.200v, want %s", err, tc.want)
		}
	}
}
