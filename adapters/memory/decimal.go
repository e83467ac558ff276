package memory

import "github.com/shopspring/decimal"

func isDecimal(v any) bool {
	_, ok := v.(decimal.Decimal)
	return ok
}
