package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	neturl "net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// batchReport is the JSON report, decoded, of a batch evaluation of the
// current versions of events (in order) as of asOf.
func batchReport(t *testing.T, plan *goalkit.Plan, events []kpi.Event, at time.Time, opts ...goalkit.EvalOption) any {
	t.Helper()
	tab := kpi.NewTable(time.UTC)
	for i := range events {
		if err := tab.Apply(&events[i]); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := plan.Evaluate(context.Background(), tab, at, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// servedReport gets the report as of asOf from a server, decoded.
func servedReport(t *testing.T, base string) (int, any) {
	t.Helper()
	code, body := httpDo(t, "GET", base+"/api/v1/report?as_of="+neturl.QueryEscape(asOf), "", "")
	var v any
	if code == 200 {
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
	}
	return code, v
}

// goalkit serve -source nats:// serves the tenant's events: its report is a
// batch evaluation of what was published (indicators; goals, cascades and
// teams), a POST publishes to the log and the report follows, a bad batch
// publishes nothing, and periods are not closed by the server.
func TestServeNATS(t *testing.T) {
	c := natstest.Start(t, 1)
	for _, tc := range []struct {
		tenant, plan, events, directory, actor string
	}{
		{"quick", quickPlan, quickEvents, "", "boris"},
		{"split", filepath.Join("testdata", "split.yaml"), filepath.Join("testdata", "split-history.ndjson"),
			filepath.Join("testdata", "split-directory.json"), "ann"},
	} {
		t.Run(tc.tenant, func(t *testing.T) {
			serveNATS(t, c.URL()+"/"+tc.tenant, tc.plan, tc.events, tc.directory, tc.actor)
		})
	}
}

func serveNATS(t *testing.T, url, planPath, eventsPath, dirPath, actor string) {
	if code, _, errs := runCLI(t, "publish", "-nats", url, "-plan", planPath, "-events", eventsPath, "-stream-partitions", "3"); code != 0 {
		t.Fatalf("publish: exit %d: %s", code, errs)
	}
	plan := goalkittest.ReadPlan(t, planPath)
	serveArgs := []string{"-plan", planPath, "-source", url}
	var opts []goalkit.EvalOption
	if dirPath != "" {
		dir, err := readDirectory(dirPath)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, goalkit.WithDirectory(dir))
		serveArgs = append(serveArgs, "-directory", dirPath)
	}
	events, err := readEvents(t.Context(), eventsPath, plan.Definition().Attributes)
	if err != nil {
		t.Fatal(err)
	}
	at, err := time.Parse(time.RFC3339, asOf)
	if err != nil {
		t.Fatal(err)
	}

	live := kpi.NewTable(time.UTC)
	for i := range events {
		if err := live.Apply(&events[i]); err != nil {
			t.Fatal(err)
		}
	}

	base, stop := startServe(t, serveArgs...)
	code, got := servedReport(t, base)
	if want := batchReport(t, plan, events, at, opts...); code != 200 || !reflect.DeepEqual(got, want) {
		t.Fatalf("the served report (%d) differs from a batch evaluation:\n%v\nwant\n%v", code, got, want)
	}
	// A bad batch: its good first line is not published either.
	bad := `{"id":"bad1","kind":"deal.won","time":"2025-03-10T10:00:00+03:00","actor":"anna","amount":"5"}
{"id":"bad2","kind":"deal.won","time":"2025-03-10T10:00:00+03:00"}
`
	if code, body := httpDo(t, "POST", base+"/api/v1/events", "", bad); code != 400 || !strings.Contains(body, `"line":2`) {
		t.Fatalf("bad batch: %d %s", code, body)
	}
	// A correction of a published deal and a new one, in one batch with a
	// second version of the new one.
	var won kpi.Event
	for _, e := range events {
		if e.Kind == "deal.won" {
			won = e.Clone()
			break
		}
	}
	post := []kpi.Event{won, wonDeal(t, "n1", actor, "700", "2025-03-12T10:00:00+03:00"), wonDeal(t, "n1", actor, "750", "2025-03-12T10:00:00+03:00")}
	post[0].Amount.Decimal = post[0].Amount.Decimal.Add(post[0].Amount.Decimal)
	var body strings.Builder
	for _, e := range post {
		js, err := json.Marshal(map[string]any{"id": e.ID, "kind": e.Kind, "time": e.Time.Format(time.RFC3339), "actor": e.Actor, "amount": e.Amount.Decimal.String()})
		if err != nil {
			t.Fatal(err)
		}
		body.Write(js)
		body.WriteByte('\n')
	}
	if code, resp := httpDo(t, "POST", base+"/api/v1/events", "", body.String()); code != 200 || resp != `{"received":3,"applied":3,"unchanged":0}`+"\n" {
		t.Fatalf("POST: %d %s", code, resp)
	}
	want := batchReport(t, plan, append(events, post...), at, opts...)
	if reflect.DeepEqual(want, batchReport(t, plan, events, at, opts...)) {
		t.Fatal("the posted batch changes nothing: the test proves nothing")
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		code, got := servedReport(t, base)
		if code == 200 && reflect.DeepEqual(got, want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the served report never caught up with the posted batch:\n%v\nwant\n%v", got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// The log holds the file and the posted batch, nothing of the bad one:
	// its last offset (a sequence of the tenant's one stream) counts them.
	tn, closeNC, err := connectNATS(t.Context(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeNC()
	var n uint64
	for p := range tn.Partitions() {
		end, err := tn.End(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		n = max(n, end)
	}
	if n != uint64(len(events)+len(post)) {
		t.Errorf("the log holds %d records, want %d", n, len(events)+len(post))
	}

	if code, body := httpDo(t, "POST", base+"/api/v1/goals/q1_revenue/close?period=2025-Q1", "", ""); code != 409 || !strings.Contains(body, "fronts state that others own") {
		t.Errorf("close: %d %s", code, body)
	}
	if code, logs := stop(); code != 0 || !strings.Contains(logs, fmt.Sprintf("(3 partitions): %d events\n", live.Len())) {
		t.Fatalf("exit %d: %s", code, logs)
	}
}

// wonDeal is a deal.won event.
func wonDeal(t *testing.T, id, actor, amount, at string) kpi.Event {
	tm, err := time.Parse(time.RFC3339, at)
	if err != nil {
		t.Fatal(err)
	}
	e := kpi.Event{ID: id, Kind: "deal.won", Actor: actor, Time: tm}
	e.Amount.Decimal, e.Amount.Valid = decimal.RequireFromString(amount), true
	return e
}

// The options that make no sense in front of a tenant are refused.
func TestServeNATSUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-events", quickEvents}, "-events goes without a nats:// source"},
		{[]string{"-channels", "c.yaml"}, "-channels goes without a nats:// source"},
	} {
		args := append([]string{"serve", "-plan", quickPlan, "-source", "nats://127.0.0.1:1/t"}, tc.args...)
		if code, _, errs := runCLI(t, args...); code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %s", tc.args, code, errs)
		}
	}
}
