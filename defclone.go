package goalkit

import "reflect"

// cloneDefinition returns a copy of d that shares nothing a host can change
// with it: every slice, map and pointer reached through exported fields is
// copied. A compiled plan keeps parts of its definition (an indicator's
// kinds, a goal's participants), and Plan is immutable: a host that builds
// several plans from one Definition, changing it between Compile calls, or
// changes the Definition a plan returns, must not change the plans.
func cloneDefinition(d Definition) Definition {
	c := deepClone(reflect.ValueOf(d)).Interface().(Definition)
	c.WorkCalendar = d.WorkCalendar // immutable: the calendar itself
	return c
}

// deepClone returns a copy of v: slices, maps and pointers are copied with
// what they hold; a struct is copied with its exported fields cloned (its
// unexported ones, as a decimal's or a calendar's, copied as they are:
// what they point to is immutable). An interface is shared.
func deepClone(v reflect.Value) reflect.Value {
	t := v.Type()
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(t.Elem())
		n.Elem().Set(deepClone(v.Elem()))
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			n.Index(i).Set(deepClone(v.Index(i)))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			n.SetMapIndex(deepClone(it.Key()), deepClone(it.Value()))
		}
		return n
	case reflect.Struct:
		n := reflect.New(t).Elem()
		n.Set(v)
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				n.Field(i).Set(deepClone(v.Field(i)))
			}
		}
		return n
	}
	return v
}
