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

// compactNumber writes an axis label in few characters: thousands,
// millions and billions as k, M and B with at most two places (250k,
// 1.5M), smaller numbers as axisNumber does.
func compactNumber(f float64) string {
	for _, u := range []struct {
		from, unit float64
		suffix     string
	}{{1e9, 1e9, "B"}, {1e6, 1e6, "M"}, {1e4, 1e3, "k"}} {
		if math.Abs(f) >= u.from {
			return strconv.FormatFloat(math.Round(f/u.unit*100)/100, 'f', -1, 64) + u.suffix
		}
	}
	return axisNumber(f)
}
