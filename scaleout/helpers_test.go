package scaleout_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func mustGrain(t *testing.T, s string) period.Grain {
	g, err := period.ParseGrain(s)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func dateOf(y, m, d int) date.Date { return date.New(y, time.Month(m), d) }

func decimalOf(v int64) decimal.NullDecimal {
	return decimal.NullDecimal{Decimal: decimal.NewFromInt(v), Valid: true}
}
