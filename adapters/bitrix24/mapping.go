package bitrix24

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Event kinds the adapter produces.
const (
	KindDealCreated   = "deal.created"
	KindDealWon       = "deal.won"
	KindDealLost      = "deal.lost"
	KindLeadCreated   = "lead.created"
	KindLeadConverted = "lead.converted"
	KindLeadJunk      = "lead.junk"
	KindCall          = "call"
	KindMeeting       = "meeting"
	KindEmail         = "email"
)

// entitySpec names one CRM entity and its events.
type entitySpec struct {
	name             string // "deal", "lead": the middle of the event id
	entity           int    // its REST entity type, rest.EntityDeal…
	created          string
	success, failure string // kinds
	successID        string // last part of the event id: "won", "converted"
	failureID        string
	// code ("stage", "status") and unknown ("is not in …") say what a code
	// missing from the entity's dictionary of semantics is.
	code, unknown string
}

var (
	dealSpec = entitySpec{name: "deal", entity: rest.EntityDeal, created: KindDealCreated, success: KindDealWon, failure: KindDealLost, successID: "won", failureID: "lost",
		code: "stage", unknown: "is in no pipeline's crm.status.list"}
	leadSpec = entitySpec{name: "lead", entity: rest.EntityLead, created: KindLeadCreated, success: KindLeadConverted, failure: KindLeadJunk, successID: "converted", failureID: "junk",
		code: "status", unknown: "is not in crm.status.list"}
)

// item is what the mapping needs of a deal or a lead.
type item struct {
	id       int64
	semantic string // current: P, S or F
	actor    int64
	created  time.Time
	// closedAt are the fallbacks that date an outcome when the history does
	// not: MOVED_TIME, then the close date, then DATE_MODIFY.
	closedAt []time.Time
	amount   decimal.NullDecimal
	currency string
	attrs    func() map[string]any
}

// mapper turns CRM rows into events.
type mapper struct {
	prefix string
	loc    *time.Location
}

func (m *mapper) id(entity string, id int64, suffix string) string {
	s := m.prefix + ":" + entity + ":" + strconv.FormatInt(id, 10)
	if suffix != "" {
		s += ":" + suffix
	}
	return s
}

// itemEvents returns the events of one deal or lead: created, and for each
// outcome (success, failure) either the live event or, if the item may have
// had it before, a retraction. hist is the item's whole stage history in
// order; retractUnknown says to retract outcomes when there is no history to
// tell whether the item ever had them (an incremental sync).
func (m *mapper) itemEvents(spec entitySpec, it item, hist []rest.StageHistoryRow, retractUnknown bool) ([]kpi.Event, error) {
	if it.actor == 0 {
		return nil, fmt.Errorf("bitrix24: %s %d: no ASSIGNED_BY_ID", spec.name, it.id)
	}
	created := it.created
	if created.IsZero() && len(hist) > 0 && hist[0].TypeID == rest.HistoryCreated {
		created = hist[0].CreatedTime
	}
	if created.IsZero() {
		return nil, fmt.Errorf("bitrix24: %s %d: no DATE_CREATE", spec.name, it.id)
	}
	actor := strconv.FormatInt(it.actor, 10)
	// The portal sends a CURRENCY_ID beside a null or empty OPPORTUNITY: a
	// currency belongs to an amount, and goes only with one.
	currency := ""
	if it.amount.Valid {
		currency = it.currency
	}
	ev := func(kind, suffix string, t time.Time) kpi.Event {
		return kpi.Event{ID: m.id(spec.name, it.id, suffix), Kind: kind, Time: t, Actor: actor, Amount: it.amount, Currency: currency, Attrs: it.attrs()}
	}
	out := []kpi.Event{ev(spec.created, "created", created)}
	for _, o := range []struct{ sem, kind, suffix string }{
		{rest.SemanticSuccess, spec.success, spec.successID},
		{rest.SemanticFailure, spec.failure, spec.failureID},
	} {
		if it.semantic == o.sem {
			t, ok := lastEntry(hist, o.sem)
			if !ok {
				t = firstSet(it.closedAt)
			}
			if t.IsZero() {
				return nil, fmt.Errorf("bitrix24: %s %d: no date for %s", spec.name, it.id, o.kind)
			}
			out = append(out, ev(o.kind, o.suffix, t))
			continue
		}
		if everIn(hist, o.sem) || (len(hist) == 0 && retractUnknown) {
			out = append(out, kpi.Event{ID: m.id(spec.name, it.id, o.suffix), Deleted: true})
		}
	}
	return out, nil
}

// lastEntry is the time of the last move into a stage of semantic sem from a
// stage of another semantic, provided the history ends in sem (agrees with the
// item's current state). Otherwise ok is false.
func lastEntry(hist []rest.StageHistoryRow, sem string) (time.Time, bool) {
	if len(hist) == 0 || hist[len(hist)-1].Semantic != sem {
		return time.Time{}, false
	}
	for i := len(hist) - 1; i >= 0; i-- {
		if hist[i].Semantic == sem && (i == 0 || hist[i-1].Semantic != sem) {
			return hist[i].CreatedTime, true
		}
	}
	return time.Time{}, false
}

func everIn(hist []rest.StageHistoryRow, sem string) bool {
	for _, r := range hist {
		if r.Semantic == sem {
			return true
		}
	}
	return false
}

func firstSet(ts []time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// sortHistory orders one item's rows by CREATED_TIME, then ID.
func sortHistory(rows []rest.StageHistoryRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		if !rows[i].CreatedTime.Equal(rows[j].CreatedTime) {
			return rows[i].CreatedTime.Before(rows[j].CreatedTime)
		}
		return rows[i].ID < rows[j].ID
	})
}

// dateIn is midnight of a date-only field's calendar date in loc. The portal
// sends such fields as midnight UTC rendered in its offset.
func dateIn(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return midnight(date.NewAt(t.UTC()), loc)
}

// midnight is the first instant of the date d in loc: 00:00, or where a
// summer-time jump skips it (Havana, 9 March 2025), the end of the jump,
// 01:00, where time.Date gives 23:00 the day before.
func midnight(d date.Date, loc *time.Location) time.Time {
	cal, err := period.NewCalendar(loc)
	if err != nil {
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	}
	return cal.Midnight(d)
}

func (m *mapper) dealItem(d rest.Deal) item {
	return item{
		id:       d.ID,
		semantic: d.StageSemantic,
		actor:    d.AssignedByID,
		created:  d.DateCreate,
		closedAt: []time.Time{d.MovedTime, dateIn(d.CloseDate, m.loc), d.DateModify},
		amount:   d.Opportunity,
		currency: d.CurrencyID,
		attrs: func() map[string]any {
			a := map[string]any{
				"deal":            d.ID,
				"pipeline":        d.CategoryID,
				"stage":           d.StageID,
				"return_customer": d.IsReturnCustomer,
			}
			putStr(a, "source", d.SourceID)
			putStr(a, "type", d.TypeID)
			putStr(a, "title", d.Title)
			putID(a, "company", d.CompanyID)
			putID(a, "contact", d.ContactID)
			putID(a, "lead", d.LeadID)
			return a
		},
	}
}

func (m *mapper) leadItem(l rest.Lead) item {
	return item{
		id:       l.ID,
		semantic: l.StatusSemantic,
		actor:    l.AssignedByID,
		created:  l.DateCreate,
		closedAt: []time.Time{l.MovedTime, l.DateClosed, l.DateModify},
		amount:   l.Opportunity,
		currency: l.CurrencyID,
		attrs: func() map[string]any {
			a := map[string]any{
				"lead":            l.ID,
				"status":          l.StatusID,
				"return_customer": l.IsReturnCustomer,
			}
			putStr(a, "source", l.SourceID)
			putStr(a, "title", l.Title)
			putID(a, "company", l.CompanyID)
			putID(a, "contact", l.ContactID)
			return a
		},
	}
}

var activityKinds = map[int64]string{rest.ActivityMeeting: KindMeeting, rest.ActivityCall: KindCall, rest.ActivityEmail: KindEmail}

var ownerTypes = map[int64]string{rest.EntityLead: "lead", rest.EntityDeal: "deal", rest.EntityContact: "contact", rest.EntityCompany: "company"}

// maxActivityDuration bounds an activity's duration attribute: an END_TIME
// further past the START_TIME (a far sentinel such as 9999-12-31, whose
// time.Sub saturated at 292 years and gave 9223372036 s) is not a length of
// the call or meeting, and the event has no duration, as for an END_TIME
// before the START_TIME.
const maxActivityDuration = 366 * 24 * time.Hour

// activityEvent returns the event of a completed call, meeting or email. For
// any other activity it returns a retraction when retract is set (the activity
// may have counted before: an incremental sync), and ok false otherwise.
func (m *mapper) activityEvent(a rest.Activity, retract bool) (kpi.Event, bool, error) {
	id := m.id("activity", a.ID, "")
	kind := activityKinds[a.TypeID]
	if kind == "" || !a.Completed {
		return kpi.Event{ID: id, Deleted: true}, retract, nil
	}
	t := firstSet([]time.Time{a.StartTime, a.EndTime, a.Created})
	if t.IsZero() {
		return kpi.Event{}, false, fmt.Errorf("bitrix24: activity %d: no START_TIME", a.ID)
	}
	if a.ResponsibleID == 0 {
		return kpi.Event{}, false, fmt.Errorf("bitrix24: activity %d: no RESPONSIBLE_ID", a.ID)
	}
	attrs := map[string]any{}
	if ot, ok := ownerTypes[a.OwnerTypeID]; ok {
		attrs["owner_type"] = ot
	} else if a.OwnerTypeID != 0 {
		attrs["owner_type"] = strconv.FormatInt(a.OwnerTypeID, 10)
	}
	putID(attrs, "owner", a.OwnerID)
	switch a.Direction {
	case 1:
		attrs["direction"] = "in"
	case 2:
		attrs["direction"] = "out"
	}
	if kind != KindEmail && !a.StartTime.IsZero() && !a.EndTime.Before(a.StartTime) &&
		!a.EndTime.After(a.StartTime.Add(maxActivityDuration)) {
		attrs["duration"] = int64(a.EndTime.Sub(a.StartTime) / time.Second)
	}
	putStr(attrs, "provider", a.ProviderID)
	return kpi.Event{ID: id, Kind: kind, Time: t, Actor: strconv.FormatInt(a.ResponsibleID, 10), Attrs: attrs}, true, nil
}

func putStr(a map[string]any, k, v string) {
	if v != "" {
		a[k] = v
	}
}

func putID(a map[string]any, k string, v int64) {
	if v != 0 {
		a[k] = v
	}
}
