package goalkit_test

import (
	"reflect"
	"unsafe"
)

// deepCopy copies v and everything it reaches, keeping the pointers to
// what holds a lock, an atomic or a pool (the compiled plan's sets, which
// reports point to and do not own) as they are.
func deepCopy[T any](v T) T {
	c := copier{seen: map[unsafe.Pointer]reflect.Value{}, opaque: map[reflect.Type]bool{}}
	src := reflect.New(reflect.TypeFor[T]()).Elem()
	src.Set(reflect.ValueOf(&v).Elem())
	dst := reflect.New(src.Type()).Elem()
	c.copy(dst, src)
	return dst.Interface().(T)
}

type copier struct {
	seen   map[unsafe.Pointer]reflect.Value
	opaque map[reflect.Type]bool
}

// open returns the addressable value v (a field, element or pointee) with
// its unexported parts readable and settable.
func open(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// held returns v, a value that may not be addressable, as an addressable
// copy.
func held(v reflect.Value) reflect.Value {
	h := reflect.New(v.Type()).Elem()
	h.Set(v)
	return h
}

func (c *copier) copy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		if c.isOpaque(src.Type().Elem()) {
			dst.Set(src)
			return
		}
		if p, ok := c.seen[src.UnsafePointer()]; ok {
			dst.Set(p)
			return
		}
		n := reflect.New(src.Type().Elem())
		c.seen[src.UnsafePointer()] = n
		c.copy(n.Elem(), open(src.Elem()))
		dst.Set(n)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		n := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			c.copy(open(n.Index(i)), open(src.Index(i)))
		}
		dst.Set(n)
	case reflect.Array:
		for i := range src.Len() {
			c.copy(open(dst.Index(i)), open(src.Index(i)))
		}
	case reflect.Map:
		if src.IsNil() {
			return
		}
		n := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			k, v := reflect.New(src.Type().Key()).Elem(), reflect.New(src.Type().Elem()).Elem()
			c.copy(k, held(it.Key()))
			c.copy(v, held(it.Value()))
			n.SetMapIndex(k, v)
		}
		dst.Set(n)
	case reflect.Struct:
		for i := range src.NumField() {
			c.copy(open(dst.Field(i)), open(src.Field(i)))
		}
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		in := held(src.Elem())
		n := reflect.New(in.Type()).Elem()
		c.copy(n, in)
		dst.Set(n)
	default:
		dst.Set(src)
	}
}

// isOpaque reports whether t holds a lock, an atomic or a pool, in itself
// or in a struct or array it holds.
func (c *copier) isOpaque(t reflect.Type) bool {
	if o, ok := c.opaque[t]; ok {
		return o
	}
	c.opaque[t] = false // a type that holds itself through a pointer
	o := false
	switch t.Kind() {
	case reflect.Struct:
		if p := t.PkgPath(); p == "sync" || p == "sync/atomic" {
			o = true
			break
		}
		for i := range t.NumField() {
			if c.isOpaque(t.Field(i).Type) {
				o = true
				break
			}
		}
	case reflect.Array:
		o = c.isOpaque(t.Elem())
	}
	c.opaque[t] = o
	return o
}
