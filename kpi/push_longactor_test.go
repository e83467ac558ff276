package kpi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// A row a host's Pusher returns that no events could make names its actor
// cut to 64 bytes: an actor of 100 KB made an error of 100 KB.
func TestPushRefusalsQuoteLongActorsCut(t *testing.T) {
	set, req := callsOfMarch(t)
	req.AsOf = time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	long := strings.Repeat("p", 100_000)
	quoted := `"` + strings.Repeat("p", 64) + `…"`
	for _, c := range []struct {
		row  kpi.PushRow
		want string
	}{
		{kpi.PushRow{Actor: long, Bucket: 7, Count: 1}, "push: actor " + quoted + ": bucket 7 is not one of the query's 1"},
		{kpi.PushRow{Actor: long, Count: 1, N: 2}, "push: actor " + quoted + ", bucket 0: 1 events, 2 with a value (want 0 ≤ with a value ≤ events)"},
		{kpi.PushRow{Actor: long, Count: 1, Sum: decimal.New(1, 5000)}, "push: actor " + quoted + ", bucket 0: a value's exponent 5000 is outside ±1000"},
		{kpi.PushRow{Actor: long + "\x01", Count: 1}, "push: actor " + quoted + " has a control character (U+0001)"},
	} {
		_, err := set.Evaluate(context.Background(), rowsPusher{rows: []kpi.PushRow{c.row}}, req)
		if err == nil || err.Error() != c.want {
			t.Errorf("%.200v, want %s", err, c.want)
		}
	}
}
