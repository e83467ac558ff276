package kpi_test

import (
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// The zero Result (a host's report built by hand, the exports' input) has
// no rows and no values; Rows and Value panicked on its missing set.
func TestZeroResultHasNoValues(t *testing.T) {
	var r kpi.Result
	if rows := r.Rows(); len(rows) != 0 {
		t.Errorf("rows %v", rows)
	}
	if _, ok := r.Value("calls", "anna", period.Period{}); ok {
		t.Error("a value")
	}
	v := r.View(func(string) bool { return true })
	if len(v.Rows()) != 0 || len(v.Participants()) != 0 || v.IsGroup("anna") {
		t.Errorf("view: %v", v.Rows())
	}
}
