package dashboard_test

import (
	"context"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// emitted are the elements the dashboard's templates write: any other tag
// in a page came from outside unescaped.
var emitted = map[string]bool{
	"html": true, "head": true, "meta": true, "title": true, "link": true, "script": true, "body": true,
	"header": true, "a": true, "nav": true, "div": true, "span": true, "time": true, "small": true, "main": true,
	"section": true, "h2": true, "h3": true, "article": true, "svg": true, "rect": true, "line": true,
	"dl": true, "dt": true, "dd": true, "p": true, "table": true, "thead": true, "tbody": true, "tr": true,
	"th": true, "td": true, "strong": true, "code": true, "ul": true, "li": true, "details": true, "summary": true,
	"bdi": true,
}

var (
	tagName  = regexp.MustCompile(`<([A-Za-z][A-Za-z0-9-]*)`)
	wholeTag = regexp.MustCompile(`<[A-Za-z][^>]*>`)
	quoted   = regexp.MustCompile(`"[^"]*"`)
	// isolated is a page's text that cannot reorder what follows it: the
	// names in <bdi>, and the <title>, which holds text only.
	isolated = regexp.MustCompile(`(?s)<bdi>.*?</bdi>|<title>.*?</title>`)
)

// hostilePages renders every page of a plan whose only participant is
// name, and fails when the name escaped its text: a tag or an attribute
// the templates do not write, or, when whole is set (names long enough not
// to occur in any page by chance), the name itself where it holds markup.
func hostilePages(t *testing.T, name string, whole bool) {
	ctx := context.Background()
	monthStart := asOfDate().AddDate(0, 0, 1-asOfDate().Day())
	def := &goalkit.Definition{
		Timezone:   "Europe/Moscow",
		Attributes: map[string]kpi.AttrType{"source": kpi.AttrString},
		Indicators: []kpi.IndicatorDef{{ID: "revenue", Name: name, Kinds: []string{"deal.won"}, Aggregate: kpi.Sum, Value: "amount", Currency: "RUB", By: []string{"source"}}},
		GoalStats:  &goalstats.Def{},
		Goals: []goal.Def{{
			ID: "g", Name: name, Indicator: "revenue", Target: goalkit.Number("1000"),
			Period:       goal.PeriodDef{Every: period.Month, From: asOfDate()},
			Participants: goal.ParticipantsDef{Users: []string{name}, Company: true},
		}},
		// The month of the as-of date, with the event's breakdown row.
		Report: goalkit.ReportDef{Grain: period.Month, From: monthStart, To: monthStart.AddDate(0, 1, 0)},
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Skipf("the plan does not compile with this name: %v", err)
	}
	tr, err := plan.Track(ctx, nil, goalkit.WithSeries())
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ev := kpi.Event{ID: name, Kind: "deal.won", Time: asOf.Add(-time.Hour), Actor: name,
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(700)), Currency: "RUB", Attrs: map[string]any{"source": name}}
	if err := ev.Validate(); err != nil {
		t.Skipf("not an event's actor: %v", err)
	}
	if err := tr.Apply(ctx, ev); err != nil {
		t.Fatal(err)
	}
	// The name a Namer gives is text from outside too.
	d := &trackerData{plan: plan, tr: tr, changed: make(chan struct{}), names: map[string]string{name: name + "»" + name}}
	h, err := dashboard.New(d, dashboard.Options{
		Viewer: func(*http.Request) (goal.Viewer, bool) { return goal.Viewer{User: "admin", Admin: true}, true },
		Now:    func() time.Time { return asOf },
	})
	if err != nil {
		t.Fatal(err)
	}
	from := monthStart
	pages := []string{
		"/", "/ranking", "/scorecards", "/teams", "/cascades", "/breakdowns", "/stats",
		"/goal?" + url.Values{"goal": {"g"}, "participant": {name}}.Encode(),
		"/explain?" + url.Values{"indicator": {"revenue"}, "participant": {name}, "grain": {"month"},
			"from": {from.String()}, "to": {from.AddDate(0, 1, 0).String()}}.Encode(),
		"/explain?" + url.Values{"indicator": {"revenue"}, "participant": {name}, "grain": {"month"},
			"from": {from.String()}, "to": {from.AddDate(0, 1, 0).String()}, "by": {"1"}, "by.source": {name}}.Encode(),
	}
	markup := whole && strings.ContainsAny(name, `<>"'&`)
	for _, path := range pages {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		body, _ := io.ReadAll(rec.Body)
		page := string(body)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", path, rec.Code)
		}
		for _, m := range tagName.FindAllStringSubmatch(page, -1) {
			if !emitted[strings.ToLower(m[1])] {
				t.Errorf("%s: a <%s> the templates do not write", path, m[1])
			}
		}
		for _, tag := range wholeTag.FindAllString(page, -1) {
			// html/template quotes every attribute value: what is
			// left are the names.
			tag = quoted.ReplaceAllString(tag, `""`)
			if eventAttr.MatchString(tag) || styleAttr.MatchString(tag) {
				t.Errorf("%s: an attribute the templates do not write: %s", path, tag)
			}
		}
		if markup && strings.Contains(page, name) {
			t.Errorf("%s: the name %q is in the page unescaped", path, name)
		}
		if whole && (path == "/" || path == "/breakdowns") && !strings.Contains(page, template.HTMLEscapeString(name)) {
			t.Errorf("%s: the name %q is not on the page", path, name)
		}
		// A name is isolated, so that a right-to-left name or a U+202E in
		// it does not reorder the text after it.
		if text := wholeTag.ReplaceAllString(isolated.ReplaceAllString(page, ""), ""); whole && strings.Contains(text, template.HTMLEscapeString(name)) {
			i := strings.Index(text, template.HTMLEscapeString(name))
			t.Errorf("%s: the name %q is not in a <bdi>: …%s…", path, name, text[max(0, i-80):min(len(text), i+len(name)+80)])
		}
	}
}

func asOfDate() dateType { return dateOf(asOf) }

// hostileNames are participant and indicator names that try to leave
// their text: markup, attributes, scripts, URLs, bidi overrides.
var hostileNames = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`' onmouseover='alert(1)`,
	`javascript:alert(1)`,
	`</title><script src=//evil.example/x.js></script>`,
	`&lt;b&gt;`,
	`{{.L}}`,
	"a\u202eevil",
	`<svg onload=alert(1)>`,
	`--><!--`,
	`]]></style><style>*{}</style>`,
}

func TestHostileNames(t *testing.T) {
	for _, name := range hostileNames {
		t.Run(name, func(t *testing.T) { hostilePages(t, name, true) })
	}
}

func FuzzHostileNames(f *testing.F) {
	for _, name := range hostileNames {
		f.Add(name)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if name == "" || !utf8.ValidString(name) || len(name) > 200 {
			return
		}
		hostilePages(t, name, false)
	})
}
