// Command loadgen measures `goalkit serve` under load: report reads at
// many concurrent clients while events are ingested, then ingestion alone,
// through HTTP on a real socket, against an in-process server of a team of
// 50 people. It prints a Markdown table (BENCHMARKS.md has the figures).
//
//	go run ./internal/loadgen [-clients 100] [-duration 3s] [-people 50] [-store sqlite|memory]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/adapters/sqlite"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/serve"
)

func main() {
	clients := flag.Int("clients", 100, "concurrent report readers")
	duration := flag.Duration("duration", 3*time.Second, "length of each phase")
	people := flag.Int("people", 50, "people on the team (in teams of 10)")
	seed := flag.Int("seed-events", 20000, "events applied before the reads")
	batch := flag.Int("batch", 5000, "events per ingestion request")
	writers := flag.Int("writers", 2, "concurrent ingestion clients in the ingestion phase")
	readIngest := flag.Int("read-ingest", 1, "ingestion clients during the reads (batches of 1,000)")
	store := flag.String("store", "sqlite", "the tracker's store: sqlite (a file in a temporary directory) or memory")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(*clients, *duration, *people, *seed, *batch, *writers, *readIngest, *store); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

const (
	adminToken  = "loadgen-admin-token-0123456789"
	writerToken = "loadgen-writer-token-0123456789"
)

func userToken(i int) string { return fmt.Sprintf("loadgen-user-%03d-token-0123", i) }
func user(i int) string      { return fmt.Sprintf("u%03d", i) }
func team(i int) string      { return fmt.Sprintf("team%d", i/10) }

// planYAML is a month of a sales team: personal and team goals, a
// scorecard, a bonus and a leaderboard.
func planYAML(people int) string {
	var users, teams []string
	for i := range people {
		users = append(users, user(i))
		if !slices.Contains(teams, team(i)) {
			teams = append(teams, team(i))
		}
	}
	return fmt.Sprintf(`timezone: Europe/Moscow
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
  - {id: calls, kinds: [call], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
goals:
  - {id: revenue_user, indicator: revenue, target: 1000000, period: {from: 2025-03-01, every: month}, participants: {users: [%[1]s]}}
  - {id: won_team, indicator: won, target: 200, period: {from: 2025-03-01, every: month}, participants: {teams: [%[2]s]}}
  - {id: company, indicator: revenue, target: 50000000, period: {from: 2025-03-01, every: month}, participants: {company: true}}
scorecards:
  - id: sales
    grain: month
    participants: [%[1]s]
    kpis:
      - {indicator: revenue, target: 1000000, weight: 70, cap: 150}
      - {indicator: calls, target: 100, weight: 30, cap: 150}
bonuses:
  - {id: bonus, scorecard: sales, currency: RUB, base: 10000, threshold: 50, payout: [{score: 50, percent: 50}, {score: 100, percent: 100}]}
leaderboards:
  - {id: total, scorecard: sales}
`, strings.Join(users, ", "), strings.Join(teams, ", "))
}

func directory(people int) *memory.Directory {
	var js strings.Builder
	js.WriteString(`{"units": [`)
	for t := 0; t*10 < people; t++ {
		if t > 0 {
			js.WriteString(",")
		}
		fmt.Fprintf(&js, `{"id": %q, "head": %q}`, team(t*10), user(t*10))
	}
	js.WriteString(`], "memberships": [`)
	for i := range people {
		if i > 0 {
			js.WriteString(",")
		}
		fmt.Fprintf(&js, `{"user": %q, "unit": %q}`, user(i), team(i))
	}
	js.WriteString("]}")
	d, err := memory.ParseDirectory("directory.json", []byte(js.String()))
	if err != nil {
		panic(err)
	}
	return d
}

// events writes n events as NDJSON, ids from first on.
func events(first, n, people int) []byte {
	var b bytes.Buffer
	for i := first; i < first+n; i++ {
		at := time.Date(2025, 3, 1+i%19, 9+i%9, i%60, 0, 0, time.UTC).Format(time.RFC3339)
		if i%3 == 0 {
			fmt.Fprintf(&b, `{"id":"e%d","kind":"call","time":%q,"actor":%q}`+"\n", i, at, user(i%people))
		} else {
			fmt.Fprintf(&b, `{"id":"e%d","kind":"deal.won","time":%q,"actor":%q,"amount":"%d.%02d"}`+"\n", i, at, user(i%people), 1000+i%5000, i%100)
		}
	}
	return b.Bytes()
}

func run(clients int, duration time.Duration, people, seed, batch, writers, readIngest int, storeKind string) error {
	ctx := context.Background()
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(planYAML(people)))
	if err != nil {
		return err
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		return err
	}
	dir := directory(people)
	opts := []goalkit.EvalOption{goalkit.WithDirectory(dir)}
	var ts kpi.TrackStore = memory.NewTrackStore()
	if storeKind == "sqlite" {
		tmp, err := os.MkdirTemp("", "loadgen")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		db, err := sqlite.Open(ctx, filepath.Join(tmp, "serve.db"))
		if err != nil {
			return err
		}
		defer db.Close()
		if ts, err = db.TrackStore(); err != nil {
			return err
		}
	} else if storeKind != "memory" {
		return fmt.Errorf("-store must be sqlite or memory")
	}
	tr, err := plan.Track(ctx, ts, opts...)
	if err != nil {
		return err
	}
	defer tr.Close()
	var tokens strings.Builder
	fmt.Fprintf(&tokens, "tokens:\n  - {token: %s, role: admin}\n  - {token: %s, user: %s, role: writer}\n", adminToken, writerToken, user(0))
	for i := range people {
		fmt.Fprintf(&tokens, "  - {token: %s, user: %s, role: reader}\n", userToken(i), user(i))
	}
	tf, err := serve.ParseTokenFile("tokens.yaml", []byte(tokens.String()))
	if err != nil {
		return err
	}
	now := time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)
	srv, err := serve.New(ctx, plan, tr, serve.Config{Auth: tf, Directory: dir, Options: opts,
		Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler), NoDashboard: true})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	go serve.ListenAndServe(sctx, l, srv)
	base := "http://" + l.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients + writers + 4}}

	post := func(body []byte) error {
		req, _ := http.NewRequest("POST", base+"/api/v1/events", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+writerToken)
		req.Header.Set("Content-Type", "application/x-ndjson")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			return fmt.Errorf("POST: %d %s", resp.StatusCode, b)
		}
		var r struct{ Applied int }
		json.Unmarshal(b, &r)
		if r.Applied == 0 {
			return fmt.Errorf("POST applied nothing: %s", b)
		}
		return nil
	}
	for i := 0; i < seed; i += batch {
		if err := post(events(i, min(batch, seed-i), people)); err != nil {
			return err
		}
	}
	next := atomic.Int64{}
	next.Store(int64(seed))

	// Phase 1: reads at clients concurrent clients while one client ingests.
	fmt.Printf("goalkit serve under load: %d people, %d events before, store %s, GOMAXPROCS %d\n\n", people, seed, storeKind, runtime.GOMAXPROCS(0))
	var lat []time.Duration
	var mu sync.Mutex
	var readErr atomic.Value
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok := userToken(c % people)
			if c%10 == 0 {
				tok = adminToken
			}
			var mine []time.Duration
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest("GET", base+"/api/v1/report", nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				start := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != 200 {
						err = fmt.Errorf("GET report: %d", resp.StatusCode)
					}
				}
				if err != nil {
					readErr.Store(err)
					return
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	ingested := ingest(post, &next, readIngest, 1000, people, deadline)
	wg.Wait()
	if err, _ := readErr.Load().(error); err != nil {
		return err
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(float64(len(lat))*p))] }
	secs := duration.Seconds()
	fmt.Println("| phase | requests/s | p50 | p99 | events/s ingested |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")
	fmt.Printf("| report reads, %d clients, %d client(s) ingesting batches of 1,000 | %.0f | %s | %s | %.0f |\n",
		clients, readIngest, float64(len(lat))/secs, ms(pct(0.50)), ms(pct(0.99)), float64(ingested)/secs)

	// Phase 2: ingestion alone.
	deadline = time.Now().Add(duration)
	ingested = ingest(post, &next, writers, batch, people, deadline)
	fmt.Printf("| ingestion, %d clients, batches of %d | %.0f | | | %.0f |\n", writers, batch, float64(ingested)/float64(batch)/secs, float64(ingested)/secs)
	return nil
}

// ingest posts batches of n new events from writers clients until the
// deadline and returns how many events were applied.
func ingest(post func([]byte) error, next *atomic.Int64, writers, n, people int, deadline time.Time) int64 {
	var total atomic.Int64
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				first := next.Add(int64(n)) - int64(n)
				if err := post(events(int(first), n, people)); err != nil {
					fmt.Fprintln(os.Stderr, "loadgen:", err)
					os.Exit(1)
				}
				total.Add(int64(n))
			}
		})
	}
	wg.Wait()
	return total.Load()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
