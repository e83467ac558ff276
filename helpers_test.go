package goalkit_test

import (
	"testing"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

func mustGrain(t *testing.T, s string) period.Grain {
	t.Helper()
	g, err := period.ParseGrain(s)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func day(t *testing.T, s string) date.Date {
	t.Helper()
	d, err := date.ParseISO(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
