package dashboard_test

import (
	"bufio"
	"regexp"
	"strings"
	"testing"
	"time"
)

// pageVersion finds the version of the data a page was rendered at.
var pageVersion = regexp.MustCompile(`data-version="([0-9a-z]*)"`)

// versionOfPage is the version of the data the page at path was rendered at.
func versionOfPage(t *testing.T, f *fixture, path string) string {
	t.Helper()
	_, body := get(t, f, path, "anna")
	m := pageVersion.FindStringSubmatch(body)
	if m == nil || m[1] == "" {
		t.Fatalf("%s: no data-version on the page", path)
	}
	return m[1]
}

// streamUntilBeat opens the dashboard's own stream with the query and
// returns what it wrote up to its first keep-alive comment.
func streamUntilBeat(t *testing.T, f *fixture, query string) string {
	t.Helper()
	resp := openStream(t, f.server.URL, query)
	var got strings.Builder
	sc := bufio.NewScanner(resp.Body)
	// The heartbeat is short: a comment comes soon after what the stream
	// writes at once.
	for sc.Scan() {
		if sc.Text() == ": keep-alive" {
			return got.String()
		}
		got.WriteString(sc.Text() + "\n")
	}
	t.Fatalf("the stream ended before a keep-alive (%v); got %q", sc.Err(), got.String())
	return ""
}

// TestStreamSincePage: a page carries the version of the data it was
// rendered at, and the stream asked with it (?since=) writes a change
// right after its hello when the data changed in between, and none when
// it did not. A change that came between a page's render and its
// connection was shown only at the next change.
func TestStreamSincePage(t *testing.T) {
	opts := dashboardOptions()
	opts.Heartbeat = 20 * time.Millisecond
	f := newFixture(t, opts)
	const hello = "retry: 2000\nevent: hello\ndata: {}\n\n"
	v := versionOfPage(t, f, "/")
	if again := versionOfPage(t, f, "/ranking"); again != v {
		t.Errorf("two pages of the same data: versions %q and %q", v, again)
	}
	if got := streamUntilBeat(t, f, "?since="+v); got != hello {
		t.Errorf("nothing changed since the page: the stream wrote\n%s\nwant\n%s", got, hello)
	}
	if got := streamUntilBeat(t, f, ""); got != hello {
		t.Errorf("without since: the stream wrote\n%s\nwant\n%s", got, hello)
	}
	if err := f.data.apply(t.Context(), dealFor("anna", 1, 1000)); err != nil {
		t.Fatal(err)
	}
	want := hello + "event: change\ndata: {}\n\n"
	if got := streamUntilBeat(t, f, "?since="+v); got != want {
		t.Errorf("a change since the page: the stream wrote\n%s\nwant\n%s", got, want)
	}
	now := versionOfPage(t, f, "/")
	if now == v {
		t.Errorf("the version %q stayed the same across a change", v)
	}
	if got := streamUntilBeat(t, f, "?since="+now); got != hello {
		t.Errorf("nothing changed since the new page: the stream wrote\n%s\nwant\n%s", got, hello)
	}
	// A version of no channel (a page rendered before the server started
	// again) is stale too.
	if got := streamUntilBeat(t, f, "?since=x"+now); got != want {
		t.Errorf("an unknown version: the stream wrote\n%s\nwant\n%s", got, want)
	}
}
