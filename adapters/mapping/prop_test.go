package mapping

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// propMapping maps a generated deals table; its rules never fail on a row
// the generator draws.
const propMapping = `timezone: Europe/Berlin
key: [region, id]
columns:
  region: {type: string}
  id: {type: int}
  agent: {type: string}
  stage: {type: string}
  engaged: {type: date}
  closed: {type: date, time_of_day: "02:30"}
  value: {type: decimal}
events:
  - {kind: deal.created, when: defined(engaged), time: engaged, actor: agent, attrs: {stage: stage}}
  - {kind: deal.won, when: stage == "Won" && defined(closed), time: closed, actor: agent, amount: value, currency: EUR}
  - {kind: deal.lost, id: lost, when: stage == "Lost" && defined(closed), time: closed, actor: agent}
`

type propRow struct {
	region                        string
	id                            int
	agent, stage, engaged, closed string
	value                         string
}

func (r propRow) key() string { return fmt.Sprintf("%s/%d", r.region, r.id) }

func drawRow(t *rapid.T, region string, id int) propRow {
	date := func(label string) string {
		if rapid.IntRange(0, 4).Draw(t, label+" empty") == 0 {
			return ""
		}
		// Around the spring-forward day, so that 02:30 is sometimes skipped.
		return time.Date(2025, 3, 28, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rapid.IntRange(0, 4).Draw(t, label)).Format(time.DateOnly)
	}
	value := ""
	if rapid.Bool().Draw(t, "has value") {
		value = fmt.Sprintf("%d.%02d", rapid.IntRange(0, 5000).Draw(t, "units"), rapid.IntRange(0, 99).Draw(t, "cents"))
	}
	return propRow{region: region, id: id,
		agent:   rapid.SampledFrom([]string{"anna", "boris", "chen"}).Draw(t, "agent"),
		stage:   rapid.SampledFrom([]string{"Prospecting", "Engaging", "Won", "Lost"}).Draw(t, "stage"),
		engaged: date("engaged"), closed: date("closed"), value: value}
}

// drawTable draws rows with distinct keys.
func drawTable(t *rapid.T, label string) []propRow {
	n := rapid.IntRange(0, 30).Draw(t, label+" rows")
	seen := map[string]bool{}
	var rows []propRow
	for range n {
		r := drawRow(t, rapid.SampledFrom([]string{"eu", "us", "a:b", "50%"}).Draw(t, "region"), rapid.IntRange(0, 20).Draw(t, "id"))
		if !seen[r.key()] {
			seen[r.key()] = true
			rows = append(rows, r)
		}
	}
	return rows
}

// change draws the table as it may be later: rows kept, changed (the same
// key) or, when deletions, deleted; new rows; another order.
func change(t *rapid.T, rows []propRow, deletions bool) []propRow {
	var out []propRow
	seen := map[string]bool{}
	for _, r := range rows {
		switch op := rapid.IntRange(0, 2).Draw(t, "op"); {
		case op == 1:
			r = drawRow(t, r.region, r.id)
		case op == 2 && deletions:
			continue
		}
		seen[r.key()] = true
		out = append(out, r)
	}
	for _, r := range drawTable(t, "new") {
		if !seen[r.key()] {
			out = append(out, r)
		}
	}
	return rapid.Permutation(out).Draw(t, "order")
}

func tableCSV(t *rapid.T, rows []propRow) string {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"region", "id", "agent", "stage", "engaged", "closed", "value"})
	for _, r := range rows {
		_ = w.Write([]string{r.region, fmt.Sprint(r.id), r.agent, r.stage, r.engaged, r.closed, r.value})
	}
	w.Flush()
	return buf.String()
}

// Loading a changed table over the load of the first gives the events of a
// fresh load of the changed table: rows changed, rules that stopped
// applying, and (with a complete load) rows deleted. Events of other kinds,
// and of the same kinds with other ids, are kept. The first load goes to a
// memory.Store, the fresh one to a kpi.Table.
func TestPropReimportEqualsFresh(t *testing.T) {
	m := compileText(t, propMapping)
	berlin := mustZone(t, "Europe/Berlin")
	others := []kpi.Event{
		{ID: "manual-1", Kind: "deal.won", Time: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), Actor: "anna"},
		{ID: "deal.won", Kind: "deal.won", Time: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), Actor: "anna"},
		{ID: "deal.won:eu:99", Kind: "call", Time: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), Actor: "anna"},
	}
	for _, complete := range []bool{false, true} {
		t.Run(fmt.Sprintf("complete=%t", complete), func(t *testing.T) {
			rapid.Check(t, func(rt *rapid.T) {
				first := drawTable(rt, "first")
				second := change(rt, first, complete)
				ctx := context.Background()
				store := memory.New(berlin)
				if err := store.Apply(others...); err != nil {
					rt.Fatal(err)
				}
				for i, tab := range [][]propRow{first, second} {
					in := tableCSV(rt, tab)
					if err := m.LoadCSV(ctx, store, bytes.NewReader([]byte(in)), "t.csv", Options{Complete: complete}); err != nil {
						rt.Fatalf("load %d: %v\n%s", i+1, err, in)
					}
				}
				fresh := kpi.NewTable(berlin)
				for i := range others {
					if err := fresh.Apply(&others[i]); err != nil {
						rt.Fatal(err)
					}
				}
				if err := m.LoadCSV(ctx, fresh, bytes.NewReader([]byte(tableCSV(rt, second))), "t.csv", Options{}); err != nil {
					rt.Fatal(err)
				}
				got, want := ndjson(t, adaptertest.Events(t, store), "stage"), ndjson(t, adaptertest.Events(t, fresh), "stage")
				if !bytes.Equal(got, want) {
					rt.Fatalf("re-import:\n%s\nfresh import:\n%s", got, want)
				}
			})
		})
	}
}
