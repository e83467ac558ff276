package dashboard_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
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

// TestStreamChangesData: the stream a host serves with StreamChanges (serve's
// /api/v1/stream) says hello with the data of the moment it opens, each
// change with the data of the moment after it, and ends, saying no change,
// once its changes give the channel they gave, closed.
func TestStreamChangesData(t *testing.T) {
	var (
		ch   = make(chan struct{})
		seq  int
		stop bool
	)
	step := make(chan struct{})
	next := func() (<-chan struct{}, string) {
		if !stop {
			if seq > 0 {
				ch = make(chan struct{})
			}
			seq++
		}
		return ch, fmt.Sprintf(`{"seq":%d}`, seq)
	}
	go func() {
		// Two changes, then the end (the channel of the third, closed
		// and kept).
		for i := range 3 {
			<-step
			stop = i == 2
			close(ch)
		}
	}()
	resp := streamChanges(t, time.Hour, next, 5*time.Second)
	var got []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if sc.Text() == "" {
			step <- struct{}{}
			continue
		}
		got = append(got, sc.Text())
	}
	want := []string{"retry: 2000", "event: hello", `data: {"seq":1}`, "event: change", `data: {"seq":2}`, "event: change", `data: {"seq":3}`}
	if !slices.Equal(got, want) {
		t.Errorf("the stream:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// streamChanges serves StreamChanges with heartbeat and next, and opens it
// for at most wait; the answer's body is closed when the test ends.
func streamChanges(t *testing.T, heartbeat time.Duration, next func() (<-chan struct{}, string), wait time.Duration) *http.Response {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dashboard.StreamChanges(w, r, heartbeat, next)
	}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}
