package exampletest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/kpi"
)

// TestServeBadLineAsDocumented checks the refused batch docs/serve.md
// shows: its one bad line's message is the one the event reader that the
// service reads a body with (adapters/eventfile) gives a batch whose line
// of that number holds the time the message quotes, word for word.
func TestServeBadLineAsDocumented(t *testing.T) {
	page := string(repoFile(t, "docs", "serve.md"))
	i := strings.Index(page, `{"error": "the batch has bad lines`)
	if i < 0 {
		t.Fatal("docs/serve.md shows no refused batch")
	}
	block, _, _ := strings.Cut(page[i:], "```")
	var shown struct {
		Error string `json:"error"`
		Lines []struct {
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"lines"`
	}
	if err := json.Unmarshal([]byte(block), &shown); err != nil {
		t.Fatalf("docs/serve.md's refused batch is no JSON: %v\n%s", err, block)
	}
	if len(shown.Lines) != 1 || shown.Lines[0].Line < 1 {
		t.Fatalf("docs/serve.md's refused batch shows %d lines, want one", len(shown.Lines))
	}
	bad := regexp.MustCompile(`^time: "([^"]+)"`).FindStringSubmatch(shown.Lines[0].Message)
	if bad == nil {
		t.Fatalf("docs/serve.md's bad line %q quotes no time", shown.Lines[0].Message)
	}
	var body bytes.Buffer
	for i := 1; i <= shown.Lines[0].Line; i++ {
		at := "2025-03-05T10:00:00Z"
		if i == shown.Lines[0].Line {
			at = bad[1]
		}
		line, err := json.Marshal(map[string]string{"id": "d" + string(rune('0'+i)), "kind": "deal.won", "time": at, "actor": "anna"})
		if err != nil {
			t.Fatal(err)
		}
		body.Write(append(line, '\n'))
	}
	none := eventfile.StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
		return fn(func(*kpi.Event) error { return nil })
	})
	err := eventfile.Load(context.Background(), none, &body, "body", eventfile.Options{Format: eventfile.NDJSON})
	var fe *eventfile.Error
	if !errors.As(err, &fe) {
		t.Fatalf("the batch was read with %v, want its bad line", err)
	}
	if fe.Line != shown.Lines[0].Line || fe.Msg != shown.Lines[0].Message {
		t.Errorf("the reader refuses line %d with %q; docs/serve.md shows line %d with %q", fe.Line, fe.Msg, shown.Lines[0].Line, shown.Lines[0].Message)
	}
}

// TestServePageNamesConfig checks that docs/serve.md names every field of
// serve.Config, as a host that wires the server in Go reads it: a field
// added without a word on the page fails here.
func TestServePageNamesConfig(t *testing.T) {
	page := string(repoFile(t, "docs", "serve.md"))
	fields := 0
	for name := range declared(t, filepath.Join("..", "..", "..", "serve")) {
		field, ok := strings.CutPrefix(name, "Config.")
		if !ok {
			continue
		}
		fields++
		if !strings.Contains(page, "`"+field) && !strings.Contains(page, "Config."+field) && !strings.Contains(page, field+":") {
			t.Errorf("docs/serve.md does not name serve.Config's field %s", field)
		}
	}
	if fields < 10 {
		t.Errorf("%d fields of serve.Config found, want at least 10", fields)
	}
}

// TestServePageGivesSecretLength checks that docs/serve.md gives, for the
// tokens file and for the proxy's shared secret alike, the least length
// serve.MinTokenLength sets, which both are refused under.
func TestServePageGivesSecretLength(t *testing.T) {
	m := regexp.MustCompile(`MinTokenLength = (\d+)`).FindStringSubmatch(string(repoFile(t, "serve", "tokens.go")))
	if m == nil {
		t.Fatal("serve/tokens.go declares no MinTokenLength")
	}
	page := strings.Join(strings.Fields(string(repoFile(t, "docs", "serve.md"))), " ")
	for _, heading := range []string{"### The tokens file", "### Behind a proxy"} {
		_, section, ok := strings.Cut(page, heading)
		if !ok {
			t.Fatalf("docs/serve.md has no section %q", heading)
		}
		section, _, _ = strings.Cut(section, "###")
		if !strings.Contains(section, "at least "+m[1]+" characters") {
			t.Errorf("docs/serve.md's section %q does not say \"at least %s characters\"", heading, m[1])
		}
	}
}

// TestServePageGivesStreamHeartbeat checks that docs/serve.md's row of
// the change stream gives the interval of its keep-alive comment as
// serve.StreamHeartbeat sets it.
func TestServePageGivesStreamHeartbeat(t *testing.T) {
	beat := regexp.MustCompile(`StreamHeartbeat = (\d+) \* time\.Second`).FindStringSubmatch(string(repoFile(t, "serve", "stream.go")))
	if beat == nil {
		t.Fatal("serve/stream.go declares no StreamHeartbeat in seconds")
	}
	for _, line := range strings.Split(string(repoFile(t, "docs", "serve.md")), "\n") {
		if strings.HasPrefix(line, "| `GET /api/v1/stream`") {
			if !strings.Contains(line, "every "+beat[1]+" s (`serve.StreamHeartbeat`)") {
				t.Errorf("docs/serve.md's stream does not say its keep-alive comes every %s s: %s", beat[1], line)
			}
			return
		}
	}
	t.Error("docs/serve.md has no row of GET /api/v1/stream")
}

// TestServePageNamesServerMethods checks that docs/serve.md names every
// exported method of serve.Server as Server.NAME, as a host that wires the
// server in Go reads them: a method added without a word fails here.
func TestServePageNamesServerMethods(t *testing.T) {
	page := string(repoFile(t, "docs", "serve.md"))
	methods := 0
	for name := range declared(t, filepath.Join("..", "..", "..", "serve")) {
		m, ok := strings.CutPrefix(name, "Server.")
		if !ok || m == "ServeHTTP" || m[0] < 'A' || m[0] > 'Z' {
			continue
		}
		methods++
		if !strings.Contains(page, "`Server."+m+"`") && !strings.Contains(page, "serve.Server."+m) {
			t.Errorf("docs/serve.md does not name Server.%s", m)
		}
	}
	if methods < 8 {
		t.Errorf("%d methods of serve.Server found, want at least 8", methods)
	}
}

// TestServePageNamesBodyTypes checks that docs/serve.md names every
// Content-Type the ingestion endpoint reads a body of (the cases of
// bodyFormat in serve/body.go, and the NDJSON types it lists in
// ndjsonTypes): a type the service takes that the page leaves out fails
// here.
func TestServePageNamesBodyTypes(t *testing.T) {
	page := string(repoFile(t, "docs", "serve.md"))
	src := string(repoFile(t, "serve", "body.go"))
	_, cases, ok := strings.Cut(src, "func bodyFormat(")
	if !ok {
		t.Fatal("serve/body.go has no bodyFormat")
	}
	cases, _, _ = strings.Cut(cases, "\n}\n")
	// The types of its cases; its error message names three of them again.
	cases, _, _ = strings.Cut(cases, "return false, 0, fmt.Errorf(\"unsupported Content-Type")
	_, list, ok := strings.Cut(src, "var ndjsonTypes = ")
	if !ok {
		t.Fatal("serve/body.go has no list of the NDJSON media types")
	}
	list, _, _ = strings.Cut(list, "\n")
	types := regexp.MustCompile(`"([a-z]+/[a-z0-9.+-]+)"`).FindAllStringSubmatch(cases+list, -1)
	if len(types) < 7 {
		t.Fatalf("%d media types found in serve/body.go, want at least 7", len(types))
	}
	for _, m := range types {
		if !strings.Contains(page, "`"+m[1]+"`") {
			t.Errorf("docs/serve.md does not name %s, a Content-Type the ingestion reads", m[1])
		}
	}
}
