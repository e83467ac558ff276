package period

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
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

func TestParseWorkCalendarErrors(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "f.yaml:1: empty file: want a list of holidays or a mapping with holidays"},
		{"only a comment", "# nothing\n", "f.yaml:1: empty file: want a list of holidays or a mapping with holidays"},
		{"syntax", "holidays: [\n", "f.yaml:1: syntax error: the file ends where a value is expected"},
		{"syntax later", "name: x\nholidays:\n  - 2025-01-01\n - 2025-01-02\n", "f.yaml:4: syntax error: did not find expected key"},
		{"scalar", "2025-01-01\n", "f.yaml:1: want a list of holidays or a mapping with holidays, workdays, weekends and name"},
		{"bad date", "- 2025-02-30\n", `f.yaml:1: holiday: "2025-02-30" is not a real date: February 2025 has 28 days`},
		{"bad dates", "holidays:\n  - 2025-01-01\n  - 01/02/2025\nworkdays:\n  - {date: 2025-13-01}\n",
			"f.yaml:3: holiday: \"01/02/2025\" is not a date YYYY-MM-DD\nf.yaml:5: working day: \"2025-13-01\" is not a real date: months are 01 to 12"},
		{"duplicate", "- 2025-01-01\n- {date: 2025-01-01, name: again}\n", "f.yaml:2: duplicate date 2025-01-01 (also line 1)"},
		{"both lists", "holidays: [2025-11-01]\nworkdays:\n  - 2025-11-01\n", "f.yaml:3: 2025-11-01 is listed both as a holiday (line 1) and as a working day"},
		{"unknown key", "holiday: [2025-01-01]\n", `f.yaml:1: unknown key "holiday" (want name, source, weekends, holidays or workdays)`},
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
		{"alias", "- &x 2025-01-01\n- *x\n", "f.yaml:2: aliases are not supported"},
		{"json syntax", "{\n  \"holidays\": [\"2025-01-01\",\n}\n", "f.yaml:3: syntax error: did not find expected node content"},
		// Impossible dates are errors, never moved onto the next month.
		{"2025-02-30", "- 2025-02-30\n", `f.yaml:1: holiday: "2025-02-30" is not a real date: February 2025 has 28 days`},
		{"2025-02-29", "- 2025-02-29\n", `f.yaml:1: holiday: "2025-02-29" is not a real date: February 2025 has 28 days`},
		{"2025-04-31", "holidays:\n  - {date: 2025-04-31, name: x}\n", `f.yaml:2: holiday: "2025-04-31" is not a real date: April has 30 days`},
		{"2025-13-01", "workdays: [2025-13-01]\n", `f.yaml:1: working day: "2025-13-01" is not a real date: months are 01 to 12`},
		{"2025-00-10", "- 2025-00-10\n", `f.yaml:1: holiday: "2025-00-10" is not a real date: months are 01 to 12`},
		{"2025-01-00", "- 2025-01-00\n", `f.yaml:1: holiday: "2025-01-00" is not a real date: days start at 01`},
		{"tab", "holidays:\n  - 2025-01-01\n\t- 2025-01-02\n", "f.yaml:3: syntax error: a tab in the indentation: YAML indents with spaces only"},
		{"unclosed bracket", "name: x\nholidays: [2025-01-01,\n  2025-01-02\nworkdays: []\n", `f.yaml:2: syntax error: the list opened with "[" here is not closed: a "," or "]" is missing`},
		{"json bad date", "{\n  \"holidays\": [\n    \"2025-01-01\",\n    \"2025-1-2\"\n  ]\n}\n", `f.yaml:4: holiday: "2025-1-2" is not a date YYYY-MM-DD`},
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
}
