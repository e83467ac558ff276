package formula

import (
	"fmt"
	"strings"
)

// Code classifies an Error.
type Code uint8

// The error codes.
const (
	// CodeSyntax: the formula does not parse.
	CodeSyntax Code = iota + 1
	// CodeUnknownName: a name that the environment does not declare.
	CodeUnknownName
	// CodeUnknownFunction: a function that does not exist or is not
	// available in this environment (prev, days(), …).
	CodeUnknownFunction
	// CodeType: an operator or function applied to values of the wrong
	// type, or a result of the wrong type.
	CodeType
	// CodeArgument: a wrong number of arguments, or an argument that must
	// be a constant and is not.
	CodeArgument
	// CodeUnsupported: syntax of the underlying expr language that formulas
	// do not allow (nil, let, maps, member access, matches, …).
	CodeUnsupported
	// CodeLimit: a safety limit was exceeded (formula size or nesting, a
	// number out of range, the memory budget of one evaluation).
	CodeLimit
	// CodeInternal: evaluation failed unexpectedly (a recovered panic).
	CodeInternal
	// CodeCalendar: evaluation needed the working days of a date outside
	// the years of the working-day calendar (workdays_between); the Error
	// wraps the *period.OutsideError.
	CodeCalendar
)

var codeNames = [...]string{
	CodeSyntax:          "syntax",
	CodeUnknownName:     "unknown name",
	CodeUnknownFunction: "unknown function",
	CodeType:            "type",
	CodeArgument:        "argument",
	CodeUnsupported:     "unsupported",
	CodeLimit:           "limit",
	CodeInternal:        "internal",
	CodeCalendar:        "calendar",
}

// String returns a short lower-case name of the code.
func (c Code) String() string {
	if int(c) < len(codeNames) && c != 0 {
		return codeNames[c]
	}
	return fmt.Sprintf("Code(%d)", uint8(c))
}

// Error is a problem in a formula, found by Compile, or a failure of Eval.
// Error() returns "MSG (LINE:COL)"; Snippet returns the source line and a
// caret under the position. Callers prefix it with the place of the formula:
// `indicators[1].where: unknown name "sorce" (did you mean "source"?) (1:1)`.
type Error struct {
	Src  string // the formula
	Pos  int    // byte offset of the problem in Src
	Line int    // 1-based line of Pos
	Col  int    // 1-based column of Pos, in characters (runes)
	Msg  string // what is wrong, lower case, no trailing period
	Code Code
	Err  error // the cause, if any, such as a *period.OutsideError
}

// Error returns "MSG (LINE:COL)".
func (e *Error) Error() string {
	return fmt.Sprintf("%s (%d:%d)", e.Msg, e.Line, e.Col)
}

// Unwrap returns the cause, so that errors.As reaches it.
func (e *Error) Unwrap() error { return e.Err }

// Snippet returns the line of Src that holds the error and, under it, a
// caret at the column: two lines separated by "\n". Tabs are shown as
// spaces so the caret lines up.
func (e *Error) Snippet() string {
	start := strings.LastIndexByte(e.Src[:e.Pos], '\n') + 1
	end := strings.IndexByte(e.Src[e.Pos:], '\n')
	if end < 0 {
		end = len(e.Src)
	} else {
		end += e.Pos
	}
	line := strings.ReplaceAll(strings.TrimSuffix(e.Src[start:end], "\r"), "\t", " ")
	return line + "\n" + strings.Repeat(" ", e.Col-1) + "^"
}

// newError builds an Error at a rune offset of src, clamped to the source.
func newError(src string, runePos int, code Code, format string, args ...any) *Error {
	e := &Error{Src: src, Msg: fmt.Sprintf(format, args...), Code: code, Line: 1, Col: 1}
	if runePos < 0 {
		runePos = 0
	}
	n := 0
	for i, r := range src {
		if n == runePos {
			e.Pos = i
			return e
		}
		n++
		if r == '\n' {
			e.Line++
			e.Col = 1
		} else {
			e.Col++
		}
	}
	e.Pos = len(src)
	return e
}
