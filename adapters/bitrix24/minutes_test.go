package bitrix24_test

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24"
)

// A time-tracking record without seconds is read by its minutes; minutes
// that are negative, or whose seconds do not fit in an int64, are refused
// naming MINUTES and the value the portal sent. The refusal named
// SECONDS with sixty times the value, a number the portal never sent, and
// minutes past 153 722 867 280 912 930 wrapped round into a duration.
func TestElapsedMinutesRefusedAsMinutes(t *testing.T) {
	for _, c := range []struct{ minutes, want string }{
		{"-5", "time-tracking record 1: MINUTES -5 is not a duration (SECONDS 0)"},
		{"153722867280912931", "time-tracking record 1: MINUTES 153722867280912931 is not a duration (SECONDS 0)"},
		{"307445734561825861", "time-tracking record 1: MINUTES 307445734561825861 is not a duration (SECONDS 0)"},
	} {
		srv := newServer(t)
		c0, _ := newClient(t, srv)
		srv.AddRow("task", "id", task(1, 3, 0, "2024-03-06T10:00:00+03:00", "", "", "", 3, ""))
		row := elapsedRow(1, 1, 3, 0, "2024-03-20T11:00:00+03:00")
		row["MINUTES"] = c.minutes
		srv.AddRow("elapsed", "ID", row)
		_, _, err := c0.Events(context.Background(), bitrix24.SyncOptions{Tasks: true})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("MINUTES %s: %v, want %s", c.minutes, err, c.want)
		}
	}
}
