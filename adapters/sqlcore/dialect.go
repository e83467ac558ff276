package sqlcore

import (
	"strconv"
	"strings"
)

// Dialect is the SQL spoken by a database: SQLite or PostgreSQL.
type Dialect struct {
	pg bool
}

// The dialects.
var (
	SQLite   = Dialect{}
	Postgres = Dialect{pg: true}
)

// String returns "sqlite" or "postgres".
func (d Dialect) String() string {
	if d.pg {
		return "postgres"
	}
	return "sqlite"
}

// placeholder returns the i-th (1-based) parameter marker.
func (d Dialect) placeholder(i int) string {
	if d.pg {
		return "$" + strconv.Itoa(i)
	}
	return "?"
}

// quoteIdent quotes a (possibly schema-qualified) identifier.
func quoteIdent(s string) string {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		parts[i] = `"` + strings.ReplaceAll(p, `"`, `""`) + `"`
	}
	return strings.Join(parts, ".")
}

// quoteString writes s as an SQL string literal.
func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// jsonType is an expression giving the JSON type of attribute name in the
// JSON column col, in the dialect's own words (see the is* methods).
func (d Dialect) jsonType(col, name string) string {
	if d.pg {
		return "jsonb_typeof(" + col + "->" + quoteString(name) + ")"
	}
	return "json_type(" + col + ", " + quoteString(jsonPath(name)) + ")"
}

func jsonPath(name string) string { return `$."` + name + `"` }

func (d Dialect) isString(col, name string) string {
	if d.pg {
		return d.jsonType(col, name) + " = 'string'"
	}
	return d.jsonType(col, name) + " = 'text'"
}

func (d Dialect) isNumber(col, name string) string {
	if d.pg {
		return d.jsonType(col, name) + " = 'number'"
	}
	return d.jsonType(col, name) + " IN ('integer', 'real')"
}

func (d Dialect) isBool(col, name string) string {
	if d.pg {
		return d.jsonType(col, name) + " = 'boolean'"
	}
	return d.jsonType(col, name) + " IN ('true', 'false')"
}

// isTimeObj holds for a time value, stored as {"$time": ...}.
func (d Dialect) isTimeObj(col, name string) string {
	return d.jsonType(col, name) + " = 'object'"
}

func (d Dialect) attrString(col, name string) string {
	if d.pg {
		return "(" + col + "->>" + quoteString(name) + ")"
	}
	return "json_extract(" + col + ", " + quoteString(jsonPath(name)) + ")"
}

func (d Dialect) attrNumber(col, name string) string {
	if d.pg {
		return "(" + col + "->>" + quoteString(name) + ")::numeric"
	}
	return "json_extract(" + col + ", " + quoteString(jsonPath(name)) + ")"
}

func (d Dialect) attrBool(col, name string) string {
	if d.pg {
		return "(" + col + "->" + quoteString(name) + ")::boolean"
	}
	return "json_extract(" + col + ", " + quoteString(jsonPath(name)) + ")"
}

// strOrder is a string comparison in byte order, as formula compares.
func (d Dialect) strOrder(l, op, r string) string {
	if d.pg && op != "=" && op != "<>" {
		return l + ` COLLATE "C" ` + op + " " + r
	}
	return l + " " + op + " " + r
}

func (d Dialect) boolLit(b bool) string {
	switch {
	case d.pg && b:
		return "TRUE"
	case d.pg:
		return "FALSE"
	case b:
		return "1"
	}
	return "0"
}
