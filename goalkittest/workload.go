package goalkittest

import (
	_ "embed"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// The standard benchmark workload: the events behind goalkit's published
// figures (BENCHMARKS.md, `goalkit bench`), drawn so that a host can
// benchmark its own store, source or plan on the same events.

//go:embed workload.yaml
var workloadPlan []byte

// WorkloadPlan returns the standard benchmark plan as YAML (a plan file,
// docs/formats.md): in Europe/Moscow, monthly over 2025, the deals created
// and won from the web and partner sources, the sum and average of the won
// amounts, the conversion between them, and the calls and meetings. Parse it
// with goalkit.ParseDefinition.
func WorkloadPlan() []byte { return slices.Clone(workloadPlan) }

// WorkloadSeed is the seed of the standard workload (a zero Workload.Seed).
const WorkloadSeed = 20250101

// The distribution of the workload.
var (
	workloadKinds = []string{"lead_created", "deal_created", "deal_won", "deal_lost", "call", "meeting", "email"}
	// cumulative weights in percent: lead 15, created 10, won 4, lost 4,
	// call 30, meeting 12, email 25
	workloadKindCum = []int{15, 25, 29, 33, 63, 75, 100}
	workloadSources = []string{"web", "partner", "referral", "cold_call", "event", "ads", "email_campaign", "other"}
)

// workloadUsers is the number of actors.
const workloadUsers = 2000

// Workload is the standard benchmark workload: a deterministic stream of N
// CRM events, the same for the same N and Seed on every platform and
// release (a test pins the hash of its events).
//
// Event i (IDs "1" to N) has a kind drawn with the weights lead_created
// 15 %, deal_created 10 %, deal_won 4 %, deal_lost 4 %, call 30 %, meeting
// 12 %, email 25 %; an actor of "1" to "2000"; a time in the calendar year
// 2025 of Europe/Moscow (the i-th N-th of the year and up to one N-th after
// it, in whole seconds, given in UTC), so that the events come roughly in
// time order; an amount of 100.00 to 1,000,000.00 on the deal kinds,
// without a currency; and the attributes source (one of web, partner,
// referral, cold_call, event, ads, email_campaign, other) and pipeline (an
// int64 of 1 to 3).
//
// CorrectedPerMille and RetractedPerMille add later versions, after all the
// originals: that many events in a thousand are corrected (a new version
// with a deal kind, another time, actor, amount, source and pipeline) or
// retracted.
type Workload struct {
	N int
	// Seed selects the stream; zero means WorkloadSeed.
	Seed                                 uint64
	CorrectedPerMille, RetractedPerMille int
}

// Events returns every event version of the workload, in order, each a
// copy of its own (Generate without the reuse, for a test that keeps the
// stream).
func (w Workload) Events() ([]kpi.Event, error) {
	var out []kpi.Event
	err := w.Generate(func(e *kpi.Event) error {
		c := e.Clone()
		c.ID = strings.Clone(e.ID)
		out = append(out, c)
		return nil
	})
	return out, err
}

// Generate calls fn for every event version of the workload, in order, and
// returns the first error fn returns. The *kpi.Event, its Attrs and the
// bytes of its ID are reused between calls (so that generating allocates
// nothing per event): fn copies what it keeps, the ID included.
func (w Workload) Generate(fn func(*kpi.Event) error) error {
	if w.Seed == 0 {
		w.Seed = WorkloadSeed
	}
	moscow := time.FixedZone("MSK", 3*3600) // Europe/Moscow has no DST since 2014
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, moscow).Unix()
	end := time.Date(2026, 1, 1, 0, 0, 0, 0, moscow).Unix()
	span := end - start
	n := int64(w.N)
	r := rand.New(rand.NewPCG(w.Seed, w.Seed^0x9E3779B97F4A7C15))
	actors := workloadActors()
	sources, pipelines := workloadAttrValues()
	var e kpi.Event
	e.Attrs = map[string]any{}
	var idBuf []byte
	step := span / max(n, 1)
	for i := int64(0); i < n; i++ {
		p := r.IntN(100)
		t := 0
		for p >= workloadKindCum[t] {
			t++
		}
		user := 1 + r.IntN(workloadUsers)
		ts := start + i*span/max(n, 1) + int64(r.IntN(int(step)+1))
		if ts >= end {
			ts = end - 1
		}
		var cents int64
		if t >= 1 && t <= 3 {
			cents = 10_000 + r.Int64N(100_000_000-10_000+1)
		}
		src := r.IntN(len(workloadSources))
		pipe := 1 + r.IntN(3)
		idBuf = strconv.AppendInt(idBuf[:0], i+1, 10)
		e.ID = unsafe.String(&idBuf[0], len(idBuf))
		e.Kind = workloadKinds[t]
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
	if w.CorrectedPerMille == 0 && w.RetractedPerMille == 0 {
		return nil
	}
	// Later versions: corrections and retractions of earlier events.
	r2 := rand.New(rand.NewPCG(w.Seed+1, w.Seed^0x5DEECE66D))
	for i := int64(0); i < n; i++ {
		x := r2.IntN(1000)
		id := strconv.FormatInt(i+1, 10)
		switch {
		case x < w.RetractedPerMille:
			e = kpi.Event{ID: id, Deleted: true, Attrs: e.Attrs}
			clear(e.Attrs)
		case x < w.RetractedPerMille+w.CorrectedPerMille:
			t := 1 + r2.IntN(3)
			e.ID = id
			e.Deleted = false
			e.Kind = workloadKinds[t]
			e.Time = time.Unix(start+r2.Int64N(span), 0).UTC()
			e.Actor = actors[1+r2.IntN(workloadUsers)]
			e.Amount = decimal.NewNullDecimal(decimal.New(10_000+r2.Int64N(100_000_000-10_000+1), -2))
			e.Currency = ""
			e.Attrs["source"] = workloadSources[r2.IntN(len(workloadSources))]
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

// workloadActors returns the actors by number: "1" to "2000" (index 0
// unused).
func workloadActors() []string {
	actors := make([]string, workloadUsers+1)
	for i := 1; i <= workloadUsers; i++ {
		actors[i] = strconv.Itoa(i)
	}
	return actors
}

// workloadAttrValues returns the values of the source and pipeline
// attributes, boxed once: boxing a string per event would allocate.
func workloadAttrValues() (sources, pipelines []any) {
	sources = make([]any, len(workloadSources))
	for i, s := range workloadSources {
		sources[i] = s
	}
	return sources, []any{nil, int64(1), int64(2), int64(3)}
}
