package kpi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
)

// twiceSource passes every event of its list twice.
type twiceSource kpi.Events

func (s twiceSource) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	for _, e := range s {
		for range 2 {
			if err := fn(&e); err != nil {
				return err
			}
		}
	}
	return nil
}

// Errors and warnings that name what a host gave (an event's id passed
// twice, a participant, a ledger key, a rate's key or its number) quote it
// cut short: an id of 100 KB made an error of 100 KB, a rate of 1e-10000 one
// of 10,000 characters.
func TestHostNamesQuotedCut(t *testing.T) {
	ctx := context.Background()
	long := strings.Repeat("h", 100_000)
	quoted := `"` + strings.Repeat("h", 64) + `…"`
	set, req := callsOfMarch(t)
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	check := func(what string, err error, want string) {
		t.Helper()
		if err == nil || err.Error() != want {
			t.Errorf("%s: %.200v, want %s", what, err, want)
		}
	}

	_, err := set.Evaluate(ctx, twiceSource{{ID: long, Kind: "call", Actor: "anna", Time: at}}, req)
	check("an id passed twice", err, "source: event "+quoted+" passed twice (a Source passes the current version of each live event once)")

	groupReq := req
	groupReq.Groups = []org.Group{{ID: long, Members: []string{"anna"}}}
	res, err := set.Evaluate(ctx, kpi.Events{{ID: "1", Kind: "call", Actor: long, Time: at}}, groupReq)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Msg != "group "+quoted+" has no row: "+quoted+" is also an actor, whose row it is" {
		t.Errorf("a group that is also an actor: warnings %.300v", res.Warnings)
	}

	tr, err := set.Track(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	batch := &kpi.TrackBatch{Events: kpi.Events{{ID: "1", Kind: "call", Actor: "anna", Time: at}}, Ledger: []kpi.TrackRecord{{Key: long}}}
	if err := tr.Commit(ctx, batch); err != nil {
		t.Fatal(err)
	}
	check("a ledger key again", tr.Commit(ctx, batch), "ledger key "+quoted+": ledger key already committed")

	one := decimal.NewFromInt(1)
	check("a rate's key", kpi.FixedRates{long: one}.Validate(), "rate key "+quoted+" must look like USD/RUB")
	check("a rate's number", kpi.FixedRates{"EUR/RUB": decimal.New(-1, -10000)}.Validate(), "rate EUR/RUB must be positive, got -1e-10000")
	check("a rate to itself", kpi.FixedRates{"USD/USD": one.Add(decimal.New(1, -100))}.Validate(),
		"rate USD/USD is a currency's rate to itself, always 1, got 1.000000000000000…e0")
}
