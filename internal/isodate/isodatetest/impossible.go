// Package isodatetest holds what the tests of every reader of dates share:
// the dates that do not exist, each with the reason isodate gives for it.
package isodatetest

// Impossible are dates that do not exist, each with the reason given. The
// date library would move each onto a real date: 2025-02-30 onto 2025-03-02
// (a report from it would leave March out), 2025-02-29 onto 03-01,
// 2025-04-31 onto 05-01, 2025-13-01 onto 2026-01-01, 2025-00-10 onto
// 2024-12-10 and 2025-01-00 onto 2024-12-31.
var Impossible = []struct{ In, Why string }{
	{"2025-02-30", "February 2025 has 28 days"},
	{"2025-02-29", "February 2025 has 28 days"},
	{"2025-04-31", "April has 30 days"},
	{"2025-13-01", "months are 01 to 12"},
	{"2025-00-10", "months are 01 to 12"},
	{"2025-01-00", "days start at 01"},
}
