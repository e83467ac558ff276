// Package openapigen splices the report's JSON Schema into the API's
// OpenAPI document (see internal/genopenapi).
package openapigen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The marker lines of the generated block.
const (
	Begin = "  # BEGIN report schemas (generated from docs/report.schema.json by go generate; do not edit)\n"
	End   = "  # END report schemas\n"
)

// Splice returns doc with the block between Begin and End replaced by the
// schemas of schema: each $defs entry as a component of its own name, and
// the report itself as Report and, with only as_of and timezone required,
// ReportPart (what the section endpoints answer). Each schema is written
// as one line of JSON, which is YAML.
func Splice(doc, schema []byte) ([]byte, error) {
	i := bytes.Index(doc, []byte(Begin))
	j := bytes.Index(doc, []byte(End))
	if i < 0 || j < i {
		return nil, errors.New("the OpenAPI document has no report schemas block")
	}
	var s map[string]any
	if err := json.Unmarshal(schema, &s); err != nil {
		return nil, fmt.Errorf("report schema: %w", err)
	}
	defs, _ := s["$defs"].(map[string]any)
	delete(s, "$defs")
	delete(s, "$schema")
	delete(s, "$id")
	var b bytes.Buffer
	b.Write(doc[:i])
	b.WriteString(Begin)
	line := func(name string, v any) error {
		js, err := json.Marshal(v)
		if err != nil {
			return err
		}
		js = bytes.ReplaceAll(js, []byte(`"#/$defs/`), []byte(`"#/components/schemas/`))
		fmt.Fprintf(&b, "    %s: %s\n", name, js)
		return nil
	}
	if err := line("Report", s); err != nil {
		return nil, err
	}
	part := map[string]any{}
	for k, v := range s {
		part[k] = v
	}
	part["required"] = []string{"as_of", "timezone"}
	part["description"] = "a part of the report: as_of, timezone and the sections an endpoint serves"
	if err := line("ReportPart", part); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(defs))
	for k := range defs {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if strings.ContainsAny(k, ": #") {
			return nil, fmt.Errorf("report schema: odd $defs name %q", k)
		}
		if err := line(k, defs[k]); err != nil {
			return nil, err
		}
	}
	b.Write(doc[j:])
	return b.Bytes(), nil
}
