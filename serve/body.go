package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
)

// bodyName names the body in the errors of ingestion: "body:LINE: …".
const bodyName = "body"

// badLine is one bad line of an ingestion body. Element is, for a JSON
// array, the element's number in the array (1 for the first): an array
// written on one line has every element on line 1, and its errors could
// not be told apart.
type badLine struct {
	Line    int    `json:"line"`
	Element int    `json:"element,omitempty"`
	Message string `json:"message"`
}

// badBody is an ingestion body refused whole: each bad line with its
// number in the body (for a JSON array, the line where the element starts,
// and the element's number), or, with no lines, what is wrong with the body
// as a whole.
type badBody struct {
	Msg   string
	Lines []badLine
}

func (e *badBody) Error() string {
	var b strings.Builder
	b.WriteString(e.Msg)
	for _, l := range e.Lines {
		fmt.Fprintf(&b, "\n%s:%d: ", bodyName, l.Line)
		if l.Element > 0 {
			fmt.Fprintf(&b, "element %d: ", l.Element)
		}
		b.WriteString(l.Message)
	}
	return b.String()
}

// ndjsonTypes are the media types of an NDJSON body, the first the one
// the errors name; openapi.yaml lists each for postEvents.
var ndjsonTypes = []string{"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"}

// bodyFormat is the format of an ingestion body by its Content-Type: a JSON
// array (application/json), NDJSON (application/x-ndjson and its aliases)
// or CSV (text/csv); none given: an array if it starts with '[', else NDJSON.
// The body is UTF-8: a charset parameter other than utf-8 (any case) is
// refused rather than its bytes read as UTF-8.
func bodyFormat(contentType string, head []byte) (array bool, f eventfile.Format, err error) {
	if contentType == "" {
		if t := bytes.TrimLeft(head, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '[' {
			return true, eventfile.NDJSON, nil
		}
		return false, eventfile.NDJSON, nil
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false, 0, fmt.Errorf("bad Content-Type: %w", err)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return false, 0, fmt.Errorf("unsupported charset %s: send the body as UTF-8 (charset=utf-8 or none)", display.QuoteID(cs))
	}
	switch {
	case mt == "application/json":
		return true, eventfile.NDJSON, nil
	case slices.Contains(ndjsonTypes, mt):
		return false, eventfile.NDJSON, nil
	case mt == "text/csv":
		return false, eventfile.CSV, nil
	}
	return false, 0, fmt.Errorf("unsupported Content-Type %s: use application/json (an array), application/x-ndjson or text/csv", display.QuoteID(mt))
}

// parseEvents reads an ingestion body: a JSON array of events (array), or
// an event file of format f (NDJSON, CSV) in the shapes of FORMATS.md,
// read strictly by adapters/eventfile. Every event is checked; a body with
// any bad line is refused whole with a *badBody naming each bad line.
func parseEvents(ctx context.Context, body []byte, array bool, f eventfile.Format, attrs map[string]kpi.AttrType) ([]kpi.Event, error) {
	lines := []int(nil) // NDJSON line → body line, for an array
	if array {
		var err error
		if body, lines, err = arrayToNDJSON(body); err != nil {
			return nil, err
		}
	}
	var events []kpi.Event
	collect := eventfile.StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
		return fn(func(e *kpi.Event) error {
			if err := e.Validate(); err != nil {
				return err
			}
			events = append(events, e.Clone())
			return nil
		})
	})
	err := eventfile.Load(ctx, collect, bytes.NewReader(body), bodyName, eventfile.Options{Format: f, Attributes: attrs})
	if err == nil {
		return events, nil
	}
	if ctx.Err() != nil {
		return nil, err
	}
	return nil, toBadBody(err, lines)
}

// bodyError turns eventfile's errors into a badBody with the body's line
// numbers.
func toBadBody(err error, lines []int) error {
	be := &badBody{Msg: "the batch has bad lines; nothing was applied"}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	prefix := bodyName + ":"
	for _, e := range errs {
		var fe *eventfile.Error
		line, msg := 0, e.Error()
		if errors.As(e, &fe) {
			line, msg = fe.Line, fe.Msg
		} else if rest, ok := strings.CutPrefix(msg, prefix); ok {
			// An error of the check of each event: "body:LINE: …".
			var n int
			if _, serr := fmt.Sscanf(rest, "%d:", &n); serr == nil {
				line = n
				msg = strings.TrimSpace(strings.TrimPrefix(rest, fmt.Sprintf("%d:", n)))
			}
		}
		element := 0
		if line > 0 && lines != nil && line <= len(lines) {
			// The array's elements are the NDJSON's lines, one each.
			line, element = lines[line-1], line
		}
		if line == 0 {
			if len(errs) == 1 {
				return &badBody{Msg: msg}
			}
			be.Msg += "; " + msg
			continue
		}
		be.Lines = append(be.Lines, badLine{Line: line, Element: element, Message: msg})
	}
	return be
}

// arrayToNDJSON rewrites a JSON array of objects (after a UTF-8 byte order
// mark, if any) as NDJSON, one element a line, and returns for each NDJSON line the body line where its element
// starts.
func arrayToNDJSON(body []byte) ([]byte, []int, error) {
	// A byte order mark is read past, as the event files' reader does (the
	// lines it leaves are the same).
	body = bytes.TrimPrefix(body, []byte("\ufeff"))
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	lineAt := func(off int64) int {
		// The element starts at the first byte past white space and commas.
		off = max(off, 0)
		for off < int64(len(body)) && strings.IndexByte(" \t\r\n,", body[off]) >= 0 {
			off++
		}
		return 1 + bytes.Count(body[:min(off, int64(len(body)))], []byte{'\n'})
	}
	// syntax is err of the body's syntax, in the element-th element of the
	// array (0: outside the elements).
	syntax := func(err error, element int) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return &badBody{Msg: "the body is not a JSON array of events; nothing was applied",
				Lines: []badLine{{Line: lineAt(se.Offset - 1), Element: element, Message: se.Error()}}}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return &badBody{Msg: "the body ends inside the JSON array; nothing was applied"}
		}
		return &badBody{Msg: err.Error()}
	}
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, &badBody{Msg: "empty body: want a JSON array of events"}
		}
		return nil, nil, syntax(err, 0)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, nil, &badBody{Msg: "the body is not a JSON array of events"}
	}
	var out bytes.Buffer
	var lines []int
	for dec.More() {
		start := dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, syntax(err, len(lines)+1)
		}
		lines = append(lines, lineAt(start))
		if err := json.Compact(&out, raw); err != nil {
			return nil, nil, syntax(err, len(lines))
		}
		out.WriteByte('\n')
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, syntax(err, 0)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, &badBody{Msg: "the body has more after the JSON array"}
	}
	return out.Bytes(), lines, nil
}
