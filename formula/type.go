package formula

import (
	"fmt"
	"strings"
)

// Type is the static type of an expression or of a declared name.
type Type uint8

// The types of the language. TypeAny is the type of a name declared without
// a type (checked when the formula runs) and the type of the undefined value.
const (
	TypeAny Type = iota
	TypeBool
	TypeNumber
	TypeString
	TypeTime
	TypeDuration
	TypeList
)

var typeNames = [...]string{
	TypeAny:      "any",
	TypeBool:     "bool",
	TypeNumber:   "number",
	TypeString:   "string",
	TypeTime:     "time",
	TypeDuration: "duration",
	TypeList:     "list",
}

// String returns the name used in error messages and in the language
// reference: any, bool, number, string, time, duration, list. Numbers are
// exact decimals; messages call them "number".
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// noun returns the type with an article, for "must be a boolean" messages.
func (t Type) noun() string {
	switch t {
	case TypeBool:
		return "a boolean"
	case TypeNumber:
		return "a number"
	case TypeString:
		return "a string"
	case TypeTime:
		return "a time"
	case TypeDuration:
		return "a duration"
	case TypeList:
		return "a list"
	}
	return "a value"
}

// GoString returns the Go name of the type constant, for %#v.
func (t Type) GoString() string {
	if int(t) < len(typeNames) {
		return "formula.Type" + strings.ToUpper(typeNames[t][:1]) + typeNames[t][1:]
	}
	return t.String()
}
