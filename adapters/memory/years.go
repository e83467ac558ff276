package memory

import (
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// The instants well inside the years an event's time may have (1678–2261,
// in its own zone: kpi.Event.Validate), in unix seconds: a time between
// them is of those years in every zone.
var (
	surelyFrom  = time.Date(1678, 1, 3, 0, 0, 0, 0, time.UTC).Unix()
	surelyUntil = time.Date(2261, 12, 30, 0, 0, 0, 0, time.UTC).Unix()
)

// checkYears refuses, with Validate's words, a version whose time is of
// another year than 1678–2261: the table keeps times as int64
// nanoseconds and would keep it at another instant. The imports that code
// versions into a table as they come (not Validate's staging) check each
// with it; near the bounds, or past them, Validate decides.
func checkYears(e *kpi.Event) error {
	if e.Deleted || e.Time.IsZero() {
		return nil // the table checks these itself
	}
	if u := e.Time.Unix(); u >= surelyFrom && u < surelyUntil {
		return nil
	}
	return e.Validate()
}
