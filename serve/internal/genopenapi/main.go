// Command genopenapi copies the report's JSON Schema (docs/report.schema.json)
// into the components of the API's OpenAPI document, between the lines
// "# BEGIN report schemas" and "# END report schemas", so that the API
// describes the report exactly as the file-format contract does.
//
//	go run ./internal/genopenapi ../docs/report.schema.json openapi.yaml
package main

import (
	"fmt"
	"os"

	"github.com/goalkit/goalkit/serve/internal/openapigen"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: genopenapi REPORT.schema.json OPENAPI.yaml")
		os.Exit(2)
	}
	schema, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	doc, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := openapigen.Splice(doc, schema)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile(os.Args[2], out, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
