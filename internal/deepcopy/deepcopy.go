// Package deepcopy copies definitions whole, so that what a compiled plan
// or set keeps shares nothing a host can change.
package deepcopy

import "reflect"

// Of returns a copy of v that shares nothing a caller can change with it:
// every slice, map and pointer reached through exported fields is copied
// with what it holds. A struct's unexported fields are copied as they are
// (what they point to, a decimal's digits or a calendar, is immutable), and
// an interface is shared.
func Of[T any](v T) T {
	return clone(reflect.ValueOf(&v).Elem()).Interface().(T)
}

func clone(v reflect.Value) reflect.Value {
	t := v.Type()
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(t.Elem())
		n.Elem().Set(clone(v.Elem()))
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			n.Index(i).Set(clone(v.Index(i)))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			n.SetMapIndex(clone(it.Key()), clone(it.Value()))
		}
		return n
	case reflect.Struct:
		n := reflect.New(t).Elem()
		n.Set(v)
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				n.Field(i).Set(clone(v.Field(i)))
			}
		}
		return n
	}
	return v
}
