package period

import (
	"embed"
	"fmt"
	"strings"
)

//go:embed calendars/*.yaml
var builtinFiles embed.FS

// builtinIDs maps the ids of the shipped calendars to their files.
func builtinIDs() map[string]string {
	return map[string]string{"DE": "calendars/de.yaml", "RU": "calendars/ru.yaml"}
}

// BuiltinWorkCalendars returns the ids of the shipped working-day calendars,
// sorted: "DE" and "RU".
func BuiltinWorkCalendars() []string { return []string{"DE", "RU"} }

// BuiltinWorkCalendar returns a working-day calendar shipped with the package,
// by id (case-insensitive):
//
//   - "RU": Russia's production calendar for 2024, 2025 and 2026: public
//     holidays, the days off and working Saturdays moved by Government
//     decree, and the pre-holiday days, one hour shorter (see
//     [WorkCalendar.Source]).
//   - "DE": Germany's nine nationwide public holidays for 2024 to 2027;
//     merge a regional calendar for the holidays of single states.
//
// Both are files in the format of [ParseWorkCalendar], embedded in the
// package. A date outside the years in [WorkCalendar.Years] is an error
// ([WorkCalendar.Check]): load a calendar file with the newer years
// ([LoadWorkCalendar]) until a release of goalkit ships them. Merging one
// does not add them: [WorkCalendar.Merge] covers only the years both
// calendars cover, so RU merged with a file of 2027 covers no year at all.
func BuiltinWorkCalendar(id string) (*WorkCalendar, error) {
	file, ok := builtinIDs()[strings.ToUpper(id)]
	if !ok {
		return nil, fmt.Errorf("unknown built-in work calendar %q (have %s)", id, strings.Join(BuiltinWorkCalendars(), ", "))
	}
	return LoadWorkCalendarFS(builtinFiles, file)
}
