package sqlite

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/mapping"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// dealsMapping reads a CRM's deals table kept in SQLite: dates in DATE
// columns (the driver gives them as times), values as integers, the stage
// as text.
const dealsMapping = `timezone: America/New_York
table: deals
key: [opportunity_id]
columns:
  opportunity_id: {type: string}
  sales_agent: {type: string}
  deal_stage: {type: string}
  engage_date: {type: date}
  close_date: {type: date, time_of_day: "18:00"}
  close_value: {type: decimal}
events:
  - {kind: deal.created, when: defined(engage_date), time: engage_date, actor: sales_agent}
  - {kind: deal.won, when: deal_stage == "Won", time: close_date, actor: sales_agent, amount: close_value, currency: USD}
`

// A host's table in the same SQLite file as goalkit's events: loaded
// through a mapping into the file's own store, then, after the host
// changed and deleted deals, loaded again completely; the store then holds
// what a fresh load of the table into memory gives.
func TestTableMapping(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "crm.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, err := mapping.Parse("deals.yaml", []byte(dealsMapping))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mapping.Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := s.DB().ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`CREATE TABLE deals (opportunity_id TEXT PRIMARY KEY, sales_agent TEXT, deal_stage TEXT, engage_date DATE, close_date DATE, close_value INTEGER)`)
	exec(`INSERT INTO deals VALUES
		('1C1I7A6R', 'Moses Frase', 'Won', '2016-10-20', '2017-03-01', 1054),
		('Z063OYW0', 'Darcel Schlecht', 'Won', '2016-10-25', '2017-03-11', 4514),
		('7GN8Q4LL', 'Markita Hansen', 'Lost', '2016-11-01', '2017-03-18', 0),
		('HAXMC4IX', 'James Ascencio', 'Prospecting', NULL, NULL, NULL)`)
	if err := m.LoadDB(ctx, s, s.DB(), mapping.Options{Complete: true}); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, s); !slices.Equal(got, []string{"deal.created:1C1I7A6R", "deal.created:7GN8Q4LL", "deal.created:Z063OYW0", "deal.won:1C1I7A6R", "deal.won:Z063OYW0"}) {
		t.Fatalf("first load: %v", got)
	}
	exec(`UPDATE deals SET deal_stage = 'Engaging', close_date = NULL, close_value = NULL WHERE opportunity_id = '1C1I7A6R'`)
	exec(`UPDATE deals SET close_value = 4600 WHERE opportunity_id = 'Z063OYW0'`)
	exec(`DELETE FROM deals WHERE opportunity_id = '7GN8Q4LL'`)
	if err := m.LoadDB(ctx, s, s.DB(), mapping.Options{Complete: true}); err != nil {
		t.Fatal(err)
	}
	fresh := memory.New(time.UTC)
	if err := m.LoadDB(ctx, fresh, s.DB(), mapping.Options{}); err != nil {
		t.Fatal(err)
	}
	got, want := adaptertest.Events(t, s), adaptertest.Events(t, fresh)
	if !slices.EqualFunc(got, want, func(a, b kpi.Event) bool {
		return a.ID == b.ID && a.Kind == b.Kind && a.Time.Equal(b.Time) && a.Actor == b.Actor && a.Amount.Valid == b.Amount.Valid && a.Amount.Decimal.Equal(b.Amount.Decimal) && a.Currency == b.Currency
	}) {
		t.Fatalf("re-import:\n%v\nfresh:\n%v", got, want)
	}
	if len(got) != 3 || got[2].ID != "deal.won:Z063OYW0" || got[2].Amount.Decimal.String() != "4600" {
		t.Fatalf("events %v", got)
	}

	// A REAL value is refused with the row and column, and nothing changes.
	exec(`UPDATE deals SET close_value = 4600.5 WHERE opportunity_id = 'Z063OYW0'`)
	err = m.LoadDB(ctx, s, s.DB(), mapping.Options{Complete: true})
	if want := `deals:3: column "close_value": the floating-point value 4600.5 is not exact: select the column as text (CAST(close_value AS TEXT)) or as an integer`; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	if after := adaptertest.Events(t, s); len(after) != 3 || after[2].Amount.Decimal.String() != "4600" {
		t.Fatalf("a bad load changed the store: %v", after)
	}
}

func ids(t *testing.T, src kpi.Source) []string {
	var out []string
	for _, e := range adaptertest.Events(t, src) {
		out = append(out, e.ID)
	}
	return out
}
