// Package workload generates goalkit's standard benchmark workload: a
// deterministic CRM event stream drawn from the distribution the project's
// benchmark floor uses (kind mix, 2,000 users, the calendar year 2025 in
// Europe/Moscow, amounts on deal events, a source and a pipeline attribute).
package workload

import (
	_ "embed"
	"math/rand/v2"
	"strconv"
	"time"
	"unsafe"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// Plan is the standard benchmark plan (YAML).
//
//go:embed plan.yaml
var Plan []byte

// Seed is the standard seed.
const Seed = 20250101

// Kinds are the event kinds, in the floor's order.
var Kinds = []string{"lead_created", "deal_created", "deal_won", "deal_lost", "call", "meeting", "email"}

// cumulative weights in percent: lead 15, created 10, won 4, lost 4, call 30, meeting 12, email 25
var kindCum = []int{15, 25, 29, 33, 63, 75, 100}

// Sources are the values of the source attribute.
var Sources = []string{"web", "partner", "referral", "cold_call", "event", "ads", "email_campaign", "other"}

// Users is the number of actors.
const Users = 2000

// Options shape a generated stream.
type Options struct {
	N    int
	Seed uint64
	// Corrected and Retracted are the fractions (per mille) of events that
	// are later corrected (a new version with another amount and source) or
	// retracted; the extra versions come after all originals.
	CorrectedPerMille, RetractedPerMille int
}

// Generate calls fn for every event version. The *kpi.Event, its Attrs and
// the bytes of its ID are reused between calls (the ID so that generating
// allocates nothing per event): fn copies what it keeps, the ID included.
func Generate(o Options, fn func(*kpi.Event) error) error {
	if o.Seed == 0 {
		o.Seed = Seed
	}
	moscow := time.FixedZone("MSK", 3*3600) // Europe/Moscow has no DST since 2014
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, moscow).Unix()
	end := time.Date(2026, 1, 1, 0, 0, 0, 0, moscow).Unix()
	span := end - start
	n := int64(o.N)
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9E3779B97F4A7C15))
	actors := make([]string, Users+1)
	for i := 1; i <= Users; i++ {
		actors[i] = strconv.Itoa(i)
	}
	// Attribute values boxed once: boxing a string per event would allocate.
	sources := make([]any, len(Sources))
	for i, s := range Sources {
		sources[i] = s
	}
	pipelines := []any{nil, int64(1), int64(2), int64(3)}
	var e kpi.Event
	e.Attrs = map[string]any{}
	var idBuf []byte
	step := span / max(n, 1)
	for i := int64(0); i < n; i++ {
		p := r.IntN(100)
		t := 0
		for p >= kindCum[t] {
			t++
		}
		user := 1 + r.IntN(Users)
		ts := start + i*span/max(n, 1) + int64(r.IntN(int(step)+1))
		if ts >= end {
			ts = end - 1
		}
		var cents int64
		if t >= 1 && t <= 3 {
			cents = 10_000 + r.Int64N(100_000_000-10_000+1)
		}
		src := r.IntN(len(Sources))
		pipe := 1 + r.IntN(3)
		idBuf = strconv.AppendInt(idBuf[:0], i+1, 10)
		e.ID = unsafe.String(&idBuf[0], len(idBuf))
		e.Kind = Kinds[t]
		e.Time = time.Unix(ts, 0).UTC()
		e.Actor = actors[user]
		e.Amount = decimal.NullDecimal{}
		if cents != 0 {
			e.Amount = decimal.NewNullDecimal(decimal.New(cents, -2))
		}
		e.Currency = ""
		e.Deleted = false
		e.Attrs["source"] = sources[src]
		e.Attrs["pipeline"] = pipelines[pipe]
		if err := fn(&e); err != nil {
			return err
		}
	}
	if o.CorrectedPerMille == 0 && o.RetractedPerMille == 0 {
		return nil
	}
	// Later versions: corrections and retractions of earlier events.
	r2 := rand.New(rand.NewPCG(o.Seed+1, o.Seed^0x5DEECE66D))
	for i := int64(0); i < n; i++ {
		x := r2.IntN(1000)
		id := strconv.FormatInt(i+1, 10)
		switch {
		case x < o.RetractedPerMille:
			e = kpi.Event{ID: id, Deleted: true, Attrs: e.Attrs}
			clear(e.Attrs)
		case x < o.RetractedPerMille+o.CorrectedPerMille:
			t := 1 + r2.IntN(3)
			e.ID = id
			e.Deleted = false
			e.Kind = Kinds[t]
			e.Time = time.Unix(start+r2.Int64N(span), 0).UTC()
			e.Actor = actors[1+r2.IntN(Users)]
			e.Amount = decimal.NewNullDecimal(decimal.New(10_000+r2.Int64N(100_000_000-10_000+1), -2))
			e.Currency = ""
			e.Attrs["source"] = Sources[r2.IntN(len(Sources))]
			e.Attrs["pipeline"] = int64(1 + r2.IntN(3))
		default:
			continue
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return nil
}
