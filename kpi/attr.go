package kpi

import (
	"fmt"
	"strings"
)

// AttrType is the declared type of an event attribute (the plan's
// `attributes` section). Undeclared attributes are strings when read from
// CSV, and keep their JSON type when read from NDJSON.
type AttrType uint8

// The attribute types. Their Go representations in Event.Attrs are string,
// int64, decimal.Decimal, bool and time.Time.
const (
	AttrString AttrType = iota + 1
	AttrInt
	AttrDecimal
	AttrBool
	AttrTime
)

var attrTypeNames = [...]string{AttrString: "string", AttrInt: "int", AttrDecimal: "decimal", AttrBool: "bool", AttrTime: "time"}

// String returns the name used in plan files: string, int, decimal, bool, time.
func (t AttrType) String() string {
	if int(t) < len(attrTypeNames) && t != 0 {
		return attrTypeNames[t]
	}
	return fmt.Sprintf("AttrType(%d)", uint8(t))
}

// parseAttrType parses a type name of a plan's `attributes` section.
func parseAttrType(s string) (AttrType, error) {
	for i, n := range attrTypeNames {
		if n != "" && n == s {
			return AttrType(i), nil
		}
	}
	return 0, fmt.Errorf("unknown attribute type %q (want one of %s)", s, strings.Join(attrTypeNames[1:], ", "))
}

// MarshalText implements encoding.TextMarshaler.
func (t AttrType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *AttrType) UnmarshalText(b []byte) error {
	v, err := parseAttrType(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}
