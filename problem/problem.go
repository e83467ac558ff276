package problem

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/internal/display"
)

// Code classifies a problem so callers can branch on it. The codes here are
// those of definitions that do not compile; goal's lint rules and cascade's
// consistency checks declare their own codes of this type.
type Code string

// The codes of definition problems.
const (
	Required  Code = "required"  // a required field is missing
	Invalid   Code = "invalid"   // a value is out of range or malformed
	Unknown   Code = "unknown"   // a reference to something that does not exist
	Duplicate Code = "duplicate" // an id is defined twice
	Cycle     Code = "cycle"     // definitions depend on each other in a circle
	Formula   Code = "formula"   // a formula does not compile
	Conflict  Code = "conflict"  // fields that exclude each other are both set
)

// Severity is how serious a problem is: an error stops what it is about
// (a plan does not compile, a lint fails), a warning does not.
type Severity string

// The severities.
const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
)

// Problem is one thing wrong at a path such as `indicators[1].where`: a
// definition that does not compile, a finding of goal's SMART lint, an
// inconsistency of a cascade or of the directory it follows, a plan warning.
type Problem struct {
	// Severity is empty for the problems of Compile (errors all), set for
	// lint findings and warnings.
	Severity Severity `json:"severity,omitempty"`
	Path     string   `json:"path"`
	Code     Code     `json:"code"`
	Msg      string   `json:"message"`
	// Where is the file and line the problem comes from ("plan.yaml:12"),
	// when the definition was read from a file.
	Where string `json:"where,omitempty"`
	// Err is the underlying error, e.g. a *formula.Error with the position.
	Err error `json:"-"`
}

// String returns "WHERE: severity: path: message", leaving out what is
// empty. The path is written as display.Text writes it (a key from a plan
// file may hold a line break or an escape sequence); Path keeps it as is.
func (p Problem) String() string {
	var b strings.Builder
	for _, s := range []string{p.Where, string(p.Severity), display.Text(p.Path)} {
		if s != "" {
			b.WriteString(s)
			b.WriteString(": ")
		}
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error returns "WHERE: path: message", leaving out what is empty, with the
// path escaped as String escapes it.
func (p *Problem) Error() string {
	var b strings.Builder
	if p.Where != "" {
		b.WriteString(p.Where)
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(display.Text(p.Path))
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

func (p *Problem) Unwrap() error { return p.Err }

// Error lists every problem of a set of definitions, sorted by path.
type Error struct {
	Problems []*Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so errors.Is and errors.As look into them.
func (e *Error) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// List collects definition problems.
type List struct {
	list []*Problem
}

// Add records a problem.
func (ps *List) Add(path string, code Code, msg string) {
	ps.list = append(ps.list, &Problem{Path: path, Code: code, Msg: msg})
}

// AddErr records a problem caused by err; the message is err's text. A nil
// err records nothing.
func (ps *List) AddErr(path string, code Code, err error) {
	if err == nil {
		return
	}
	ps.list = append(ps.list, &Problem{Path: path, Code: code, Msg: err.Error(), Err: err})
}

// Merge adds every problem of err: each of a *Error with its own path, any
// other error as one problem without a path, of code Invalid. An error that
// wraps a *Error keeps its own words: where it only puts words before the
// inner error's ("loading plan: …", as fmt.Errorf with %w does), each
// problem of the *Error is added with those words before its message;
// otherwise (words after it, or beside other errors, as errors.Join puts
// them) err is added whole as one problem, its text for the message.
func (ps *List) Merge(err error) {
	if err == nil {
		return
	}
	if ce, ok := err.(*Error); ok {
		ps.list = append(ps.list, ce.Problems...)
		return
	}
	var ce *Error
	if errors.As(err, &ce) {
		prefix, ok := strings.CutSuffix(err.Error(), ce.Error())
		if ok && !strings.Contains(prefix, "\n") {
			for _, p := range ce.Problems {
				q := *p
				q.Msg = prefix + q.Msg
				ps.list = append(ps.list, &q)
			}
			return
		}
	}
	ps.list = append(ps.list, &Problem{Code: Invalid, Msg: err.Error(), Err: err})
}

// Has reports whether a problem at path was recorded.
func (ps *List) Has(path string) bool {
	for _, p := range ps.list {
		if p.Path == path {
			return true
		}
	}
	return false
}

// Len is the number of problems so far.
func (ps *List) Len() int { return len(ps.list) }

// Err returns a *Error with the problems sorted by path, or nil.
func (ps *List) Err() error {
	if len(ps.list) == 0 {
		return nil
	}
	list := slices.Clone(ps.list)
	slices.SortStableFunc(list, func(a, b *Problem) int { return ComparePaths(a.Path, b.Path) })
	return &Error{Problems: list}
}

// Sort sorts problems by path, errors before warnings, then by message, and
// drops repeats (the same path and message), in place; it returns the
// shortened slice.
func Sort(ps []Problem) []Problem {
	sev := func(s Severity) int {
		if s == SevWarning {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(ComparePaths(a.Path, b.Path), cmp.Compare(sev(a.Severity), sev(b.Severity)), strings.Compare(a.Msg, b.Msg))
	})
	// A repeat need not be next to its first: an error and a warning of
	// one path and message have the path's other errors between them.
	type key struct{ path, msg string }
	seen := make(map[key]bool, len(ps))
	return slices.DeleteFunc(ps, func(p Problem) bool {
		k := key{p.Path, p.Msg}
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	})
}

// ComparePaths orders definition paths with numeric indexes in numeric
// order, so that indicators[2] comes before indicators[10]. Every list of
// problems and findings is sorted with it.
//
// It is a total order on all strings: a path is read as text and indexes
// ("[" up to the first "]" after it, compared shorter first, then byte by
// byte: numerically for numbers), and compared unit by unit, a shorter
// path first where one is a prefix of the other. An index sorts where its
// "[" would as a byte, before a "[" that no "]" follows (text, in a path
// such as x[9 that a host built).
func ComparePaths(a, b string) int {
	// A "[" opens an index when a "]" follows it anywhere after.
	ca, cb := strings.LastIndexByte(a, ']'), strings.LastIndexByte(b, ']')
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ka, kb := a[i] == '[' && i < ca, b[j] == '[' && j < cb
		switch {
		case ka && kb:
			ea, eb := i+1+strings.IndexByte(a[i+1:], ']'), j+1+strings.IndexByte(b[j+1:], ']')
			na, nb := a[i+1:ea], b[j+1:eb]
			if c := cmp.Compare(len(na), len(nb)); c != 0 {
				return c
			}
			if c := cmp.Compare(na, nb); c != 0 {
				return c
			}
			i, j = ea+1, eb+1
		case ka:
			if b[j] == '[' {
				return -1
			}
			return cmp.Compare('[', b[j])
		case kb:
			if a[i] == '[' {
				return 1
			}
			return cmp.Compare(a[i], '[')
		default:
			if c := cmp.Compare(a[i], b[j]); c != 0 {
				return c
			}
			i, j = i+1, j+1
		}
	}
	return cmp.Compare(len(a)-i, len(b)-j)
}
