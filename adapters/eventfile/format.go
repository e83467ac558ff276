package eventfile

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Format is the encoding of an event file.
type Format uint8

// The event file formats of FORMATS.md.
const (
	// NDJSON is one JSON object a line.
	NDJSON Format = iota + 1
	// CSV is a header row and one event a record (RFC 4180).
	CSV
)

// String returns "ndjson" or "csv".
func (f Format) String() string {
	switch f {
	case NDJSON:
		return "ndjson"
	case CSV:
		return "csv"
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// FormatOf returns the format of a file by its extension: .ndjson, .jsonl and
// .json are NDJSON, .csv is CSV, in any letter case.
func FormatOf(name string) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".ndjson", ".jsonl", ".json":
		return NDJSON, nil
	case ".csv":
		return CSV, nil
	}
	return 0, fmt.Errorf("unknown event file format of %q (want .ndjson, .jsonl, .json or .csv)", name)
}
