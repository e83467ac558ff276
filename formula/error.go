package formula

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/goalkit/goalkit/internal/display"
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
//
// Lines end at a line feed, a carriage return, the two together, a next line
// (U+0085), a line separator (U+2028) or a paragraph separator (U+2029), as
// an editor breaks them.
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
// caret at the position: two lines separated by "\n". Tabs are shown as
// spaces; any other control character, a bidirectional formatting character
// or invalid UTF-8 in the line is escaped as display.Text does (\x1b,
// \u202e), with the caret moved past the escapes, so that the snippet prints
// as two lines on a terminal whatever the formula holds.
func (e *Error) Snippet() string {
	start, end := 0, len(e.Src)
	for i, r := range e.Src {
		n := lineBreak(e.Src, i, r)
		if n == 0 {
			continue
		}
		if i < e.Pos {
			start = i + n
			continue
		}
		end = i
		if r == '\n' && i > start && e.Src[i-1] == '\r' {
			end-- // the carriage return of a CR LF is not shown
		}
		break
	}
	show := func(s string) string { return display.Text(strings.ReplaceAll(s, "\t", " ")) }
	caret := utf8.RuneCountInString(show(e.Src[start:min(max(e.Pos, start), end)]))
	return show(e.Src[start:end]) + "\n" + strings.Repeat(" ", caret) + "^"
}

// lineBreak returns the length in bytes of the line break that the rune r at
// src[i:] is, or 0 if it is none. Of a carriage return and a line feed, the
// line feed is the break.
func lineBreak(src string, i int, r rune) int {
	switch r {
	case '\n', 0x85, 0x2028, 0x2029:
		return utf8.RuneLen(r)
	case '\r':
		if i+1 < len(src) && src[i+1] == '\n' {
			return 0
		}
		return 1
	}
	return 0
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
		if lineBreak(src, i, r) > 0 {
			e.Line++
			e.Col = 1
		} else {
			e.Col++
		}
	}
	e.Pos = len(src)
	return e
}
