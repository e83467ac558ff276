package chart

import (
	"math"
	"strconv"

	"github.com/goalkit/goalkit/export/internal/format"
)

// axisNumber writes an axis label: grouped in thousands, with at most two
// places (an axis is for reading off, the exact numbers are in the tables).
func axisNumber(f float64) string {
	return format.Grouped(strconv.FormatFloat(round(f, 100), 'f', -1, 64))
}

// labelNumber writes a bar's value with at most four places.
func labelNumber(f float64) string {
	return format.Grouped(strconv.FormatFloat(round(f, 1e4), 'f', -1, 64))
}

// round rounds f to 1/scale, half away from zero, without a negative zero
// (which would be written "-0").
func round(f, scale float64) float64 {
	r := math.Round(f*scale) / scale
	if r == 0 {
		return 0
	}
	return r
}

// compactUnits are the units of compactNumber, largest first.
var compactUnits = []struct {
	from, unit float64
	suffix     string
}{{1e9, 1e9, "B"}, {1e6, 1e6, "M"}, {1e4, 1e3, "k"}}

// compactNumber writes an axis label in few characters: thousands,
// millions and billions as k, M and B with at most two places (250k,
// 1.5M), smaller numbers as axisNumber does. A number that rounds to a
// thousand of its unit is written in the next (1M, not 1000k).
func compactNumber(f float64) string {
	for i, u := range compactUnits {
		if math.Abs(f) < u.from {
			continue
		}
		r := round(f/u.unit, 100)
		if i > 0 && math.Abs(r) >= 1000 {
			u = compactUnits[i-1]
			r = round(f/u.unit, 100)
		}
		return strconv.FormatFloat(r, 'f', -1, 64) + u.suffix
	}
	return axisNumber(f)
}
