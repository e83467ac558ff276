package period

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
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
//	name: Example            # optional
//	source: Holiday Act §1   # optional: where the dates come from
//	weekends: [saturday, sunday]   # optional; this is the default; [] for none
//	holidays:                # days off: a date, or a date with a name
//	  - 2025-01-01
//	  - {date: 2025-12-25, name: Christmas Day}
//	workdays:                # transferred working days (weekend days worked)
//	  - {date: 2025-11-01, name: working Saturday}
//
// Dates are written YYYY-MM-DD. Every problem is reported, sorted by line, as
// "NAME:LINE: what" (see [FileError]).
func ParseWorkCalendar(name string, data []byte) (*WorkCalendar, error) {
	return parseWorkCalendar(name, name, data)
}

// LoadWorkCalendar reads and parses the work-calendar file at path (see
// [ParseWorkCalendar]). Unless the file names it, the calendar is named after
// the file without its directory and extension.
func LoadWorkCalendar(path string) (*WorkCalendar, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	base := filepath.Base(path)
	return parseWorkCalendar(path, strings.TrimSuffix(base, filepath.Ext(base)), data)
}

// LoadWorkCalendarFS is like [LoadWorkCalendar] but reads the file name from
// fsys.
func LoadWorkCalendarFS(fsys fs.FS, name string) (*WorkCalendar, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	base := path.Base(name)
	return parseWorkCalendar(name, strings.TrimSuffix(base, path.Ext(base)), data)
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
	line int
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
	root, err := decodeYAML(data)
	if err != nil {
		line, msg := yamlerr.Locate(data, err)
		p.errorf(line, "syntax error: %s", msg)
		return nil, p.err()
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		p.errorf(1, "empty file: want a list of holidays or a mapping with holidays")
		return nil, p.err()
	}
	top := root.Content[0]

	w := &WorkCalendar{name: defaultName, weekend: defaultWeekend}
	var holidays, workdays []fileDay
	switch top.Kind {
	case yaml.SequenceNode:
		holidays = p.days(top, "holiday")
	case yaml.MappingNode:
		seen := map[string]int{}
		for i := 0; i+1 < len(top.Content); i += 2 {
			k, v := top.Content[i], top.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				p.errorf(k.Line, "a key must be a plain name")
				continue
			}
			if line, dup := seen[k.Value]; dup {
				p.errorf(k.Line, "duplicate key %q (also line %d)", k.Value, line)
				continue
			}
			seen[k.Value] = k.Line
			switch k.Value {
			case "name":
				if s, ok := p.text(v, "name"); ok {
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
			case "holidays":
				holidays = p.days(v, "holiday")
			case "workdays":
				workdays = p.days(v, "working day")
			default:
				p.errorf(k.Line, "unknown key %q (want name, source, weekends, holidays or workdays)", k.Value)
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
	if err := p.err(); err != nil {
		return nil, err
	}
	w.holidays = sortedDays(w.holidays)
	w.workdays = sortedDays(w.workdays)
	w.index()
	return w, nil
}

// decodeYAML parses data into a node tree, turning a panic of the YAML
// library on hostile input into an error.
func decodeYAML(data []byte) (root yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: malformed input: %v", r)
		}
	}()
	err = yaml.Unmarshal(data, &root)
	return root, err
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
		default:
			p.errorf(k.Line, "unknown key %q in a %s (want date and name)", k.Value, what)
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
