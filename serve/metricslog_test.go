package serve

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
)

// A scrape whose report fails sets goalkit_report_up to 0 and says why in
// the log: one line when the report goes down (the error, nothing of a
// token), none more while it stays down for the same reason, and one when
// it is back; the gauge dropped and nothing said why.
func TestMetricsReportFailureLogged(t *testing.T) {
	dir := &failingDirectory{Directory: goalkittest.ReadDirectory(t, "testdata/directory.json")}
	var tick atomic.Int64 // each scrape a second later: no cached report
	f := planFixture(t, goalkittest.ReadPlan(t, "testdata/plan.yaml"), dir, func(c *Config) {
		c.Now = func() time.Time { return testNow.Add(time.Duration(tick.Add(1)) * time.Second) }
	})
	scrape := func(wantUp string) (errors, infos int) {
		t.Helper()
		f.logs.Reset()
		w := f.do("GET", "/metrics", "", "", nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "\ngoalkit_report_up "+wantUp+"\n") {
			t.Fatalf("GET /metrics: %d, want goalkit_report_up %s", w.Code, wantUp)
		}
		for _, line := range strings.Split(f.logs.String(), "\n") {
			if strings.Contains(line, "metrics:") {
				if strings.Contains(line, "level=ERROR") {
					errors++
					if !strings.Contains(line, "directory down") {
						t.Errorf("the failure's line does not say why: %s", line)
					}
					if strings.Contains(line, adminToken) || strings.Contains(line, writerToken) {
						t.Errorf("a token in the log: %s", line)
					}
				} else {
					infos++
				}
			}
		}
		return errors, infos
	}
	if e, i := scrape("1"); e+i != 0 {
		t.Fatalf("a scrape that worked logged %d lines", e+i)
	}
	dir.failing.Store(true)
	if e, i := scrape("0"); e != 1 || i != 0 {
		t.Fatalf("the first failed scrape: %d failure lines and %d others, want 1 and 0", e, i)
	}
	for range 3 {
		if e, i := scrape("0"); e+i != 0 {
			t.Fatalf("a scrape still down for the same reason logged %d lines, want none", e+i)
		}
	}
	dir.failing.Store(false)
	if e, i := scrape("1"); e != 0 || i != 1 {
		t.Fatalf("the scrape back up: %d failure lines and %d others, want 0 and 1", e, i)
	}
	if e, i := scrape("1"); e+i != 0 {
		t.Fatalf("a scrape still up logged %d lines", e+i)
	}
	dir.failing.Store(true)
	if e, _ := scrape("0"); e != 1 {
		t.Fatalf("down again: %d failure lines, want 1", e)
	}
}

// A scrape while the server's clock reads outside the years 0000 to 9999
// logged the engine's refusal of the instant ("Tracker.Report: asOf …")
// on every scrape, since the words carry the clock's reading and it moves
// on: the log filled with one line a scrape. The scrape says it is the
// clock, once while the clock stays out, with goalkit_report_up 0, and
// once when it is back.
func TestMetricsClockOutsideTheYears(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Date(10000, 1, 2, 0, 0, 0, 0, time.UTC).Unix())
	f := newFixture(t, func(c *Config) {
		c.Now = func() time.Time { return time.Unix(now.Add(1), 0).UTC() }
	})
	var errs, infos []string
	for i := range 4 {
		if i == 3 {
			now.Store(testNow.Unix())
		}
		f.logs.Reset()
		w := f.do("GET", "/metrics", "", "", nil)
		up := map[bool]string{true: "1", false: "0"}[i == 3]
		if w.Code != 200 || !strings.Contains(w.Body.String(), "\ngoalkit_report_up "+up+"\n") {
			t.Fatalf("scrape %d: %d, want goalkit_report_up %s", i, w.Code, up)
		}
		for _, line := range strings.Split(f.logs.String(), "\n") {
			switch {
			case !strings.Contains(line, "metrics:"):
			case strings.Contains(line, "level=ERROR"):
				errs = append(errs, line)
			default:
				infos = append(infos, line)
			}
		}
	}
	if len(errs) != 1 || len(infos) != 1 {
		t.Fatalf("4 scrapes, 3 with the clock out: %d failure lines and %d others, want 1 and 1:\n%s\n%s",
			len(errs), len(infos), strings.Join(errs, "\n"), strings.Join(infos, "\n"))
	}
	if !strings.Contains(errs[0], "the server's clock reads 10000-01-02T00:00:0") || !strings.Contains(errs[0], "past the years 0000 to 9999 a report can be as of") || strings.Contains(errs[0], "Tracker.Report") {
		t.Errorf("the failure's line does not name the clock: %s", errs[0])
	}
}
