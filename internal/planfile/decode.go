// Package planfile decodes goalkit's definition files, YAML or JSON, into
// plain structs strictly: an unknown key, a wrong type or a duplicate key is an
// error that names the file, line and path; every such error is reported at
// once. Struct fields are matched by their json tags, so one set of tags
// serves both formats. A whole number or a boolean is written without
// quotes, as the plan's JSON Schema says (count: "3" is text, refused with
// its line). A number outside quotes (a whole number, a decimal or a value
// that takes one) is refused where it is a whole number written with a
// leading zero (010: 10 in YAML 1.2, 8 in YAML 1.1, the message naming both
// readings; 00, which JSON refuses too); a whole number is written in decimal
// digits (0o10, 0x1F and 1_000, which YAML reads as numbers, are refused
// with the number it reads). A whole number tagged plan:"positive" (whose
// 0 in Go means "not given", the default) is refused where a file writes
// 0; a string tagged plan:"text" is refused where a file writes a scalar
// that is not one (true, 5), which an untagged string reads as its text.
package planfile

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/isodate"
	"github.com/goalkit/goalkit/internal/suggest"
	"github.com/goalkit/goalkit/internal/yamlerr"
	"github.com/goalkit/goalkit/problem"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// Error is one problem of a file.
type Error struct {
	File string
	Line int
	Path string
	Msg  string
}

// Error reads like every other definition problem: FILE:LINE: path: message.
// The path holds the file's keys, which are text from outside: it is
// written as display.Text writes it, so a key with a line break or a
// terminal escape leaves the message on one line.
func (e *Error) Error() string {
	p := problem.Problem{Where: e.File, Path: display.Text(e.Path), Msg: e.Msg}
	if e.Line > 0 {
		p.Where += ":" + strconv.Itoa(e.Line)
	}
	return p.Error()
}

// Errors lists every problem of a file, in line order.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap returns the errors, for errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Positions maps a definition path (`indicators[1].where`) to the line it is
// on, so later checks can name the line too.
type Positions map[string]int

// Line returns the line of path, or of its nearest ancestor that has one.
func (p Positions) Line(path string) int {
	for path != "" {
		if l, ok := p[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// Decode parses data (YAML, or JSON, which YAML reads too) into v, a pointer
// to a struct. name is the file name used in errors.
func Decode(name string, data []byte, v any) (Positions, error) {
	d := &decoder{file: name, pos: Positions{}}
	data = yamlerr.JSONText(data)
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return d.pos, Errors{{File: name, Msg: "file is empty"}}
		}
		line, msg := yamlerr.Locate(data, err)
		return d.pos, Errors{{File: name, Line: line, Msg: msg}}
	}
	// What follows the document is refused whether or not it parses: a
	// second document, or text after a JSON object's closing brace.
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return d.pos, Errors{{File: name, Line: extra.Line, Msg: "more than one document in the file"}}
	case !errors.Is(err, io.EOF):
		line, msg := yamlerr.Locate(data, err)
		return d.pos, Errors{{File: name, Line: line, Msg: msg}}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	d.decode(root, reflect.ValueOf(v).Elem(), "")
	if len(d.errs) > 0 {
		slices.SortStableFunc(d.errs, func(a, b *Error) int { return a.Line - b.Line })
		return d.pos, d.errs
	}
	return d.pos, nil
}

type decoder struct {
	file string
	pos  Positions
	errs Errors
}

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: n.Line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	dateType        = reflect.TypeFor[date.Date]()
	decimalType     = reflect.TypeFor[decimal.Decimal]()
)

// scalarName says what YAML reads the scalar n as, where it is not a string.
func scalarName(n *yaml.Node) string {
	switch n.Tag {
	case "!!bool":
		return "the boolean " + n.Value
	case "!!int", "!!float":
		return "the number " + n.Value
	}
	return strconv.Quote(n.Value) + " unquoted, which YAML reads as " + strings.TrimPrefix(n.Tag, "!!")
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return "a scalar"
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if path != "" {
		d.pos[path] = n.Line
	}
	if n.Kind == yaml.AliasNode {
		d.fail(n, path, "aliases are not supported")
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // null leaves the zero value
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), path)
		return
	}
	switch v.Type() {
	case dateType:
		d.date(n, v, path)
		return
	case decimalType:
		d.decimal(n, v, path)
		return
	}
	if reflect.PointerTo(v.Type()).Implements(textUnmarshaler) {
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "want a single value, got %s", kindName(n))
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
			d.fail(n, path, "%s", strings.TrimSuffix(err.Error(), "."))
			return
		}
		// A value that took a number (a milestone's 40) takes it as the
		// other numbers of the file do.
		d.leadingZero(n, path, "a number")
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Map:
		d.decodeMap(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n, path, "want a list, got %s", kindName(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "want a string, got %s", kindName(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		b, err := strconv.ParseBool(n.Value)
		if d.scalar(n, path, err == nil, isBool, "true or false") {
			v.SetBool(b)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(n.Value, 10, v.Type().Bits())
		if d.scalar(n, path, err == nil, notText, "a whole number") && !d.leadingZero(n, path, "a whole number") {
			v.SetInt(i)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		i, err := strconv.ParseUint(n.Value, 10, v.Type().Bits())
		if d.scalar(n, path, err == nil, notText, "a whole number ≥ 0") && !d.leadingZero(n, path, "a whole number ≥ 0") {
			v.SetUint(i)
		}
	case reflect.Interface:
		if v.NumMethod() != 0 {
			d.fail(n, path, "cannot decode into %s", v.Type())
			return
		}
		v.Set(reflect.ValueOf(d.generic(n, path)))
	default:
		d.fail(n, path, "cannot decode into %s", v.Type())
	}
}

// scalar reports whether n is a scalar whose text parsed (parsed) and
// whose YAML type tag the field takes (takes); otherwise it records that
// path wants a value of the kind want. A value in quotes is text, as the
// plan's JSON Schema says (an integer key takes no "3"): where the same
// text without its quotes would be taken, the message says so.
func (d *decoder) scalar(n *yaml.Node, path string, parsed bool, takes func(tag string) bool, want string) bool {
	switch {
	case n.Kind == yaml.ScalarNode && parsed && takes(n.Tag):
		return true
	case n.Kind == yaml.ScalarNode && parsed && n.Tag == "!!str" && takes((&yaml.Node{Kind: yaml.ScalarNode, Value: n.Value}).ShortTag()):
		unquoted := "it"
		if dec, _, ok := LeadingZeroForms(n.Value); ok {
			unquoted = dec
		}
		d.fail(n, path, "want %s, got the string %s (write %s without quotes)", want, display.QuoteID(n.Value), unquoted)
	case takes("!!int"):
		d.fail(n, path, "want %s, got %s%s", want, display.QuoteID(n.Value), yamlInt(n))
	default:
		d.fail(n, path, "want %s, got %s", want, display.QuoteID(n.Value))
	}
	return false
}

// leadingZero reports whether n, a number outside quotes, is a whole number
// written with a leading zero (010, -07, 0010, 08, 00, -000), and records
// that path wants one without. Such a number is ambiguous: YAML 1.2 reads
// 010 as 10, YAML 1.1 (and the YAML library beneath this reader) as the
// octal 8, and JSON refuses it; the message names both readings. A zero
// has one reading, but JSON refuses 00 as it refuses 010, and one rule
// (no leading zero on a whole number) is the one a reader remembers: 00 is
// refused too ("write 0"); 0, -0 and +0 have no leading zero. A number in
// quotes is text, read in decimal by everyone; 0.5, 0.010 and 010.5 are
// not whole numbers and read the same in every reading. (A
// plan:"positive" field's 00 is refused as its 0 is, in that rule's
// words.)
func (d *decoder) leadingZero(n *yaml.Node, path, want string) bool {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!str" {
		return false
	}
	dec, oct, ok := LeadingZeroForms(n.Value)
	switch {
	case !ok:
		return false
	case oct != "" && oct != dec:
		d.fail(n, path, "want %s without a leading zero, got %s, which YAML 1.2 reads as %s and YAML 1.1 as the octal %s: write %s, or %s", want, n.Value, dec, oct, dec, oct)
	default:
		d.fail(n, path, "want %s without a leading zero, got %s: write %s", want, n.Value, dec)
	}
	return true
}

// LeadingZeroForms reports whether s is a whole number written in decimal
// digits with a leading zero, [+-]0digits (00 and -000 too), and returns it
// as it is written without (dec: 0 for a zero) and, where its digits are
// octal ones, as YAML 1.1 reads it (oct), as Go's flag package does too.
func LeadingZeroForms(s string) (dec, oct string, ok bool) {
	sign, digits := "", s
	if digits != "" && (digits[0] == '-' || digits[0] == '+') {
		sign, digits = digits[:1], digits[1:]
	}
	if len(digits) < 2 || digits[0] != '0' || strings.Trim(digits, "0123456789") != "" {
		return "", "", false
	}
	if sign == "+" || strings.Trim(digits, "0") == "" {
		sign = "" // 00 and -000 are written 0
	}
	var x big.Int
	x.SetString(digits, 10)
	dec = sign + x.String()
	if _, octal := x.SetString(digits, 8); octal {
		oct = sign + x.String()
	}
	return dec, oct, true
}

// writesZero reports whether n, outside quotes, is a zero written in
// decimal digits: 0, -0, +0, 00, -000.
func writesZero(n *yaml.Node) bool {
	digits := strings.TrimLeft(n.Value, "+-")
	return n.Kind == yaml.ScalarNode && n.Tag != "!!str" && len(n.Value)-len(digits) <= 1 &&
		digits != "" && strings.Trim(digits, "0") == ""
}

// yamlInt says, of a scalar outside quotes that YAML reads as a whole
// number but that is not written in decimal digits (0o10, 0x1F, 1_000),
// which number YAML reads in it: a plan writes whole numbers in decimal.
func yamlInt(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 ||
		strings.Trim(strings.TrimLeft(n.Value, "+-"), "0123456789") == "" {
		return ""
	}
	var x int64
	if err := n.Decode(&x); err != nil {
		return ""
	}
	return " (YAML reads it as " + strconv.FormatInt(x, 10) + ": write it in decimal digits)"
}

// isBool takes a YAML boolean; notText any scalar but a string (a whole
// number is read from its text, whatever its tag: !!float 3 is one).
func isBool(tag string) bool  { return tag == "!!bool" }
func notText(tag string) bool { return tag != "!!str" }

// date reads a date strictly: exactly YYYY-MM-DD, and a real one. The
// date library's own UnmarshalText takes 2025-02-30 for 2025-03-02 and
// names itself in its errors.
func (d *decoder) date(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "want a date %s, got %s", isodate.Form, kindName(n))
		return
	}
	t, err := isodate.Parse(n.Value)
	if err != nil {
		d.fail(n, path, "%s", err)
		return
	}
	v.Set(reflect.ValueOf(t))
}

// decimal reads a decimal number. The decimal library's errors name its
// own internals (MaxDecodeExponent), so the message is ours.
func (d *decoder) decimal(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "want a number, got %s", kindName(n))
		return
	}
	x, err := decimal.NewFromString(n.Value)
	switch {
	case err == nil:
		if !d.leadingZero(n, path, "a number") {
			v.Set(reflect.ValueOf(x))
		}
	case NumberForm(n.Value):
		d.fail(n, path, "%s is out of range: too large an exponent or too many decimal places", display.QuoteID(n.Value))
	default:
		d.fail(n, path, "want a number such as 1234.50, got %s%s", display.QuoteID(n.Value), yamlInt(n))
	}
}

// NumberForm reports whether s is written as a decimal number,
// [+-]digits[.digits][(e|E)[+-]digits]: when decimal.NewFromString refuses
// such a text, it is because of the size of its exponent (a long fraction
// makes a large negative one), and a message says it is out of range
// rather than not a number (goalkit split's -weights, as a plan's).
func NumberForm(s string) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i, n = i+1, n+1
		}
		return n
	}
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

func (d *decoder) generic(n *yaml.Node, path string) any {
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = d.generic(n.Content[i+1], path+"."+n.Content[i].Value)
		}
		return m
	case yaml.SequenceNode:
		var s []any
		for i, c := range n.Content {
			s = append(s, d.generic(c, fmt.Sprintf("%s[%d]", path, i)))
		}
		return s
	}
	return n.Value
}

type fieldInfo struct {
	name  string
	index int
	// plan is the field's plan tag: "positive", a whole number whose 0
	// means "not given" in Go (a 0 written in a file is a mistake,
	// refused); "text", a string that a file writes as one (true or 5
	// unquoted is refused, where an untagged string takes its text).
	plan string
}

func fields(t reflect.Type) []fieldInfo {
	var fs []fieldInfo
	for i := range t.NumField() {
		if name, ok := Key(t.Field(i)); ok {
			fs = append(fs, fieldInfo{name: name, index: i, plan: t.Field(i).Tag.Get("plan")})
		}
	}
	return fs
}

// Key returns the key that sets a struct field in a plan file: the name of
// its json tag, else its Go name. ok is false for a field no key sets (an
// unexported one, or one tagged "-"). The plan file's JSON Schema names
// the same keys.
func Key(f reflect.StructField) (key string, ok bool) {
	if !f.IsExported() {
		return "", false
	}
	key, _, _ = strings.Cut(f.Tag.Get("json"), ",")
	switch key {
	case "-":
		return "", false
	case "":
		return f.Name, true
	}
	return key, true
}

// plainKey reports whether s could be a key a plan means: letters, digits,
// underscores and hyphens.
func plainKey(s string) bool {
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping, got %s", kindName(n))
		return
	}
	fs := fields(v.Type())
	d.entries(n, path, func(k, val *yaml.Node, sub string) {
		idx := slices.IndexFunc(fs, func(f fieldInfo) bool { return f.name == k.Value })
		if idx < 0 {
			var names []string
			for _, f := range fs {
				names = append(names, f.name)
			}
			if n.Style&yaml.FlowStyle != 0 && !plainKey(k.Value) {
				// {id: a, formula: coalesce(x, 0) + 1}: the comma ended the
				// formula, and its rest became a key.
				d.fail(k, path, "unknown key %q: in a {…} mapping a comma ends a value, so a value with a comma (a formula such as coalesce(x, 0)) is cut there: quote it, or write the mapping one key a line", k.Value)
				return
			}
			msg := fmt.Sprintf("unknown key %q", k.Value)
			if s := suggest.Closest(k.Value, names); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.fail(k, sub, "%s", msg)
			return
		}
		fv, errs := v.Field(fs[idx].index), len(d.errs)
		if fs[idx].plan == "positive" && fv.CanInt() && writesZero(val) {
			// 00 is refused as 0 is: "write 0" would lead to that refusal.
			d.pos[sub] = val.Line
			d.fail(val, sub, "want a whole number of 1 or more, got %s (leave %s out for its default)", display.QuoteID(val.Value), k.Value)
			return
		}
		d.decode(val, fv, sub)
		if len(d.errs) > errs || val.Kind != yaml.ScalarNode || val.Tag == "!!null" {
			return
		}
		switch {
		case fs[idx].plan == "positive" && fv.CanInt() && fv.Int() == 0:
			d.fail(val, sub, "want a whole number of 1 or more, got %s (leave %s out for its default)", display.QuoteID(val.Value), k.Value)
		case fs[idx].plan == "text" && val.Tag != "!!str":
			d.fail(val, sub, "want a string, got %s (write it in quotes if it is the %s)", scalarName(val), k.Value)
		}
	})
}

func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping, got %s", kindName(n))
		return
	}
	if v.Type().Key().Kind() != reflect.String {
		d.fail(n, path, "cannot decode into %s", v.Type())
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	d.entries(n, path, func(k, val *yaml.Node, sub string) {
		ev := reflect.New(v.Type().Elem()).Elem()
		d.decode(val, ev, sub)
		v.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), ev)
	})
}

// entries calls f with each key of the mapping n, its value and its path;
// a key seen before is an error instead.
func (d *decoder) entries(n *yaml.Node, path string, f func(k, val *yaml.Node, sub string)) {
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			// YAML allows a list or a mapping as a key (`{[a, b]: 1}`); its
			// Value is empty, which read as the key "".
			d.fail(k, path, "a key must be a single name, got %s", kindName(k))
			continue
		}
		sub := join(path, k.Value)
		if seen[k.Value] {
			d.fail(k, sub, "duplicate key %q", k.Value)
			continue
		}
		seen[k.Value] = true
		f(k, val, sub)
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
