package serve

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics: request counts and
// latencies, ingestion counts, and, at scrape time, the tracker's state.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	received prometheus.Counter
	applied  prometheus.Counter
	handler  http.Handler
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "goalkit_http_requests_total", Help: "HTTP requests by route and status code.",
	}, []string{"route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "goalkit_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route"})
	m.received = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "goalkit_events_received_total", Help: "Event versions received in accepted batches.",
	})
	m.applied = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "goalkit_events_applied_total", Help: "Event versions applied (received less those unchanged).",
	})
	m.reg.MustRegister(m.requests, m.latency, m.received, m.applied, &trackerCollector{s: s},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

func (m *metrics) observe(route string, code int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) ingested(received, applied int) {
	m.received.Add(float64(received))
	m.applied.Add(float64(applied))
}

// serveMetrics serves /metrics: open, unless per-participant metrics are
// on; then only to admins, since they carry everyone's numbers.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if s.cfg.ParticipantMetrics {
		id, ok := s.authenticate(w, r)
		if !ok {
			return
		}
		if !id.Viewer.Admin {
			writeError(w, http.StatusForbidden, "forbidden", nil)
			return
		}
	}
	s.metrics.handler.ServeHTTP(w, r)
}

// trackerCollector reads the tracker at scrape time: the live events, the
// changes, the goal rows by status and, when asked for, each participant's
// achievement.
type trackerCollector struct {
	s *Server

	// The report's state at the last scrape, for the log: a failure is
	// logged when the report goes down or fails for another reason, and
	// its return once, not once per scrape while it stays as it was.
	mu      sync.Mutex
	down    bool
	lastErr string
}

// reportState logs a change of the scrape's report: down (with the
// reason) or up again.
func (c *trackerCollector) reportState(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil {
		if c.down {
			c.s.log.Info("metrics: the report evaluates again; goalkit_report_up is 1")
		}
		c.down, c.lastErr = false, ""
		return
	}
	// A clock outside the years is one reason however far it moves on:
	// its reading, in the words, changes every second, and each scrape
	// logged the engine's refusal of the instant again.
	msg := err.Error()
	var ce *clockError
	if errors.As(err, &ce) {
		msg = "the clock outside " + ce.years
	}
	if !c.down || msg != c.lastErr {
		c.s.log.Error("metrics: the report failed; goalkit_report_up is 0", "err", err)
		c.down, c.lastErr = true, msg
	}
}

var (
	descEvents      = prometheus.NewDesc("goalkit_events_live", "Live events of the tracker (retractions excluded).", nil, nil)
	descChanges     = prometheus.NewDesc("goalkit_changes_total", "Changes since start: applied batches, ticks with notifications, closed periods.", nil, nil)
	descGoalRows    = prometheus.NewDesc("goalkit_goal_rows", "Goal rows (participant × current period) by goal and status.", []string{"goal", "status"}, nil)
	descAchievement = prometheus.NewDesc("goalkit_goal_achievement_ratio", "Achievement of a goal's current period by participant (opt-in).", []string{"goal", "participant", "period"}, nil)
	descReportErr   = prometheus.NewDesc("goalkit_report_up", "1 when the scrape's report evaluated, 0 when it failed.", nil, nil)
)

func (c *trackerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descEvents
	ch <- descChanges
	ch <- descGoalRows
	ch <- descReportErr
	if c.s.cfg.ParticipantMetrics {
		ch <- descAchievement
	}
}

func (c *trackerCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.s
	ch <- prometheus.MustNewConstMetric(descEvents, prometheus.GaugeValue, float64(s.tr.Indicators().Len()))
	ch <- prometheus.MustNewConstMetric(descChanges, prometheus.CounterValue, float64(s.changes.current()))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// As a read without as_of: a clock the engine can report no instant
	// of is said to be the clock.
	asOf, err := s.clock()
	var rep *goalkit.Report
	if err == nil {
		rep, err = s.report(ctx, asOf, time.Time{})
	}
	c.reportState(err)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(descReportErr, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descReportErr, prometheus.GaugeValue, 1)
	if rep.Goals == nil {
		return
	}
	today := s.plan.Calendar().Date(asOf)
	type key struct {
		goal   string
		status goal.Status
	}
	counts := map[key]int{}
	for _, row := range rep.Goals.Rows {
		if !row.Period.Contains(today) {
			continue // only the current periods
		}
		counts[key{row.Goal, row.Status}]++
		if s.cfg.ParticipantMetrics && row.Achievement.Uncapped.Valid {
			v, _ := row.Achievement.Uncapped.Decimal.Float64()
			ch <- prometheus.MustNewConstMetric(descAchievement, prometheus.GaugeValue, v, row.Goal, row.Participant, row.Label)
		}
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(descGoalRows, prometheus.GaugeValue, float64(n), k.goal, string(k.status))
	}
}
