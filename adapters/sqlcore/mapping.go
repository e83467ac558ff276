package sqlcore

import (
	"fmt"
	"regexp"
	"sort"

	"github.com/goalkit/goalkit/kpi"
)

// Mapping declares how a host's existing table holds events. Every field
// names a column; Amount, Currency, Offset, Attrs and Known may be empty (the
// table has no such column). A Store over a mapped table reads it (Scan,
// Push) and never writes to it or migrates it.
type Mapping struct {
	Table    string
	ID, Kind string
	// Time is the event's instant: a BIGINT of Unix nanoseconds, or with
	// TimeType "timestamp" a PostgreSQL timestamptz (whole microseconds).
	// A timestamp without time zone declared so is read in the session's
	// TimeZone, as PostgreSQL casts it, by Scan and Push alike; to read it
	// in a zone of its own, map a view of it AT TIME ZONE that zone.
	Time     string
	TimeType string
	// Offset, when set, holds the seconds east of UTC the time is shown in
	// (NULL: UTC).
	Offset string
	Actor  string
	// Amount is an exact number (PostgreSQL NUMERIC; SQLite text). A
	// PostgreSQL text column is read too: a push casts it to NUMERIC, and
	// declines over a range where a value is not a decimal (a scan names
	// the event).
	Amount, Currency string
	// Attrs is a JSON (PostgreSQL: jsonb) column of attributes.
	Attrs string
	// AttrColumns maps attribute names to columns of their own (they take
	// precedence over the JSON column). NULL means the event does not carry
	// the attribute. In PostgreSQL the column is cast to the type (text,
	// numeric, boolean; time: a timestamptz; an int column's value that is
	// not an integer is an error of Scan, never rounded); in SQLite it must
	// hold the type's own values (text, integers, 0 and 1; decimal and time
	// columns are not supported).
	AttrColumns map[string]AttrColumn
	// Known is when the version was learned, in Unix nanoseconds.
	Known string
}

// AttrColumn is an attribute held in a column of its own.
type AttrColumn struct {
	Column string
	Type   kpi.AttrType
}

// Own is the mapping of the adapter's own table.
var Own = Mapping{Table: "goalkit_events", ID: "id", Kind: "kind", Time: "ts_ns", Offset: "tz_offset",
	Actor: "actor", Amount: "amount", Currency: "currency", Attrs: "attrs", Known: "known_ns"}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)

func (m *Mapping) check(d Dialect) error {
	req := []struct{ name, v string }{{"table", m.Table}, {"id", m.ID}, {"kind", m.Kind}, {"time", m.Time}, {"actor", m.Actor}}
	for _, r := range req {
		if r.v == "" {
			return fmt.Errorf("sqlcore: mapping: no %s column", r.name)
		}
	}
	for _, c := range []string{m.Table, m.ID, m.Kind, m.Time, m.Offset, m.Actor, m.Amount, m.Currency, m.Attrs, m.Known} {
		if c != "" && !identRE.MatchString(c) {
			return fmt.Errorf("sqlcore: mapping: bad column or table name %q", c)
		}
	}
	for _, name := range m.attrNames() {
		c := m.AttrColumns[name]
		switch name {
		case "id", "kind", "time", "actor", "amount", "currency":
			return fmt.Errorf("sqlcore: mapping: attribute %q: the name is the event's own field", name)
		}
		if !attrNameRE.MatchString(name) {
			return fmt.Errorf("sqlcore: mapping: bad attribute name %q", name)
		}
		if !identRE.MatchString(c.Column) {
			return fmt.Errorf("sqlcore: mapping: attribute %q: bad column name %q", name, c.Column)
		}
		switch {
		case c.Type < kpi.AttrString || c.Type > kpi.AttrTime:
			return fmt.Errorf("sqlcore: mapping: attribute %q: unknown type %v", name, c.Type)
		case !d.pg && (c.Type == kpi.AttrDecimal || c.Type == kpi.AttrTime):
			return fmt.Errorf("sqlcore: mapping: attribute %q: %v columns need postgres", name, c.Type)
		}
	}
	switch m.TimeType {
	case "", "unix_nanos":
	case "timestamp":
		if !d.pg {
			return fmt.Errorf("sqlcore: mapping: time type %q needs postgres", m.TimeType)
		}
	default:
		return fmt.Errorf("sqlcore: mapping: unknown time type %q (want unix_nanos or timestamp)", m.TimeType)
	}
	return nil
}

func (m *Mapping) col(c string) string { return quoteIdent(c) }

// timestamp reports whether the time column is a timestamptz.
func (m *Mapping) timestamp() bool { return m.TimeType == "timestamp" }

// attrNames are the names of the attribute columns, sorted.
func (m *Mapping) attrNames() []string {
	names := make([]string, 0, len(m.AttrColumns))
	for n := range m.AttrColumns {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
