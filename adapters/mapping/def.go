package mapping

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/goalkit/goalkit/internal/planfile"
)

// Def is a mapping file: which columns of a table are read, with their
// types, which of them identify a row, and the rules that turn a row into
// events. It is a plain value with json tags (the file format, YAML or JSON;
// docs/mapping.md and docs/mapping.schema.json): hosts store and version it.
type Def struct {
	// Timezone is the IANA zone of the date columns, and of the time
	// columns' values written without an offset, that do not name their
	// own zone. Required when a date column has no zone of its own.
	Timezone string `json:"timezone,omitempty"`
	// Table is the SQL table LoadDB reads ("deals" or "crm.deals"); Query
	// is a whole SELECT instead. At most one of them; CSV files need
	// neither.
	Table string `json:"table,omitempty"`
	Query string `json:"query,omitempty"`
	// IDPrefix goes before every event id, to keep apart the events of two
	// mappings whose rules have the same id (see docs/mapping.md).
	IDPrefix string `json:"id_prefix,omitempty"`
	// Key names the columns whose values identify a row: one or more, each
	// of type string, int or date. No two rows of a table may have the
	// same key.
	Key []string `json:"key"`
	// Columns declares the columns the mapping reads, by the names its
	// rules and formulas use.
	Columns map[string]ColumnDef `json:"columns"`
	// Events are the rules: each gives every row one event or, where it
	// does not apply, the retraction of that event.
	Events []EventDef `json:"events"`

	// file and positions place problems at a line of the file read.
	file      string
	positions planfile.Positions
}

// ColumnType is the type of a column's values.
type ColumnType string

// The column types. An empty cell (SQL: NULL or an empty string) is an
// absent value of any type.
const (
	String  ColumnType = "string"  // text, kept as it is
	Int     ColumnType = "int"     // [+-]digits within int64
	Decimal ColumnType = "decimal" // [+-]digits[.digits][e[+-]digits], exact
	Bool    ColumnType = "bool"    // true or false
	Date    ColumnType = "date"    // YYYY-MM-DD, at a time of day in a zone
	Time    ColumnType = "time"    // an instant: RFC 3339, or a wall clock in a zone
)

var columnTypes = []ColumnType{String, Int, Decimal, Bool, Date, Time}

// ColumnDef declares one column.
type ColumnDef struct {
	// Type is the type of the column's values: string, int, decimal, bool,
	// date or time.
	Type ColumnType `json:"type"`
	// Column is the column's name in the table (the CSV header, the SQL
	// result column) when it differs from the name the mapping uses.
	Column string `json:"column,omitempty"`
	// Zone is the IANA zone of a date column, or of a time column's
	// wall-clock values; default the mapping's timezone.
	Zone string `json:"zone,omitempty"`
	// TimeOfDay is the local time a date column's dates stand for,
	// HH:MM or HH:MM:SS; default 00:00, the start of the day.
	TimeOfDay string `json:"time_of_day,omitempty"`
}

// EventDef is a rule: the event a row gives when When holds.
type EventDef struct {
	// ID names the rule in event ids; default Kind. Ids are unique within
	// the mapping and made of letters, digits, '_', '.' and '-'.
	ID string `json:"id,omitempty"`
	// Kind is the event's kind.
	Kind string `json:"kind"`
	// When is a formula over the row's columns (docs/formulas.md); the
	// rule applies to the rows where it is true. Empty: every row. Its time
	// helpers read times in the zone of the date and time columns it reads
	// (their own zone, else the mapping's timezone; UTC with none); columns
	// of different zones are an error.
	When string `json:"when,omitempty"`
	// Time names the date or time column that gives the event's instant.
	Time string `json:"time"`
	// Actor names the string or int column that gives the event's actor.
	Actor string `json:"actor"`
	// Amount names the decimal or int column of the event's amount, or is
	// a decimal constant ("1", "99.90").
	Amount string `json:"amount,omitempty"`
	// Currency names the string column of the amount's currency, or is an
	// ISO 4217 code constant (three upper-case letters); it is set only
	// when the event has an amount.
	Currency string `json:"currency,omitempty"`
	// Attrs maps attribute names to the columns that give their values.
	Attrs map[string]string `json:"attrs,omitempty"`
}

// Parse reads a mapping file's contents (YAML or JSON) strictly: an unknown
// key, a wrong type or a duplicate key is an error that names the file, the
// line and the path, such as
// `deals.yaml:7: events[0].wehn: unknown key "wehn" (did you mean "when"?)`.
// name is the file's name in errors; Compile's problems name its lines too.
func Parse(name string, data []byte) (*Def, error) {
	var d Def
	pos, err := planfile.Decode(name, data, &d)
	if err != nil {
		return nil, err
	}
	d.file, d.positions = name, pos
	return &d, nil
}

// ReadFile reads and parses the mapping file at path; errors name the file
// by its base name.
func ReadFile(path string) (*Def, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(filepath.Base(path), data)
}

// CompileFile reads, parses and compiles the mapping file at path: the one
// call a command needs before LoadCSV or LoadDB.
func CompileFile(path string) (*Mapper, error) {
	d, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Compile(d)
}

// where is "FILE:LINE" of path, or "" when the definition was not read
// from a file.
func (d *Def) where(path string) string {
	if d.file == "" {
		return ""
	}
	if l := d.positions.Line(path); l > 0 {
		return fmt.Sprintf("%s:%d", d.file, l)
	}
	return d.file
}

// columnName is the name of column name in the table.
func (c ColumnDef) columnName(name string) string {
	if c.Column != "" {
		return c.Column
	}
	return name
}

// typeNames lists the column types for messages.
func typeNames() string {
	s := make([]string, len(columnTypes))
	for i, t := range columnTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}
