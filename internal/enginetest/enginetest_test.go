package enginetest

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

func TestFixtures(t *testing.T) {
	cal := Calendar(t, "Europe/Moscow")
	at := At(cal, "2025-03-10 12:30")
	if want := time.Date(2025, 3, 10, 9, 30, 0, 0, time.UTC); !at.Equal(want) {
		t.Fatalf("At = %s, want %s", at, want)
	}
	tab := Table(cal.Location(), kpi.Events{
		{ID: "1", Kind: "deal.won", Actor: "anna", Time: at},
		{ID: "2", Kind: "deal.won", Actor: "boris", Time: at.Add(time.Hour)},
	})
	if tab.Len() != 2 {
		t.Fatalf("the table holds %d events, want 2", tab.Len())
	}
	// A memory store's table (a kpi.TableSource) is copied: what the store
	// takes later is not in the test's table.
	store := memory.New(cal.Location())
	if err := store.Apply(kpi.Event{ID: "1", Kind: "deal.won", Actor: "anna", Time: at}); err != nil {
		t.Fatal(err)
	}
	tab = Table(cal.Location(), store)
	if err := store.Apply(kpi.Event{ID: "1", Deleted: true}, kpi.Event{ID: "2", Kind: "deal.won", Actor: "boris", Time: at}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	if err := tab.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error { ids = append(ids, e.ID+" "+e.Actor); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || ids[0] != "1 anna" {
		t.Fatalf("the table read from a memory store holds %q after the store changed, want [\"1 anna\"]", ids)
	}
	// A directory hands over its units and memberships as they are.
	units := []org.Unit{{ID: "sales"}, {ID: "east", Parent: "sales"}}
	ms := []org.Membership{{User: "anna", Unit: "east"}}
	o, err := org.Load(context.Background(), Directory(units, ms))
	if err != nil {
		t.Fatal(err)
	}
	if got := o.Subtree("sales"); len(got) != 2 || len(o.Memberships()) != 1 {
		t.Fatalf("subtree of sales %v, memberships %v", got, o.Memberships())
	}
}
