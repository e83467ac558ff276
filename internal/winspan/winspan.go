// Package winspan is the one rule by which the windows of cumulative
// indicators are bounded: how far a window reaches back from its period's
// end, and how many days the windows of one evaluation may span. kpi
// refuses a window longer than that at compile and an evaluation whose
// windows span more; goal splits its requests so that its periods stay
// within it.
package winspan

import (
	"regexp"
	"strconv"

	"github.com/goalkit/goalkit/period"
)

// MaxDays is the most days the windows of one evaluation's cumulative
// indicators span, from the first date they read to the last period's end
// (a scan by day holds actors × days), and the most a window reaches: the
// longest period (period.MaxDays, about a century), so that any one period
// evaluates with its window.
const MaxDays = period.MaxDays

var pattern = regexp.MustCompile(`^([1-9][0-9]{0,3}) ?(d|days?|weeks?|months?|quarters?|years?)$`)

// Length reads a trailing window's length ("7 days", "3 months", "1y"):
// its number of units and the unit's first letter (d, w, m, q or y);
// false for anything else, "all" included.
func Length(window string) (n int, unit byte, ok bool) {
	m := pattern.FindStringSubmatch(window)
	if m == nil {
		return 0, 0, false
	}
	n, _ = strconv.Atoi(m[1])
	return n, m[2][0], true
}

// unitDays are the most days of each unit.
var unitDays = map[byte]int{'d': 1, 'w': 7, 'm': 31, 'q': 92, 'y': 366}

// Reach returns the most days the window of a cumulative indicator (its
// to_date or its window) starts before its period's end: 366 for a value
// to date (within a year at most, fiscal or not), n times the unit's
// longest for a trailing window of n units (31 days a month, 92 a
// quarter, 366 a year), 0 for no window. False for a window of all (it
// reaches the first event, which no definition bounds) and a window that
// is no length.
func Reach(toDate, window string) (int, bool) {
	switch {
	case toDate != "":
		return 366, true
	case window == "":
		return 0, true
	}
	n, unit, ok := Length(window)
	if !ok {
		return 0, false
	}
	return n * unitDays[unit], true
}
