package serve

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/adapters/eventfile"
)

// A bad element of a JSON array is named by its number in the array as
// well as its line: an array written on one line (as JSON.stringify writes
// it) had every error say line 1, and which element each meant could not
// be told. NDJSON and CSV lines are their own elements and say no number.
func TestIngestArrayNamesTheElement(t *testing.T) {
	const (
		good    = `{"id":"e1","kind":"call","time":"2025-03-05T10:00:00Z","actor":"n1"}`
		badDate = `{"id":"e2","kind":"call","time":"2025-02-30T10:00:00Z","actor":"n1"}`
		noActor = `{"id":"e3","kind":"call","time":"2025-03-05T10:00:00Z"}`
		dateMsg = `time: "2025-02-30T10:00:00Z" is not a real date: February 2025 has 28 days`
	)
	cases := []struct {
		name, ctype, body string
		want              []badLine
	}{
		{"one line", "application/json", "[" + good + "," + badDate + ", " + noActor + ", 5]", []badLine{
			{Line: 1, Element: 2, Message: dateMsg},
			{Line: 1, Element: 3, Message: `missing "actor"`},
			{Line: 1, Element: 4, Message: "want a JSON object, got a number"},
		}},
		{"a line each", "application/json", "[\n" + good + ",\n" + badDate + ",\n\n" + noActor + "\n]", []badLine{
			{Line: 3, Element: 2, Message: dateMsg},
			{Line: 5, Element: 3, Message: `missing "actor"`},
		}},
		{"two on the second line", "", "[" + good + ",\n" + badDate + "," + noActor + "]", []badLine{
			{Line: 2, Element: 2, Message: dateMsg},
			{Line: 2, Element: 3, Message: `missing "actor"`},
		}},
		{"ndjson", "application/x-ndjson", good + "\n" + badDate + "\n" + noActor + "\n", []badLine{
			{Line: 2, Message: dateMsg},
			{Line: 3, Message: `missing "actor"`},
		}},
	}
	f := newFixture(t, nil)
	for _, c := range cases {
		w := f.do("POST", "/api/v1/events", writerToken, c.ctype, []byte(c.body))
		var eb errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &eb); w.Code != 400 || err != nil {
			t.Fatalf("%s: %d %s", c.name, w.Code, w.Body)
		}
		if eb.Error != "the batch has bad lines; nothing was applied" || !slices.Equal(eb.Lines, c.want) {
			t.Errorf("%s: %s\nwant lines %+v", c.name, w.Body, c.want)
		}
	}
	// A syntax error inside an element names it too.
	w := f.do("POST", "/api/v1/events", writerToken, "application/json", []byte("["+good+",\n"+good+`, {"id":"x" "kind":"call"}]`))
	want := `{"error":"the body is not a JSON array of events; nothing was applied","lines":[{"line":2,"element":3,"message":"invalid character '\"' after object key:value pair"}]}` + "\n"
	if w.Code != 400 || w.Body.String() != want {
		t.Errorf("syntax error: %d %s\nwant %s", w.Code, w.Body, want)
	}
	if n := f.tr.Indicators().Len(); n != 0 {
		t.Errorf("live events: %d, want none (every batch had a bad line)", n)
	}
	// The error's text, as a log writes it, names the element too.
	_, err := parseEvents(t.Context(), []byte("["+good+","+badDate+"]"), true, eventfile.NDJSON, nil)
	want = "the batch has bad lines; nothing was applied\nbody:1: element 2: " + dateMsg
	if err == nil || err.Error() != want {
		t.Errorf("error: %v\nwant %s", err, want)
	}
}
