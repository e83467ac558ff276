package chart

import (
	"math"
	"strconv"

	"github.com/goalkit/goalkit/export/internal/format"
)

// axisNumber writes an axis label: grouped in thousands, with at most two
// places (an axis is for reading off, the exact numbers are in the tables).
func axisNumber(f float64) string {
	return format.Grouped(strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64))
}

// labelNumber writes a bar's value with at most four places.
func labelNumber(f float64) string {
	return format.Grouped(strconv.FormatFloat(math.Round(f*1e4)/1e4, 'f', -1, 64))
}
