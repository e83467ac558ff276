package defcheck

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

var (
	decimalType = reflect.TypeFor[decimal.Decimal]()
	jsonType    = reflect.TypeFor[json.Unmarshaler]()
	textType    = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// Exponents adds a problem, at its path, for every number of v (a
// definition, or a part of one at path: a struct, a pointer, a slice or a
// map of them, its fields named by their json tags) whose exponent is past
// what a plan file's reader takes (the decimal library's
// MaxDecodeExponent, 10000 unless a host changes it): a definition built
// in Go holds any decimal, and one with a target of 10^100000000 compiled
// and then computed for minutes at each evaluation, where a plan file's
// reader refuses it. It returns whether every number was in range.
//
// A slice's elements are at path[i]; a map's values at path.key, in the
// order of their keys as text. A value a file writes in one piece (a type
// with its own JSON or text form, such as a milestone "25%") names its
// numbers at its own path: its fields are no keys of the file.
func Exponents(ps *problem.List, path string, v any) bool {
	n := ps.Len()
	exponents(reflect.ValueOf(v), path, ps)
	return ps.Len() == n
}

// InRange reports whether d's exponent is within what a plan file's
// reader takes (±MaxDecodeExponent).
func InRange(d decimal.Decimal) bool {
	x, limit := int64(d.Exponent()), int64(decimal.MaxDecodeExponent)
	return x <= limit && x >= -limit
}

func exponents(v reflect.Value, path string, ps *problem.List) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			exponents(v.Elem(), path, ps)
		}
	case reflect.Struct:
		if v.Type() == decimalType {
			if d := v.Interface().(decimal.Decimal); !InRange(d) {
				ps.Add(path, problem.Invalid, fmt.Sprintf("the number's exponent %d is out of range: at most ±%d", d.Exponent(), decimal.MaxDecodeExponent))
			}
			return
		}
		ptr := reflect.PointerTo(v.Type())
		whole := ptr.Implements(jsonType) || ptr.Implements(textType)
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if whole {
				exponents(v.Field(i), path, ps)
			} else {
				exponents(v.Field(i), join(path, name), ps)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			exponents(v.Index(i), fmt.Sprintf("%s[%d]", path, i), ps)
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			exponents(v.MapIndex(k), join(path, fmt.Sprint(k)), ps)
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
