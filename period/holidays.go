package period

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/yamlerr"
	"github.com/rickb777/date/v2"
	"go.yaml.in/yaml/v3"
)

// maxFileSize bounds a work-calendar file; real ones are a few kilobytes.
const maxFileSize = 1 << 20

// ParseWorkCalendar parses a working-day calendar from a YAML or JSON file's
// contents; name is the file's name, used in errors and as the calendar's
// name unless the file gives one. The file is either a list of holidays, or a
// mapping:
//
//	name: Example            # optional; not empty
//	source: Holiday Act §1   # optional: where the dates come from
//	weekends: [saturday, sunday]   # optional; this is the default; [] for none
//	hours: 8                 # optional: a full working day, in hours (default 8)
//	years: [2025, 2026]      # optional: the years covered, first and last;
//	                         #   default: the years of the listed days
//	outside: error           # optional: a date outside the years is an error
//	                         #   (the default), or "weekends": only they apply
//	holidays:                # days off: a date, or a date with a name
//	  - 2025-01-01
//	  - {date: 2025-12-25, name: Christmas Day}
//	workdays:                # transferred working days (weekend days worked)
//	  - {date: 2025-11-01, name: working Saturday}
//	shortened:               # shorter working days: one hour shorter unless
//	  - 2025-12-24           #   hours gives the day's working time
//	  - {date: 2025-12-31, name: New Year's Eve, hours: 6}
//
// Dates are written YYYY-MM-DD; years is one year (2025) or [FIRST, LAST].
// Every problem is reported, sorted by line, as "NAME:LINE: what" (see
// [FileError]). docs/calendars.md describes the format.
func ParseWorkCalendar(name string, data []byte) (*WorkCalendar, error) {
	return parseWorkCalendar(name, name, data)
}

// LoadWorkCalendar reads and parses the work-calendar file at path (see
// [ParseWorkCalendar]). Unless the file names it, the calendar is named after
// the file without its directory and extension (".yaml" is named ".yaml").
func LoadWorkCalendar(path string) (*WorkCalendar, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseWorkCalendar(path, fileStem(filepath.Base(path), filepath.Ext(path)), data)
}

// LoadWorkCalendarFS is like [LoadWorkCalendar] but reads the file name from
// fsys.
func LoadWorkCalendarFS(fsys fs.FS, name string) (*WorkCalendar, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return parseWorkCalendar(name, fileStem(path.Base(name), path.Ext(name)), data)
}

// fileStem is a file's name without its extension: the name of a calendar
// whose file does not give one. A file named by its extension alone
// (".yaml") is called that, never "".
func fileStem(base, ext string) string {
	if stem := strings.TrimSuffix(base, ext); stem != "" {
		return stem
	}
	return base
}

type fileParser struct {
	file string
	errs []*FileError
}

func (p *fileParser) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, &FileError{File: p.file, Line: max(line, 1), Msg: fmt.Sprintf(format, args...)})
}

func (p *fileParser) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(p.errs, func(a, b *FileError) int { return cmp.Compare(a.Line, b.Line) })
	errs := make([]error, len(p.errs))
	for i, e := range p.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// fileDay is a listed day and the line it is on.
type fileDay struct {
	NamedDay
	hours time.Duration // a shortened day's hours; 0: not given
	line  int
}

func parseWorkCalendar(file, defaultName string, data []byte) (*WorkCalendar, error) {
	p := &fileParser{file: file}
	if len(data) > maxFileSize {
		p.errorf(1, "file too large: %d bytes, at most %d", len(data), maxFileSize)
		return nil, p.err()
	}
	if len(bytes.TrimSpace(data)) == 0 {
		p.errorf(1, "empty file: want a list of holidays or a mapping with holidays")
		return nil, p.err()
	}
	data = yamlerr.JSONText(data) // a JSON file as encoding/json reads it
	root, extra, err := decodeYAML(data)
	if err != nil {
		line, msg := yamlerr.Locate(data, err)
		p.errorf(line, "syntax error: %s", msg)
		return nil, p.err()
	}
	if extra > 0 {
		p.errorf(extra, "more than one document in the file: join the lists into one")
		return nil, p.err()
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		p.errorf(1, "empty file: want a list of holidays or a mapping with holidays")
		return nil, p.err()
	}
	top := root.Content[0]

	w := &WorkCalendar{name: defaultName, weekend: defaultWeekend}
	var holidays, workdays, shortened []fileDay
	var day time.Duration
	var declared *[2]int
	var fallback Fallback
	keyLine := map[string]int{}
	switch top.Kind {
	case yaml.SequenceNode:
		holidays = p.days(top, "holiday")
	case yaml.MappingNode:
		for i := 0; i+1 < len(top.Content); i += 2 {
			k, v := top.Content[i], top.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				p.errorf(k.Line, "a key must be a plain name")
				continue
			}
			if line, dup := keyLine[k.Value]; dup {
				p.errorf(k.Line, "duplicate key %q (also line %d)", k.Value, line)
				continue
			}
			keyLine[k.Value] = k.Line
			switch k.Value {
			case "name":
				// The name is what errors call the calendar by ("… is
				// outside the working-day calendar NAME"): an empty one
				// would name nothing.
				if s, ok := p.text(v, "name"); ok && strings.TrimSpace(s) == "" {
					p.errorf(v.Line, "name is empty: give the calendar a name, or leave the key out to name it after the file")
				} else if ok {
					w.name = s
				}
			case "source":
				if s, ok := p.text(v, "source"); ok {
					w.source = s
				}
			case "weekends":
				if mask, ok := p.weekends(v); ok {
					w.weekend, w.custom = mask, true
				}
			case "hours":
				day, _ = p.hours(v, "hours")
			case "years":
				declared = p.years(v)
			case "outside":
				fallback = p.outside(v)
			case "holidays":
				holidays = p.days(v, "holiday")
			case "workdays":
				workdays = p.days(v, "working day")
			case "shortened":
				shortened = p.days(v, "shortened day")
			default:
				p.errorf(k.Line, "unknown key %q (want name, source, weekends, hours, years, outside, holidays, workdays or shortened)", k.Value)
			}
		}
	default:
		p.errorf(top.Line, "want a list of holidays or a mapping with holidays, workdays, weekends and name")
	}

	where := map[date.Date]fileDay{}
	kind := map[date.Date]string{}
	for _, list := range []struct {
		what string
		days []fileDay
	}{{"holiday", holidays}, {"working day", workdays}} {
		for _, d := range list.days {
			if prev, dup := where[d.Date]; dup {
				if kind[d.Date] == list.what {
					p.errorf(d.line, "duplicate date %s (also line %d)", d.Date, prev.line)
				} else {
					p.errorf(d.line, "%s is listed both as a holiday (line %d) and as a working day", d.Date, prev.line)
				}
				continue
			}
			where[d.Date], kind[d.Date] = d, list.what
			if list.what == "holiday" {
				w.holidays = append(w.holidays, d.NamedDay)
			} else {
				w.workdays = append(w.workdays, d.NamedDay)
			}
		}
	}
	w.setDays(w.holidays, w.workdays)
	lists := map[string][]fileDay{"holidays": holidays, "workdays": workdays, "shortened": shortened}
	// complete reports by list index: the sorted order for holidays and
	// workdays, the file's order for shortened days.
	l := dayLists{holidays: w.holidays, workdays: w.workdays}
	lists["holidays"] = sortedFileDays(holidays, w.holidays)
	lists["workdays"] = sortedFileDays(workdays, w.workdays)
	for _, s := range shortened {
		l.shortened = append(l.shortened, ShortDay{Date: s.Date, Name: s.Name, Hours: s.hours})
	}
	line := func(list string, i int) int {
		if i < 0 {
			return keyLine[list]
		}
		return lists[list][i].line
	}
	w.complete(l, day, declared, fallback,
		func(list string, i int, msg string) { p.errorf(line(list, i), "%s", msg) },
		func(list string, i int) string { return "line " + strconv.Itoa(line(list, i)) })
	if err := p.err(); err != nil {
		return nil, err
	}
	return w, nil
}

// sortedFileDays returns the listed days of days in the order of sorted.
func sortedFileDays(days []fileDay, sorted []NamedDay) []fileDay {
	byDate := make(map[date.Date]fileDay, len(days))
	for _, d := range days {
		if _, dup := byDate[d.Date]; !dup {
			byDate[d.Date] = d
		}
	}
	out := make([]fileDay, len(sorted))
	for i, s := range sorted {
		out[i] = byDate[s.Date]
	}
	return out
}

// decodeYAML parses data, one document, into a node tree, turning a panic
// of the YAML library on hostile input into an error. What follows the
// document is refused whether or not it parses: a second document has
// extra set to its line, and text that does not parse is err.
func decodeYAML(data []byte) (root yaml.Node, extra int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: malformed input: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			err = nil // no document: the caller reports an empty file
		}
		return root, 0, err
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return root, max(next.Line, 1), nil
	case !errors.Is(err, io.EOF):
		return root, 0, err
	}
	return root, 0, nil
}

func (p *fileParser) noAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		p.errorf(n.Line, "aliases are not supported")
		return false
	}
	return true
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// text reads a string value.
func (p *fileParser) text(n *yaml.Node, key string) (string, bool) {
	if !p.noAlias(n) {
		return "", false
	}
	if n.Kind != yaml.ScalarNode || isNull(n) {
		p.errorf(n.Line, "%s must be a text", key)
		return "", false
	}
	return n.Value, true
}

// weekends reads a list of weekday names.
func (p *fileParser) weekends(n *yaml.Node) (uint8, bool) {
	if !p.noAlias(n) {
		return 0, false
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n.Line, "weekends must be a list of weekday names such as [saturday, sunday]")
		return 0, false
	}
	var mask uint8
	ok := true
	for _, e := range n.Content {
		if !p.noAlias(e) {
			ok = false
			continue
		}
		d, found := parseWeekday(e.Value)
		if e.Kind != yaml.ScalarNode || !found {
			p.errorf(e.Line, "unknown weekday %q (want monday … sunday)", e.Value)
			ok = false
			continue
		}
		if mask&(1<<d) != 0 {
			p.errorf(e.Line, "duplicate weekday %s", strings.ToLower(d.String()))
			ok = false
			continue
		}
		mask |= 1 << d
	}
	if mask == 0x7f {
		p.errorf(n.Line, "every day of the week is a weekend day")
		ok = false
	}
	return mask, ok
}

func parseWeekday(s string) (time.Weekday, bool) {
	s = strings.ToLower(s)
	for d := time.Sunday; d <= time.Saturday; d++ {
		full := strings.ToLower(d.String())
		if s == full || s == full[:3] {
			return d, true
		}
	}
	return 0, false
}

// days reads a list of days: each a date, or a mapping with a date and an
// optional name. A null value is an empty list.
func (p *fileParser) days(n *yaml.Node, what string) []fileDay {
	if !p.noAlias(n) || isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n.Line, "want a list of %ss: dates YYYY-MM-DD, or {date: YYYY-MM-DD, name: …}", what)
		return nil
	}
	var out []fileDay
	for _, e := range n.Content {
		if !p.noAlias(e) {
			continue
		}
		switch e.Kind {
		case yaml.ScalarNode:
			if d, ok := p.date(e, what); ok {
				out = append(out, fileDay{NamedDay: NamedDay{Date: d}, line: e.Line})
			}
		case yaml.MappingNode:
			if d, ok := p.namedDay(e, what); ok {
				out = append(out, d)
			}
		default:
			p.errorf(e.Line, "want a %s: a date YYYY-MM-DD, or {date: YYYY-MM-DD, name: …}", what)
		}
	}
	return out
}

func (p *fileParser) namedDay(n *yaml.Node, what string) (fileDay, bool) {
	out := fileDay{line: n.Line}
	ok, hasDate := true, false
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k.Line, "a key must be a plain name")
			ok = false
			continue
		}
		if seen[k.Value] {
			p.errorf(k.Line, "duplicate key %q", k.Value)
			ok = false
			continue
		}
		seen[k.Value] = true
		switch k.Value {
		case "date":
			d, good := p.date(v, what)
			out.Date, out.line, hasDate = d, v.Line, good
			ok = ok && good
		case "name":
			s, good := p.text(v, "name")
			out.Name = s
			ok = ok && good
		case "hours":
			if what != "shortened day" {
				p.errorf(k.Line, "unknown key %q in a %s (want date and name; hours are for shortened days)", k.Value, what)
				ok = false
				continue
			}
			h, good := p.hours(v, "hours")
			out.hours = h
			ok = ok && good
		default:
			want := "date and name"
			if what == "shortened day" {
				want = "date, name and hours"
			}
			p.errorf(k.Line, "unknown key %q in a %s (want %s)", k.Value, what, want)
			ok = false
		}
	}
	if !hasDate && !seen["date"] {
		p.errorf(n.Line, "%s without a date", what)
		ok = false
	}
	return out, ok && hasDate
}

func (p *fileParser) date(n *yaml.Node, what string) (date.Date, bool) {
	if !p.noAlias(n) {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || isNull(n) {
		p.errorf(n.Line, "%s: want a date YYYY-MM-DD", what)
		return 0, false
	}
	d, why, ok := parseYMD(n.Value)
	if !ok {
		if why != "" {
			p.errorf(n.Line, "%s: %q is not a real date: %s", what, n.Value, why)
		} else {
			p.errorf(n.Line, "%s: %q is not a date YYYY-MM-DD", what, n.Value)
		}
		return 0, false
	}
	return d, true
}

// hours reads a number of hours, such as 8 or 7.5, in whole minutes. A
// whole number written with a leading zero (08) is refused.
func (p *fileParser) hours(n *yaml.Node, key string) (time.Duration, bool) {
	if !p.noAlias(n) {
		return 0, false
	}
	bad := func() (time.Duration, bool) {
		p.errorf(n.Line, "%s must be a number of hours such as 8 or 7.5, in whole minutes, more than 0 and at most 24, got %q", key, n.Value)
		return 0, false
	}
	whole, frac, _ := strings.Cut(n.Value, ".")
	if n.Kind != yaml.ScalarNode || whole == "" || len(whole) > 2 || len(frac) > 6 || !allDigits(whole) || !allDigits(frac) ||
		strings.Contains(n.Value, ".") && frac == "" {
		return bad()
	}
	h, _ := strconv.Atoi(whole)
	// frac/10^len(frac) hours, in minutes: 60*frac/10^len(frac) must be whole.
	f, _ := strconv.Atoi(frac + strings.Repeat("0", 6-len(frac)))
	if f*60%1_000_000 != 0 {
		return bad()
	}
	d := time.Duration(h)*time.Hour + time.Duration(f*60/1_000_000)*time.Minute
	if d <= 0 || d > 24*time.Hour {
		return bad()
	}
	if len(whole) > 1 && whole[0] == '0' && frac == "" && !strings.Contains(n.Value, ".") && n.Tag != "!!str" {
		// A whole number with a leading zero, refused as a plan refuses
		// one (08 is text to YAML 1.1, 07 its octal); 07.5 reads the
		// same in every reading.
		p.errorf(n.Line, "%s: want a number of hours without a leading zero, got %s: write %d", key, n.Value, h)
		return 0, false
	}
	return d, true
}

// years reads a year (2025) or the first and last of a range of years
// ([2024, 2026]). A year outside quotes written with a leading zero
// (02025) is refused on its line, as a plan refuses such a whole number:
// YAML 1.1 reads 02025 as the octal 1045.
func (p *fileParser) years(n *yaml.Node) *[2]int {
	if !p.noAlias(n) {
		return nil
	}
	// year reads e; zeros is true where it is a year written with a
	// leading zero, refused here.
	year := func(e *yaml.Node) (y int, ok, zeros bool) {
		y, err := strconv.Atoi(e.Value)
		if e.Kind != yaml.ScalarNode || err != nil || !allDigits(e.Value) || y < 1 || y > 9999 {
			return 0, false, false
		}
		if e.Value[0] == '0' && e.Tag != "!!str" {
			p.errorf(e.Line, "years: %s", leadingZeroYear(e.Value, y))
			return 0, false, true
		}
		return y, true, false
	}
	bad := func() *[2]int {
		p.errorf(n.Line, "years must be a year such as 2025, or the first and the last year such as [2024, 2026]")
		return nil
	}
	switch {
	case n.Kind == yaml.ScalarNode:
		y, ok, zeros := year(n)
		if zeros {
			return nil
		}
		if !ok {
			return bad()
		}
		return &[2]int{y, y}
	case n.Kind == yaml.SequenceNode && len(n.Content) == 2:
		first, ok1, zeros1 := year(n.Content[0])
		last, ok2, zeros2 := year(n.Content[1])
		if !ok1 && !zeros1 || !ok2 && !zeros2 {
			return bad()
		}
		if zeros1 || zeros2 {
			return nil
		}
		if first > last {
			p.errorf(n.Line, "years: the first year %d is after the last %d", first, last)
			return nil
		}
		return &[2]int{first, last}
	}
	return bad()
}

// leadingZeroYear says why the year y, written s with a leading zero, is
// refused: in a plan's words for such a whole number where YAML 1.1 reads
// its digits as another octal number, and, before 1000, that a year is
// not padded to a date's four digits.
func leadingZeroYear(s string, y int) string {
	msg := "want a year without a leading zero, got " + s
	if oct, err := strconv.ParseInt(s, 8, 64); err == nil && oct != int64(y) {
		msg += fmt.Sprintf(", which YAML 1.2 reads as %d and YAML 1.1 as the octal %d", y, oct)
	}
	msg += ": write " + strconv.Itoa(y)
	if y < 1000 {
		msg += " (a year before 1000 is written in its own digits, not padded to four as in a date's YYYY)"
	}
	return msg
}

// outside reads the fallback outside the years: error or weekends.
func (p *fileParser) outside(n *yaml.Node) Fallback {
	if !p.noAlias(n) {
		return NoFallback
	}
	for _, f := range []Fallback{NoFallback, WeekendsFallback} {
		if n.Kind == yaml.ScalarNode && n.Value == f.String() {
			return f
		}
	}
	p.errorf(n.Line, "outside must be error or weekends, got %q", n.Value)
	return NoFallback
}
