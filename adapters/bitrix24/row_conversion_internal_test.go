package bitrix24

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// refMidnight is the first instant of the calendar date y-m-d in loc,
// found by walking in quarter hours (every zone's transitions fall on
// them): back while the instant before is still on that date, forward
// while the instant is not yet on it.
func refMidnight(y int, m time.Month, d int, loc *time.Location) time.Time {
	on := func(t time.Time) bool {
		ty, tm, td := t.In(loc).Date()
		return ty == y && tm == m && td == d
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	for on(t.Add(-15 * time.Minute)) {
		t = t.Add(-15 * time.Minute)
	}
	for !on(t) {
		t = t.Add(15 * time.Minute)
	}
	return t
}

// refAmount is what an OPPORTUNITY drawn by drawAmount stands for.
type refAmount struct {
	raw   any      // the member's JSON value; absent when omit
	omit  bool     // no OPPORTUNITY member
	value *big.Rat // nil: no amount
	bad   string   // the text a valid row cannot have; "" when valid
}

// drawAmount draws an OPPORTUNITY as the portal writes it: a decimal
// string ("1500.00", "0", "-12.5"), a JSON number, "", null, absent, or
// now and then text that is no decimal; its value is worked out here
// from the digits drawn, with big.Rat.
func drawAmount(t *rapid.T) refAmount {
	switch rapid.IntRange(0, 9).Draw(t, "amount form") {
	case 0:
		return refAmount{omit: true}
	case 1:
		return refAmount{raw: nil}
	case 2:
		return refAmount{raw: ""}
	case 3:
		bad := rapid.SampledFrom([]string{"1,500.00", "1 500.00", "1e3", "15000.00 RUB", "abc", "0x10", "1.2.3"}).Draw(t, "bad amount")
		return refAmount{raw: bad, bad: bad}
	case 4:
		return refAmount{raw: "0", value: new(big.Rat)}
	}
	whole := rapid.StringMatching(`[0-9]{1,20}`).Draw(t, "whole")
	frac := rapid.StringMatching(`[0-9]{0,6}`).Draw(t, "fraction")
	neg := rapid.IntRange(0, 9).Draw(t, "negative") == 0
	text := whole
	if frac != "" || rapid.Bool().Draw(t, "point") {
		text += "." + frac
	}
	num, _ := new(big.Int).SetString(whole+frac, 10)
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(frac))), nil)
	v := new(big.Rat).SetFrac(num, den)
	if neg {
		text = "-" + text
		v.Neg(v)
	}
	if rapid.Bool().Draw(t, "as number") && !strings.HasSuffix(text, ".") && !strings.HasPrefix(strings.TrimPrefix(text, "-"), "0") {
		return refAmount{raw: json.Number(text), value: v}
	}
	return refAmount{raw: text, value: v}
}

// drawInstant draws a date-time as the portal writes it, in an offset of
// whole minutes from -12:00 to +14:00, or leaves it unset (absent, "" or
// null) with probability 1/unset.
func drawInstant(t *rapid.T, label string, unset int) (text any, omit bool, at time.Time, off int) {
	if rapid.IntRange(1, unset).Draw(t, label+" unset") == 1 {
		switch rapid.IntRange(0, 2).Draw(t, label+" unset form") {
		case 0:
			return nil, true, time.Time{}, 0
		case 1:
			return "", false, time.Time{}, 0
		}
		return nil, false, time.Time{}, 0
	}
	sec := rapid.Int64Range(-2_000_000_000, 4_000_000_000).Draw(t, label)
	off = rapid.IntRange(-12*60, 14*60).Draw(t, label+" offset") * 60
	at = time.Unix(sec, 0)
	return at.In(time.FixedZone("", off)).Format("2006-01-02T15:04:05-07:00"), false, at, off
}

// TestRowConversionProperty decodes deal and lead rows written as the
// portal writes them (ids as strings or numbers, amounts as strings,
// numbers, "", null or absent, date-times in any offset, CLOSEDATE as
// midnight UTC in the portal's offset) and maps them without history, as
// a sync with SkipHistory does, against the docs' rules worked out here
// from what was drawn: created at DATE_CREATE; the current outcome at
// MOVED_TIME, else (deals) the CLOSEDATE's date at midnight in the
// sync's zone or (leads) DATE_CLOSED, else DATE_MODIFY; the other
// outcome retracted only in an incremental sync; the amount exact, with
// CURRENCY_ID only beside one; times in the offset the portal wrote. A
// row that cannot give its events fails with an error naming it.
func TestRowConversionProperty(t *testing.T) {
	havana, err := time.LoadLocation("America/Havana")
	if err != nil {
		havana = time.FixedZone("CST", -5*3600)
	}
	zones := []*time.Location{time.UTC, time.FixedZone("MSK", 3*3600), time.FixedZone("NPT", 5*3600+45*60), time.FixedZone("HST", -10*3600), havana}
	rapid.Check(t, func(t *rapid.T) {
		lead := rapid.Bool().Draw(t, "lead")
		spec := dealSpec
		if lead {
			spec = leadSpec
		}
		loc := rapid.SampledFrom(zones).Draw(t, "location")
		incremental := rapid.Bool().Draw(t, "incremental")
		row := map[string]any{}
		id := rapid.Int64Range(1, 1<<53).Draw(t, "ID")
		if rapid.Bool().Draw(t, "ID as number") {
			row["ID"] = id
		} else {
			row["ID"] = strconv.FormatInt(id, 10)
		}
		actor := int64(0)
		switch rapid.IntRange(0, 9).Draw(t, "actor form") {
		case 0:
			row["ASSIGNED_BY_ID"] = nil
		case 1:
			row["ASSIGNED_BY_ID"] = "0"
		default:
			actor = rapid.Int64Range(1, 1<<31).Draw(t, "ASSIGNED_BY_ID")
			row["ASSIGNED_BY_ID"] = strconv.FormatInt(actor, 10)
		}
		sem := rapid.SampledFrom([]string{"P", "S", "F"}).Draw(t, "semantic")
		if lead {
			row["STATUS_SEMANTIC_ID"] = sem
		} else {
			row["STAGE_SEMANTIC_ID"] = sem
		}
		currency := rapid.SampledFrom([]string{"RUB", "USD", "EUR", ""}).Draw(t, "CURRENCY_ID")
		row["CURRENCY_ID"] = currency
		amount := drawAmount(t)
		if !amount.omit {
			row["OPPORTUNITY"] = amount.raw
		}
		put := func(key string, unset int) (time.Time, int) {
			text, omit, at, off := drawInstant(t, key, unset)
			if !omit {
				row[key] = text
			}
			return at, off
		}
		created, createdOff := put("DATE_CREATE", 12)
		moved, movedOff := put("MOVED_TIME", 2)
		modified, modifiedOff := put("DATE_MODIFY", 3)
		var closed time.Time // the fallback between MOVED_TIME and DATE_MODIFY
		closedOff := 0
		if lead {
			closed, closedOff = put("DATE_CLOSED", 2)
		} else if rapid.Bool().Draw(t, "CLOSEDATE set") {
			day := time.Date(rapid.IntRange(1950, 2100).Draw(t, "close year"), time.Month(rapid.IntRange(1, 12).Draw(t, "close month")),
				rapid.IntRange(1, 28).Draw(t, "close day"), 0, 0, 0, 0, time.UTC)
			off := rapid.IntRange(-12*60, 14*60).Draw(t, "CLOSEDATE offset") * 60
			row["CLOSEDATE"] = day.In(time.FixedZone("", off)).Format("2006-01-02T15:04:05-07:00")
			closed = refMidnight(day.Year(), day.Month(), day.Day(), loc)
			_, closedOff = closed.In(loc).Zone()
		}

		raw, err := json.Marshal(row)
		if err != nil {
			t.Fatal(err)
		}
		m := &mapper{prefix: "b24", loc: loc}
		var it item
		if lead {
			var ls []rest.Lead
			ls, err = rest.DecodeRows[rest.Lead]([]json.RawMessage{raw}, 0)
			if err == nil {
				it = m.leadItem(ls[0])
			}
		} else {
			var ds []rest.Deal
			ds, err = rest.DecodeRows[rest.Deal]([]json.RawMessage{raw}, 0)
			if err == nil {
				it = m.dealItem(ds[0])
			}
		}
		if amount.bad != "" {
			want := fmt.Sprintf("row 0 (ID %d): OPPORTUNITY: want a ", id)
			if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), strconv.Quote(amount.bad)) {
				t.Fatalf("row %s: error %v, want %q… quoting %q", raw, err, want, amount.bad)
			}
			return
		}
		if err != nil {
			t.Fatalf("row %s: %v", raw, err)
		}
		evs, err := m.itemEvents(spec, it, nil, incremental)

		// The reference.
		name := spec.name
		if actor == 0 {
			want := fmt.Sprintf("bitrix24: %s %d: no ASSIGNED_BY_ID", name, id)
			if err == nil || err.Error() != want {
				t.Fatalf("row %s: error %v, want %q", raw, err, want)
			}
			return
		}
		if created.IsZero() {
			want := fmt.Sprintf("bitrix24: %s %d: no DATE_CREATE", name, id)
			if err == nil || err.Error() != want {
				t.Fatalf("row %s: error %v, want %q", raw, err, want)
			}
			return
		}
		type want struct {
			id, kind string
			at       time.Time
			off      int
			deleted  bool
		}
		prefix := "b24:" + name + ":" + strconv.FormatInt(id, 10) + ":"
		wants := []want{{id: prefix + "created", kind: spec.created, at: created, off: createdOff}}
		for _, o := range []struct{ sem, kind, suffix string }{{"S", spec.success, spec.successID}, {"F", spec.failure, spec.failureID}} {
			if sem != o.sem {
				if incremental {
					wants = append(wants, want{id: prefix + o.suffix, deleted: true})
				}
				continue
			}
			w := want{id: prefix + o.suffix, kind: o.kind}
			switch {
			case !moved.IsZero():
				w.at, w.off = moved, movedOff
			case !closed.IsZero():
				w.at, w.off = closed, closedOff
			case !modified.IsZero():
				w.at, w.off = modified, modifiedOff
			default:
				msg := fmt.Sprintf("bitrix24: %s %d: no date for %s", name, id, o.kind)
				if err == nil || err.Error() != msg {
					t.Fatalf("row %s: error %v, want %q", raw, err, msg)
				}
				return
			}
			wants = append(wants, w)
		}
		if err != nil {
			t.Fatalf("row %s: %v", raw, err)
		}
		if len(evs) != len(wants) {
			t.Fatalf("row %s: %d events %+v, want %d %+v", raw, len(evs), evs, len(wants), wants)
		}
		for i, w := range wants {
			e := evs[i]
			if e.ID != w.id || e.Deleted != w.deleted {
				t.Fatalf("row %s: event %d %+v, want %+v", raw, i, e, w)
			}
			if w.deleted {
				if e.Kind != "" || e.Amount.Valid || e.Currency != "" {
					t.Fatalf("row %s: retraction with content %+v", raw, e)
				}
				continue
			}
			checkEvent(t, raw, e, w.kind, w.at, w.off, actor, amount, currency)
		}
	})
}

func checkEvent(t *rapid.T, raw []byte, e kpi.Event, kind string, at time.Time, off int, actor int64, amount refAmount, currency string) {
	if e.Kind != kind || !e.Time.Equal(at) {
		t.Fatalf("row %s: %s: %s at %s, want %s at %s", raw, e.ID, e.Kind, e.Time, kind, at)
	}
	if _, got := e.Time.Zone(); got != off {
		t.Fatalf("row %s: %s: time %s in offset %d s, want %d s", raw, e.ID, e.Time, got, off)
	}
	if e.Actor != strconv.FormatInt(actor, 10) {
		t.Fatalf("row %s: %s: actor %q, want %d", raw, e.ID, e.Actor, actor)
	}
	if amount.value == nil {
		if e.Amount.Valid || e.Currency != "" {
			t.Fatalf("row %s: %s: amount %v %q, want none", raw, e.ID, e.Amount, e.Currency)
		}
		return
	}
	if !e.Amount.Valid || e.Amount.Decimal.Rat().Cmp(amount.value) != 0 {
		t.Fatalf("row %s: %s: amount %v, want %s", raw, e.ID, e.Amount, amount.value.RatString())
	}
	if e.Currency != currency {
		t.Fatalf("row %s: %s: currency %q, want %q", raw, e.ID, e.Currency, currency)
	}
}
