package kpi

import "github.com/goalkit/goalkit/internal/colstore"

// The stores of this module reach a Table's columns through colstore.Of
// (adapters/memory merges chunks filled on many goroutines into one).
func init() {
	colstore.Of = func(t any) *colstore.Table { return t.(*Table).t }
}
