package problem

import (
	"cmp"
	"errors"
	"slices"
	"strings"
)

// Code classifies a definition problem so callers can branch on it.
type Code uint8

// The problem codes.
const (
	Required  Code = iota + 1 // a required field is missing
	Invalid                   // a value is out of range or malformed
	Unknown                   // a reference to something that does not exist
	Duplicate                 // an id is defined twice
	Cycle                     // definitions depend on each other in a circle
	Formula                   // a formula does not compile
	Conflict                  // fields that exclude each other are both set
)

var codeNames = [...]string{"", "required", "invalid", "unknown", "duplicate", "cycle", "formula", "conflict"}

func (c Code) String() string {
	if int(c) < len(codeNames) {
		return codeNames[c]
	}
	return "problem"
}

// Problem is one thing wrong with a definition, at a path such as
// `indicators[1].where`.
type Problem struct {
	// Where is the file and line the problem comes from ("plan.yaml:12"),
	// when the definition was read from a file.
	Where string
	Path  string
	Code  Code
	Msg   string
	// Err is the underlying error, e.g. a *formula.Error with the position.
	Err error
}

func (p *Problem) Error() string {
	var b strings.Builder
	if p.Where != "" {
		b.WriteString(p.Where)
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
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

// AddErr records a problem caused by err; the message is err's text.
func (ps *List) AddErr(path string, code Code, err error) {
	ps.list = append(ps.list, &Problem{Path: path, Code: code, Msg: err.Error(), Err: err})
}

// Merge adds every problem of err (a *Error or any error) under prefix.
func (ps *List) Merge(err error) {
	if err == nil {
		return
	}
	var ce *Error
	if errors.As(err, &ce) {
		ps.list = append(ps.list, ce.Problems...)
		return
	}
	ps.list = append(ps.list, &Problem{Code: Invalid, Msg: err.Error(), Err: err})
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

// ComparePaths orders definition paths with numeric indexes in numeric
// order, so that indicators[2] comes before indicators[10]. Every list of
// problems and findings is sorted with it.
func ComparePaths(a, b string) int {
	for a != "" && b != "" {
		ia, ib := strings.IndexByte(a, '['), strings.IndexByte(b, '[')
		if ia < 0 || ib < 0 || a[:ia] != b[:ib] {
			return cmp.Compare(a, b)
		}
		a, b = a[ia+1:], b[ib+1:]
		ja, jb := strings.IndexByte(a, ']'), strings.IndexByte(b, ']')
		if ja < 0 || jb < 0 {
			return cmp.Compare(a, b)
		}
		na, nb := a[:ja], b[:jb]
		if c := cmp.Compare(len(na), len(nb)); c != 0 {
			return c
		}
		if c := cmp.Compare(na, nb); c != 0 {
			return c
		}
		a, b = a[ja+1:], b[jb+1:]
	}
	return cmp.Compare(a, b)
}
