package goalkit_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/mapping"
	"go.yaml.in/yaml/v3"
)

// The mapping file's JSON Schema (docs/mapping.schema.json) is generated
// from mapping.Def like the plan's, so that it never drifts from what
// mapping.Parse accepts: TestMappingSchema fails when a key is added
// without regenerating it (go test -run TestMappingSchema -update).

// mappingDocs describe the mapping file's keys, by "Type.key".
var mappingDocs = map[string]string{
	"mapping.Def.timezone":          "IANA time zone of the date columns, and of time values without an offset, that name no zone of their own; required when a date column has none",
	"mapping.Def.table":             "the SQL table LoadDB reads: NAME or SCHEMA.NAME",
	"mapping.Def.query":             "a SELECT LoadDB runs instead of reading a table",
	"mapping.Def.id_prefix":         "put before every event id, to keep apart the events of two mappings whose rules have the same id",
	"mapping.Def.key":               "the columns (string, int or date) whose values identify a row; no two rows may share a key",
	"mapping.Def.columns":           "the columns the mapping reads, by the names its rules and formulas use",
	"mapping.Def.events":            "the rules: each gives every row its event, or the retraction of that event where the rule does not apply",
	"mapping.ColumnDef.type":        "the type of the column's values; an empty cell (SQL: NULL) is absent",
	"mapping.ColumnDef.column":      "the column's name in the table (CSV header, SQL result column); default the key",
	"mapping.ColumnDef.zone":        "date and time columns: IANA time zone; default the mapping's timezone",
	"mapping.ColumnDef.time_of_day": "date columns: the local time the dates stand for, HH:MM or HH:MM:SS; default 00:00",
	"mapping.EventDef.id":           "the rule's id in event ids (ID_PREFIX RULE:KEY); default the kind; letters, digits, _ . -",
	"mapping.EventDef.kind":         "the events' kind",
	"mapping.EventDef.when":         "a formula over the row's columns (docs/formulas.md); the rule applies where it is true; default every row",
	"mapping.EventDef.time":         "the date or time column of the event's instant",
	"mapping.EventDef.actor":        "the string or int column of the event's actor",
	"mapping.EventDef.amount":       "the decimal or int column of the event's amount, or a decimal constant",
	"mapping.EventDef.currency":     "the string column of the amount's currency, or a constant ISO 4217 code; set only with an amount",
	"mapping.EventDef.attrs":        "attribute name → the column of its value",
}

func mappingSchema() ([]byte, error) {
	g := &schemaGen{defs: map[string]any{}}
	root := g.object(reflect.TypeFor[mapping.Def](), "mapping.Def")
	defs := map[string]map[string]any{"mapping.Def": root}
	for name, d := range g.defs {
		defs[name] = d.(map[string]any)
	}
	// Keys described, the column types listed, and an amount that may be a
	// YAML number.
	for name, d := range defs {
		for key, s := range d["properties"].(map[string]any) {
			c := map[string]any{}
			for k, v := range s.(map[string]any) {
				c[k] = v
			}
			if doc, ok := mappingDocs[name+"."+key]; ok {
				c["description"] = doc
			}
			switch name + "." + key {
			case "mapping.ColumnDef.type":
				c["enum"] = []string{"string", "int", "decimal", "bool", "date", "time"}
			case "mapping.EventDef.amount":
				c["type"] = []string{"string", "number"}
			case "mapping.ColumnDef.time_of_day":
				// Empty is the default, 00:00, as Compile reads it.
				c["pattern"] = `^(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?)?$`
			case "mapping.Def.table":
				c["pattern"] = `^([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?)?$`
			case "mapping.Def.key", "mapping.Def.events":
				c["minItems"] = 1
			case "mapping.Def.columns":
				c["minProperties"] = 1
			}
			d["properties"].(map[string]any)[key] = c
		}
	}
	return g.file(root, "mapping", "goalkit mapping", "A goalkit mapping file (YAML or JSON): how the rows of a table (CSV, SQL) become events. Generated from the Go types by TestMappingSchema; see docs/mapping.md. Compile checks more than this schema can say: time zones are IANA zones; the columns a rule, a key or a formula names are declared, of a type that fits; rule ids are unique; formulas parse; texts are printable UTF-8; a time of day belongs to a date column.")
}

func TestMappingSchema(t *testing.T) {
	schema := checkSchema(t, "mapping", mappingSchema)
	files := []string{filepath.Join("adapters", "mapping", "testdata", "deals.yaml"), filepath.Join("docs", "mapping.md")}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs := [][]byte{data}
		if strings.HasSuffix(p, ".md") {
			docs = mappingBlocks(data)
			if len(docs) == 0 {
				t.Fatalf("%s has no mapping examples", p)
			}
		}
		for i, doc := range docs {
			var n yaml.Node
			if err := yaml.Unmarshal(doc, &n); err != nil {
				t.Fatalf("%s example %d: %v", p, i, err)
			}
			if errs := validate(schema, schema, yamlValue(&n), ""); len(errs) > 0 {
				t.Errorf("%s example %d does not match the mapping schema:\n%s", p, i, strings.Join(errs, "\n"))
			}
			// And a mapping the schema accepts is one goalkit reads.
			d, err := mapping.Parse(filepath.Base(p), doc)
			if err == nil {
				_, err = mapping.Compile(d)
			}
			if err != nil {
				t.Errorf("%s example %d: %v", p, i, err)
			}
		}
	}
	// A typo is caught by both.
	bad := map[string]any{"timezone": "UTC", "key": []any{"id"}, "columns": map[string]any{"id": map[string]any{"type": "string"}},
		"events": []any{map[string]any{"kind": "k", "time": "id", "actor": "id", "wehn": "true"}}}
	if errs := validate(schema, schema, bad, ""); len(errs) != 1 || errs[0] != `events[0]: unknown key "wehn"` {
		t.Errorf("the schema let a typo pass: %v", errs)
	}
	b, _ := json.Marshal(bad)
	if _, err := mapping.Parse("bad.json", b); err == nil || !strings.Contains(err.Error(), `unknown key "wehn"`) {
		t.Errorf("mapping.Parse let a typo pass: %v", err)
	}
}

// mappingBlocks returns the YAML blocks of a Markdown page that are whole
// mapping files: those with a key and events.
func mappingBlocks(md []byte) [][]byte {
	var out [][]byte
	parts := strings.Split(string(md), "```")
	for i := 1; i < len(parts); i += 2 {
		body, ok := strings.CutPrefix(parts[i], "yaml\n")
		if ok && strings.Contains(body, "\nkey:") && strings.Contains(body, "\nevents:") {
			out = append(out, []byte(body))
		}
	}
	return out
}

// The mapping's schema takes a mapping exactly when Compile does, for the
// rules the schema writes: it took no key, no columns and no rules, and
// any table name, and refused an empty time_of_day, which Compile reads
// as its default.
func TestMappingSchemaAgreesWithCompile(t *testing.T) {
	schema := checkSchema(t, "mapping", mappingSchema)
	good := func() map[string]any {
		return map[string]any{"timezone": "UTC", "table": "deals", "key": []any{"id"},
			"columns": map[string]any{"id": map[string]any{"type": "string"}, "day": map[string]any{"type": "date", "time_of_day": "09:30"}},
			"events":  []any{map[string]any{"kind": "deal.won", "time": "day", "actor": "id"}}}
	}
	day := func(m map[string]any) map[string]any {
		return m["columns"].(map[string]any)["day"].(map[string]any)
	}
	for _, c := range []struct {
		name   string
		change func(map[string]any)
	}{
		{"good", func(map[string]any) {}},
		{"no key", func(m map[string]any) { m["key"] = []any{} }},
		{"no rules", func(m map[string]any) { m["events"] = []any{} }},
		{"no columns", func(m map[string]any) {
			m["columns"] = map[string]any{}
			m["key"], m["events"] = []any{"id"}, []any{map[string]any{"kind": "k", "time": "id", "actor": "id"}}
		}},
		{"empty time of day", func(m map[string]any) { day(m)["time_of_day"] = "" }},
		{"time of day with seconds", func(m map[string]any) { day(m)["time_of_day"] = "23:59:59" }},
		{"time of day 24:00", func(m map[string]any) { day(m)["time_of_day"] = "24:00" }},
		{"time of day 9:30", func(m map[string]any) { day(m)["time_of_day"] = "9:30" }},
		{"empty table", func(m map[string]any) { m["table"] = "" }},
		{"schema's table", func(m map[string]any) { m["table"] = "crm.deals" }},
		{"table with a space", func(m map[string]any) { m["table"] = "my deals" }},
		{"table of three parts", func(m map[string]any) { m["table"] = "a.b.c" }},
		{"table from a digit", func(m map[string]any) { m["table"] = "1deals" }},
	} {
		m := good()
		c.change(m)
		data, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		errs := validate(schema, schema, doc, "")
		d, err := mapping.Parse("m.json", data)
		if err == nil {
			_, err = mapping.Compile(d)
		}
		if (len(errs) == 0) != (err == nil) {
			t.Errorf("%s: the schema says %v, Compile says %v", c.name, errs, err)
		}
	}
}
