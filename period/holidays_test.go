package period

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf16"

	"github.com/goalkit/goalkit/internal/isodate/isodatetest"
	"github.com/rickb777/date/v2"
)

func TestParseWorkCalendarFiles(t *testing.T) {
	w, err := LoadWorkCalendar("testdata/company.json")
	if err != nil {
		t.Fatal(err)
	}
	if w.Name() != "Company" || !slices.Equal(w.Weekends(), []time.Weekday{time.Friday, time.Saturday}) {
		t.Errorf("Name/Weekends = %q %v", w.Name(), w.Weekends())
	}
	if got := w.Holidays(); len(got) != 2 || got[0].Name != "Christmas Eve" || got[1].Date != d("2025-12-31") || got[1].Name != "" {
		t.Errorf("Holidays = %v", got)
	}
	// December 2025 with Friday and Saturday off: 31 days - 4 Fridays - 4
	// Saturdays - 2 holidays + 1 worked Saturday.
	if n := w.CountWorkdays(d("2025-12-01"), d("2026-01-01")); n != 22 {
		t.Errorf("December: %d working days, want 22", n)
	}
	by, err := LoadWorkCalendar("testdata/bavaria.yaml")
	if err != nil || by.Name() != "BY" {
		t.Fatalf("bavaria: %v, %v", by, err)
	}
	fsys := fstest.MapFS{"cal/shop.yml": {Data: []byte("- 2025-05-01\n")}}
	shop, err := LoadWorkCalendarFS(fsys, "cal/shop.yml")
	if err != nil || shop.Name() != "shop" || len(shop.Holidays()) != 1 {
		t.Fatalf("LoadWorkCalendarFS = %v, %v", shop, err)
	}
	if _, err := LoadWorkCalendar("testdata/missing.yaml"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// A calendar file in JSON reads as encoding/json reads it, as other
// encoders than Go's write it too: PHP escapes every slash, PHP and Python
// write characters beyond the BMP as UTF-16 pairs, and a string may hold
// what JSON allows raw and YAML does not (a C1 control, a byte that is not
// UTF-8).
func TestParseWorkCalendarJSONEscapes(t *testing.T) {
	file := "{\"name\": \"Shop 1\\/2 \\ud83c\\udf84\", \"source\": \"https:\\/\\/example.com\\/days\u0085\xff\",\n" +
		" \"holidays\": [{\"date\": \"2025-12-24\", \"name\": \"Eve \\u00e9\\/\\ud83c\\udf84\"}]}\n"
	var want struct {
		Name, Source string
		Holidays     []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(file), &want); err != nil {
		t.Fatal(err)
	}
	w, err := ParseWorkCalendar("shop.json", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if w.Name() != want.Name || w.Source() != want.Source || len(w.Holidays()) != 1 || w.Holidays()[0].Name != want.Holidays[0].Name {
		t.Errorf("read %q, %q, %v; want %q, %q, %q", w.Name(), w.Source(), w.Holidays(), want.Name, want.Source, want.Holidays[0].Name)
	}
}

// A calendar file saved with a byte order mark (UTF-8, or UTF-16 as
// Windows tools write it) reads as the same text without one: its JSON
// escapes rewritten and its problems on their lines. PowerShell's JSON of a
// company's days off in UTF-16 failed on "\/", and an error was put a line
// below its own.
func TestParseWorkCalendarMarked(t *testing.T) {
	utf16LE := func(s string) []byte {
		out := []byte{0xff, 0xfe}
		for _, u := range utf16.Encode([]rune(s)) {
			out = append(out, byte(u), byte(u>>8))
		}
		return out
	}
	good := "{\"name\": \"Shop 1\\/2\",\r\n \"holidays\": [\"2025-12-24\"]}\r\n"
	bad := "holidays:\n  - 2025-12-24\n  - 2025-02-30\n  - [\n"
	for _, file := range [][]byte{[]byte("\ufeff" + good), utf16LE(good)} {
		w, err := ParseWorkCalendar("shop.json", file)
		if err != nil || w.Name() != "Shop 1/2" || len(w.Holidays()) != 1 {
			t.Errorf("%q: %v, %v", file, w, err)
		}
	}
	_, want := ParseWorkCalendar("shop.yaml", []byte(bad))
	for _, file := range [][]byte{[]byte("\ufeff" + bad), utf16LE(bad)} {
		if _, err := ParseWorkCalendar("shop.yaml", file); want == nil || fmt.Sprint(err) != want.Error() {
			t.Errorf("%q: error %v, want %v", file, err, want)
		}
	}
}

func TestParseWorkCalendarErrors(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "f.yaml:1: empty file: want a list of holidays or a mapping with holidays"},
		{"only a comment", "# nothing\n", "f.yaml:1: empty file: want a list of holidays or a mapping with holidays"},
		{"syntax", "holidays: [\n", "f.yaml:1: syntax error: the file ends where a value is expected"},
		{"syntax later", "name: x\nholidays:\n  - 2025-01-01\n - 2025-01-02\n", "f.yaml:4: syntax error: did not find expected key"},
		{"scalar", "2025-01-01\n", "f.yaml:1: want a list of holidays or a mapping with holidays, workdays, weekends and name"},
		{"bad dates", "holidays:\n  - 2025-01-01\n  - 01/02/2025\nworkdays:\n  - {date: 2025-13-01}\n",
			"f.yaml:3: holiday: \"01/02/2025\" is not a date YYYY-MM-DD\nf.yaml:5: working day: \"2025-13-01\" is not a real date: months are 01 to 12"},
		{"duplicate", "- 2025-01-01\n- {date: 2025-01-01, name: again}\n", "f.yaml:2: duplicate date 2025-01-01 (also line 1)"},
		{"both lists", "holidays: [2025-11-01]\nworkdays:\n  - 2025-11-01\n", "f.yaml:3: 2025-11-01 is listed both as a holiday (line 1) and as a working day"},
		{"unknown key", "holiday: [2025-01-01]\n", `f.yaml:1: unknown key "holiday" (want name, source, weekends, hours, years, outside, holidays, workdays or shortened)`},
		{"duplicate key", "name: a\nname: b\n", `f.yaml:2: duplicate key "name" (also line 1)`},
		{"unknown day key", "- {date: 2025-01-01, nmae: x}\n", `f.yaml:1: unknown key "nmae" in a holiday (want date and name)`},
		{"no date", "- {name: x}\n", "f.yaml:1: holiday without a date"},
		{"null date", "- {date: null}\n", "f.yaml:1: holiday: want a date YYYY-MM-DD"},
		{"nested list", "- [2025-01-01]\n", "f.yaml:1: want a holiday: a date YYYY-MM-DD, or {date: YYYY-MM-DD, name: …}"},
		{"holidays not a list", "holidays: 2025-01-01\n", "f.yaml:1: want a list of holidays: dates YYYY-MM-DD, or {date: YYYY-MM-DD, name: …}"},
		{"bad weekday", "weekends: [saturday, sundae]\n", `f.yaml:1: unknown weekday "sundae" (want monday … sunday)`},
		{"duplicate weekday", "weekends:\n  - sat\n  - Saturday\n", "f.yaml:3: duplicate weekday saturday"},
		{"all weekend", "weekends: [mon, tue, wed, thu, fri, sat, sun]\n", "f.yaml:1: every day of the week is a weekend day"},
		{"weekends not a list", "weekends: sunday\n", "f.yaml:1: weekends must be a list of weekday names such as [saturday, sunday]"},
		{"name not text", "name: [a]\n", "f.yaml:1: name must be a text"},
		{"name empty", "holidays: [2025-01-01]\nname: \"\"\n", "f.yaml:2: name is empty: give the calendar a name, or leave the key out to name it after the file"},
		{"name blank", "{\"name\":\n  \" \\t\"}\n", "f.yaml:2: name is empty: give the calendar a name, or leave the key out to name it after the file"},
		{"alias", "- &x 2025-01-01\n- *x\n", "f.yaml:2: aliases are not supported"},
		{"json syntax", "{\n  \"holidays\": [\"2025-01-01\",\n}\n", "f.yaml:3: syntax error: did not find expected node content"},
		{"tab", "holidays:\n  - 2025-01-01\n\t- 2025-01-02\n", "f.yaml:3: syntax error: a tab in the indentation: YAML indents with spaces only"},
		{"unclosed bracket", "name: x\nholidays: [2025-01-01,\n  2025-01-02\nworkdays: []\n", `f.yaml:2: syntax error: the list opened with "[" here is not closed: a "," or "]" is missing`},
		{"json bad date", "{\n  \"holidays\": [\n    \"2025-01-01\",\n    \"2025-1-2\"\n  ]\n}\n", `f.yaml:4: holiday: "2025-1-2" is not a date YYYY-MM-DD`},
		{"hours too long", "hours: 25\n", `f.yaml:1: hours must be a number of hours such as 8 or 7.5, in whole minutes, more than 0 and at most 24, got "25"`},
		{"hours not whole minutes", "hours: 7.33\n", `f.yaml:1: hours must be a number of hours such as 8 or 7.5, in whole minutes, more than 0 and at most 24, got "7.33"`},
		{"hours zero", "hours: 0\n", `f.yaml:1: hours must be a number of hours such as 8 or 7.5, in whole minutes, more than 0 and at most 24, got "0"`},
		{"hours text", "hours: eight\n", `f.yaml:1: hours must be a number of hours such as 8 or 7.5, in whole minutes, more than 0 and at most 24, got "eight"`},
		// A whole number of hours with a leading zero is refused, as a
		// plan's is: 08 is text to YAML 1.1, 07 its octal.
		{"hours with a leading zero", "hours: 08\n", `f.yaml:1: hours: want a number of hours without a leading zero, got 08: write 8`},
		{"hours zero with a leading zero", "hours: 00\n", `f.yaml:1: hours must be a number of hours such as 8 or 7.5, in whole minutes, more than 0 and at most 24, got "00"`},
		{"shortened hours with a leading zero", "hours: 8\nshortened:\n  - {date: 2025-03-07, hours: 07}\n", `f.yaml:3: hours: want a number of hours without a leading zero, got 07: write 7`},
		{"years of three", "years: [2024, 2025, 2026]\n", "f.yaml:1: years must be a year such as 2025, or the first and the last year such as [2024, 2026]"},
		{"years reversed", "years: [2026, 2024]\n", "f.yaml:1: years: the first year 2026 is after the last 2024"},
		{"years text", "years: recent\n", "f.yaml:1: years must be a year such as 2025, or the first and the last year such as [2024, 2026]"},
		// A year with a leading zero is refused as a plan's whole number
		// is: YAML 1.1 reads 02025 as the octal 1045.
		{"year with a leading zero", "years: 02025\n", "f.yaml:1: years: want a year without a leading zero, got 02025, which YAML 1.2 reads as 2025 and YAML 1.1 as the octal 1045: write 2025"},
		{"year with a leading zero, not octal", "years: 02029\n", "f.yaml:1: years: want a year without a leading zero, got 02029: write 2029"},
		{"years with leading zeros", "name: x\nyears:\n  - 02024\n  - 002026\n", "f.yaml:3: years: want a year without a leading zero, got 02024, which YAML 1.2 reads as 2024 and YAML 1.1 as the octal 1044: write 2024\n" +
			"f.yaml:4: years: want a year without a leading zero, got 002026, which YAML 1.2 reads as 2026 and YAML 1.1 as the octal 1046: write 2026"},
		{"last year with a leading zero", "years: [2024, 02026]\n", "f.yaml:1: years: want a year without a leading zero, got 02026, which YAML 1.2 reads as 2026 and YAML 1.1 as the octal 1046: write 2026"},
		{"year with a leading zero and text", "years: [02024, soon]\n", "f.yaml:1: years: want a year without a leading zero, got 02024, which YAML 1.2 reads as 2024 and YAML 1.1 as the octal 1044: write 2024\n" +
			"f.yaml:1: years must be a year such as 2025, or the first and the last year such as [2024, 2026]"},
		{"year with a leading zero in JSON", "{\n  \"years\": 02025\n}\n", "f.yaml:2: years: want a year without a leading zero, got 02025, which YAML 1.2 reads as 2025 and YAML 1.1 as the octal 1045: write 2025"},
		// A year before 1000 is written in its own digits, not padded as a
		// date's YYYY is (0999-12-31).
		{"year before 1000 padded", "years: 0999\n", "f.yaml:1: years: want a year without a leading zero, got 0999: write 999 (a year before 1000 is written in its own digits, not padded to four as in a date's YYYY)"},
		{"octal year before 1000 padded", "years: [0777, 0800]\n", "f.yaml:1: years: want a year without a leading zero, got 0777, which YAML 1.2 reads as 777 and YAML 1.1 as the octal 511: write 777 (a year before 1000 is written in its own digits, not padded to four as in a date's YYYY)\n" +
			"f.yaml:1: years: want a year without a leading zero, got 0800: write 800 (a year before 1000 is written in its own digits, not padded to four as in a date's YYYY)"},
		{"year one padded", "years: 0001\n", "f.yaml:1: years: want a year without a leading zero, got 0001: write 1 (a year before 1000 is written in its own digits, not padded to four as in a date's YYYY)"},
		{"year zero padded", "years: 0000\n", "f.yaml:1: years must be a year such as 2025, or the first and the last year such as [2024, 2026]"},
		{"outside", "outside: skip\n", `f.yaml:1: outside must be error or weekends, got "skip"`},
		{"date outside the years", "years: 2025\nholidays:\n  - 2025-01-01\n  - 2024-12-31\n", "f.yaml:4: 2024-12-31 is outside the declared years 2025"},
		{"shortened holiday", "holidays: [2025-03-07]\nshortened: [2025-03-07]\n", "f.yaml:2: 2025-03-07 is listed both as a holiday (line 1) and as a shortened day"},
		{"shortened weekend", "shortened:\n  - {date: 2025-03-08, name: x}\n", "f.yaml:2: 2025-03-08 is a saturday, not a working day: list it in workdays too if it is worked"},
		{"shortened twice", "shortened:\n  - 2025-03-07\n  - 2025-03-07\n", "f.yaml:3: duplicate date 2025-03-07 (also line 2)"},
		{"shortened too long", "hours: 8\nshortened:\n  - {date: 2025-03-07, hours: 8}\n", "f.yaml:3: hours 8 must be more than 0 and less than the working day (8) in whole minutes"},
		{"shortened one-hour day", "hours: 1\nshortened: [2025-03-07]\n", "f.yaml:2: one hour less than a 1-hour day leaves no working time: give the hours"},
		{"shortened bad hours", "shortened:\n  - {date: 2025-03-07, hours: -1}\n", `f.yaml:2: hours must be a number of hours such as 8 or 7.5, in whole minutes, more than 0 and at most 24, got "-1"`},
		{"hours of a holiday", "holidays:\n  - {date: 2025-03-07, hours: 7}\n", `f.yaml:2: unknown key "hours" in a holiday (want date and name; hours are for shortened days)`},
		{"unknown shortened key", "shortened:\n  - {date: 2025-03-07, hour: 7}\n", `f.yaml:2: unknown key "hour" in a shortened day (want date, name and hours)`},
		{"bad shortened date", "shortened: [2025-02-29]\n", `f.yaml:1: shortened day: "2025-02-29" is not a real date: February 2025 has 28 days`},
		// A file is one document: what follows it is refused, never dropped
		// (two years' files joined, two JSON objects one after the other).
		{"two documents", "---\nholidays: [2025-01-01]\n---\nholidays: [2026-01-01]\n", "f.yaml:3: more than one document in the file: join the lists into one"},
		{"two JSON objects", "{\"holidays\": [\"2025-01-01\"]}\n{\"holidays\": [\"2026-01-01\"]}\n", "f.yaml:2: syntax error: text after the end of the document: a file holds one document"},
		{"broken second document", "- 2025-01-01\n---\n- [\n", "f.yaml:3: syntax error: the file ends where a value is expected"},
	}
	// Impossible dates are errors, never moved onto the next month: in the
	// list of holidays, in a holiday's mapping, among the working days.
	for _, d := range isodatetest.Impossible {
		why := fmt.Sprintf("%q is not a real date: %s", d.In, d.Why)
		tests = append(tests, []struct{ name, file, want string }{
			{d.In, "- " + d.In + "\n", "f.yaml:1: holiday: " + why},
			{d.In + " named", "holidays:\n  - {date: " + d.In + ", name: x}\n", "f.yaml:2: holiday: " + why},
			{d.In + " worked", "workdays: [" + d.In + "]\n", "f.yaml:1: working day: " + why},
		}...)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := ParseWorkCalendar("f.yaml", []byte(tt.file))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("ParseWorkCalendar = %v, %v\nwant error %q", w, err, tt.want)
			}
			var fe *FileError
			if !errors.As(err, &fe) || fe.File != "f.yaml" || fe.Line < 1 {
				t.Errorf("not a *FileError: %#v", err)
			}
		})
	}
	big := strings.Repeat("#", maxFileSize+1)
	if _, err := ParseWorkCalendar("big.yaml", []byte(big)); err == nil || err.Error() != "big.yaml:1: file too large: 1048577 bytes, at most 1048576" {
		t.Errorf("big file: %v", err)
	}
}

func TestParseWorkCalendarForms(t *testing.T) {
	tests := []struct {
		name, file string
		holidays   int
	}{
		{"list", "- 2025-01-01\n- \"2025-01-02\"\n- {date: 2025-01-03, name: x}\n", 3},
		{"null lists", "holidays:\nworkdays: ~\n", 0},
		{"empty weekends", "weekends: []\nholidays: [2025-01-01]\n", 1},
		{"json list", `["2025-01-01", {"date": "2025-01-02"}]`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := ParseWorkCalendar("x", []byte(tt.file))
			if err != nil || len(w.Holidays()) != tt.holidays || w.Name() != "x" {
				t.Fatalf("ParseWorkCalendar = %v, %v", w, err)
			}
		})
	}
	w, _ := ParseWorkCalendar("x", []byte("weekends: []\n"))
	if len(w.Weekends()) != 0 || !w.IsWorkday(d("2025-03-16")) {
		t.Error("empty weekends should mean none")
	}
	if w.Years() != nil || w.Check(d("1900-01-01"), d("2200-01-01")) != nil {
		t.Error("a calendar without listed days covers every year")
	}
}

func TestParseWorkCalendarShortened(t *testing.T) {
	file := `name: Plant
hours: 7.5
years: [2025, 2026]
outside: weekends
holidays:
  - {date: 2025-12-25, name: Christmas}
workdays:
  - {date: 2025-12-27, name: stock-taking}
shortened:
  - {date: 2025-12-24, name: Christmas Eve, hours: 4}
  - 2025-12-27
  - {date: 2025-12-31}
`
	w, err := ParseWorkCalendar("plant.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []ShortDay{
		{Date: d("2025-12-24"), Name: "Christmas Eve", Hours: 4 * time.Hour},
		{Date: d("2025-12-27"), Hours: 6*time.Hour + 30*time.Minute},
		{Date: d("2025-12-31"), Hours: 6*time.Hour + 30*time.Minute},
	}
	if got := w.Shortened(); !slices.Equal(got, want) {
		t.Errorf("Shortened = %v\nwant %v", got, want)
	}
	if w.DayHours() != 7*time.Hour+30*time.Minute || w.Fallback() != WeekendsFallback || !slices.Equal(w.Years(), []int{2025, 2026}) {
		t.Errorf("DayHours %v, Fallback %v, Years %v", w.DayHours(), w.Fallback(), w.Years())
	}
	// December 2025: 23 weekdays - Christmas + the worked Saturday = 23 days;
	// 23 × 7.5 h, less 3.5 h, 1 h and 1 h.
	if n, h := w.CountWorkdays(d("2025-12-01"), d("2026-01-01")), w.WorkingHours(d("2025-12-01"), d("2026-01-01")); n != 23 || h != 167*time.Hour {
		t.Errorf("December: %d days, %v", n, h)
	}
	// Outside the years, the weekends apply without an error.
	if err := w.Check(d("2024-01-01"), d("2028-01-01")); err != nil {
		t.Errorf("Check with the weekends fallback: %v", err)
	}
}

// A calendar file named by its extension alone, without a name key, is
// called by its file's name: the name is what errors call it by, and the
// stem of ".yaml" was "", so "… is outside the working-day calendar" named
// none.
func TestLoadWorkCalendarNamedByExtension(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/.yaml", []byte("years: 2025\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := LoadWorkCalendar(dir + "/.yaml")
	if err != nil || w.Name() != ".yaml" {
		t.Fatalf("LoadWorkCalendar = %q, %v; want the name .yaml", w.Name(), err)
	}
	if err := w.Check(date.New(2026, 1, 1), date.New(2026, 1, 2)); err == nil || !strings.Contains(err.Error(), "calendar .yaml (years 2025)") {
		t.Errorf("Check outside: %v", err)
	}
	w, err = LoadWorkCalendarFS(fstest.MapFS{"cal/.yml": {Data: []byte("- 2025-01-01\n")}, "cal/x.y.yml": {Data: []byte("- 2025-01-01\n")}}, "cal/.yml")
	if err != nil || w.Name() != ".yml" {
		t.Fatalf("LoadWorkCalendarFS = %q, %v; want the name .yml", w.Name(), err)
	}
	// The stem of any other file is as it was.
	w, err = LoadWorkCalendarFS(fstest.MapFS{"cal/x.y.yml": {Data: []byte("- 2025-01-01\n")}}, "cal/x.y.yml")
	if err != nil || w.Name() != "x.y" {
		t.Fatalf("LoadWorkCalendarFS = %q, %v; want the name x.y", w.Name(), err)
	}
}

// ParseWorkCalendar without a name (a host's bytes of no file) says "line
// N" in its errors; they began ":N:", which named nothing.
func TestParseWorkCalendarWithoutName(t *testing.T) {
	_, err := ParseWorkCalendar("", []byte("name: x\nholidays: 2025-01-01\nhours: 0\n"))
	want := "line 2: want a list of holidays: dates YYYY-MM-DD, or {date: YYYY-MM-DD, name: …}\n" +
		`line 3: hours must be a number of hours such as 8 or 7.5, in whole minutes, more than 0 and at most 24, got "0"`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want\n%s", err, want)
	}
	var fe *FileError
	if !errors.As(err, &fe) || fe.File != "" || fe.Line != 2 {
		t.Errorf("FileError %+v", fe)
	}
}

// A calendar file's name with a control character (an escape sequence, a
// line break) is written escaped in its errors; it reached a terminal raw.
func TestFileErrorEscapesName(t *testing.T) {
	name := "cal\x1b[31m\nendar.yaml"
	_, err := ParseWorkCalendar(name, []byte("name: x\nhours: 0\n"))
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	want := `cal\x1b[31m\nendar.yaml:2: `
	if !strings.HasPrefix(msg, want) {
		t.Errorf("got %q, want it to begin %q", msg, want)
	}
	if strings.ContainsAny(msg, "\x1b\n") {
		t.Errorf("raw control character in %q", msg)
	}
	var fe *FileError
	if !errors.As(err, &fe) || fe.File != name {
		t.Errorf("FileError %+v: its File is the name as given", fe)
	}
}

// A year is read from its digits; a leading zero is refused outside
// quotes only (TestParseWorkCalendarErrors): in quotes it is text, which
// every reader reads in decimal. A year before 1000 is written bare.
func TestParseWorkCalendarYears(t *testing.T) {
	for _, tt := range []struct {
		file  string
		years []int
	}{
		{"years: 2025\n", []int{2025}},
		{"years: [2024, 2026]\n", []int{2024, 2025, 2026}},
		{"years: \"02025\"\n", []int{2025}},
		{"years: ['02024', !!str 02025]\n", []int{2024, 2025}},
		{"{\"years\": \"02025\"}\n", []int{2025}},
		{"years: 999\n", []int{999}},
		{"years: [1, 2]\n", []int{1, 2}},
		{"years: 9999\n", []int{9999}},
	} {
		w, err := ParseWorkCalendar("f.yaml", []byte(tt.file))
		if err != nil {
			t.Errorf("%q: %v", tt.file, err)
		} else if !slices.Equal(w.Years(), tt.years) {
			t.Errorf("%q: years %v, want %v", tt.file, w.Years(), tt.years)
		}
	}
}
