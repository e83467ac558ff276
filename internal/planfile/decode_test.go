package planfile

import (
	"encoding/json"
	"errors"
	"strconv"
	"testing"

	"pgregory.net/rapid"
)

type scalars struct {
	On    bool           `json:"on"`
	Count int            `json:"count"`
	Small int8           `json:"small"`
	Size  uint           `json:"size"`
	Name  string         `json:"name"`
	Tags  []int64        `json:"tags"`
	Attrs map[string]int `json:"attrs"`
	Every int            `json:"every" plan:"positive"`
}

func TestDecodeScalars(t *testing.T) {
	var v scalars
	if _, err := Decode("f.yaml", []byte("on: true\ncount: -3\nsmall: 127\nsize: 7\nname: x\ntags: [1, 2]\n"), &v); err != nil {
		t.Fatal(err)
	}
	if !v.On || v.Count != -3 || v.Small != 127 || v.Size != 7 || v.Name != "x" || len(v.Tags) != 2 || v.Tags[1] != 2 {
		t.Errorf("decoded %+v", v)
	}
}

func TestDecodeErrors(t *testing.T) {
	const trailing = "text after the end of the document: a file holds one document"
	tests := []struct {
		name, file, want string
	}{
		{"bool as text", `on: "true"`, `f.yaml:1: on: want true or false, got the string "true" (write it without quotes)`},
		{"bool as quoted number", `on: "1"`, `f.yaml:1: on: want true or false, got "1"`},
		{"bool tagged as text", `on: !!str true`, `f.yaml:1: on: want true or false, got the string "true" (write it without quotes)`},
		// A quoted number is text, which the schema's integer refuses.
		{"int as text", `count: "3"`, `f.yaml:1: count: want a whole number, got the string "3" (write it without quotes)`},
		{"int in single quotes", `count: '-3'`, `f.yaml:1: count: want a whole number, got the string "-3" (write it without quotes)`},
		{"int tagged as text", `count: !!str 3`, `f.yaml:1: count: want a whole number, got the string "3" (write it without quotes)`},
		{"int as JSON text", `{"size": "7"}`, `f.yaml:1: size: want a whole number ≥ 0, got the string "7" (write it without quotes)`},
		{"int as text in a list", "tags: [1, \"2\"]", `f.yaml:1: tags[1]: want a whole number, got the string "2" (write it without quotes)`},
		{"int as text in a map", "attrs:\n  a: '1'\n", `f.yaml:2: attrs.a: want a whole number, got the string "1" (write it without quotes)`},
		{"int as other text", `count: "x"`, `f.yaml:1: count: want a whole number, got "x"`},
		{"int with a leading zero as text", `count: "08"`, `f.yaml:1: count: want a whole number, got the string "08" (write 8 without quotes)`},
		{"octal int as text", `count: "010"`, `f.yaml:1: count: want a whole number, got the string "010" (write 10 without quotes)`},
		// A whole number with a leading zero is 10 to YAML 1.2 and 8 to
		// YAML 1.1 (and to the YAML library beneath the reader), and JSON
		// has none: it is refused, with both readings.
		{"leading zero", "count: 010", `f.yaml:1: count: want a whole number without a leading zero, got 010, which YAML 1.2 reads as 10 and YAML 1.1 as the octal 8: write 10, or 8`},
		{"leading zeros", "count: 0010", `f.yaml:1: count: want a whole number without a leading zero, got 0010, which YAML 1.2 reads as 10 and YAML 1.1 as the octal 8: write 10, or 8`},
		{"leading zero with a minus", "count: -010", `f.yaml:1: count: want a whole number without a leading zero, got -010, which YAML 1.2 reads as -10 and YAML 1.1 as the octal -8: write -10, or -8`},
		{"leading zero with a plus", "count: +0017", `f.yaml:1: count: want a whole number without a leading zero, got +0017, which YAML 1.2 reads as 17 and YAML 1.1 as the octal 15: write 17, or 15`},
		{"leading zero, one digit", "count: -07", `f.yaml:1: count: want a whole number without a leading zero, got -07: write -7`},
		{"leading zero, not octal", "count: 08", `f.yaml:1: count: want a whole number without a leading zero, got 08: write 8`},
		{"leading zero, not octal further on", "count: 0109", `f.yaml:1: count: want a whole number without a leading zero, got 0109: write 109`},
		{"leading zero past the range", "small: 0200", `f.yaml:1: small: want a whole number, got "0200"`},
		{"leading zero, unsigned", "size: 010", `f.yaml:1: size: want a whole number ≥ 0 without a leading zero, got 010, which YAML 1.2 reads as 10 and YAML 1.1 as the octal 8: write 10, or 8`},
		{"leading zero in a list", "tags: [1, 010]", `f.yaml:1: tags[1]: want a whole number without a leading zero, got 010, which YAML 1.2 reads as 10 and YAML 1.1 as the octal 8: write 10, or 8`},
		{"leading zero in a map", "attrs:\n  a: 010\n", `f.yaml:2: attrs.a: want a whole number without a leading zero, got 010, which YAML 1.2 reads as 10 and YAML 1.1 as the octal 8: write 10, or 8`},
		{"leading zero tagged as int", "count: !!int '010'", `f.yaml:1: count: want a whole number without a leading zero, got 010, which YAML 1.2 reads as 10 and YAML 1.1 as the octal 8: write 10, or 8`},
		// JSON has no leading zeros; the JSON file is refused as the YAML is.
		{"leading zero in JSON", "{\n  \"name\": \"x\",\n  \"count\": 010\n}\n", `f.yaml:3: count: want a whole number without a leading zero, got 010, which YAML 1.2 reads as 10 and YAML 1.1 as the octal 8: write 10, or 8`},
		// A zero has one reading, but the rule is one: no leading zero on a
		// whole number (JSON refuses 00 as it refuses 010).
		{"zero with a leading zero", "count: 00", `f.yaml:1: count: want a whole number without a leading zero, got 00: write 0`},
		{"zero with leading zeros and a minus", "count: -000", `f.yaml:1: count: want a whole number without a leading zero, got -000: write 0`},
		{"zero with a leading zero and a plus", "count: +00", `f.yaml:1: count: want a whole number without a leading zero, got +00: write 0`},
		{"zero with a leading zero, unsigned", "size: 00", `f.yaml:1: size: want a whole number ≥ 0 without a leading zero, got 00: write 0`},
		{"zero with a leading zero in JSON", "{\"count\": 00}", `f.yaml:1: count: want a whole number without a leading zero, got 00: write 0`},
		{"zero with a leading zero in a list", "tags: [0, -00]", `f.yaml:1: tags[1]: want a whole number without a leading zero, got -00: write 0`},
		{"zero with a leading zero as text", `count: "00"`, `f.yaml:1: count: want a whole number, got the string "00" (write 0 without quotes)`},
		// A field whose 0 means "not given" refuses 00 as it refuses 0.
		{"positive 0", "every: 0", `f.yaml:1: every: want a whole number of 1 or more, got "0" (leave every out for its default)`},
		{"positive 00", "every: 00", `f.yaml:1: every: want a whole number of 1 or more, got "00" (leave every out for its default)`},
		{"positive -0", "every: -0", `f.yaml:1: every: want a whole number of 1 or more, got "-0" (leave every out for its default)`},
		{"positive 00 in JSON", "{\"every\": 00}", `f.yaml:1: every: want a whole number of 1 or more, got "00" (leave every out for its default)`},
		{"positive 010", "every: 010", `f.yaml:1: every: want a whole number without a leading zero, got 010, which YAML 1.2 reads as 10 and YAML 1.1 as the octal 8: write 10, or 8`},
		{"positive 0 as text", `every: "0"`, `f.yaml:1: every: want a whole number, got the string "0" (write it without quotes)`},
		// Whole numbers are written in decimal digits: YAML's other forms
		// are refused with the number YAML reads in them.
		{"octal", "count: 0o10", `f.yaml:1: count: want a whole number, got "0o10" (YAML reads it as 8: write it in decimal digits)`},
		{"hexadecimal", "size: 0x1F", `f.yaml:1: size: want a whole number ≥ 0, got "0x1F" (YAML reads it as 31: write it in decimal digits)`},
		{"binary", "count: -0b101", `f.yaml:1: count: want a whole number, got "-0b101" (YAML reads it as -5: write it in decimal digits)`},
		{"underscores", "count: 1_000", `f.yaml:1: count: want a whole number, got "1_000" (YAML reads it as 1000: write it in decimal digits)`},
		{"octal as text", `count: "0o10"`, `f.yaml:1: count: want a whole number, got "0o10"`},
		{"hexadecimal for a boolean", "on: 0x1", `f.yaml:1: on: want true or false, got "0x1"`},
		{"bool as number", "on: 1", `f.yaml:1: on: want true or false, got "1"`},
		{"bool as list", "on: [true]", `f.yaml:1: on: want true or false, got ""`},
		{"fraction", "count: 1.5", `f.yaml:1: count: want a whole number, got "1.5"`},
		{"int out of range", "small: 128", `f.yaml:1: small: want a whole number, got "128"`},
		{"int as mapping", "count: {a: 1}", `f.yaml:1: count: want a whole number, got ""`},
		{"negative uint", "size: -1", `f.yaml:1: size: want a whole number ≥ 0, got "-1"`},
		{"list element", "tags: [1, x]", `f.yaml:1: tags[1]: want a whole number, got "x"`},
		{"every problem, in line order", "size: x\non: 2\n", "f.yaml:1: size: want a whole number ≥ 0, got \"x\"\nf.yaml:2: on: want true or false, got \"2\""},
		{"empty", "", "f.yaml: file is empty"},
		{"duplicate key", "on: true\non: false\n", `f.yaml:2: on: duplicate key "on"`},
		{"unknown key", "coutn: 1", `f.yaml:1: coutn: unknown key "coutn" (did you mean "count"?)`},
		{"duplicate map key", "attrs:\n  a: 1\n  a: 2\n", `f.yaml:3: attrs.a: duplicate key "a"`},
		{"map value", "attrs: {a: x}", `f.yaml:1: attrs.a: want a whole number, got "x"`},
		{"map as list", "attrs: [1]", `f.yaml:1: attrs: want a mapping, got a list`},
		{"struct as scalar", "7", `f.yaml:1: want a mapping, got a scalar`},
		// A list or a mapping as a key is YAML, not a name: it read as the
		// key "" (attrs[""] = 1, or an unknown key "").
		{"list as a map key", "attrs: {[a, b]: 1}", `f.yaml:1: attrs: a key must be a single name, got a list`},
		{"mapping as a map key", "attrs:\n  ? {x: 1}\n  : 1\n", `f.yaml:2: attrs: a key must be a single name, got a mapping`},
		{"list as a key", "? [on]\n: true\n", `f.yaml:1: a key must be a single name, got a list`},
		// A key is text from the file: in the path, its control characters,
		// line breaks and bidi overrides are escaped, so that each problem
		// stays one line and cannot drive a terminal.
		{"key with an escape", "attrs: {\"a\\e[2J\": x}", `f.yaml:1: attrs.a\x1b[2J: want a whole number, got "x"`},
		{"key with a line break", "attrs:\n  \"a\\nb\": 1\n  \"a\\nb\": 2\n", `f.yaml:3: attrs.a\nb: duplicate key "a\nb"`},
		{"unknown key with an override", "\"x\\u202ey\": 1", `f.yaml:1: x\u202ey: unknown key "x\u202ey"`},
		// What follows the one document is refused whether or not it parses.
		{"two documents", "count: 1\n---\ncount: 2\n", "f.yaml:2: more than one document in the file"},
		{"broken second document", "count: 1\n---\ncount: [\n", "f.yaml:3: the file ends where a value is expected"},
		{"after the end marker", "count: 1\n...\ncount: [\n", "f.yaml:3: " + trailing},
		{"two JSON objects", "{\"count\": 1}\n{\"count\": 2}\n", "f.yaml:2: " + trailing},
		{"text after JSON", "{\"count\": 1} x\n", "f.yaml:1: " + trailing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v scalars
			_, err := Decode("f.yaml", []byte(tt.file), &v)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Decode = %v\nwant %s", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("not an *Error: %#v", err)
			}
		})
	}
}

// TestDecodeTrailingAccepted: a document end marker, comments and blank
// lines after the document are not a second one.
// TestDecodeWholeNumbersUnquoted: a whole number written without quotes
// is read from its text, whatever tag YAML gives it; 0 is zero with a sign
// or none (JSON takes -0 too), and 00 is refused (TestDecodeErrors).
func TestDecodeWholeNumbersUnquoted(t *testing.T) {
	for file, want := range map[string]int{"count: !!float 3": 3, "count: !!int '3'": 3, "count: 0": 0, "count: -0": 0, "count: +0": 0, "count: 10": 10,
		`{"count": -0}`: 0} {
		var v scalars
		if _, err := Decode("f.yaml", []byte(file), &v); err != nil || v.Count != want {
			t.Errorf("Decode(%q) = %d, %v; want %d", file, v.Count, err, want)
		}
	}
}

func TestDecodeTrailingAccepted(t *testing.T) {
	for _, file := range []string{"count: 1\n...\n", "count: 1\n...\n# done\n\n", "{\"count\": 1}\n\n"} {
		var v scalars
		if _, err := Decode("f.yaml", []byte(file), &v); err != nil || v.Count != 1 {
			t.Errorf("Decode(%q) = %+v, %v", file, v, err)
		}
	}
}

// Any whole number in range reads as itself written bare, or in quotes
// with the tag !!int; in quotes alone it is text, refused on its line with
// its key, as the plan's JSON Schema (integer) refuses it.
func TestDecodeWholeNumberQuotes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.Int().Draw(t, "n")
		text := strconv.Itoa(n)
		if n >= 0 && rapid.Bool().Draw(t, "plus") {
			text = "+" + text
		}
		var v scalars
		file := "name: x\ncount: " + text + "\n"
		if _, err := Decode("f.yaml", []byte(file), &v); err != nil || v.Count != n {
			t.Fatalf("Decode(%q) = %d, %v; want %d", file, v.Count, err, n)
		}
		v = scalars{}
		file = "name: x\ncount: !!int '" + text + "'\n"
		if _, err := Decode("f.yaml", []byte(file), &v); err != nil || v.Count != n {
			t.Fatalf("Decode(%q) = %d, %v; want %d", file, v.Count, err, n)
		}
		quoted := rapid.SampledFrom([]string{`"` + text + `"`, "'" + text + "'"}).Draw(t, "quoted")
		file = "name: x\ncount: " + quoted + "\n"
		_, err := Decode("f.yaml", []byte(file), &scalars{})
		want := `f.yaml:2: count: want a whole number, got the string "` + text + `" (write it without quotes)`
		if err == nil || err.Error() != want {
			t.Fatalf("Decode(%q) = %v\nwant %s", file, err, want)
		}
	})
}

// A JSON file's whole numbers, and text where a whole number belongs, read
// as encoding/json reads them into the same fields: the same value, or an
// error where it refuses one (a fraction, an exponent, past the field's
// range, in quotes, a leading zero).
func TestDecodeWholeNumbersAsEncodingJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		digits := rapid.StringMatching(`0|[1-9][0-9]{0,20}|0[0-9]{0,3}[1-9]|00{1,3}`).Draw(t, "digits")
		num := rapid.SampledFrom([]string{"", "-"}).Draw(t, "sign") + digits +
			rapid.SampledFrom([]string{"", "", ".0", ".5", "e2", "E0"}).Draw(t, "tail")
		if rapid.IntRange(0, 5).Draw(t, "quoted") == 0 {
			num = `"` + num + `"`
		}
		key := rapid.SampledFrom([]string{"count", "small", "size"}).Draw(t, "key")
		var ours, ref scalars
		file := `{"` + key + `": ` + num + `}`
		_, err := Decode("f.json", []byte(file), &ours)
		refErr := json.Unmarshal([]byte(file), &ref)
		if (err == nil) != (refErr == nil) || ours.Count != ref.Count || ours.Small != ref.Small || ours.Size != ref.Size {
			t.Fatalf("Decode(%s) = %+v, %v; encoding/json: %+v, %v", file, ours, err, ref, refErr)
		}
	})
}
