//go:build ignore

// Command duckdb-bench loads an event file in goalkit's CSV format (as
// `goalkit bench -write` makes it) into DuckDB and runs the standard
// workload's query over it, for the whole-process comparison in
// BENCHMARKS.md: the CSV load and the query, as `goalkit eval` does both.
//
// DuckDB (cgo) is never a dependency of goalkit: this file is left out of
// the repository's module (the ignore constraint), and build.sh builds it
// as a module of its own in a temporary directory:
//
//	scripts/duckdb-bench/build.sh OUT
//	OUT -csv w10m.csv -threads 2
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// query is the standard workload's plan (goalkittest/workload.yaml) in SQL:
// per actor and month of 2025 in Europe/Moscow, the deals created and won
// from the web and partner sources, the sum and average of the won amounts,
// the conversion, and the calls plus meetings.
const query = `
SELECT actor,
       date_trunc('month', timezone('Europe/Moscow', time))                                  AS month,
       count(*)    FILTER (WHERE kind = 'deal_created' AND source IN ('web','partner'))      AS created,
       count(*)    FILTER (WHERE kind = 'deal_won'     AND source IN ('web','partner'))      AS won,
       sum(amount) FILTER (WHERE kind = 'deal_won'     AND source IN ('web','partner'))      AS won_sum,
       (count(*) FILTER (WHERE kind = 'deal_won'     AND source IN ('web','partner')))::DOUBLE
         / nullif(count(*) FILTER (WHERE kind = 'deal_created' AND source IN ('web','partner')), 0) AS conversion,
       avg(amount) FILTER (WHERE kind = 'deal_won'     AND source IN ('web','partner'))      AS avg_won,
       count(*)    FILTER (WHERE kind IN ('call','meeting'))                                 AS activity
FROM events
WHERE kind IN ('deal_created','deal_won','call','meeting')
GROUP BY 1, 2`

func main() {
	csv := flag.String("csv", "", "event file (CSV, goalkit's format)")
	threads := flag.Int("threads", 2, "DuckDB threads")
	flag.Parse()
	if *csv == "" {
		fmt.Fprintln(os.Stderr, "duckdb-bench: -csv is required")
		os.Exit(2)
	}
	start := time.Now()
	db, err := sql.Open("duckdb", "")
	must(err)
	db.SetMaxOpenConns(1)
	_, err = db.Exec(fmt.Sprintf("SET threads=%d; SET TimeZone='UTC';", *threads))
	must(err)
	var ver string
	must(db.QueryRow("SELECT version()").Scan(&ver))
	t0 := time.Now()
	_, err = db.Exec(`CREATE TABLE events AS SELECT * FROM read_csv(?, header=true,
		columns={'id':'BIGINT','kind':'VARCHAR','time':'TIMESTAMPTZ','actor':'VARCHAR','amount':'DECIMAL(18,2)',
		'currency':'VARCHAR','deleted':'VARCHAR','source':'VARCHAR','pipeline':'SMALLINT'})`, *csv)
	must(err)
	load := time.Since(t0)
	t1 := time.Now()
	r, err := db.Query(query)
	must(err)
	var rows, created, won, activity int64
	for r.Next() {
		var actor string
		var month time.Time
		var c, w, a int64
		var s, conv, avg sql.NullFloat64
		must(r.Scan(&actor, &month, &c, &w, &s, &conv, &avg, &a))
		rows++
		created += c
		won += w
		activity += a
	}
	must(r.Err())
	must(r.Close())
	q := time.Since(t1)
	fmt.Printf("{\"duckdb\":%q,\"threads\":%d,\"load_ms\":%.0f,\"query_ms\":%.1f,\"total_ms\":%.0f,\"rows\":%d,\"created\":%d,\"won\":%d,\"activity\":%d}\n",
		ver, *threads, ms(load), ms(q), ms(time.Since(start)), rows, created, won, activity)
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "duckdb-bench:", err)
		os.Exit(1)
	}
}
