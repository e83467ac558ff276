package bitrix24_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// This file reproduces fixtures/EXPECTED.md (March 2024, Europe/Moscow) from
// the events the adapter produces, aggregated by a plain loop that knows
// nothing of Bitrix24, and compares with expected.json and the tables of
// EXPECTED.md as parsed here (no number is copied into the test).

// tally is one user's KPIs for a month.
type tally struct {
	Created, Won, Lost, Calls, CallsIn, CallsOut, Meetings int
	Sum                                                    map[string]decimal.Decimal
}

// figure returns the figure of t that a metric or column of EXPECTED.md
// names: created, won, lost (each with or without "deals_"), calls,
// meetings or won_sum_CUR; ok is false for any other name.
func (t *tally) figure(name string) (v string, ok bool) {
	switch strings.TrimPrefix(name, "deals_") {
	case "created":
		return strconv.Itoa(t.Created), true
	case "won":
		return strconv.Itoa(t.Won), true
	case "lost":
		return strconv.Itoa(t.Lost), true
	case "calls":
		return strconv.Itoa(t.Calls), true
	case "meetings":
		return strconv.Itoa(t.Meetings), true
	}
	cur, ok := strings.CutPrefix(name, "won_sum_")
	if !ok {
		return "", false
	}
	return t.Sum[cur].StringFixed(2), true
}

// aggregate counts the live events whose time falls in March 2024 in loc.
func aggregate(s store, loc *time.Location) map[string]*tally {
	out := map[string]*tally{}
	for _, e := range s {
		t := e.Time.In(loc)
		if t.Year() != 2024 || t.Month() != time.March {
			continue
		}
		u := out[e.Actor]
		if u == nil {
			u = &tally{Sum: map[string]decimal.Decimal{}}
			out[e.Actor] = u
		}
		switch e.Kind {
		case "deal.created":
			u.Created++
		case "deal.won":
			u.Won++
			if e.Amount.Valid {
				u.Sum[e.Currency] = u.Sum[e.Currency].Add(e.Amount.Decimal)
			}
		case "deal.lost":
			u.Lost++
		case "call":
			u.Calls++
			switch e.Attrs["direction"] {
			case "in":
				u.CallsIn++
			case "out":
				u.CallsOut++
			}
		case "meeting":
			u.Meetings++
		}
	}
	return out
}

func total(ts map[string]*tally) *tally {
	sum := &tally{Sum: map[string]decimal.Decimal{}}
	for _, t := range ts {
		sum.Created += t.Created
		sum.Won += t.Won
		sum.Lost += t.Lost
		sum.Calls += t.Calls
		sum.CallsIn += t.CallsIn
		sum.CallsOut += t.CallsOut
		sum.Meetings += t.Meetings
		for c, v := range t.Sum {
			sum.Sum[c] = sum.Sum[c].Add(v)
		}
	}
	return sum
}

// expectedJSON is fixtures/expected.json.
type expectedJSON struct {
	Period struct {
		Start, End time.Time
		Timezone   string
	} `json:"period"`
	Users map[string]expectedRow `json:"users"`
	Total expectedRow            `json:"total"`
}

type expectedRow struct {
	DealsCreated int                        `json:"deals_created"`
	DealsWon     int                        `json:"deals_won"`
	WonSum       map[string]decimal.Decimal `json:"won_sum"`
	DealsLost    int                        `json:"deals_lost"`
	Calls        int                        `json:"calls"`
	Meetings     int                        `json:"meetings"`
}

func loadExpected(t *testing.T) expectedJSON {
	t.Helper()
	var x expectedJSON
	readFixture(t, "expected.json", &x)
	return x
}

// mdTable returns the rows of the markdown table whose header starts with
// head, as maps from column name to cell.
func mdTable(t *testing.T, md, head string) []map[string]string {
	t.Helper()
	lines := strings.Split(md, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, head) {
			continue
		}
		cols := cells(l)
		var rows []map[string]string
		for _, r := range lines[i+2:] {
			if !strings.HasPrefix(r, "|") {
				break
			}
			cs := cells(r)
			m := map[string]string{}
			for j, c := range cols {
				if j < len(cs) {
					m[c] = cs[j]
				}
			}
			rows = append(rows, m)
		}
		return rows
	}
	t.Fatalf("EXPECTED.md: no table starting %q", head)
	return nil
}

func cells(line string) []string {
	parts := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func readMD(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, "EXPECTED.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("EXPECTED.md: %q is not a number", s)
	}
	return n
}

func dec(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatalf("EXPECTED.md: %q is not a decimal", s)
	}
	return d
}

func moscow(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// checkTable compares the per-user tallies with expected.json and with the
// first table of EXPECTED.md (which also has calls_in and calls_out).
func checkTable(t *testing.T, got map[string]*tally) {
	t.Helper()
	x := loadExpected(t)
	md := readMD(t)
	// Every user with events is a user of the table; users without any are
	// reported as zeros, like the table does.
	for u := range got {
		if _, ok := x.Users[u]; !ok {
			t.Errorf("user %s has March events but is not in expected.json", u)
		}
	}
	zero := &tally{Sum: map[string]decimal.Decimal{}}
	row := func(u string) *tally {
		if r, ok := got[u]; ok {
			return r
		}
		return zero
	}
	cmpRow := func(who string, g *tally, w expectedRow) {
		t.Helper()
		for _, c := range []struct {
			name      string
			got, want int
		}{
			{"deals_created", g.Created, w.DealsCreated},
			{"deals_won", g.Won, w.DealsWon},
			{"deals_lost", g.Lost, w.DealsLost},
			{"calls", g.Calls, w.Calls},
			{"meetings", g.Meetings, w.Meetings},
		} {
			if c.got != c.want {
				t.Errorf("%s %s: got %d, want %d", who, c.name, c.got, c.want)
			}
		}
		for cur, want := range w.WonSum {
			if g := g.Sum[cur]; !g.Equal(want) {
				t.Errorf("%s won_sum_%s: got %s, want %s", who, cur, g.StringFixed(2), want.StringFixed(2))
			}
		}
		for cur := range g.Sum {
			if _, ok := w.WonSum[cur]; !ok {
				t.Errorf("%s: won_sum in %s, a currency expected.json does not list", who, cur)
			}
		}
	}
	users := make([]string, 0, len(x.Users))
	for u := range x.Users {
		users = append(users, u)
	}
	sort.Slice(users, func(i, j int) bool { return atoi(t, users[i]) < atoi(t, users[j]) })
	for _, u := range users {
		cmpRow("user "+u, row(u), x.Users[u])
	}
	cmpRow("total", total(got), x.Total)

	// The markdown table: the same numbers plus calls_in / calls_out.
	rows := mdTable(t, md, "| user | name | deals_created")
	if len(rows) != len(users)+1 {
		t.Fatalf("EXPECTED.md table has %d rows, expected.json %d users", len(rows), len(users))
	}
	for _, r := range rows {
		u := r["user"]
		g := row(u)
		if u == "**total**" {
			g = total(got)
		}
		for _, c := range []struct {
			col string
			got int
		}{
			{"deals_created", g.Created}, {"deals_won", g.Won}, {"deals_lost", g.Lost},
			{"calls", g.Calls}, {"calls_in", g.CallsIn}, {"calls_out", g.CallsOut}, {"meetings", g.Meetings},
		} {
			if want := atoi(t, r[c.col]); c.got != want {
				t.Errorf("EXPECTED.md user %s %s: got %d, want %d", u, c.col, c.got, want)
			}
		}
		for col, v := range r {
			if cur, ok := strings.CutPrefix(col, "won_sum_"); ok {
				if g := g.Sum[cur]; !g.Equal(dec(t, v)) {
					t.Errorf("EXPECTED.md user %s %s: got %s, want %s", u, col, g.StringFixed(2), v)
				}
			}
		}
	}
}

func TestExpectedMarch2024(t *testing.T) {
	t.Parallel()
	msk := moscow(t)
	x := loadExpected(t)
	if x.Period.Timezone != "Europe/Moscow" || !x.Period.Start.Equal(time.Date(2024, 3, 1, 0, 0, 0, 0, msk)) || !x.Period.End.Equal(time.Date(2024, 4, 1, 0, 0, 0, 0, msk)) {
		t.Fatalf("expected.json period is %+v, the test aggregates March 2024 in Moscow", x.Period)
	}
	for _, tc := range []struct {
		name    string
		opts    bitrix24.SyncOptions
		literal bool
	}{
		{"keyset", bitrix24.SyncOptions{Location: msk}, true},
		{"offset", bitrix24.SyncOptions{Location: msk, Paging: bitrix24.Offset}, true},
		{"computed answers", bitrix24.SyncOptions{Location: msk}, false},
		{"without history", bitrix24.SyncOptions{Location: msk, SkipHistory: true}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			srv.SetLiteral(tc.literal)
			c, _ := newClient(t, srv)
			evs, _ := syncAll(t, c, tc.opts)
			s := storeOf(evs)
			checkTable(t, aggregate(s, msk))
		})
	}
}

// TestExpectedUTCBuckets checks the adapter's instants against the section of
// EXPECTED.md that buckets by UTC month on purpose: the same events bucketed
// in UTC give its "UTC (wrong)" column, and in Moscow its correct column.
func TestExpectedUTCBuckets(t *testing.T) {
	t.Parallel()
	msk := moscow(t)
	_, evs := syncFresh(t, bitrix24.SyncOptions{})
	s := storeOf(evs)
	rows := mdTable(t, readMD(t), "| metric | Europe/Moscow (correct) | UTC (wrong) |")
	for _, col := range []struct {
		name string
		loc  *time.Location
	}{{"Europe/Moscow (correct)", msk}, {"UTC (wrong)", time.UTC}} {
		tot := total(aggregate(s, col.loc))
		for _, r := range rows {
			want := r[col.name]
			got, ok := tot.figure(r["metric"])
			if !ok {
				t.Fatalf("unknown metric %q", r["metric"])
			}
			if got != want {
				t.Errorf("%s %s: got %s, want %s", col.name, r["metric"], got, want)
			}
		}
	}
}

// TestExpectedCorrections checks each correction case of EXPECTED.md: the
// stage trail, the March result, and the events (a reopened deal's win is
// retracted; a re-won deal is dated by its last win).
func TestExpectedCorrections(t *testing.T) {
	t.Parallel()
	msk := moscow(t)
	_, evs := syncFresh(t, bitrix24.SyncOptions{Location: msk})
	s := storeOf(evs)
	deleted := map[string]bool{}
	for _, e := range evs {
		if e.Deleted {
			deleted[e.ID] = true
		}
	}
	success := successStages(t)
	rows := mdTable(t, readMD(t), "| deal | user | case |")
	if len(rows) == 0 {
		t.Fatal("no correction cases")
	}
	resultRE := regexp.MustCompile(`^(open: not won|(won|lost) in (March|(\d{4}-\d{2}), not March))(, counts ([\d.]+) ([A-Z]{3}))?$`)
	for _, r := range rows {
		deal := r["deal"]
		t.Run(deal+" "+r["case"], func(t *testing.T) {
			m := resultRE.FindStringSubmatch(r["March result"])
			if m == nil {
				t.Fatalf("unparsed March result %q", r["March result"])
			}
			won, wonOK := s["b24:deal:"+deal+":won"]
			lost, lostOK := s["b24:deal:"+deal+":lost"]
			created := s["b24:deal:"+deal+":created"]
			if created.Actor != r["user"] {
				t.Errorf("created actor %q, want %q", created.Actor, r["user"])
			}
			trail := strings.Split(r["stage trail (history)"], " → ")
			switch {
			case m[1] == "open: not won":
				if wonOK || lostOK {
					t.Errorf("open deal has won %v / lost %v events", wonOK, lostOK)
				}
				if !deleted["b24:deal:"+deal+":won"] {
					t.Errorf("the reopened deal's earlier win is not retracted")
				}
			default:
				e, ok := won, wonOK
				if m[2] == "lost" {
					e, ok = lost, lostOK
				}
				if !ok {
					t.Fatalf("no %s event", m[2])
				}
				if e.Actor != r["user"] {
					t.Errorf("actor %q, want %q", e.Actor, r["user"])
				}
				month := "2024-03"
				if m[4] != "" {
					month = m[4]
				}
				if got := e.Time.In(msk).Format("2006-01"); got != month {
					t.Errorf("%s in %s, want %s", m[2], got, month)
				}
				// Dated by the last entry into the final stage of the trail.
				if m[2] == "won" {
					want := lastEntry(trail, success)
					if got := e.Time.In(msk).Format("01-02 15:04"); got != want {
						t.Errorf("won at %s, want the last win of the trail, %s", got, want)
					}
				}
				if m[6] != "" {
					if !e.Amount.Valid || !e.Amount.Decimal.Equal(dec(t, m[6])) || e.Currency != m[7] {
						t.Errorf("amount %v %s, want %s %s", e.Amount, e.Currency, m[6], m[7])
					}
				}
				if strings.Contains(r["stage trail (history)"], "(T5)") {
					// The pipeline attribute is the deal's current pipeline.
					last := strings.Fields(trail[len(trail)-1])[0]
					want := int64(0)
					if strings.HasPrefix(last, "C1:") {
						want = 1
					}
					if e.Attrs["pipeline"] != want {
						t.Errorf("pipeline %v, want %d", e.Attrs["pipeline"], want)
					}
				}
			}
		})
	}
}

// successStages reads the success stages from the stage dictionaries.
func successStages(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, f := range []string{"crm.status.list.DEAL_STAGE.json", "crm.status.list.DEAL_STAGE_1.json"} {
		var doc struct {
			Result []struct {
				StatusID  string `json:"STATUS_ID"`
				Semantics *string
			}
		}
		readFixture(t, f, &doc)
		for _, s := range doc.Result {
			if s.Semantics != nil && *s.Semantics == "S" {
				out[s.StatusID] = true
			}
		}
	}
	return out
}

// lastEntry returns "MM-DD HH:MM" of the last step of a trail that enters a
// success stage from a non-success one.
func lastEntry(trail []string, success map[string]bool) string {
	at := ""
	prev := false
	for _, step := range trail {
		f := strings.Fields(step)
		s := success[f[0]]
		if s && !prev {
			at = f[1] + " " + f[2]
		}
		prev = s
	}
	return at
}

// TestExpectedBoundaries checks each boundary record of EXPECTED.md: the
// event exists (or not), at the instant given, in the Moscow month given.
func TestExpectedBoundaries(t *testing.T) {
	t.Parallel()
	msk := moscow(t)
	_, evs := syncFresh(t, bitrix24.SyncOptions{Location: msk})
	s := storeOf(evs)
	rows := mdTable(t, readMD(t), "| entity | ID | field | value |")
	if len(rows) == 0 {
		t.Fatal("no boundary records")
	}
	for _, r := range rows {
		name := fmt.Sprintf("%s %s %s", r["entity"], r["ID"], r["field"])
		t.Run(name, func(t *testing.T) {
			at, err := time.Parse(time.RFC3339, r["value"])
			if err != nil {
				t.Fatal(err)
			}
			what := r["counts as"]
			var e kpi.Event
			var ok bool
			switch {
			case r["entity"] == "deal" && strings.HasPrefix(what, "created"):
				e, ok = s["b24:deal:"+r["ID"]+":created"]
			case r["entity"] == "deal" && strings.HasPrefix(what, "won"):
				e, ok = s["b24:deal:"+r["ID"]+":won"]
			case r["entity"] == "deal" && strings.HasPrefix(what, "lost"):
				e, ok = s["b24:deal:"+r["ID"]+":lost"]
			case r["entity"] == "activity":
				e, ok = s["b24:activity:"+r["ID"]]
				if strings.Contains(what, "COMPLETED N") {
					if ok {
						t.Fatalf("a not completed activity has an event")
					}
					return
				}
			default:
				t.Fatalf("unknown boundary record %q", what)
			}
			if !ok {
				t.Fatalf("no event")
			}
			if !e.Time.Equal(at) {
				t.Errorf("time %s, want %s", e.Time.Format(time.RFC3339), r["value"])
			}
			if got := e.Time.In(msk).Format("2006-01"); got != r["Moscow month"] {
				t.Errorf("Moscow month %s, want %s", got, r["Moscow month"])
			}
			if got := e.Time.UTC().Format("2006-01"); got != r["UTC month"] {
				t.Errorf("UTC month %s, want %s", got, r["UTC month"])
			}
			if user := strings.TrimPrefix(what[strings.LastIndex(what, "user "):], "user "); e.Actor != user {
				t.Errorf("actor %s, want %s", e.Actor, user)
			}
		})
	}
}

// TestExpectedWrongMethods: the other readings of the history in EXPECTED.md
// give other numbers; the adapter's events give the correct row's.
func TestExpectedWrongMethods(t *testing.T) {
	t.Parallel()
	msk := moscow(t)
	_, evs := syncFresh(t, bitrix24.SyncOptions{Location: msk})
	tot := total(aggregate(storeOf(evs), msk))
	rows := mdTable(t, readMD(t), "| method | won |")
	if len(rows) < 2 {
		t.Fatal("too few methods")
	}
	for _, r := range rows {
		same := strconv.Itoa(tot.Won) == r["won"]
		for col, v := range r {
			if cur, ok := strings.CutPrefix(col, "won_sum_"); ok {
				same = same && tot.Sum[cur].Equal(dec(t, v))
			}
		}
		correct := strings.HasSuffix(r["method"], "(correct)")
		if same != correct {
			t.Errorf("method %q: adapter gives won %d %v; match %v, want %v", r["method"], tot.Won, tot.Sum, same, correct)
		}
	}
}

// TestExpectedLeads: the leads created in March, by the count EXPECTED.md
// gives for both the list and the history; and conversions dated by the
// history agree with the lead list's MOVED_TIME.
func TestExpectedLeads(t *testing.T) {
	t.Parallel()
	msk := moscow(t)
	m := regexp.MustCompile(`(\d+) leads were\s+created in March`).FindStringSubmatch(readMD(t))
	if m == nil {
		t.Fatal("EXPECTED.md: no lead count")
	}
	_, c := newPortal(t)
	withHist, _ := syncAll(t, c, bitrix24.SyncOptions{Location: msk})
	noHist, _ := syncAll(t, c, bitrix24.SyncOptions{Location: msk, SkipHistory: true})
	for name, evs := range map[string][]kpi.Event{"history": withHist, "list": noHist} {
		n := 0
		kinds := map[string]int{}
		for _, e := range storeOf(evs) {
			if strings.HasPrefix(e.Kind, "lead.") {
				kinds[e.Kind]++
			}
			if e.Kind == "lead.created" && e.Time.In(msk).Month() == time.March && e.Time.Year() == 2024 {
				n++
			}
		}
		if want := atoi(t, m[1]); n != want {
			t.Errorf("%s: %d leads created in March, want %d", name, n, want)
		}
		if kinds["lead.converted"] == 0 || kinds["lead.junk"] == 0 {
			t.Errorf("%s: lead events %v, want some converted and junk", name, kinds)
		}
	}
	a, b := storeOf(withHist), storeOf(noHist)
	for id, e := range a {
		if !b[id].Time.Equal(e.Time) || b[id].Kind != e.Kind {
			t.Errorf("%s: history gives %s %s, list gives %s %s", id, e.Kind, e.Time, b[id].Kind, b[id].Time)
		}
	}
}

// TestExpectedCrossCheck: EXPECTED.md's second table gives each deal KPI
// twice, from the deals' current state and from the stage history. The
// adapter without history (dating by MOVED_TIME) gives the left numbers, with
// history the right ones; and the history has the row counts it states.
func TestExpectedCrossCheck(t *testing.T) {
	t.Parallel()
	msk := moscow(t)
	md := readMD(t)
	_, c := newPortal(t)
	state, _ := syncAll(t, c, bitrix24.SyncOptions{Location: msk, SkipHistory: true})
	hist, _ := syncAll(t, c, bitrix24.SyncOptions{Location: msk})
	sides := []map[string]*tally{aggregate(storeOf(state), msk), aggregate(storeOf(hist), msk)}
	rows := mdTable(t, md, "| user | deals_created | deals_won |")
	if len(rows) == 0 {
		t.Fatal("no cross-check table")
	}
	for _, r := range rows {
		for side, got := range sides {
			g := got[r["user"]]
			if g == nil {
				g = &tally{Sum: map[string]decimal.Decimal{}}
			}
			for col, cell := range r {
				if col == "user" {
					continue
				}
				parts := strings.Split(cell, " / ")
				if len(parts) != 2 {
					t.Fatalf("cell %q", cell)
				}
				want := parts[side]
				have, ok := g.figure(col)
				if !ok {
					t.Fatalf("column %q", col)
				}
				if have != want {
					t.Errorf("user %s %s (%s): got %s, want %s", r["user"], col, []string{"current state", "stage history"}[side], have, want)
				}
			}
		}
	}
	m := regexp.MustCompile(`The history has (\d+) deal rows for (\d+) deals and (\d+) lead rows\s+for (\d+) leads`).FindStringSubmatch(md)
	if m == nil {
		t.Fatal("no history row counts")
	}
	for i, et := range []int{rest.EntityDeal, rest.EntityLead} {
		rows, err := c.StageHistory(context.Background(), et, rest.ListParams{})
		if err != nil {
			t.Fatal(err)
		}
		owners := map[int64]bool{}
		for _, r := range rows {
			owners[r.OwnerID] = true
		}
		if len(rows) != atoi(t, m[1+2*i]) || len(owners) != atoi(t, m[2+2*i]) {
			t.Errorf("entity %d: %d rows for %d items, want %s for %s", et, len(rows), len(owners), m[1+2*i], m[2+2*i])
		}
	}
}

// TestExpectedTraps checks the "other traps" of EXPECTED.md.
func TestExpectedTraps(t *testing.T) {
	t.Parallel()
	msk := moscow(t)
	md := readMD(t)
	c, evs := syncFresh(t, bitrix24.SyncOptions{Location: msk})
	s := storeOf(evs)
	ids := func(re string) []string {
		t.Helper()
		m := regexp.MustCompile(re).FindStringSubmatch(md)
		if m == nil {
			t.Fatalf("EXPECTED.md: no match for %s", re)
		}
		return strings.Split(m[1], ", ")
	}
	for _, id := range ids("Won deals with `OPPORTUNITY` \"0.00\": ([\\d, ]+) \\(") {
		e, ok := s["b24:deal:"+id+":won"]
		if !ok || !e.Amount.Valid || !e.Amount.Decimal.IsZero() {
			t.Errorf("zero-amount win %s: %+v", id, e)
		}
	}
	for _, id := range ids("Lost deals in the `APOLOGY` stage[^:]*: ([\\d, ]+)\\.") {
		if e, ok := s["b24:deal:"+id+":lost"]; !ok || e.Attrs["stage"] != "APOLOGY" {
			t.Errorf("APOLOGY deal %s: %+v", id, e)
		}
	}
	for _, id := range ids("Dismissed user \\(`ACTIVE: false`\\): ([\\d, ]+);") {
		n := 0
		for _, e := range s {
			if e.Actor == id {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no events for dismissed user %s", id)
		}
	}
	m := regexp.MustCompile(`(\d+) calls/meetings in March have .COMPLETED. "N"[^;]*; (\d+) emails/to-dos/tasks`).FindStringSubmatch(md)
	if m == nil {
		t.Fatal("EXPECTED.md: no count of pending activities")
	}
	acts, err := c.Activities(context.Background(), rest.ListParams{})
	if err != nil {
		t.Fatal(err)
	}
	pending, other := 0, 0
	for _, a := range acts {
		st := a.StartTime.In(msk)
		if st.Year() != 2024 || st.Month() != time.March {
			continue
		}
		_, has := s["b24:activity:"+strconv.FormatInt(a.ID, 10)]
		switch {
		case (a.TypeID == 1 || a.TypeID == 2) && !a.Completed:
			pending++
			if has {
				t.Errorf("pending activity %d has an event", a.ID)
			}
		case a.TypeID == 4 || a.TypeID == 6:
			other++
			if e := s["b24:activity:"+strconv.FormatInt(a.ID, 10)]; has && e.Kind != "email" {
				t.Errorf("activity %d of type %d is a %s", a.ID, a.TypeID, e.Kind)
			}
			if has != (a.TypeID == 4 && a.Completed) {
				t.Errorf("activity %d of type %d completed %v: event %v", a.ID, a.TypeID, a.Completed, has)
			}
		}
	}
	if pending != atoi(t, m[1]) || other != atoi(t, m[2]) {
		t.Errorf("%d pending calls/meetings and %d others in March, want %s and %s", pending, other, m[1], m[2])
	}
}
