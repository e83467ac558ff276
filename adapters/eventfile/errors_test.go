package eventfile

import (
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

var typedOpt = Options{Attributes: map[string]kpi.AttrType{
	"source":   kpi.AttrString,
	"pipeline": kpi.AttrInt,
	"price":    kpi.AttrDecimal,
	"ok":       kpi.AttrBool,
	"at":       kpi.AttrTime,
}}

const csvHead = "id,kind,time,actor,amount,currency,deleted,source,pipeline,price,ok,at,note"

func TestCSVErrors(t *testing.T) {
	long := strings.Repeat("1", 101)
	tests := []struct {
		name, in, want string
	}{
		{"columns", "1,call,2025-01-01T00:00:00Z,u1", `f:2: wrong number of fields: got 4, want 13`},
		{"too many columns", "1,call,2025-01-01T00:00:00Z,u1,,,,,,,,,,x", `f:2: wrong number of fields: got 14, want 13`},
		{"missing id", ",call,2025-01-01T00:00:00Z,u1,,,,,,,,,", `f:2: missing "id"`},
		{"missing kind", "1,,2025-01-01T00:00:00Z,u1,,,,,,,,,", `f:2: missing "kind"`},
		{"missing time", "1,call,,u1,,,,,,,,,", `f:2: missing "time"`},
		{"missing actor", "1,call,2025-01-01T00:00:00Z,,,,,,,,,,", `f:2: missing "actor"`},
		{"actor everyone", "1,call,2025-01-01T00:00:00Z,*,,,,,,,,,", `f:2: actor: "*" is the whole company's row in reports, not an actor`},
		{"deleted", "1,call,2025-01-01T00:00:00Z,u1,,,yes,,,,,,", `f:2: deleted: "yes" is not true or false`},
		{"deleted TRUE", "1,,,,,,TRUE,,,,,,", `f:2: deleted: "TRUE" is not true or false`},
		{"time with space", "1,call,2025-01-01 00:00:00Z,u1,,,,,,,,,", `f:2: time: "2025-01-01 00:00:00Z" is not an RFC 3339 time with an offset or Z`},
		{"time without offset", "1,call,2025-01-01T00:00:00,u1,,,,,,,,,", `f:2: time: "2025-01-01T00:00:00" is not an RFC 3339 time with an offset or Z`},
		{"time 24h", "1,call,2025-01-01T24:00:00Z,u1,,,,,,,,,", `f:2: time: "2025-01-01T24:00:00Z" is not a real time of day: hours are 00 to 23`},
		{"time minute 60", "1,call,2025-01-01T10:60:00Z,u1,,,,,,,,,", `f:2: time: "2025-01-01T10:60:00Z" is not a real time of day: minutes are 00 to 59`},
		{"time leap second", "1,call,2016-12-31T23:59:60Z,u1,,,,,,,,,", `f:2: time: "2016-12-31T23:59:60Z" is not a real time of day: seconds are 00 to 59 (leap seconds are not supported)`},
		{"time Feb 29", "1,call,2025-02-29T10:00:00Z,u1,,,,,,,,,", `f:2: time: "2025-02-29T10:00:00Z" is not a real date: February 2025 has 28 days`},
		{"time Feb 30", "1,call,2025-02-30T11:25:00+03:00,u1,,,,,,,,,", `f:2: time: "2025-02-30T11:25:00+03:00" is not a real date: February 2025 has 28 days`},
		{"time Apr 31", "1,call,2025-04-31T11:25:00+03:00,u1,,,,,,,,,", `f:2: time: "2025-04-31T11:25:00+03:00" is not a real date: April has 30 days`},
		{"time month 13", "1,call,2025-13-01T11:25:00+03:00,u1,,,,,,,,,", `f:2: time: "2025-13-01T11:25:00+03:00" is not a real date: months are 01 to 12`},
		{"time month 00", "1,call,2025-00-10T11:25:00+03:00,u1,,,,,,,,,", `f:2: time: "2025-00-10T11:25:00+03:00" is not a real date: months are 01 to 12`},
		{"time day 00 and no offset", "1,call,2025-01-00T11:25:00,u1,,,,,,,,,", `f:2: time: "2025-01-00T11:25:00" is not an RFC 3339 time with an offset or Z`},
		{"time offset 24", "1,call,2025-01-01T00:00:00+24:00,u1,,,,,,,,,", `f:2: time: "2025-01-01T00:00:00+24:00" has an offset beyond ±23:59`},
		{"amount comma", `1,call,2025-01-01T00:00:00Z,u1,"12,5",RUB,,,,,,,`, `f:2: amount: "12,5" is not a decimal`},
		{"amount dot", "1,call,2025-01-01T00:00:00Z,u1,12.,RUB,,,,,,,", `f:2: amount: "12." is not a decimal`},
		{"amount leading dot", "1,call,2025-01-01T00:00:00Z,u1,.5,RUB,,,,,,,", `f:2: amount: ".5" is not a decimal`},
		{"amount space", "1,call,2025-01-01T00:00:00Z,u1, 5,RUB,,,,,,,", `f:2: amount: " 5" is not a decimal`},
		{"amount exponent", "1,call,2025-01-01T00:00:00Z,u1,1e5000,RUB,,,,,,,", `f:2: amount: "1e5000" is out of range`},
		// A long value is shortened to 64 bytes and an ellipsis, as the
		// engine's event errors shorten theirs; cut between characters.
		{"amount long", "1,call,2025-01-01T00:00:00Z,u1," + long + ",RUB,,,,,,,", `f:2: amount: "1111111111111111111111111111111111111111111111111111111111111111…" has too many characters`},
		{"int long Cyrillic", "1,call,2025-01-01T00:00:00Z,u1,,,,,a" + strings.Repeat("я", 40) + ",,,,", `f:2: pipeline: "aяяяяяяяяяяяяяяяяяяяяяяяяяяяяяяя…" is not an int`},
		{"currency lower", "1,call,2025-01-01T00:00:00Z,u1,5,rub,,,,,,,", `f:2: currency: "rub" is not 3 upper-case letters`},
		{"currency long", "1,call,2025-01-01T00:00:00Z,u1,5,RUBL,,,,,,,", `f:2: currency: "RUBL" is not 3 upper-case letters`},
		{"currency without amount", "1,call,2025-01-01T00:00:00Z,u1,,RUB,,,,,,,", `f:2: currency "RUB" without amount`},
		{"int", "1,call,2025-01-01T00:00:00Z,u1,,,,,abc,,,,", `f:2: pipeline: "abc" is not an int`},
		{"int fraction", "1,call,2025-01-01T00:00:00Z,u1,,,,,1.0,,,,", `f:2: pipeline: "1.0" is not an int`},
		{"int range", "1,call,2025-01-01T00:00:00Z,u1,,,,,9223372036854775808,,,,", `f:2: pipeline: "9223372036854775808" is not an int`},
		{"decimal", "1,call,2025-01-01T00:00:00Z,u1,,,,,,x,,,", `f:2: price: "x" is not a decimal`},
		{"bool", "1,call,2025-01-01T00:00:00Z,u1,,,,,,,yes,,", `f:2: ok: "yes" is not true or false`},
		{"time attr", "1,call,2025-01-01T00:00:00Z,u1,,,,,,,,2025-01-01,", `f:2: at: "2025-01-01" is not an RFC 3339 time with an offset or Z`},
		{"time attr Feb 30", "1,call,2025-01-01T00:00:00Z,u1,,,,,,,,2025-02-30T11:25:00+03:00,", `f:2: at: "2025-02-30T11:25:00+03:00" is not a real date: February 2025 has 28 days`},
		{"quote in field", `1,ca"ll,2025-01-01T00:00:00Z,u1,,,,,,,,,`, `f:2: field 2: quote in an unquoted field`},
		{"text after quote", `1,"call"x,2025-01-01T00:00:00Z,u1,,,,,,,,,`, `f:2: field 2: text after the closing quote`},
		{"quote not closed", "1,\"call,2025-01-01T00:00:00Z,u1,,,,,,,,,\n2,call", `f:2: field 2: quoted field not closed`},
		{"invalid UTF-8", "1,c\xffall,2025-01-01T00:00:00Z,u1,,,,,,,,,", `f:2: kind: invalid UTF-8`},
		{"invalid UTF-8 quoted", "1,\"c\xff,all\",2025-01-01T00:00:00Z,u1,,,,,,,,,", `f:2: kind: invalid UTF-8`},
		{"invalid UTF-8 wrong columns", "1,c\xffall", `f:2: field 2: invalid UTF-8`},
		{"line of a quoted record", "1,call,2025-01-01T00:00:00Z,u1,,,,\"a\nb\",,,,,\n2,call,2025-01-01T00:00:00Z,u1,,,,,x,,,,", `f:4: pipeline: "x" is not an int`},
		{"line after blank lines", "\n\r\n1,call,2025-01-01T00:00:00Z,u1,,,,,x,,,,", `f:4: pipeline: "x" is not an int`},
		{"only the first problem of a line", ",,,,,,,,x,,,,", `f:2: missing "id"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := readAll(t, CSV, csvHead+"\n"+tt.in+"\n", typedOpt)
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestCSVHeaderErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty file", "", `f:1: missing header row`},
		{"blank lines only", "\n\r\n\n", `f:1: missing header row`},
		{"BOM only", "\xef\xbb\xbf", `f:1: missing header row`},
		{"missing column", "id,kind,actor\n1,call,u1\n", `f:1: header: missing required column "time"`},
		{"missing columns", "id,amount\n1,5\n", `f:1: header: missing required columns "kind", "time", "actor"`},
		{"duplicate", "id,kind,time,actor,source,source\n", `f:1: header: duplicate column "source"`},
		{"duplicate standard", "id,kind,time,actor,id\n", `f:1: header: duplicate column "id"`},
		{"empty name", "id,kind,time,actor,,x\n", `f:1: header: empty column name (column 5)`},
		{"case matters", "ID,kind,time,actor\n", `f:1: header: missing required column "id" (did you mean "ID"?)`},
		// A spreadsheet's export: names in capitals, a space after a comma.
		{"spreadsheet header", "ID,Kind,Time,actor\n", `f:1: header: missing required columns "id" (did you mean "ID"?), "kind" (did you mean "Kind"?), "time" (did you mean "Time"?)`},
		// A space after a comma is kept in the field by CSV: a name with a
		// blank around it is refused, not an attribute " source" or a
		// missing "time".
		{"space before a name", "id,kind, time,actor\n", `f:1: header: column " time" has a space at its start or end (CSV keeps the spaces around a comma in the name)`},
		{"space before an attribute", "id,kind,time,actor, source\n", `f:1: header: column " source" has a space at its start or end (CSV keeps the spaces around a comma in the name)`},
		{"space after an attribute", "id,kind,time,actor,source \n", `f:1: header: column "source " has a space at its start or end (CSV keeps the spaces around a comma in the name)`},
		{"quoted space", "id,kind,time,actor,\" source\"\r\n", `f:1: header: column " source" has a space at its start or end (CSV keeps the spaces around a comma in the name)`},
		{"space after blank lines", "\n\nid,kind,time,actor, source\n", `f:3: header: column " source" has a space at its start or end (CSV keeps the spaces around a comma in the name)`},
		{"quote", "id,kind,time,ac\"tor\n", `f:1: header: field 4: quote in an unquoted field`},
		{"invalid UTF-8", "id,kind,time,actor,\xff\n", `f:1: header: field 5: invalid UTF-8`},
		{"header after blank line", "\nid,kind,time\n", `f:2: header: missing required column "actor"`},
		{"bad header stops the read", "id,kind\n,,\n", `f:1: header: missing required columns "time", "actor"`},
		// A file separated by semicolons reads as a header of one column,
		// which says so: only "missing" was said of the columns it holds.
		{"semicolons", "id;kind;time;actor\n1;k;2025-01-01T00:00:00Z;a\n",
			`f:1: header: missing required columns "id", "kind", "time", "actor" (the header is the one column "id;kind;time;actor": its fields are separated by ";", and CSV separates them by commas)`},
		{"pipes", "id|kind|time|actor\n", `f:1: header: missing required columns "id", "kind", "time", "actor" (the header is the one column "id|kind|time|actor": its fields are separated by "|", and CSV separates them by commas)`},
		{"one column", "id\n", `f:1: header: missing required columns "kind", "time", "actor"`},
		// A file whose lines end in CR alone (a spreadsheet's "CSV
		// (Macintosh)") is one line: the header's last name runs into the
		// first row, which says why, as the mapping's reader says it; it
		// said only that the column had a control character (U+000D).
		{"CR line ends", "id,kind,time,actor\r1,call,2025-01-01T00:00:00Z,u1\r",
			`f:1: header: column "actor\r1" holds a carriage return: lines that end in CR alone are not line ends in CSV (save the file with LF or CRLF line ends)`},
		{"CR line ends, attribute last", "id,kind,time,actor,source\r1,call,2025-01-01T00:00:00Z,u1,web\r",
			`f:1: header: column "source\r1" holds a carriage return: lines that end in CR alone are not line ends in CSV (save the file with LF or CRLF line ends)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := readAll(t, CSV, tt.in, typedOpt)
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestNDJSONErrors(t *testing.T) {
	const base = `"id":"1","kind":"call","time":"2025-01-01T00:00:00Z","actor":"u1"`
	deep := strings.Repeat("[", 1001) + strings.Repeat("]", 1001)
	tests := []struct {
		name, in, want string
	}{
		{"not closed", `{`, `f:1: invalid JSON at column 2: want a field name, got end of line`},
		{"array", `[1]`, `f:1: want a JSON object, got an array`},
		{"string", `"x"`, `f:1: want a JSON object, got a string`},
		{"number", `12`, `f:1: want a JSON object, got a number`},
		{"garbage", `hello`, `f:1: invalid JSON at column 1: want "{", got 'h'`},
		{"control byte", "\x01", `f:1: invalid JSON at column 1: want "{", got byte 0x01`},
		{"unknown field", `{` + base + `,"amout":1}`, `f:1: unknown field "amout"`},
		{"unknown field first", `{"Kind":"call"}`, `f:1: unknown field "Kind"`},
		{"known is not a field", `{` + base + `,"known":"2025-01-01T00:00:00Z"}`, `f:1: unknown field "known"`},
		{"duplicate field", `{` + base + `,"id":"2"}`, `f:1: duplicate field "id"`},
		{"duplicate attr", `{` + base + `,"attrs":{"a":1,"b":2,"a":3}}`, `f:1: attrs: duplicate key "a"`},
		{"missing id", `{"kind":"call"}`, `f:1: missing "id"`},
		{"null id", `{"id":null}`, `f:1: missing "id"`},
		{"number id", `{"id":1}`, `f:1: id: want a string, got number`},
		{"amount long number", `{` + base + `,"amount":` + strings.Repeat("1", 101) + `}`, `f:1: amount: 1111111111111111111111111111111111111111111111111111111111111111… has too many characters`},
		{"amount long string", `{` + base + `,"amount":"` + strings.Repeat("1", 101) + `"}`, `f:1: amount: "1111111111111111111111111111111111111111111111111111111111111111…" has too many characters`},
		{"empty id", `{"id":""}`, `f:1: id: empty string`},
		{"missing kind", `{"id":"1","time":"2025-01-01T00:00:00Z","actor":"u1"}`, `f:1: missing "kind"`},
		{"missing time", `{"id":"1","kind":"call","actor":"u1"}`, `f:1: missing "time"`},
		{"missing actor", `{"id":"1","kind":"call","time":"2025-01-01T00:00:00Z"}`, `f:1: missing "actor"`},
		{"actor everyone", `{"id":"1","kind":"call","time":"2025-01-01T00:00:00Z","actor":"*"}`, `f:1: actor: "*" is the whole company's row in reports, not an actor`},
		{"empty kind", `{"id":"1","kind":"","time":"2025-01-01T00:00:00Z","actor":"u1"}`, `f:1: kind: empty string`},
		{"kind not a string", `{"id":"1","kind":true,"time":"2025-01-01T00:00:00Z","actor":"u1"}`, `f:1: kind: want a string, got bool`},
		{"time", `{"id":"1","kind":"call","time":"2025-01-01","actor":"u1"}`, `f:1: time: "2025-01-01" is not an RFC 3339 time with an offset or Z`},
		{"time Feb 30", `{"id":"1","kind":"call","time":"2025-02-30T11:25:00+03:00","actor":"u1"}`, `f:1: time: "2025-02-30T11:25:00+03:00" is not a real date: February 2025 has 28 days`},
		{"time hour 24", `{"id":"1","kind":"call","time":"2025-02-03t24:00:00z","actor":"u1"}`, `f:1: time: "2025-02-03t24:00:00z" is not a real time of day: hours are 00 to 23`},
		{"time number", `{"id":"1","kind":"call","time":1735689600,"actor":"u1"}`, `f:1: time: want a string, got number`},
		{"deleted string", `{"id":"1","deleted":"true"}`, `f:1: deleted: want true or false, got string`},
		{"amount bool", `{` + base + `,"amount":true}`, `f:1: amount: want a decimal string or number, got bool`},
		{"amount text", `{` + base + `,"amount":"12,50"}`, `f:1: amount: "12,50" is not a decimal`},
		{"amount range", `{` + base + `,"amount":1e5000}`, `f:1: amount: 1e5000 is out of range`},
		{"amount object", `{` + base + `,"amount":{"v":1}}`, `f:1: amount: want a decimal string or number, got object`},
		{"currency", `{` + base + `,"amount":"1","currency":"usd"}`, `f:1: currency: "usd" is not 3 upper-case letters`},
		{"currency empty", `{` + base + `,"amount":"1","currency":""}`, `f:1: currency: "" is not 3 upper-case letters`},
		{"currency number", `{` + base + `,"amount":"1","currency":840}`, `f:1: currency: want a string, got number`},
		{"currency without amount", `{` + base + `,"currency":"USD"}`, `f:1: currency "USD" without amount`},
		{"currency with null amount", `{` + base + `,"amount":null,"currency":"USD"}`, `f:1: currency "USD" without amount`},
		{"attrs array", `{` + base + `,"attrs":[1]}`, `f:1: attrs: want an object, got array`},
		{"attrs string", `{` + base + `,"attrs":"a=1"}`, `f:1: attrs: want an object, got string`},
		{"nested object", `{` + base + `,"attrs":{"a":{"b":1}}}`, `f:1: attrs.a: objects are not allowed`},
		{"nested array", `{` + base + `,"attrs":{"a":[1,2]}}`, `f:1: attrs.a: arrays are not allowed`},
		{"empty attribute name", `{` + base + `,"attrs":{"":1}}`, `f:1: attrs: empty attribute name`},
		{"int given a string", `{` + base + `,"attrs":{"pipeline":"abc"}}`, `f:1: attrs.pipeline: want an int, got string`},
		{"int given a digit string", `{` + base + `,"attrs":{"pipeline":"2"}}`, `f:1: attrs.pipeline: want an int, got string`},
		{"int fraction", `{` + base + `,"attrs":{"pipeline":1.5}}`, `f:1: attrs.pipeline: 1.5 is not an int`},
		{"int range", `{` + base + `,"attrs":{"pipeline":1e30}}`, `f:1: attrs.pipeline: 1e30 is not an int`},
		{"decimal bool", `{` + base + `,"attrs":{"price":false}}`, `f:1: attrs.price: want a decimal string or number, got bool`},
		{"decimal text", `{` + base + `,"attrs":{"price":"1,5"}}`, `f:1: attrs.price: "1,5" is not a decimal`},
		{"bool", `{` + base + `,"attrs":{"ok":"true"}}`, `f:1: attrs.ok: want true or false, got string`},
		{"time attr", `{` + base + `,"attrs":{"at":"yesterday"}}`, `f:1: attrs.at: "yesterday" is not an RFC 3339 time with an offset or Z`},
		{"time attr Feb 30", `{` + base + `,"attrs":{"at":"2025-02-30T11:25:00+03:00"}}`, `f:1: attrs.at: "2025-02-30T11:25:00+03:00" is not a real date: February 2025 has 28 days`},
		{"time attr number", `{` + base + `,"attrs":{"at":0}}`, `f:1: attrs.at: want an RFC 3339 time string, got number`},
		{"string attr number", `{` + base + `,"attrs":{"source":5}}`, `f:1: attrs.source: want a string, got number`},
		{"trailing data", `{"id":"1","deleted":true} x`, `f:1: invalid JSON at column 27: want the end of the line after the object, got 'x'`},
		{"two objects", `{"id":"1","deleted":true}{"id":"2","deleted":true}`, `f:1: invalid JSON at column 26: want the end of the line after the object, got '{'`},
		{"trailing comma", `{"id":"1",}`, `f:1: invalid JSON at column 11: want a field name, got '}'`},
		{"missing colon", `{"id" "1"}`, `f:1: invalid JSON at column 7: want ":", got '"'`},
		{"missing comma", `{"id":"1" "kind":"x"}`, `f:1: invalid JSON at column 11: want "," or "}", got '"'`},
		{"single quotes", `{'id':'1'}`, `f:1: invalid JSON at column 2: want a field name, got '\''`},
		{"bad literal", `{"id":"1","deleted":tru}`, `f:1: invalid JSON at column 21: invalid literal`},
		{"leading zero", `{` + base + `,"amount":01}`, `f:1: invalid JSON at column 78: want "," or "}", got '1'`},
		{"bare minus", `{` + base + `,"amount":-}`, `f:1: invalid JSON at column 78: want a digit, got '}'`},
		{"fraction without digits", `{` + base + `,"amount":1.}`, `f:1: invalid JSON at column 79: want a digit, got '}'`},
		{"plus sign", `{` + base + `,"amount":+1}`, `f:1: invalid JSON at column 77: want a value, got '+'`},
		{"NaN", `{` + base + `,"amount":NaN}`, `f:1: invalid JSON at column 77: want a value, got 'N'`},
		{"string not closed", `{"id":"1`, `f:1: invalid JSON at column 9: string not closed`},
		{"invalid escape", `{"id":"a\x"}`, `f:1: invalid JSON at column 9: invalid escape "\x"`},
		{"invalid unicode escape", `{"id":"a\u12G4"}`, `f:1: invalid JSON at column 9: invalid \u escape`},
		{"control character", "{\"id\":\"a\tb\"}", `f:1: invalid JSON at column 9: control character in a string`},
		{"invalid UTF-8", "{\"id\":\"a\xffb\"}", `f:1: invalid JSON at column 9: invalid UTF-8 in a string`},
		{"nested too deeply", `{"id":"1","deleted":true,"attrs":{"a":` + deep + `}}`, `f:1: invalid JSON at column 1039: nested too deeply`},
		{"unknown field in a deletion", `{"id":"1","deleted":true,"amout":1}`, `f:1: unknown field "amout"`},
		{"line counts blank lines", "\n  \n{\"id\":1}", `f:3: id: want a string, got number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := readAll(t, NDJSON, tt.in+"\n", typedOpt)
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// RFC 3339 allows a lower-case t and z; both formats read them as the
// upper-case ones, in the event time and in a time attribute.
func TestLowerCaseTAndZ(t *testing.T) {
	for _, c := range []struct {
		f      Format
		lower  string
		upper  string
		header string
	}{
		{CSV, "1,call,2025-02-03t11:25:00z,u1,,,,,,,,2025-02-03t11:25:00.5+03:00,", "1,call,2025-02-03T11:25:00Z,u1,,,,,,,,2025-02-03T11:25:00.5+03:00,", csvHead + "\n"},
		{NDJSON, `{"id":"1","kind":"call","time":"2025-02-03t11:25:00z","actor":"u1","attrs":{"at":"2025-02-03t11:25:00.5+03:00"}}`,
			`{"id":"1","kind":"call","time":"2025-02-03T11:25:00Z","actor":"u1","attrs":{"at":"2025-02-03T11:25:00.5+03:00"}}`, ""},
	} {
		lower, msg := readAll(t, c.f, c.header+c.lower+"\n", typedOpt)
		upper, _ := readAll(t, c.f, c.header+c.upper+"\n", typedOpt)
		if msg != "" || len(lower) != 1 || !slices.Equal(lower, upper) {
			t.Errorf("%v: lower case read as %v (%s), upper case as %v", c.f, lower, msg, upper)
		}
	}
}
