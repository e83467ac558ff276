package bitrix24_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
	"github.com/goalkit/goalkit/kpi"
)

// A fake portal answering from the test fixtures stands in for
// https://PORTAL/rest/1/CODE/ in the examples.
func fakePortal() *fakeb24.Server {
	srv, err := fakeb24.New("testdata/fixtures")
	if err != nil {
		log.Fatal(err)
	}
	return srv
}

func show(e kpi.Event) {
	if e.Deleted {
		fmt.Println(e.ID, "deleted")
		return
	}
	amount := ""
	if e.Amount.Valid {
		amount = " " + e.Amount.Decimal.StringFixed(2) + " " + e.Currency
	}
	fmt.Printf("%s %s %s user %s%s\n", e.ID, e.Kind, e.Time.Format("2006-01-02T15:04:05Z07:00"), e.Actor, amount)
}

// Read a portal's deals, leads and activities as events. Deal 1037 was won,
// reopened and won again: it has one win, dated by the last one. Deal 1058 was
// won and reopened: its win is retracted.
func Example() {
	srv := fakePortal()
	defer srv.Close()

	c, err := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()),
		bitrix24.WithMinInterval(0)) // the fake portal has no rate limit
	if err != nil {
		log.Fatal(err)
	}
	events, _, err := c.Events(context.Background(), bitrix24.SyncOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range events {
		if strings.HasPrefix(e.ID, "b24:deal:1037:") || strings.HasPrefix(e.ID, "b24:deal:1058:") || e.ID == "b24:activity:5111" {
			show(e)
		}
	}
	// Output:
	// b24:deal:1037:created deal.created 2024-03-06T12:37:46+03:00 user 12 356000.00 RUB
	// b24:deal:1037:won deal.won 2024-03-16T09:37:46+03:00 user 12 356000.00 RUB
	// b24:deal:1058:created deal.created 2024-03-12T10:12:40+03:00 user 12 320000.00 RUB
	// b24:deal:1058:won deleted
	// b24:activity:5111 call 2024-03-01T00:05:00+03:00 user 6
}

// Continue from a watermark: only what changed is read, and a deal reopened
// since the last sync retracts its win.
func ExampleClient_Sync() {
	srv := fakePortal()
	defer srv.Close()
	c, err := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()), bitrix24.WithMinInterval(0))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	n := 0
	wm, err := c.Sync(ctx, bitrix24.SyncOptions{}, func(kpi.Event) error { n++; return nil })
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("full sync:", n, "events")

	// Someone reopens deal 1037 on the portal.
	const when = "2030-01-01T12:00:00+03:00"
	_ = srv.Update("deal", 1037, func(r map[string]any) {
		r["STAGE_ID"], r["STAGE_SEMANTIC_ID"], r["CLOSED"], r["MOVED_TIME"], r["DATE_MODIFY"] = "FINAL_INVOICE", "P", "N", when, when
	})
	const deals = 2 // the stage history's entity type id of deals
	srv.AddHistory(deals, map[string]any{"TYPE_ID": 2, "OWNER_ID": 1037, "CREATED_TIME": when,
		"CATEGORY_ID": 0, "STAGE_ID": "FINAL_INVOICE", "STAGE_SEMANTIC_ID": "P"})

	_, err = c.Sync(ctx, bitrix24.SyncOptions{Since: wm}, func(e kpi.Event) error {
		if strings.HasPrefix(e.ID, "b24:deal:1037:") {
			show(e)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// full sync: 337 events
	// b24:deal:1037:created deal.created 2024-03-06T12:37:46+03:00 user 12 356000.00 RUB
	// b24:deal:1037:won deleted
}

// The org structure: departments with heads and members, dismissed users
// included.
func ExampleClient_Directory() {
	srv := fakePortal()
	defer srv.Close()
	c, err := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	org, err := c.Directory(ctx)
	if err != nil {
		log.Fatal(err)
	}
	units, _ := org.Units(ctx)
	members, _ := org.Memberships(ctx)
	for _, u := range units {
		var in []string
		for _, m := range members {
			if m.Unit == u.ID {
				in = append(in, m.User)
			}
		}
		fmt.Printf("%s %q parent=%q head=%s members=%v\n", u.ID, u.Name, u.Parent, u.Head, in)
	}
	// Output:
	// 1 "ООО «Вектор Трейд»" parent="" head=1 members=[1]
	// 3 "Коммерческий департамент" parent="1" head=3 members=[3]
	// 5 "Отдел продаж (Москва)" parent="3" head=4 members=[4 5 6 7 12]
	// 7 "Отдел ключевых клиентов" parent="3" head=8 members=[7 8 9 10]
}

// Errors carry the portal's code and description, and match sentinels.
func ExampleAPIError() {
	srv := fakePortal()
	defer srv.Close()
	c, err := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()), bitrix24.WithMinInterval(0))
	if err != nil {
		log.Fatal(err)
	}
	srv.Inject("crm.deal.list", fakeb24.ErrorFault("error.crm_access_denied.400.json"))
	_, _, err = c.Events(context.Background(), bitrix24.SyncOptions{SkipHistory: true})
	fmt.Println(err)
	fmt.Println(errors.Is(err, bitrix24.ErrAccessDenied))
	// Output:
	// bitrix24: crm.deal.list: Access denied. (http 400)
	// true
}
