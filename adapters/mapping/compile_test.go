package mapping

import (
	"errors"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/problem"
)

// A small valid mapping the error cases below change one thing of.
const base = `timezone: Europe/Berlin
key: [id]
columns:
  id: {type: string}
  agent: {type: string}
  stage: {type: string}
  day: {type: date}
  value: {type: decimal}
events:
  - kind: deal.won
    when: stage == "Won"
    time: day
    actor: agent
    amount: value
    currency: EUR
`

func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"unknown key", `timezone: UTC
key: [id]
columns: {id: {type: string}}
events:
  - kind: k
    wehn: "true"
`, `m.yaml:6: events[0].wehn: unknown key "wehn"`},
		{"empty", ``, `m.yaml: file is empty`},
		{"nothing", `timezone: UTC`, "m.yaml: columns: at least one column is needed\n" +
			"m.yaml: events: at least one event rule is needed\n" +
			"m.yaml: key: at least one key column is needed: the columns that identify a row"},
		{"bad zone", `timezone: Mars/Olympus
key: [id]
columns: {id: {type: string}, t: {type: time, zone: Moon/Base}, n: {type: int, zone: UTC, time_of_day: "10:00"}}
events: [{kind: k, time: t, actor: id}]
`, "m.yaml:3: columns.n.time_of_day: only date columns have a time of day\n" +
			"m.yaml:3: columns.n.zone: only date and time columns have a zone\n" +
			"m.yaml:3: columns.t.zone: unknown time zone \"Moon/Base\"\n" +
			"m.yaml:1: timezone: unknown time zone \"Mars/Olympus\""},
		{"the machine's zone", "timezone: Local\n" + base[len("timezone: Europe/Berlin\n"):], `m.yaml:1: timezone: "Local" is the machine's zone: name an IANA zone`},
		{"date without zone", `key: [id]
columns:
  id: {type: string}
  d: {type: date, time_of_day: "24:00"}
events: [{kind: k, time: d, actor: id}]
`, "m.yaml:4: columns.d: a date column needs a time zone: set the mapping's timezone or the column's zone\n" +
			"m.yaml:4: columns.d.time_of_day: \"24:00\" is not a time of day HH:MM or HH:MM:SS (00:00 to 23:59:59)"},
		{"column names and types", `timezone: UTC
key: [id]
columns:
  id: {type: strng}
  "close date": {type: date}
  x: {}
  y: {type: decimal, column: "a\tb"}
events: [{kind: k, time: "close date", actor: id}]
`, "m.yaml:5: columns.close date: \"close date\" is not a name formulas can use (a letter or _, then letters, digits and _; not a keyword): name it so and give the table's name in column\n" +
			"m.yaml:4: columns.id.type: unknown type \"strng\" (did you mean \"string\"?)\n" +
			"m.yaml:6: columns.x.type: a column needs a type: string, int, decimal, bool, date, time\n" +
			"m.yaml:7: columns.y.column: must be printable UTF-8 text"},
		{"keys", `timezone: UTC
key: [id, id, v, nope]
columns: {id: {type: string}, v: {type: decimal}}
events: [{kind: k, time: id, actor: id}]
`, "m.yaml:4: events[0].time: column \"id\" is of type string; an event's time comes from a date or time column\n" +
			"m.yaml:2: key[1]: column \"id\" is in the key twice\n" +
			"m.yaml:2: key[2]: column \"v\" is of type decimal; key columns are string, int or date\n" +
			"m.yaml:2: key[3]: unknown column \"nope\""},
		{"table and query", base + "table: a\nquery: SELECT 1\n", "m.yaml:17: query: table and query exclude each other"},
		{"table name", base + "table: 'a b'\n", "m.yaml:16: table: \"a b\" is not a table name (NAME or SCHEMA.NAME of letters, digits and _; write a query for others)"},
		{"id prefix", base + "id_prefix: \"a\\nb\"\n", "m.yaml:16: id_prefix: must be printable UTF-8 text"},
		{"rule fields", `timezone: UTC
key: [id]
columns: {id: {type: string}, d: {type: date}, n: {type: int}, b: {type: bool}, USD: {type: string}}
events:
  - {kind: "", time: dd, actor: b, amount: b, currency: n}
  - {kind: "Deal Won", time: d, actor: n, amount: "1,5", currency: USD}
  - {kind: k, id: "a:b", time: d, actor: id, currency: EUR}
  - {kind: k, time: d, actor: id, attrs: {time: d, "2x": d, ok: nope}}
  - {kind: k, time: d, actor: id, when: "n > "}
  - {kind: k, time: d, actor: id, when: "id + 1"}
`, "m.yaml:5: events[0].actor: column \"b\" is of type bool; an actor comes from a string or int column\n" +
			"m.yaml:5: events[0].amount: column \"b\" is of type bool; an amount comes from a decimal or int column, or is a decimal\n" +
			"m.yaml:5: events[0].currency: column \"n\" is of type int; a currency comes from a string column, or is a code of three upper-case letters\n" +
			"m.yaml:5: events[0].kind: an event rule needs a kind\n" +
			"m.yaml:5: events[0].time: unknown column \"dd\" (did you mean \"id\"?)\n" +
			"m.yaml:6: events[1].amount: unknown column \"1,5\"\n" +
			"m.yaml:6: events[1].currency: \"USD\" is both a currency code and a column: rename the column\n" +
			"m.yaml:6: events[1].id: the kind \"Deal Won\" cannot be the rule's id (letters, digits, '_', '.' and '-'): give an id\n" +
			"m.yaml:7: events[2].currency: a currency needs an amount\n" +
			"m.yaml:7: events[2].id: \"a:b\" is not a rule id (letters, digits, '_', '.' and '-')\n" +
			"m.yaml:8: events[3].attrs.2x: \"2x\" is not an attribute name plans can use (a letter or _, then letters, digits and _)\n" +
			"m.yaml:8: events[3].attrs.ok: unknown column \"nope\"\n" +
			"m.yaml:8: events[3].attrs.time: \"time\" is a field of every event, not an attribute\n" +
			"m.yaml:9: events[4].id: rule id \"k\" is also the id of events[3]: give one of them another id\n" +
			"m.yaml:9: events[4].when: unexpected end of formula (1:4)\n" +
			"m.yaml:10: events[5].id: rule id \"k\" is also the id of events[3]: give one of them another id\n" +
			"m.yaml:10: events[5].when: cannot apply + to string and number (1:4)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Parse("m.yaml", []byte(tc.src))
			if err == nil {
				_, err = Compile(d)
			}
			if err == nil || err.Error() != tc.want {
				t.Errorf("got\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
}

// Compile's problems have codes and work with errors.As.
func TestCompileProblemCodes(t *testing.T) {
	d, err := Parse("m.yaml", []byte(base+"table: a\nquery: SELECT 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(d)
	var p *problem.Problem
	if !errors.As(err, &p) || p.Code != problem.Conflict || p.Path != "query" || p.Where != "m.yaml:17" {
		t.Fatalf("got %#v", p)
	}
}

// A Def built in Go compiles as its file does; its problems name no file.
func TestCompileDef(t *testing.T) {
	d := Def{Key: []string{"id"}, Columns: map[string]ColumnDef{"id": {Type: String}, "at": {Type: Time}},
		Events: []EventDef{{Kind: "call", Time: "at", Actor: "id", Amount: "-0.5e2"}, {Kind: "ping", Time: "at", Actor: "nobody"}}}
	_, err := Compile(&d)
	if err == nil || err.Error() != `events[1].actor: unknown column "nobody"` {
		t.Fatalf("got %v", err)
	}
	d.Events = d.Events[:1]
	m, err := Compile(&d)
	if err != nil {
		t.Fatal(err)
	}
	if m.rules[0].amountC.Decimal.String() != "-50" || !slices.Equal(m.Kinds(), []string{"call"}) {
		t.Fatalf("got %+v", m.rules[0])
	}
}

func TestKindsAndAttributes(t *testing.T) {
	m := compileText(t, `timezone: UTC
key: [id]
columns: {id: {type: int}, s: {type: string}, n: {type: int}, d: {type: decimal}, b: {type: bool}, day: {type: date}, at: {type: time}}
events:
  - {kind: b, time: day, actor: id, attrs: {s: s, n: n, d: d, b: b, day: day, at: at, mixed: s}}
  - {kind: a, time: at, actor: s, attrs: {mixed: n, s: s}}
  - {kind: b, id: b2, time: at, actor: s}
`)
	if got := m.Kinds(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("kinds %v", got)
	}
	want := map[string]kpi.AttrType{"s": kpi.AttrString, "n": kpi.AttrInt, "d": kpi.AttrDecimal, "b": kpi.AttrBool, "day": kpi.AttrTime, "at": kpi.AttrTime}
	got := m.Attributes()
	if len(got) != len(want) {
		t.Fatalf("attributes %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("attribute %s: %v, want %v", k, got[k], v)
		}
	}
}
