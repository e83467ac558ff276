package serve

import "github.com/shopspring/decimal"

func mustDecimal(s string) decimal.Decimal { return decimal.RequireFromString(s) }
