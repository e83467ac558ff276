package colstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"time"
	"unsafe"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Sentinels of the Day and Amount columns.
const (
	// DeadDay marks a row that was replaced or retracted: no period holds it.
	DeadDay int32 = math.MinInt32
	// NoAmount marks a row without an amount.
	NoAmount int64 = math.MinInt64
	// BigAmount marks a row whose amount does not fit the table's int64 minor
	// units; the exact value is in Segment.Big.
	BigAmount int64 = math.MinInt64 + 1
)

// MaxScale is the largest amount scale (decimal places) kept in int64 form.
const MaxScale = 9

// Segment holds the rows of one event kind, column by column.
type Segment struct {
	Kind   string
	N      int
	idEnd  []uint32 // end offset of row i's id in idBuf
	idBuf  []byte
	Actor  []uint32
	Day    []int32 // local date (date.Date) in the table's zone; DeadDay when dead
	TS     []int64 // unix nanoseconds
	Amount []int64 // unscaled at Table.Scale; nil while no row has an amount
	Big    map[int32]decimal.Decimal
	Cur    codeCol
	Attrs  []codeCol // by attribute index; absent past a column's end (sparse columns: see codeCol)
	// retracted holds the dead rows that were retracted (as opposed to
	// replaced by a newer version). A dead row's local date is its
	// instant's in loc, the table's zone.
	retracted map[int32]struct{}
	loc       *time.Location
	// known holds when each row became known, when any did (unix ns, 0 = always).
	known []int64
	// copying is the copy of TS, idEnd or idBuf under way, if any (see
	// aside.go).
	copying *asideCopy
}

// Table is a columnar event table. The zero value is not usable: call New.
type Table struct {
	loc      *time.Location
	zones    zoneCache
	Scale    int32
	kinds    strDict
	Segs     []*Segment // by kind code - 1
	actors   strDict
	curs     strDict
	attrIdx  strDict
	attrVals []*valueDict // by attribute index
	ids      idIndex
	live     int
	deadN    int
	codes    []AttrCode // the encoded attributes of the event being applied
	// given, when not nil, holds them instead: the codes its caller gave
	// (ApplyChecked's attrs without vals), read in place.
	given  []AttrCode
	rows   int // rows appended, dead ones included
	expect int // rows expected in all (Grow), 0 when unknown
	// growIDs is the size of the id index Grow asked for, made when the
	// first id that is not a number comes (numeric ids need no slots).
	growIDs int
	log     *chunkLog   // a chunk's (NewChunk); nil for a table
	memo    *stitchMemo // of a chunk Cut returns, or cuts from
	last    *Segment    // see Appended
	lastIdx int         // last's index in Segs
	aside   bool        // see CopyAside
}

// CachedCode returns the code of v among the values of attribute ai (its
// index in Names) when the table's cache of recent values holds it, 0
// otherwise. A value found is the very value (the same boxed value) the
// table coded before: of a type attributes take.
func (t *Table) CachedCode(ai int, v any) uint32 {
	if ai >= len(t.attrVals) {
		return 0
	}
	// anyCache.get, without its test of a nil v (whose address and type
	// are those of an empty entry, whose code is 0): small enough to be
	// inlined in the caller.
	f := (*eface)(unsafe.Pointer(&v))
	if e := &t.attrVals[ai].cache.e[slotOf(f.data)]; e.data == f.data && e.typ == f.typ {
		return e.code
	}
	return 0
}

// maxLookupAttrs bounds the attributes looked up by name before the event's
// map is iterated instead.
const maxLookupAttrs = 16

// encodeAttrs codes e.Attrs (or h.list, or h.attrs and h.vals) into
// t.codes; encode takes h.attrs alone as they are (t.given). With few
// known attribute names it looks each up in the event's map, which is much
// cheaper than iterating the map; only names it has not seen before make
// it iterate.
func (t *Table) encodeAttrs(e *Version, h *how) error {
	t.codes, t.given = t.codes[:0], nil
	if h.list != nil {
		if len(h.list) > MaxEventAttrs {
			return tooManyAttrs(e.ID, len(h.list))
		}
		for _, a := range h.list {
			if a.Name == "" {
				return fmt.Errorf("event %s has an attribute without a name", display.QuoteID(e.ID))
			}
			if err := t.roomFor(e.ID, a.Name); err != nil {
				return err
			}
			code, bad := t.attrIdx.identCode(a.Name)
			if bad != "" {
				return fmt.Errorf("event %s: attribute name %s %s", display.QuoteID(e.ID), display.QuoteID(a.Name), bad)
			}
			ai := int(code) - 1
			for ai >= len(t.attrVals) {
				t.attrVals = append(t.attrVals, newValueDict())
			}
			if err := t.encodeAttr(e.ID, ai, a.Name, a.Value); err != nil {
				return err
			}
		}
		return nil
	}
	if h.vals != nil {
		t.codes = append(t.codes, h.attrs...)
		return t.encodeAttrVals(e, h)
	}
	if len(e.Attrs) == 0 {
		return nil
	}
	if len(e.Attrs) > MaxEventAttrs {
		return tooManyAttrs(e.ID, len(e.Attrs))
	}
	known := t.attrIdx.vals[1:]
	if len(known) <= maxLookupAttrs {
		for ai, name := range known {
			v, ok := e.Attrs[name]
			if !ok {
				continue
			}
			// encodeAttr's steps for a value the cache holds (its code
			// not 0), inlined: every loaded event's path.
			if c := t.CachedCode(ai, v); c != 0 {
				t.codes = append(t.codes, AttrCode{ai, c})
				continue
			}
			if err := t.encodeAttr(e.ID, ai, name, v); err != nil {
				return err
			}
		}
		if len(t.codes) == len(e.Attrs) {
			return nil
		}
		t.codes = t.codes[:0]
	}
	for name, v := range e.Attrs {
		if name == "" {
			return fmt.Errorf("event %s has an attribute without a name", display.QuoteID(e.ID))
		}
		if err := t.roomFor(e.ID, name); err != nil {
			return err
		}
		code, bad := t.attrIdx.identCode(name)
		if bad != "" {
			return fmt.Errorf("event %s: attribute name %s %s", display.QuoteID(e.ID), display.QuoteID(name), bad)
		}
		ai := int(code) - 1
		for ai >= len(t.attrVals) {
			t.attrVals = append(t.attrVals, newValueDict())
		}
		if err := t.encodeAttr(e.ID, ai, name, v); err != nil {
			return err
		}
	}
	return nil
}

// encodeAttrVals codes h.vals into t.codes.
func (t *Table) encodeAttrVals(e *Version, h *how) error {
	if len(h.vals) > len(t.attrIdx.vals)-1 {
		return fmt.Errorf("event %s: %d attribute values for the %d names the table knows", display.QuoteID(e.ID), len(h.vals), len(t.attrIdx.vals)-1)
	}
	for ai, v := range h.vals {
		if v == nil {
			continue
		}
		for ai >= len(t.attrVals) {
			t.attrVals = append(t.attrVals, newValueDict())
		}
		// encodeAttr's steps, and the cache's probe of valueDict.code,
		// inlined: this is every tracked event's path.
		d := t.attrVals[ai]
		c, ok := d.cache.get(v)
		var err error
		if !ok {
			c, err = d.codeMissed(v)
		}
		if err != nil {
			return fmt.Errorf("event %s: attribute %s: %w", display.QuoteID(e.ID), display.QuoteID(t.attrIdx.vals[ai+1]), err)
		}
		if c != 0 {
			t.codes = append(t.codes, AttrCode{ai, c})
		}
	}
	return nil
}

// roomFor refuses a name new to a table that holds MaxAttrNames names.
func (t *Table) roomFor(id, name string) error {
	if t.AttrNames() < MaxAttrNames {
		return nil
	}
	if _, ok := t.attrIdx.lookup(name); ok {
		return nil
	}
	return tooManyNames(id, name)
}

func (t *Table) encodeAttr(id string, ai int, name string, v any) error {
	c, err := t.attrVals[ai].code(v)
	if err != nil {
		return fmt.Errorf("event %s: attribute %s: %w", display.QuoteID(id), display.QuoteID(name), err)
	}
	if c != 0 {
		t.codes = append(t.codes, AttrCode{ai, c})
	}
	return nil
}

// maxGrow is the most events Grow makes room for ahead of them, about 16.8
// million: ten times the rows of a large CRM's year, and the standard
// workload's 10 million with room.
const maxGrow = 1 << 24

// New returns an empty table whose local dates are in loc.
func New(loc *time.Location) *Table {
	t := empty(loc)
	t.ids = newIDIndex()
	// Actors are many (a CRM's users): a larger cache keeps them apart.
	t.actors.cache = sized(12)
	return t
}

// empty returns an empty table whose local dates are in loc, without its
// id index or caches: New adds them to a table, NewChunk only the index a
// chunk never fills (its caches grow as their dictionaries do).
func empty(loc *time.Location) *Table {
	return &Table{
		loc:     loc,
		zones:   zoneCache{loc: loc},
		Scale:   2,
		kinds:   newStrDict(),
		actors:  newStrDict(),
		curs:    newStrDict(),
		attrIdx: newStrDict(),
	}
}

// Grow makes room for about n more events: the id index is sized for them
// when the first id that is not a canonical number comes (numeric ids are
// addressed directly and need none of it), and each kind's columns, once its share of the events so far is
// known, are sized for its share of n, instead of being copied over and
// over as they grow. n is a hint: what it may make room for is capped at
// maxGrow events (past them the columns grow as they fill), and a negative
// n is taken as zero, so that a count gone wrong (a file's size in bytes, a
// host's guess of 2^40) cannot ask for more memory than the machine has.
func (t *Table) Grow(n int) {
	n = min(max(n, 0), maxGrow)
	t.expect = t.rows + n
	if t.log != nil {
		t.log.order = reserve(t.log.order, len(t.log.order)+n)
		return
	}
	t.growIDs = t.ids.n + n
}

// Location is the zone of the Day column.
func (t *Table) Location() *time.Location { return t.loc }

// Live is the number of live events.
func (t *Table) Live() int { return t.live }

// Dead is the number of dead rows (replaced or retracted versions).
func (t *Table) Dead() int { return t.deadN }

// Actors returns the actor dictionary: Actors()[code] is the actor's id.
func (t *Table) Actors() []string { return t.actors.vals }

// ActorCode returns the code of an actor.
func (t *Table) ActorCode(a string) (uint32, bool) { return t.actors.lookup(a) }

// AddActor returns the code of an actor, adding it to the dictionary: for
// results aggregated elsewhere (a SQL source) that name actors the table's
// events never did.
func (t *Table) AddActor(a string) uint32 { return t.actors.code(a) }

// Names returns the attribute names the table has seen, in the order of
// their indexes (Attr).
func (t *Table) Names() []string { return t.attrIdx.vals[1:] }

// Currencies returns the currency dictionary.
func (t *Table) Currencies() []string { return t.curs.vals }

// Attr returns the index of an attribute and whether the table has seen it.
func (t *Table) Attr(name string) (int, bool) {
	c, ok := t.attrIdx.lookup(name)
	return int(c) - 1, ok
}

// AttrValues returns the dictionary of attribute i: AttrValues(i)[code].
func (t *Table) AttrValues(i int) []any { return t.attrVals[i].vals }

func (t *Table) hasKind(k string) bool {
	_, ok := t.kinds.lookup(k)
	return ok
}

// Segment returns the segment of a kind.
func (t *Table) Segment(kind string) *Segment {
	c, ok := t.kinds.lookup(kind)
	if !ok {
		return nil
	}
	return t.Segs[c-1]
}

func (t *Table) idOf(ref uint64) string {
	si, r := unpackRef(ref)
	s := t.Segs[si]
	s.Settle()
	return s.ID(r)
}

// ID returns the id of row i.
func (s *Segment) ID(i int) string { return idAt(s.idBuf, s.idEnd, i) }

// idAt returns the i-th id of buf, whose ids end at end[0], end[1], ...
func idAt(buf []byte, end []uint32, i int) string {
	start := uint32(0)
	if i > 0 {
		start = end[i-1]
	}
	b := buf[start:end[i]]
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Alive reports whether row i is the live version of its event.
func (s *Segment) Alive(i int) bool { return s.Day[i] != DeadDay }

// Retracted reports whether dead row i was retracted (not replaced).
func (s *Segment) Retracted(i int) bool {
	_, ok := s.retracted[int32(i)]
	return ok
}

// LocalDay returns row i's local date, also for a dead row.
func (s *Segment) LocalDay(i int) date.Date {
	if d := s.Day[i]; d != DeadDay {
		return date.Date(d)
	}
	y, m, d := time.Unix(0, s.TS[i]).In(s.loc).Date()
	return date.New(y, m, d)
}

// Known returns when row i became known (zero time: always).
func (s *Segment) Known(i int) time.Time {
	if s.known == nil {
		return time.Time{}
	}
	return KnownTime(s.known[i])
}

// knownAtEpoch is the known column's value of a version known at the unix
// epoch, whose nanoseconds, 0, mean a version known always there: an
// instant outside the years a known instant may have (InYears).
const knownAtEpoch int64 = math.MinInt64

// KnownTime is the instant of a known column's value, in UTC: zero (known
// always) for 0. Not in time.Local: on a machine whose zone's offset has
// seconds, RFC 3339 (encoding/json, the reports) would write another
// instant (see InZone).
func KnownTime(k int64) time.Time {
	switch k {
	case 0:
		return time.Time{}
	case knownAtEpoch:
		return time.Unix(0, 0).UTC()
	}
	return time.Unix(0, k).UTC()
}

// KnownNanos is the known column's value of a version known at k (zero:
// known always), as KnownTime reads it back.
func KnownNanos(k time.Time) int64 {
	if k.IsZero() {
		return 0
	}
	if n := k.UnixNano(); n != 0 {
		return n
	}
	return knownAtEpoch
}

// AmountOf returns row i's amount at the table's scale: an amount of more
// places than it (past MaxScale) with its own.
func (s *Segment) AmountOf(i int, scale int32) (decimal.Decimal, bool) {
	if s.Amount == nil {
		return decimal.Decimal{}, false
	}
	switch a := s.Amount[i]; a {
	case NoAmount:
		return decimal.Decimal{}, false
	case BigAmount:
		return s.bigOf(i, scale), true
	default:
		return decimal.New(a, -scale), true
	}
}

// bigOf is AmountOf of a row in the side table. It holds the amount with
// the places it came with, or the scale it had when a rescale moved it
// there: both depend on the versions applied before it and on how a load
// went, so it is read at the table's scale as the others are.
func (s *Segment) bigOf(i int, scale int32) decimal.Decimal {
	d := s.Big[int32(i)]
	if d.Exponent() > -scale {
		return d.Round(scale) // exact: fewer places than scale
	}
	return d
}

// Version is one event version's fields, those of a kpi.Event (so that a
// tracker hands its events to the table as they are: see ApplyVersion).
type Version struct {
	ID       string
	Kind     string
	Time     time.Time
	Actor    string
	Amount   decimal.NullDecimal
	Currency string
	Attrs    map[string]any
	Deleted  bool
	Known    time.Time
}

// Input is one event version to append. Its first fields are a Version's,
// in the same order (see version); they are written out rather than an
// embedded Version so that Input literals name them directly.
type Input struct {
	ID       string
	Kind     string
	Time     time.Time
	Actor    string
	Amount   decimal.NullDecimal
	Currency string
	Attrs    map[string]any
	Deleted  bool
	Known    time.Time
	// AttrList, when not nil, holds the attributes instead of Attrs.
	AttrList []Attr
	// AttrVals, when not nil (and AttrList is), holds the attributes
	// instead of Attrs: the value of the table's attribute i (Names) at
	// index i, nil where the event has none. The caller has checked the
	// values' types; it spares the table the lookups in Attrs.
	AttrVals []any
	// Codes, when not zero, are the codes Table.Known returned for Kind,
	// Actor and Currency (0 for a string it did not know): the table does
	// not look those up again.
	Codes Codes
}

// version is in's fields as a Version, without copying them: an Input
// starts with a Version's fields (TestInputStartsWithAVersion).
func (in *Input) version() *Version { return (*Version)(unsafe.Pointer(in)) }

// how is what the table takes of an Input beside its Version.
type how struct {
	list  []Attr
	vals  []any
	attrs []AttrCode // see ApplyChecked
	codes Codes
	// checked is set when the caller has checked the version's kind, time
	// and known instant as encode would (see ApplyChecked).
	checked bool
}

// Codes are the codes of an event's actor, currency and kind in a table's
// dictionaries, 0 for a string the table does not hold, and ID is the
// number of its id plus one when the caller found it (IDNumber), 0 when it
// did not: the table then reads the id itself.
type Codes struct {
	Actor, Currency, Kind uint32
	ID                    uint64
}

// Known returns the codes of kind, actor and currency in the table's
// dictionaries, 0 for an empty string or one the table does not hold. A
// string the table holds is an identifier: it was checked when it came.
func (t *Table) Known(kind, actor, currency string) Codes {
	var c Codes
	// strDict.known's steps for the kind and the actor, the probe of the
	// cache inlined: every tracked event's path.
	var ok bool
	if kind != "" {
		if t.kinds.cache.e != nil {
			c.Kind, ok = t.kinds.cache.probe(kind)
		}
		if !ok {
			c.Kind = t.kinds.knownMissed(kind)
		}
	}
	if actor != "" {
		ok = false
		if t.actors.cache.e != nil {
			c.Actor, ok = t.actors.cache.probe(actor)
		}
		if !ok {
			c.Actor = t.actors.knownMissed(actor)
		}
	}
	if currency != "" {
		c.Currency = t.curs.known(currency)
	}
	return c
}

// Attr is one attribute of an Input's AttrList.
type Attr struct {
	Name  string
	Value any
}

// ErrNoID is returned for an event without an id.
var ErrNoID = errors.New("event has no id")

// Apply adds one event version: a new event, a correction that replaces the
// live version with the same id, or (Deleted) a retraction. It validates the
// whole input before changing anything.
func (t *Table) Apply(in *Input) error { return t.ApplyReplacing(in, nil) }

// ApplyReplacing is Apply that first calls before (when not nil) with the
// live row the version replaces or retracts, if there is one, once the
// version has passed every check and while the row is still alive: an error
// from before is returned with the rows unchanged. The id is looked up once.
func (t *Table) ApplyReplacing(in *Input, before func(s *Segment, row int) error) error {
	return t.apply(in.version(), &how{list: in.AttrList, vals: in.AttrVals, codes: in.Codes}, before)
}

// ApplyVersion is ApplyReplacing of the Input with e's fields, AttrVals vals
// and Codes codes, without copying e.
func (t *Table) ApplyVersion(e *Version, vals []any, codes Codes, before func(s *Segment, row int) error) error {
	return t.apply(e, &how{vals: vals, codes: codes}, before)
}

// ApplyChecked is ApplyVersion of a version whose kind, time and known
// instant the caller has checked (a kind not empty, a time not zero and
// within InYears, a known instant zero or within InYears, as the event's
// Validate does): the table does not check them again. The rest (the id,
// the room for kinds and attribute names, the attributes' values, the
// identifiers new to the table) it checks as ApplyVersion does.
//
// When attrs is not nil, the event's attributes are attrs (the codes of
// values CachedCode found, each attribute once) and vals (nil, or the
// other values by the index of their names, nil at the others): the table
// reads neither e.Attrs nor the values whose codes it is given.
func (t *Table) ApplyChecked(e *Version, vals []any, attrs []AttrCode, codes Codes, before func(s *Segment, row int) error) error {
	return t.apply(e, &how{vals: vals, attrs: attrs, codes: codes, checked: true}, before)
}

func (t *Table) apply(e *Version, h *how, before func(s *Segment, row int) error) error {
	if e.ID == "" {
		return ErrNoID
	}
	if t.log != nil {
		if before != nil {
			if s, row, ok := t.Lookup(e.ID); ok && s.Alive(row) {
				if err := before(s, row); err != nil {
					return err
				}
			}
		}
		return t.applyChunk(e, h)
	}
	var at idEntry
	var err error
	if num := h.codes.ID; num != 0 {
		// locate's steps for an id whose number the caller found, the
		// page used last looked at without a call.
		if at.numeric = t.ids.lastSlot(num - 1); at.numeric == nil {
			at.numeric = t.ids.pageSlot(num-1, !e.Deleted)
		}
		at.found = at.numeric != nil && *at.numeric != 0
		at.slot = -1
	} else if at, err = t.locate(e.ID, 0, !e.Deleted); err != nil {
		return err
	}
	if e.Deleted {
		if at.found {
			if err := t.replacing(at.ref(t), before); err != nil {
				return err
			}
			t.kill(at.ref(t), true)
		}
		return nil
	}
	var codes [3]uint32
	if c := h.codes; h.checked && c.Kind != 0 && c.Actor != 0 && (c.Currency != 0 || e.Currency == "") && h.vals == nil && h.attrs != nil {
		// encode's steps for a checked version whose every code the
		// caller found, without its call.
		codes, t.given = [3]uint32{c.Actor, c.Currency, c.Kind}, h.attrs
	} else if codes, err = t.encode(e, h); err != nil {
		return err
	}
	if at.found {
		ref := at.ref(t)
		if err := t.replacing(ref, before); err != nil {
			return err
		}
		t.kill(ref, false)
	}
	seg, row := t.appendRow(e, codes[2], codes[0], codes[1])
	if ref := packRef(seg, row); at.slot < 0 {
		*at.numeric = ref // place's common case, without its call
	} else {
		t.place(&at, ref)
	}
	t.live++
	t.last, t.lastIdx = t.Segs[seg], seg
	return nil
}

// replacing calls before (when not nil) with the row behind ref if it is
// alive.
func (t *Table) replacing(ref uint64, before func(s *Segment, row int) error) error {
	if before == nil {
		return nil
	}
	si, r := unpackRef(ref)
	if s := t.Segs[si]; s.Alive(r) {
		return before(s, r)
	}
	return nil
}

// Appended returns the segment of the row the table's last Apply of a
// version that is not a retraction appended (its last row); nil before any,
// and always for a chunk.
func (t *Table) Appended() *Segment { return t.last }

// AppendedAt is Appended with the segment's index in Segs.
func (t *Table) AppendedAt() (int, *Segment) { return t.lastIdx, t.last }

// idEntry is where an id lives in the index, or would be added.
type idEntry struct {
	numeric *uint64 // a numeric id's page slot (nil: not numeric, or no page)
	slot    int     // the slot of an id that is not numeric
	tag     uint64
	found   bool
}

// locate finds id in the index; create makes room for a numeric id that
// has none (a retraction's does not need it). An id that is not numeric is
// checked to be an identifier. num is the id's number plus one when the
// caller found it (Codes.ID), 0 when it did not.
func (t *Table) locate(id string, num uint64, create bool) (idEntry, error) {
	var at idEntry
	if num == 0 {
		if n, ok := numericID(id); ok {
			num = n + 1
		}
	}
	if num != 0 {
		at.numeric = t.ids.pageSlot(num-1, create)
		at.found = at.numeric != nil && *at.numeric != 0
		at.slot = -1
		return at, nil
	}
	if bad := display.IDProblem(id); bad != "" { // a numeric id has none
		return at, fmt.Errorf("event id %s %s", display.QuoteID(id), bad)
	}
	if t.growIDs > 0 {
		t.ids.reserve(t.growIDs, t.idOf)
		t.growIDs = 0
	}
	at.slot, at.tag, at.found = t.ids.find(id, t.idOf)
	return at, nil
}

// ref is the row the index holds for a found id.
func (at *idEntry) ref(t *Table) uint64 {
	if at.slot < 0 {
		return *at.numeric
	}
	return t.ids.slots[at.slot]
}

// place points the index entry at ref, the id's newest row.
func (t *Table) place(at *idEntry, ref uint64) {
	if at.slot < 0 {
		*at.numeric = ref
		return
	}
	t.ids.set(at.slot, at.tag, ref, !at.found, t.idOf)
}

// encode checks an event version that is not a retraction and codes its
// attributes (into t.codes), actor, currency and kind.
func (t *Table) encode(e *Version, h *how) (codes [3]uint32, err error) {
	if !h.checked {
		if err := checkVersion(e, t); err != nil {
			return codes, err
		}
	} else if h.codes.Kind == 0 && t.Kinds() >= MaxKinds && !t.hasKind(e.Kind) {
		return codes, tooManyKinds(e.ID) // a kind the table holds has room
	}
	// Encode the attributes before any change to the rows: a bad one leaves
	// the table as it was (its dictionaries of values, actors and
	// currencies may have grown, which is harmless; the names it added are
	// dropped, so that a refused version takes no room from their limit).
	names := len(t.attrIdx.vals)
	if h.vals == nil && h.attrs != nil {
		t.given = h.attrs // coded by the caller (ApplyChecked): no call
	} else if err := t.encodeAttrs(e, h); err != nil {
		t.dropNamesPast(names)
		return codes, err
	}
	// Code the actor, currency and kind, each checked to be an identifier
	// when it is new to its dictionary. The kind comes last: a kind's code
	// names its segment, so none is added for an event that is refused.
	var bad string
	codes = [3]uint32{h.codes.Actor, h.codes.Currency, h.codes.Kind}
	// An actor or kind the dictionary's cache holds (a loaded event's,
	// mostly) is found by the probe inlined, without identCode's calls.
	if codes[0] == 0 && e.Actor != "" && t.actors.cache.e != nil {
		codes[0], _ = t.actors.cache.probe(e.Actor)
	}
	if codes[0] == 0 {
		if codes[0], bad = t.actors.identCode(e.Actor); bad != "" {
			t.dropNamesPast(names)
			return codes, fmt.Errorf("event %s: actor %s %s", display.QuoteID(e.ID), display.QuoteID(e.Actor), bad)
		}
	}
	if codes[1] == 0 && e.Currency != "" { // most events have none: no call
		if codes[1], bad = t.curs.identCode(e.Currency); bad != "" {
			t.dropNamesPast(names)
			return codes, fmt.Errorf("event %s: currency %s %s", display.QuoteID(e.ID), display.QuoteID(e.Currency), bad)
		}
	}
	if codes[2] == 0 && e.Kind != "" && t.kinds.cache.e != nil {
		codes[2], _ = t.kinds.cache.probe(e.Kind)
	}
	if codes[2] == 0 {
		if codes[2], bad = t.kinds.identCode(e.Kind); bad != "" {
			t.dropNamesPast(names)
			return codes, fmt.Errorf("event %s: kind %s %s", display.QuoteID(e.ID), display.QuoteID(e.Kind), bad)
		}
	}
	return codes, nil
}

// dropNamesPast forgets the attribute names coded after the first n of
// the names' dictionary (those a refused version brought).
func (t *Table) dropNamesPast(n int) {
	if len(t.attrIdx.vals) <= n {
		return
	}
	t.attrIdx.truncate(n)
	if len(t.attrVals) > n-1 {
		clear(t.attrVals[n-1:])
		t.attrVals = t.attrVals[:n-1]
	}
}

// checkVersion is encode's check of the kind, the time, the known instant
// and the amount's exponent of a version that is not a retraction, and of
// the room for its kind in t.
func checkVersion(e *Version, t *Table) error {
	if e.Kind == "" {
		return fmt.Errorf("event %s has no kind", display.QuoteID(e.ID))
	}
	if t.Kinds() >= MaxKinds && !t.hasKind(e.Kind) {
		return tooManyKinds(e.ID)
	}
	if e.Time.IsZero() {
		return fmt.Errorf("event %s has no time", display.QuoteID(e.ID))
	}
	if !InsideYears(e.Time.Unix()) && !InYears(e.Time) { // the first inlined
		return TimeOutside(e.ID, "time", e.Time)
	}
	if !e.Known.IsZero() && !InsideYears(e.Known.Unix()) && !InYears(e.Known) {
		return TimeOutside(e.ID, "known", e.Known)
	}
	if e.Amount.Valid {
		return ExponentOutside(e.ID, "amount", e.Amount.Decimal)
	}
	return nil
}

// kill marks the row behind ref dead, if it is alive.
func (t *Table) kill(ref uint64, retracted bool) {
	si, r := unpackRef(ref)
	s := t.Segs[si]
	if retracted {
		if s.retracted == nil {
			s.retracted = map[int32]struct{}{}
		}
		s.retracted[int32(r)] = struct{}{}
	}
	if s.Day[r] == DeadDay {
		return
	}
	s.Day[r] = DeadDay
	t.live--
	t.deadN++
}

func (t *Table) appendRow(e *Version, kc, actor, cur uint32) (int, int) {
	if len(t.Segs) > MaxKinds {
		panic("colstore: too many event kinds") // Apply rejects them first
	}
	if int(kc) > len(t.Segs) {
		t.Segs = append(t.Segs, &Segment{Kind: e.Kind, loc: t.loc})
	}
	si := int(kc) - 1
	s := t.Segs[si]
	row := s.N
	t.rows++
	if t.expect > t.rows && row == cap(s.Day) && row >= 4096 && t.rows >= 16384 {
		// Project this kind's share of the events expected, with a margin.
		s.reserve(int(int64(row) * int64(t.expect) / int64(t.rows) * 21 / 20))
	}
	if t.aside && row >= AsideRows && (row == cap(s.TS) || row == cap(s.idEnd) || len(s.idBuf)+len(e.ID) > cap(s.idBuf)) {
		s.growAside(row, len(e.ID))
	}
	if id, l := e.ID, len(s.idBuf); len(id) >= 4 && len(id) <= 8 && cap(s.idBuf)-l >= len(id) {
		// A short id (most are) as its first and last four bytes (the
		// same where they overlap), without a call to copy them.
		n := len(id)
		b := s.idBuf[l : l+n]
		binary.LittleEndian.PutUint32(b, uint32(id[0])|uint32(id[1])<<8|uint32(id[2])<<16|uint32(id[3])<<24)
		binary.LittleEndian.PutUint32(b[n-4:], uint32(id[n-4])|uint32(id[n-3])<<8|uint32(id[n-2])<<16|uint32(id[n-1])<<24)
		s.idBuf = s.idBuf[:l+n]
	} else {
		s.idBuf = pushString(s.idBuf, e.ID)
	}
	pushTo(&s.idEnd, uint32(len(s.idBuf)))
	pushTo(&s.Actor, actor)
	// The instant's seconds read once, for its day and its nanoseconds
	// (UnixNano's sum).
	sec := e.Time.Unix()
	day, ok := t.zones.dayOf(sec)
	if !ok {
		day = t.zones.day(e.Time)
	}
	pushTo(&s.Day, int32(day))
	pushTo(&s.TS, sec*1e9+int64(e.Time.Nanosecond()))
	if e.Amount.Valid {
		if s.Amount == nil {
			s.Amount = make([]int64, row, max(row+1, cap(s.Day)))
			for i := range s.Amount {
				s.Amount[i] = NoAmount
			}
		}
		s.Amount = push(s.Amount, t.unscaled(s, row, e.Amount.Decimal))
	} else if s.Amount != nil {
		s.Amount = push(s.Amount, NoAmount)
	}
	if e.Currency != "" || s.Cur.n > 0 {
		s.Cur.padTo(row)
		s.Cur.append(cur)
	}
	codes := t.codes
	if t.given != nil {
		codes = t.given
	}
	for _, a := range codes {
		if a.Attr < len(s.Attrs) && s.Attrs[a.Attr].putByte(row, a.Code) {
			continue // put's common case, inlined
		}
		for len(s.Attrs) <= a.Attr {
			s.Attrs = append(s.Attrs, codeCol{})
		}
		s.Attrs[a.Attr].put(row, a.Code)
	}
	if !e.Known.IsZero() || s.known != nil {
		if s.known == nil {
			s.known = make([]int64, row, cap(s.Day))
		}
		s.known = append(s.known, KnownNanos(e.Known))
	}
	s.N++
	return si, row
}

// segmentFor returns the segment of kind code kc, which the table holds
// (AppendCoded checks), and reserves its columns for its share of the rows
// Grow expects once that share is known.
func (t *Table) segmentFor(kc uint32) (int, *Segment) {
	si := int(kc) - 1
	s := t.Segs[si]
	row := s.N
	if t.expect > t.rows+1 && row == cap(s.Day) && row >= 4096 && t.rows+1 >= 16384 {
		// Project this kind's share of the events expected, with a margin.
		s.reserve(int(int64(row) * int64(t.expect) / int64(t.rows+1) * 21 / 20))
	}
	return si, s
}

// unscaled converts an amount to the table's minor units, raising the scale
// of every amount column when the amount has more decimal places.
func (t *Table) unscaled(s *Segment, row int, d decimal.Decimal) int64 {
	if places := -d.Exponent(); places > t.Scale && places <= MaxScale {
		t.rescale(places)
	}
	// The common case without big.Int arithmetic: at most 18 digits and
	// no more places than the scale.
	if exp := d.Exponent(); exp <= 0 && -exp <= t.Scale && d.NumDigits() <= 18 {
		c, f := d.CoefficientInt64(), pow10[t.Scale+exp]
		if r := c * f; r/f == c && r > BigAmount {
			return r
		}
	}
	v := d.Shift(t.Scale)
	if v.IsInteger() {
		if b := v.BigInt(); b.IsInt64() && b.Int64() > BigAmount {
			return b.Int64()
		}
	}
	if s.Big == nil {
		s.Big = map[int32]decimal.Decimal{}
	}
	s.Big[int32(row)] = d
	return BigAmount
}

// pow10[i] is 10^i, for i up to MaxScale.
var pow10 = [MaxScale + 1]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// rescale multiplies every stored amount by 10^(scale-t.Scale); amounts that
// overflow move to the exact side table. It writes new columns rather than
// change the old ones: a Frozen table may be reading them.
func (t *Table) rescale(scale int32) {
	f := int64(1)
	for range scale - t.Scale {
		f *= 10
	}
	for _, s := range t.Segs {
		if s.Amount == nil {
			continue
		}
		amt := make([]int64, len(s.Amount), cap(s.Amount))
		big := maps.Clone(s.Big)
		for i, a := range s.Amount {
			if a == NoAmount || a == BigAmount {
				amt[i] = a
				continue
			}
			if r := a * f; r/f == a && r > BigAmount {
				amt[i] = r
				continue
			}
			if big == nil {
				big = map[int32]decimal.Decimal{}
			}
			big[int32(i)] = decimal.New(a, -t.Scale)
			amt[i] = BigAmount
		}
		s.Amount, s.Big = amt, big
	}
	t.Scale = scale
}

// Row is one row read back as plain values.
type Row struct {
	ID       string
	Kind     string
	Time     time.Time
	Actor    string
	Amount   decimal.NullDecimal
	Currency string
	Attrs    map[string]any // reused between calls of Read with the same Row
	Known    time.Time
	zone     rowZone // the zone interval of the last Time, for the next Read
}

// rowZone is a zone interval [start, end) in unix seconds of loc, and
// whether its offset has seconds: the rows a Row is read from one after
// the other mostly fall in the same one, which spares InZone's look-up.
type rowZone struct {
	loc        *time.Location
	start, end int64
	utc        bool
}

// at is InZone(ns, loc), remembering the zone interval of ns in z.
func (z *rowZone) at(ns int64, loc *time.Location) time.Time {
	sec := ns / 1e9
	if ns%1e9 < 0 {
		sec--
	}
	if loc == z.loc && sec >= z.start && sec < z.end {
		if z.utc {
			return time.Unix(0, ns).UTC()
		}
		return time.Unix(0, ns).In(loc)
	}
	t := time.Unix(0, ns).In(loc)
	_, off := t.Zone()
	start, end := t.ZoneBounds()
	*z = rowZone{loc: loc, start: start.Unix(), end: end.Unix(), utc: off%60 != 0}
	if start.IsZero() {
		z.start = -1 << 63
	}
	if end.IsZero() {
		z.end = 1<<63 - 1
	}
	if z.utc {
		return t.UTC()
	}
	return t
}

// InZone is the instant ns (unix nanoseconds) in loc, or in UTC where loc's
// offset then has seconds: a local mean time (Moscow's +02:30:17 until
// 1916) or a fixed zone of an odd offset. RFC 3339, in which encoding/json
// and the reports write a time, has no seconds in an offset: the instant in
// loc would be written as its wall clock with the offset cut to the minute,
// another instant.
func InZone(ns int64, loc *time.Location) time.Time {
	t := time.Unix(0, ns).In(loc)
	if _, off := t.Zone(); off%60 != 0 {
		return t.UTC()
	}
	return t
}

// Read fills r with row i of segment s, its time as InZone gives it.
// r.Attrs is cleared and refilled.
func (t *Table) Read(s *Segment, i int, r *Row) {
	s.Settle()
	r.ID = s.ID(i)
	r.Kind = s.Kind
	r.Time = r.zone.at(s.TS[i], t.loc)
	r.Actor = t.actors.vals[s.Actor[i]]
	r.Amount = decimal.NullDecimal{}
	if a, ok := s.AmountOf(i, t.Scale); ok {
		r.Amount = decimal.NewNullDecimal(a)
	}
	r.Currency = t.curs.vals[s.Cur.Get(i)]
	if r.Attrs == nil {
		r.Attrs = map[string]any{}
	}
	clear(r.Attrs)
	for ai := range s.Attrs {
		if c := s.Attrs[ai].Get(i); c != 0 {
			r.Attrs[t.attrIdx.vals[ai+1]] = t.attrVals[ai].vals[c]
		}
	}
	r.Known = s.Known(i)
}

// Lookup finds the newest row of an id: its segment, row, and whether it is
// alive.
func (t *Table) Lookup(id string) (s *Segment, row int, ok bool) {
	ref, ok := t.ids.lookup(id, t.idOf)
	if !ok {
		return nil, 0, false
	}
	si, r := unpackRef(ref)
	return t.Segs[si], r, true
}

// Bytes estimates the memory the table's columns hold.
func (t *Table) Bytes() int {
	n := len(t.ids.slots)*8 + len(t.ids.pages)*8<<pageBits
	for _, s := range t.Segs {
		n += len(s.idBuf) + 4*len(s.idEnd) + 4*len(s.Actor) + 4*len(s.Day) + 8*len(s.TS) + 8*len(s.Amount) + 8*len(s.known) + s.Cur.bytes()
		for i := range s.Attrs {
			n += s.Attrs[i].bytes()
		}
	}
	return n
}
