package dashboard_test

import (
	"context"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// twoTypesDashboard is an admin's dashboard over a tracker that took ann's
// deal deal-text of 700 RUB with the string "5" in the declared string
// attribute tier, and deal-int of 300 RUB with the integer 5 in it: the
// engine keeps breakdown rows apart by the values' types as well as their
// texts (internal/colstore's valueKey), so the result has two rows. get
// answers a page's text, unescaped (pagesOf: the test fails on a status
// other than 200).
func twoTypesDashboard(t *testing.T) (get func(target string) string) {
	ctx := context.Background()
	monthStart := asOfDate().AddDate(0, 0, 1-asOfDate().Day())
	def := &goalkit.Definition{
		Timezone:   "Europe/Moscow",
		Attributes: map[string]kpi.AttrType{"tier": kpi.AttrString},
		Indicators: []kpi.IndicatorDef{{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: kpi.Sum, Value: "amount", Currency: "RUB", By: []string{"tier"}}},
		Report:     goalkit.ReportDef{Grain: period.Month, From: monthStart, To: monthStart.AddDate(0, 1, 0)},
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := plan.Track(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	ev := func(id string, tier any, amount int64) kpi.Event {
		return kpi.Event{ID: id, Kind: "deal.won", Time: asOf.Add(-time.Hour), Actor: "ann",
			Amount: decimal.NewNullDecimal(decimal.NewFromInt(amount)), Currency: "RUB", Attrs: map[string]any{"tier": tier}}
	}
	if err := tr.Apply(ctx, ev("deal-text", "5", 700), ev("deal-int", int64(5), 300)); err != nil {
		t.Fatal(err)
	}
	return pagesOf(t, &trackerData{plan: plan, tr: tr, changed: make(chan struct{})}, goal.Viewer{User: "admin", Admin: true})
}

// The breakdowns page keyed its columns and cells by AttrText alone, so the
// two rows shared one cell and one of them was lost: ann's row showed 700
// RUB in its only column beside a total of 1,000 RUB. Every row's value
// must be on the page.
func TestBreakdownsKeepValuesOfTwoTypesApart(t *testing.T) {
	page := twoTypesDashboard(t)("/breakdowns")
	for _, want := range []string{">700\u00a0RUB<", ">300\u00a0RUB<", ">1,000\u00a0RUB<"} {
		if n := strings.Count(page, want); n != 2 { // ann's row and the company's
			t.Errorf("%q: %d times on the page, want 2 (ann and the company)", want, n)
		}
	}
}

// Each cell of the two rows links to the explanation of its own row: the
// link of the integer's row says its type, so that the explanation does not
// read "5" as the declared string and explain the other row.
func TestBreakdownLinksExplainTheirOwnRow(t *testing.T) {
	get := twoTypesDashboard(t)
	var links []string
	for _, part := range strings.Split(get("/breakdowns"), `href="`)[1:] {
		link := html.UnescapeString(part[:strings.IndexByte(part, '"')])
		if strings.Contains(link, "participant=ann") && strings.Contains(link, "by=1") {
			links = append(links, "/"+strings.TrimPrefix(link, "./"))
		}
	}
	if len(links) != 2 {
		t.Fatalf("ann's breakdown links: %q, want one for each row", links)
	}
	seen := map[string]int{}
	for _, link := range links {
		body := get(link)
		// The events counted have a value cell; the others say why not.
		counted := func(id string) bool {
			return regexp.MustCompile(`<td><bdi>` + id + `</bdi></td><td>[^<]*</td><td><bdi>ann</bdi></td><td class="num">`).MatchString(body)
		}
		text, ints := counted("deal-text"), counted("deal-int")
		if text == ints {
			t.Errorf("%s explains deal-text %v, deal-int %v: want exactly one counted", link, text, ints)
		}
		if ints != strings.Contains(link, "by.tier.type=int") {
			t.Errorf("%s: the integer row's link, and only it, names the type", link)
		}
		seen[map[bool]string{true: "int", false: "text"}[ints]]++
	}
	if seen["int"] != 1 || seen["text"] != 1 {
		t.Errorf("rows explained: %v, want each once", seen)
	}
}
