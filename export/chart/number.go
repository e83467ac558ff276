package chart

import (
	"math"
	"strconv"

	"github.com/goalkit/goalkit/export/internal/format"
)

// axisNumber writes an axis label: grouped in thousands, with at most two
// places (an axis is for reading off, the exact numbers are in the tables).
// From a billion on, it is written short as compactNumber writes it (2.5B,
// 1.2×10¹⁸): in full, a label of 10^18 took a third of the chart's width.
func axisNumber(f float64) string {
	if math.Abs(f) >= compactFrom {
		return compactNumber(f)
	}
	return format.Grouped(strconv.FormatFloat(round(f, 100), 'f', -1, 64))
}

// compactFrom is the magnitude from which axisNumber writes a number short.
const compactFrom = 1e9

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
}{{1e12, 1e12, "T"}, {1e9, 1e9, "B"}, {1e6, 1e6, "M"}, {1e4, 1e3, "k"}}

// compactNumber writes an axis label in few characters: thousands,
// millions, billions and trillions as k, M, B and T with at most two
// places (250k, 1.5M), smaller numbers as axisNumber does, and from a
// thousand trillions on as a power of ten with at most two places
// (1.5×10¹⁸). A number that rounds to a thousand of its unit is written in
// the next (1M, not 1000k; 1×10¹⁵, not 1000T).
func compactNumber(f float64) string {
	for i, u := range compactUnits {
		if math.Abs(f) < u.from {
			continue
		}
		r := round(f/u.unit, 100)
		if math.Abs(r) >= 1000 {
			if i == 0 {
				return powerOfTen(f)
			}
			u = compactUnits[i-1]
			r = round(f/u.unit, 100)
		}
		return strconv.FormatFloat(r, 'f', -1, 64) + u.suffix
	}
	return axisNumber(f)
}

// powerOfTen writes f, a thousand trillions or more in magnitude, as
// m×10ⁿ, m with at most two places (9.999×10¹⁵ is 1×10¹⁶).
func powerOfTen(f float64) string {
	n := int(math.Floor(math.Log10(math.Abs(f))))
	m := round(f/math.Pow10(n), 100)
	if math.Abs(m) >= 10 { // rounded up, or Log10 a hair short
		n++
		m = round(f/math.Pow10(n), 100)
	}
	var exp []rune
	for _, d := range strconv.Itoa(n) {
		exp = append(exp, superscript[d-'0'])
	}
	return strconv.FormatFloat(m, 'f', -1, 64) + "×10" + string(exp)
}

// superscript are the digits 0 to 9 as superscripts.
var superscript = []rune("⁰¹²³⁴⁵⁶⁷⁸⁹")
