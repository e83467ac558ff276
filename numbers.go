package goalkit

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

var decimalType = reflect.TypeFor[decimal.Decimal]()

// checkExponents adds a problem, at its path, for every number of v (a
// definition, or a part of one at path) whose exponent is past what a plan
// file's reader takes (the decimal library's MaxDecodeExponent, 10000
// unless a host changes it): a definition built in Go holds any decimal,
// and one with a
// target of 10^100000000 compiled and then computed for minutes at each
// evaluation, where a plan file's reader refuses it.
func checkExponents(v reflect.Value, path string, ps *problem.List) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			checkExponents(v.Elem(), path, ps)
		}
	case reflect.Struct:
		if v.Type() == decimalType {
			d := v.Interface().(decimal.Decimal)
			if x, limit := int64(d.Exponent()), int64(decimal.MaxDecodeExponent); x > limit || x < -limit {
				ps.Add(path, problem.Invalid, fmt.Sprintf("the number's exponent %d is out of range: at most ±%d", x, limit))
			}
			return
		}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			checkExponents(v.Field(i), join(path, name), ps)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			checkExponents(v.Index(i), fmt.Sprintf("%s[%d]", path, i), ps)
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			checkExponents(v.MapIndex(k), join(path, fmt.Sprint(k)), ps)
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
