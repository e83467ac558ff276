package dashboard_test

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestStreamOutlivesWriteTimeout: the dashboard's own stream stays open in
// a host's server that has a WriteTimeout (for its answers), as the
// service's stream does: it moves its connection's deadline on at every
// write. The server cut it at the timeout, and every page connected again
// and read itself again each time.
func TestStreamOutlivesWriteTimeout(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	opts := dashboardOptions()
	opts.Heartbeat = 50 * time.Millisecond
	srv := httptest.NewUnstartedServer(dashboardOver(t, f, opts))
	srv.Config.WriteTimeout = 300 * time.Millisecond
	srv.Start()
	t.Cleanup(srv.Close)
	resp := openStream(t, srv.URL)
	start := time.Now()
	done := make(chan string)
	go func() {
		var got strings.Builder
		buf := make([]byte, 512)
		for time.Since(start) < time.Second {
			n, err := resp.Body.Read(buf)
			got.Write(buf[:n])
			if err != nil {
				if err != io.EOF {
					got.WriteString(" [" + err.Error() + "]")
				}
				break
			}
		}
		done <- got.String()
	}()
	got := <-done
	if lasted := time.Since(start); lasted < time.Second {
		t.Errorf("the stream ended after %v (the server's write timeout is 300ms): %q", lasted.Round(time.Millisecond), got)
	}
	if n := strings.Count(got, ": keep-alive"); n < 10 {
		t.Errorf("%d keep-alives in a second at one every 50ms: %q", n, got)
	}
}

// TestStreamHeartbeatOfNoEnd: a heartbeat too long to add a write's 10 s
// to (math.MaxInt64: never) keeps the stream open; the deadline the sum
// wrapped round to was in the past, so every write failed and the stream
// ended at once, and the page connected again every 2 s.
func TestStreamHeartbeatOfNoEnd(t *testing.T) {
	ch := make(chan struct{})
	resp := streamChanges(t, math.MaxInt64, func() (<-chan struct{}, string) { return ch, "{}" }, 500*time.Millisecond)
	got, err := io.ReadAll(resp.Body)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(string(got), "event: hello") {
		t.Errorf("the stream ended before its client (%v): %q", err, got)
	}
}
