package eventfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

// checkError checks that a read error names bad lines: *Error values with a
// line within the file, and at most a final count of more.
func checkError(t *testing.T, err error, in string) {
	t.Helper()
	if err == nil {
		return
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	maxLine := strings.Count(in, "\n") + 1
	for i, e := range errs {
		var fe *Error
		if !errors.As(e, &fe) {
			if i == len(errs)-1 && i == maxErrors && strings.HasPrefix(e.Error(), "and ") {
				continue
			}
			t.Fatalf("error %d is not an *Error: %v", i, e)
		}
		if fe.Line < 1 || fe.Line > maxLine || fe.File != "f" || fe.Msg == "" {
			t.Fatalf("bad *Error %#v in a file of %d lines", fe, maxLine)
		}
	}
}

// fuzzRead reads in with read and readParallel (which must agree), checks the
// error, and, when the file is good, writes the events back and reads them
// again: what read gives, Writer writes, and it reads back the same.
// maxFuzzInput bounds a fuzzed file: larger ones only repeat what smaller
// ones find, slower (MaxLine has a test of its own).
const maxFuzzInput = 64 << 10

func fuzzRead(t *testing.T, f Format, in string) {
	if len(in) > maxFuzzInput {
		return
	}
	got, msg := readAll(t, f, in, typedOpt)
	// Into a memory store, in batches as one version at a time.
	bopt := typedOpt
	bopt.Format = f
	sameInBatches(t, []byte(in), "f", bopt)
	var err error
	if msg != "" {
		err = read(context.Background(), strings.NewReader(in), "f", f, typedOpt, func(int64, *kpi.Event) error { return nil })
	}
	checkError(t, err, in)
	if err != nil {
		return
	}
	var attrs []string
	if f == CSV {
		h, _ := firstCSVHeader(in)
		for _, a := range h.attrs {
			attrs = append(attrs, a.name)
		}
	}
	var buf bytes.Buffer
	w := NewWriter(&buf, f, attrs)
	var want []string
	err = read(context.Background(), strings.NewReader(in), "f", f, typedOpt, func(_ int64, e *kpi.Event) error {
		want = append(want, show(e))
		return w.Write(e)
	})
	if err != nil {
		t.Fatalf("writing back: %v", err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	var again []string
	err = read(context.Background(), &buf, "f", f, typedOpt, func(_ int64, e *kpi.Event) error {
		again = append(again, show(e))
		return nil
	})
	if err != nil {
		t.Fatalf("reading back: %v\n%s", err, buf.String())
	}
	if !slices.Equal(again, want) || len(got) != len(want) {
		t.Fatalf("read back\n%s\nwant\n%s", strings.Join(again, "\n"), strings.Join(want, "\n"))
	}
}

// firstCSVHeader parses the header of a good CSV file.
func firstCSVHeader(in string) (*csvHeader, error) {
	var c common
	c.init("f", typedOpt, new(firstBad), nil)
	p := newCSVParser(c, nil)
	p.stopAfterHeader = true
	data := []byte(strings.TrimPrefix(in, "\xef\xbb\xbf"))
	if _, _, err := p.block(data, 1, true); err != nil || p.h == nil {
		return nil, fmt.Errorf("no header: %v", err)
	}
	return p.h, nil
}

func addSeeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
}

func FuzzReadNDJSON(f *testing.F) {
	addSeeds(f, "*.ndjson")
	f.Add(`{"id":"1","kind":"call","time":"2025-01-01T00:00:00Z","actor":"u1","amount":1.5e3,"currency":"EUR","attrs":{"pipeline":2,"at":"2025-01-01T00:00:00+03:00","x":[1,{"a":null}]}}` + "\n")
	f.Add("{\"id\":\"\\ud83d\\ude00\",\"deleted\":true}\r\n\n{\"id\":1}")
	f.Fuzz(func(t *testing.T, in string) { fuzzRead(t, NDJSON, in) })
}

func FuzzReadCSV(f *testing.F) {
	addSeeds(f, "*.csv")
	f.Add("id,kind,time,actor,amount,currency,deleted,pipeline,note\n1,call,2025-01-01T00:00:00Z,u1,1.50,EUR,,2,\"a,\"\"b\"\"\nc\"\r\n2,,,,,,true,,\n")
	f.Add("\xef\xbb\xbf\"id\",kind,time,actor\n\"1\"x,call,2025-01-01T00:00:00Z,u1")
	f.Fuzz(func(t *testing.T, in string) { fuzzRead(t, CSV, in) })
}
