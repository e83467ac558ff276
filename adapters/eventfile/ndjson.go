package eventfile

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
)

// JSON value types.
const (
	jNone uint8 = iota
	jString
	jNumber
	jBool
	jNull
	jObject
	jArray
)

var jNames = [...]string{jNone: "nothing", jString: "string", jNumber: "number", jBool: "bool", jNull: "null", jObject: "object", jArray: "array"}

// span is a piece of text: of the line, or, for a string with escapes, of
// the scratch buffer. Offsets rather than slices spare the garbage
// collector's write barriers on the hot path.
type span struct {
	lo, hi  int32
	scratch bool
	// lone is set when the string had an escaped lone surrogate (\ud800
	// to \udfff without its pair), decoded as U+FFFD: two different
	// escapes give the same text, so an identifier with one is refused.
	lone bool
}

// jval is a scanned JSON value: the decoded text of a string, the literal
// of a number.
type jval struct {
	t     uint8
	truth bool
	s     span
}

type jattr struct {
	key span
	v   jval
}

// The fields of an event, in the order an NDJSON line's are checked; a CSV
// header names them too, except attrs (its attributes are columns of their
// own).
const (
	fID = iota
	fDeleted
	fKind
	fTime
	fActor
	fAmount
	fCurrency
	fAttrs
	nFields
)

var fieldNames = [nFields]string{"id", "deleted", "kind", "time", "actor", "amount", "currency", "attrs"}

func fieldIndex(key []byte) int {
	switch string(key) {
	case "id":
		return fID
	case "deleted":
		return fDeleted
	case "kind":
		return fKind
	case "time":
		return fTime
	case "actor":
		return fActor
	case "amount":
		return fAmount
	case "currency":
		return fCurrency
	case "attrs":
		return fAttrs
	}
	return -1
}

// maxDepth bounds the nesting of the JSON values a line may hold.
const maxDepth = 1000

// ndjsonParser reads one JSON object a line with a scanner of its own: it
// keeps number literals as text (so nothing goes through float64) and
// catches duplicate keys.
type ndjsonParser struct {
	common
	s       []byte // the line
	i       int    // the scan position in s
	err     string // what is wrong with the line
	f       [nFields]jval
	seen    uint16
	attrv   []jattr
	attrSet map[string]struct{} // duplicate check for large attrs objects
	scratch []byte              // decoded strings with escapes
	stack   []byte
	keys    dict
	boxStr  dict
	boxNum  dict // undeclared numbers: decimal.Decimal
	boxInt  dict
	boxDec  dict
	boxTime dict
}

// block implements parser.
func (p *ndjsonParser) block(data []byte, line int64, eof bool) (int, int64, error) {
	i := 0
	for i < len(data) {
		rest := data[i:]
		nl := bytes.IndexByte(rest, '\n')
		rec, n := rest, len(rest)
		if nl >= 0 {
			rec, n = rest[:nl], nl+1
		} else if !eof {
			break
		}
		if err := p.line(rec, line); err != nil {
			return i, line, err
		}
		i += n
		line++
	}
	return i, line, nil
}

// line parses one line; a line of nothing but white space is skipped.
func (p *ndjsonParser) line(s []byte, line int64) error {
	p.s, p.i, p.err = s, 0, ""
	p.ws()
	if p.i == len(s) {
		return nil
	}
	if !p.object() {
		p.fail(line, "%s", p.err)
		return nil
	}
	return p.event(line)
}

func (p *ndjsonParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *ndjsonParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

// syntax records a JSON syntax error at the scan position and returns false.
func (p *ndjsonParser) syntax(what string) bool {
	if p.err == "" {
		p.err = fmt.Sprintf("invalid JSON at column %d: %s", p.i+1, what)
	}
	return false
}

// want records that something else was expected at the scan position.
func (p *ndjsonParser) want(what string) bool {
	if p.i >= len(p.s) {
		return p.syntax("want " + what + ", got end of line")
	}
	c := p.s[p.i]
	if c < 0x20 || c >= 0x7f {
		return p.syntax(fmt.Sprintf("want %s, got byte 0x%02x", what, c))
	}
	return p.syntax(fmt.Sprintf("want %s, got %q", what, rune(c)))
}

// object scans the line's object into p.f and p.attrv.
func (p *ndjsonParser) object() bool {
	p.seen = 0
	p.attrv = p.attrv[:0]
	p.scratch = p.scratch[:0]
	if p.peek() != '{' {
		switch c := p.peek(); {
		case c == '[':
			p.err = "want a JSON object, got an array"
		case c == '"':
			p.err = "want a JSON object, got a string"
		case c == '-' || isDigit(c):
			p.err = "want a JSON object, got a number"
		default:
			return p.want(`"{"`)
		}
		return false
	}
	p.i++
	p.ws()
	if p.peek() == '}' {
		p.i++
	} else {
		for {
			ks, ok := p.memberName("a field name")
			if !ok {
				return false
			}
			key := p.text(ks)
			k := fieldIndex(key)
			if k < 0 {
				p.err = "unknown field " + quote(key)
				return false
			}
			if p.seen&(1<<k) != 0 {
				p.err = "duplicate field " + quote(key)
				return false
			}
			p.seen |= 1 << k
			if k == fAttrs && p.peek() == '{' {
				if !p.attrsObject() {
					return false
				}
				p.f[k] = jval{t: jObject}
			} else if p.f[k], ok = p.value(); !ok {
				return false
			}
			more, ok := p.memberNext()
			if !ok {
				return false
			}
			if !more {
				break
			}
		}
	}
	p.ws()
	if p.i != len(p.s) {
		return p.want("the end of the line after the object")
	}
	return true
}

// attrsObject scans the attrs object; nested values are scanned, kept as
// jObject or jArray, and refused later.
func (p *ndjsonParser) attrsObject() bool {
	p.i++
	p.ws()
	if p.peek() == '}' {
		p.i++
		return true
	}
	clear(p.attrSet)
	for {
		ks, ok := p.memberName("an attribute name")
		if !ok {
			return false
		}
		v, ok := p.value()
		if !ok {
			return false
		}
		if len(p.attrv) == kpi.MaxEventAttrs {
			p.err = fmt.Sprintf("attrs: more than %d attributes", kpi.MaxEventAttrs)
			return false
		}
		if key := p.text(ks); p.dupAttr(key) {
			p.err = "attrs: duplicate key " + quote(key)
			return false
		}
		p.attrv = append(p.attrv, jattr{key: ks, v: v})
		if more, ok := p.memberNext(); !ok || !more {
			return ok
		}
	}
}

// memberName scans the name of an object's member and the colon after it,
// up to the member's value; what names what was expected there.
func (p *ndjsonParser) memberName(what string) (span, bool) {
	if p.peek() != '"' {
		return span{}, p.want(what)
	}
	p.i++
	ks, ok := p.str()
	if !ok {
		return span{}, false
	}
	p.ws()
	if p.peek() != ':' {
		return span{}, p.want(`":"`)
	}
	p.i++
	p.ws()
	return ks, true
}

// memberNext scans what follows a member's value: a comma (more is true,
// another member follows) or the closing brace (more is false).
func (p *ndjsonParser) memberNext() (more, ok bool) {
	p.ws()
	switch p.peek() {
	case ',':
		p.i++
		p.ws()
		return true, true
	case '}':
		p.i++
		return false, true
	}
	return false, p.want(`"," or "}"`)
}

// dupAttr reports whether key is already in p.attrv.
func (p *ndjsonParser) dupAttr(key []byte) bool {
	const linear = 16
	if len(p.attrv) < linear {
		for _, a := range p.attrv {
			if bytes.Equal(p.text(a.key), key) {
				return true
			}
		}
		return false
	}
	if p.attrSet == nil {
		p.attrSet = make(map[string]struct{})
	}
	if len(p.attrSet) == 0 {
		for _, a := range p.attrv {
			p.attrSet[string(p.text(a.key))] = struct{}{}
		}
	}
	if _, ok := p.attrSet[string(key)]; ok {
		return true
	}
	p.attrSet[string(key)] = struct{}{}
	return false
}

// value scans any JSON value.
func (p *ndjsonParser) value() (jval, bool) {
	c := p.peek()
	switch {
	case c == '"':
		p.i++
		sp, ok := p.str()
		return jval{t: jString, s: sp}, ok
	case c == '-' || isDigit(c):
		return p.number()
	case c == 't':
		return jval{t: jBool, truth: true}, p.literal("true")
	case c == 'f':
		return jval{t: jBool}, p.literal("false")
	case c == 'n':
		return jval{t: jNull}, p.literal("null")
	case c == '{':
		return jval{t: jObject}, p.skip()
	case c == '[':
		return jval{t: jArray}, p.skip()
	}
	return jval{}, p.want("a value")
}

func (p *ndjsonParser) literal(lit string) bool {
	if len(p.s)-p.i >= len(lit) && string(p.s[p.i:p.i+len(lit)]) == lit {
		p.i += len(lit)
		return true
	}
	return p.syntax("invalid literal")
}

// number scans a JSON number and keeps its literal.
func (p *ndjsonParser) number() (jval, bool) {
	s, start := p.s, p.i
	i := p.i
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && isDigit(s[i]):
		i += digitRun(s[i:])
	default:
		p.i = i
		return jval{}, p.want("a digit")
	}
	var ok bool
	if i < len(s) && s[i] == '.' {
		if i, ok = p.digits(i + 1); !ok {
			return jval{}, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i, ok = p.digits(i); !ok {
			return jval{}, false
		}
	}
	p.i = i
	return jval{t: jNumber, s: span{lo: int32(start), hi: int32(i)}}, true
}

// digits scans the digits that a fraction or an exponent must have at i,
// and returns where they end.
func (p *ndjsonParser) digits(i int) (int, bool) {
	n := digitRun(p.s[i:])
	if n == 0 {
		p.i = i
		return i, p.want("a digit")
	}
	return i + n, true
}

// text returns the bytes of a span.
func (p *ndjsonParser) text(s span) []byte {
	if s.scratch {
		return p.scratch[s.lo:s.hi]
	}
	return p.s[s.lo:s.hi]
}

// str scans a string after its opening quote and returns its decoded text.
func (p *ndjsonParser) str() (span, bool) {
	s, i := p.s, p.i
	start := i
	for i < len(s) {
		c := s[i]
		if c == '"' {
			p.i = i + 1
			return span{lo: int32(start), hi: int32(i)}, true
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
		i++
	}
	begin := len(p.scratch)
	p.scratch = append(p.scratch, s[start:i]...)
	lone := false
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			p.i = i + 1
			return span{lo: int32(begin), hi: int32(len(p.scratch)), scratch: true, lone: lone}, true
		case c == '\\':
			if i+1 >= len(s) {
				p.i = i + 1
				return span{}, p.want("an escape")
			}
			e := s[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				p.scratch = append(p.scratch, e)
			case 'b':
				p.scratch = append(p.scratch, '\b')
			case 'f':
				p.scratch = append(p.scratch, '\f')
			case 'n':
				p.scratch = append(p.scratch, '\n')
			case 'r':
				p.scratch = append(p.scratch, '\r')
			case 't':
				p.scratch = append(p.scratch, '\t')
			case 'u':
				r, ok := hex4(s[i:])
				if !ok {
					p.i = i - 2
					return span{}, p.syntax(`invalid \u escape`)
				}
				i += 4
				if utf16IsHigh(r) {
					// A surrogate pair; a lone surrogate becomes U+FFFD, as
					// encoding/json does (in a value; an identifier with
					// one is refused: see span.lone).
					if len(s)-i >= 6 && s[i] == '\\' && s[i+1] == 'u' {
						if r2, ok := hex4(s[i+2:]); ok && utf16IsLow(r2) {
							r = 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00)
							i += 6
						} else {
							r, lone = utf8.RuneError, true
						}
					} else {
						r, lone = utf8.RuneError, true
					}
				} else if utf16IsLow(r) {
					r, lone = utf8.RuneError, true
				}
				p.scratch = utf8.AppendRune(p.scratch, r)
			default:
				p.i = i - 2
				return span{}, p.syntax(fmt.Sprintf(`invalid escape "\%c"`, e))
			}
		case c < 0x20:
			p.i = i
			return span{}, p.syntax("control character in a string")
		case c >= 0x80:
			r, size := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && size == 1 {
				p.i = i
				return span{}, p.syntax("invalid UTF-8 in a string")
			}
			p.scratch = append(p.scratch, s[i:i+size]...)
			i += size
		default:
			p.scratch = append(p.scratch, c)
			i++
		}
	}
	p.i = i
	return span{}, p.syntax("string not closed")
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func utf16IsHigh(r rune) bool { return 0xD800 <= r && r < 0xDC00 }
func utf16IsLow(r rune) bool  { return 0xDC00 <= r && r < 0xE000 }

// skip scans an object or array (nested to at most maxDepth).
func (p *ndjsonParser) skip() bool {
	p.stack = p.stack[:0]
	for {
		// A value is due at p.i.
		switch c := p.peek(); c {
		case '{', '[':
			if len(p.stack) >= maxDepth {
				return p.syntax("nested too deeply")
			}
			p.i++
			p.ws()
			// An empty object or array is a whole value: nothing to
			// close later.
			if c == '{' {
				if p.peek() == '}' {
					p.i++
					break
				}
				p.stack = append(p.stack, '}')
				if !p.key() {
					return false
				}
				continue
			}
			if p.peek() == ']' {
				p.i++
				break
			}
			p.stack = append(p.stack, ']')
			continue
		default:
			if _, ok := p.value(); !ok {
				return false
			}
		}
		// A value has ended: close containers, or go on to the next element.
		for {
			if len(p.stack) == 0 {
				return true
			}
			p.ws()
			top := p.stack[len(p.stack)-1]
			c := p.peek()
			if c == top {
				p.i++
				p.stack = p.stack[:len(p.stack)-1]
				continue
			}
			if c != ',' {
				return p.want(fmt.Sprintf(`"," or "%c"`, top))
			}
			p.i++
			p.ws()
			if top == '}' && !p.key() {
				return false
			}
			break
		}
	}
}

// key scans `"name":` inside skipped objects.
func (p *ndjsonParser) key() bool {
	if p.peek() != '"' {
		return p.want("a field name")
	}
	p.i++
	if _, ok := p.str(); !ok {
		return false
	}
	p.ws()
	if p.peek() != ':' {
		return p.want(`":"`)
	}
	p.i++
	p.ws()
	return true
}

// loneSurrogate says what is wrong with an identifier (id, kind, actor,
// currency, an attribute name) that has an escaped lone surrogate: it
// stands for no character, and read as U+FFFD it would make different
// ids one (a\ud800 and a\udbff), the later replacing the earlier. (In an
// attribute value, data, it is read as U+FFFD, as encoding/json reads it.)
const loneSurrogate = `an escaped lone surrogate (a \ud800 to \udfff escape without its pair) stands for no character`

// got names the type of a value for a message.
func got(v jval) string { return jNames[v.t] }

// event checks the scanned fields and fills the event.
func (p *ndjsonParser) event(line int64) error {
	e := p.reset()
	f := &p.f
	has := func(k int) bool { return p.seen&(1<<k) != 0 && f[k].t != jNull }
	if !has(fID) {
		p.fail(line, `missing "id"`)
		return nil
	}
	if f[fID].t != jString {
		p.fail(line, "id: want a string, got %s", got(f[fID]))
		return nil
	}
	if len(p.text(f[fID].s)) == 0 {
		p.fail(line, "id: empty string")
		return nil
	}
	if f[fID].s.lone {
		p.fail(line, "id: %s", loneSurrogate)
		return nil
	}
	if bad := identProblem(p.text(f[fID].s)); bad != "" {
		p.fail(line, "id: %s %s", quote(p.text(f[fID].s)), bad)
		return nil
	}
	if has(fDeleted) {
		if f[fDeleted].t != jBool {
			p.fail(line, "deleted: want true or false, got %s", got(f[fDeleted]))
			return nil
		}
		e.Deleted = f[fDeleted].truth
	}
	e.ID = p.slab.str(p.text(f[fID].s))
	if e.Deleted {
		return p.deliver(line)
	}
	for _, k := range [...]int{fKind, fTime, fActor} {
		if !has(k) {
			p.fail(line, "missing %q", fieldNames[k])
			return nil
		}
		if f[k].t != jString {
			p.fail(line, "%s: want a string, got %s", fieldNames[k], got(f[k]))
			return nil
		}
		if len(p.text(f[k].s)) == 0 {
			p.fail(line, "%s: empty string", fieldNames[k])
			return nil
		}
		if k != fTime && f[k].s.lone {
			p.fail(line, "%s: %s", fieldNames[k], loneSurrogate)
			return nil
		}
	}
	var bad string
	if e.Kind, _, bad = p.strs.internIdent(p.text(f[fKind].s), &p.slab); bad != "" {
		p.fail(line, "kind: %s %s", quote(p.text(f[fKind].s)), bad)
		return nil
	}
	t, tp := eventTime(p.text(f[fTime].s), &p.zones)
	if tp != timeOK {
		p.fail(line, "time: %s %s", quote(p.text(f[fTime].s)), tp.describe(p.text(f[fTime].s)))
		return nil
	}
	e.Time = t
	if string(p.text(f[fActor].s)) == org.Everyone {
		p.fail(line, everyoneActor)
		return nil
	}
	if e.Actor, _, bad = p.strs.internIdent(p.text(f[fActor].s), &p.slab); bad != "" {
		p.fail(line, "actor: %s %s", quote(p.text(f[fActor].s)), bad)
		return nil
	}
	if has(fAmount) {
		v := f[fAmount]
		if v.t != jString && v.t != jNumber {
			p.fail(line, "amount: want a decimal string or number, got %s", got(v))
			return nil
		}
		d, problem := parseDecimal(p.text(v.s))
		if problem != "" {
			p.fail(line, "amount: %s %s", p.show(v), problem)
			return nil
		}
		e.Amount = decimal.NullDecimal{Decimal: d, Valid: true}
	}
	if has(fCurrency) {
		v := f[fCurrency]
		if v.t != jString {
			p.fail(line, "currency: want a string, got %s", got(v))
			return nil
		}
		if v.s.lone {
			p.fail(line, "currency: %s", loneSurrogate)
			return nil
		}
		if !validCurrency(p.text(v.s)) {
			p.fail(line, "currency: %s is not 3 upper-case letters", quote(p.text(v.s)))
			return nil
		}
		if !e.Amount.Valid {
			p.fail(line, "currency %s without amount", quote(p.text(v.s)))
			return nil
		}
		e.Currency = p.strs.intern(p.text(v.s), &p.slab)
	}
	if has(fAttrs) {
		if f[fAttrs].t != jObject {
			p.fail(line, "attrs: want an object, got %s", got(f[fAttrs]))
			return nil
		}
		for _, a := range p.attrv {
			if a.key.hi == a.key.lo {
				p.fail(line, "attrs: empty attribute name")
				return nil
			}
			if a.key.lone {
				p.fail(line, "attrs: attribute name %s: %s", quote(p.text(a.key)), loneSurrogate)
				return nil
			}
			name, _, bad := p.keys.internIdent(p.text(a.key), &p.slab)
			if bad != "" {
				p.fail(line, "attrs: attribute name %s %s", quote(p.text(a.key)), bad)
				return nil
			}
			if a.v.t == jNull {
				continue
			}
			v, problem := p.attr(a)
			if problem != "" {
				p.fail(line, "attrs.%s: %s", name, problem)
				return nil
			}
			p.attrs[name] = v
		}
	}
	return p.deliver(line)
}

// show shows a string quoted and a number as it is.
func (p *ndjsonParser) show(v jval) string {
	if v.t == jNumber {
		return display.Clip(string(p.text(v.s)), display.MaxQuoted)
	}
	return quote(p.text(v.s))
}

// attr converts an attribute value by its declared type; undeclared values
// keep their JSON type (a number becomes a decimal.Decimal).
func (p *ndjsonParser) attr(a jattr) (any, string) {
	v := a.v
	switch v.t {
	case jObject:
		return nil, "objects are not allowed"
	case jArray:
		return nil, "arrays are not allowed"
	}
	switch p.opt.Attributes[string(p.text(a.key))] {
	case 0:
		switch v.t {
		case jString:
			return p.boxString(p.text(v.s)), ""
		case jBool:
			return v.truth, ""
		}
		return p.boxDecimal(&p.boxNum, v)
	case kpi.AttrString:
		if v.t != jString {
			return nil, "want a string, got " + got(v)
		}
		return p.boxString(p.text(v.s)), ""
	case kpi.AttrInt:
		if v.t != jNumber {
			return nil, "want an int, got " + got(v)
		}
		if x, ok := p.boxInt.get(p.text(v.s)); ok {
			return x, ""
		}
		n, ok := parseInt(p.text(v.s))
		if !ok {
			d, problem := parseDecimal(p.text(v.s))
			if problem == "" {
				n, ok = decimalToInt(d)
			}
			if !ok {
				return nil, p.show(v) + " is not an int"
			}
		}
		var x any = n
		p.boxInt.put(p.text(v.s), x, &p.slab)
		return x, ""
	case kpi.AttrDecimal:
		if v.t != jString && v.t != jNumber {
			return nil, "want a decimal string or number, got " + got(v)
		}
		return p.boxDecimal(&p.boxDec, v)
	case kpi.AttrBool:
		if v.t != jBool {
			return nil, "want true or false, got " + got(v)
		}
		return v.truth, ""
	case kpi.AttrTime:
		if v.t != jString {
			return nil, "want an RFC 3339 time string, got " + got(v)
		}
		if x, ok := p.boxTime.get(p.text(v.s)); ok {
			return x, ""
		}
		t, tp := parseTime(p.text(v.s), &p.zones)
		if tp != timeOK {
			return nil, quote(p.text(v.s)) + " " + tp.describe(p.text(v.s))
		}
		var x any = t
		p.boxTime.put(p.text(v.s), x, &p.slab)
		return x, ""
	}
	return nil, "unknown attribute type"
}

func (p *ndjsonParser) boxString(b []byte) any {
	return p.boxStr.boxString(b, &p.slab)
}

func (p *ndjsonParser) boxDecimal(c *dict, v jval) (any, string) {
	if x, ok := c.get(p.text(v.s)); ok {
		return x, ""
	}
	d, problem := parseDecimal(p.text(v.s))
	if problem != "" {
		return nil, p.show(v) + " " + string(problem)
	}
	var x any = d
	c.put(p.text(v.s), x, &p.slab)
	return x, ""
}
