package dashboard_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
)

// endedData is a Data that will not change again: its Changed is one
// channel, closed (a server shut down, as serve.Server's is then).
type endedData struct {
	*trackerData
	done chan struct{}
}

func (d endedData) Changed() <-chan struct{} { return d.done }

func (d endedData) Report(ctx context.Context, v goal.Viewer, asOf time.Time) (*goalkit.Report, error) {
	return d.trackerData.Report(ctx, v, asOf)
}

func (d endedData) Explain(ctx context.Context, v goal.Viewer, asOf time.Time, c goalkit.Cell) (*kpi.Explanation, error) {
	return d.trackerData.Explain(ctx, v, asOf, c)
}

// TestStreamEndsWhenTheDataCannotChange: once Changed gives the channel it
// gave, closed, the data will not change again, and the stream ends
// without a change (which would have the page read its numbers again at
// each reconnection); it wrote "change" in a loop as fast as the
// connection took it, until the client went away (a shutdown's
// connections held, a core busy).
func TestStreamEndsWhenTheDataCannotChange(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	done := make(chan struct{})
	close(done)
	h, err := dashboard.New(endedData{trackerData: f.data, done: done}, dashboard.Options{Viewer: cookieViewer, Heartbeat: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/changes", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "viewer", Value: "anna"})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		t.Fatalf("the stream did not end: %v (%d bytes, %d changes)", err, len(body), strings.Count(string(body), "event: change"))
	}
	if n := strings.Count(string(body), "event: change"); n != 0 {
		t.Errorf("%d changes before the end, want none:\n%.300s", n, body)
	}
}
