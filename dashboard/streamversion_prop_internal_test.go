package dashboard

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// A stream asked with the version a page was rendered at writes a change
// after its hello exactly when its source changed since the render,
// whatever the changes, renders and connections of other sources in
// between (whose closed channels the versions forget): the model counts
// each source's changes.
func TestStreamSinceProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		type source struct {
			ch      chan struct{}
			changes int
		}
		sources := make([]*source, rapid.IntRange(1, 3).Draw(t, "sources"))
		for i := range sources {
			sources[i] = &source{ch: make(chan struct{})}
		}
		type page struct {
			src     int
			version string
			changes int
		}
		var pages []page
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		for range rapid.IntRange(1, 40).Draw(t, "steps") {
			i := rapid.IntRange(0, len(sources)-1).Draw(t, "source")
			s := sources[i]
			switch rapid.SampledFrom([]string{"change", "render", "connect"}).Draw(t, "op") {
			case "change":
				close(s.ch)
				s.ch = make(chan struct{})
				s.changes++
			case "render":
				pages = append(pages, page{src: i, version: versionOf(s.ch), changes: s.changes})
			case "connect":
				if len(pages) == 0 {
					continue
				}
				p := pages[rapid.IntRange(0, len(pages)-1).Draw(t, "page")]
				src := sources[p.src]
				// The request has ended: the stream writes what it
				// writes at once and returns.
				r := httptest.NewRequestWithContext(ctx, "GET", "/changes?since="+p.version, nil)
				w := httptest.NewRecorder()
				StreamChanges(w, r, time.Hour, func() (<-chan struct{}, string) { return src.ch, "{}" })
				stale := strings.Contains(w.Body.String(), "event: change")
				if want := src.changes != p.changes; stale != want {
					t.Fatalf("page of source %d rendered after %d changes, connected after %d: a change written %v, want %v",
						p.src, p.changes, src.changes, stale, want)
				}
			}
		}
	})
}
