package goalkit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The tests of this file feed the writers careless and hostile text and
// check what people and spreadsheets get.

const hostilePlan = `
timezone: UTC
attributes: {source: string}
indicators:
  - {id: won, name: "Deals\u001b[2J won", kinds: [deal.won], aggregate: count}
  - {id: sources, name: "Sources\nseen", kinds: [deal.won], aggregate: distinct, value: source}
  - {id: short, name: Short of five, formula: won - 5}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`

// hostileReport is a March report of hostilePlan: an actor whose id is a
// spreadsheet formula, a source attribute that clears the terminal, a
// participant the host names with an escape sequence and a team whose id
// starts with a plus.
func hostileReport(t *testing.T) (*goalkit.Plan, *memory.Store, []goalkit.EvalOption, *goalkit.Report) {
	t.Helper()
	plan := parsePlan(t, hostilePlan)
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	store := storeOf(t, time.UTC,
		kpi.Event{ID: "e1", Kind: "deal.won", Time: at, Actor: `=HYPERLINK("http://x","y")`, Attrs: map[string]any{"source": "\u001b[2J"}},
		kpi.Event{ID: "e2", Kind: "deal.won", Time: at, Actor: "anna", Attrs: map[string]any{"source": "web"}},
	)
	opts := []goalkit.EvalOption{
		goalkit.WithParticipants("\u001b]0;owned\u0007"),
		goalkit.WithGroups(org.Group{ID: "+team", Members: []string{"anna"}}),
	}
	rep := mustEvaluate(t, plan, store, time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), opts...)
	return plan, store, opts, rep
}

// CSV: text cells that a spreadsheet would run as a formula get a leading
// quote (OWASP); the value column is a number and keeps its minus sign.
func TestCSVNeutralisesFormulaCells(t *testing.T) {
	_, _, _, rep := hostileReport(t)
	var b bytes.Buffer
	if err := rep.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	want := `indicator,participant,period,period_start,period_end,value
won,` + "\x1b]0;owned\x07" + `,2025-03,2025-03-01,2025-04-01,0
won,"'=HYPERLINK(""http://x"",""y"")",2025-03,2025-03-01,2025-04-01,1
won,anna,2025-03,2025-03-01,2025-04-01,1
won,'+team,2025-03,2025-03-01,2025-04-01,1
won,*,2025-03,2025-03-01,2025-04-01,2
sources,` + "\x1b]0;owned\x07" + `,2025-03,2025-03-01,2025-04-01,0
sources,"'=HYPERLINK(""http://x"",""y"")",2025-03,2025-03-01,2025-04-01,1
sources,anna,2025-03,2025-03-01,2025-04-01,1
sources,'+team,2025-03,2025-03-01,2025-04-01,1
sources,*,2025-03,2025-03-01,2025-04-01,2
short,` + "\x1b]0;owned\x07" + `,2025-03,2025-03-01,2025-04-01,-5
short,"'=HYPERLINK(""http://x"",""y"")",2025-03,2025-03-01,2025-04-01,-4
short,anna,2025-03,2025-03-01,2025-04-01,-4
short,'+team,2025-03,2025-03-01,2025-04-01,-4
short,*,2025-03,2025-03-01,2025-04-01,-3
`
	if got := b.String(); got != want {
		t.Errorf("csv:\n%s\nwant:\n%s", got, want)
	}
}

// The table escapes control characters in every text that came from
// outside: participants, the plan's names, attribute values in an
// explanation.
func TestTableEscapesControlCharacters(t *testing.T) {
	plan, store, opts, rep := hostileReport(t)
	got := string(reportTable(t, rep))
	want := `as of 2025-04-01 00:00 UTC (UTC)

2025-03
                            Deals\x1b[2J                 Short of
participant                          won  Sources\nseen      five
\x1b]0;owned\x07                       0              0        -5
=HYPERLINK("http://x","y")             1              1        -4
anna                                   1              1        -4
+team                                  1              1        -4
-----------------------------------------------------------------
everyone (*)                           2              2        -3
`
	if got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
	march, err := plan.Calendar().ParseLabel("2025-03")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := plan.Explain(context.Background(), store, rep.AsOf, goalkit.Cell{Indicator: "sources", Participant: org.Everyone, Period: march}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := goalkit.WriteExplanation(&b, ex); err != nil {
		t.Fatal(err)
	}
	wantEx := `sources for everyone (*) in 2025-03 = 2
  distinct of 2 events:
    + e1  2025-03-03T10:00:00Z  =HYPERLINK("http://x","y")  → "\x1b[2J"
    + e2  2025-03-03T10:00:00Z  anna  → "web"
`
	if b.String() != wantEx {
		t.Errorf("explanation:\n%s\nwant:\n%s", b.String(), wantEx)
	}
	for _, out := range []string{got, b.String()} {
		if i := strings.IndexFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }); i >= 0 {
			t.Errorf("output has control character %q at %d", out[i], i)
		}
	}
}

// JSON stays valid JSON whatever a participant holds, and reads back as
// it was; text without control characters is written as before.
func TestJSONEscapesControlCharacters(t *testing.T) {
	_, _, _, rep := hostileReport(t)
	odd := "a\u0007\x7f\u2028\U000f0000\"\\b"
	rep2 := mustEvaluate(t, parsePlan(t, hostilePlan), memory.New(time.UTC), rep.AsOf, goalkit.WithParticipants(odd))
	for _, r := range []*goalkit.Report{rep, rep2} {
		out := reportJSON(t, r)
		if !json.Valid(out) {
			t.Fatalf("not JSON:\n%s", out)
		}
		var got struct {
			Values []struct{ Participant string } `json:"values"`
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		want := r.Values.Participants()
		for i, v := range got.Values[:len(want)] {
			if v.Participant != want[i] {
				t.Errorf("participant %q reads back as %q", want[i], v.Participant)
			}
		}
	}
	out := string(reportJSON(t, rep2))
	if !strings.Contains(out, `"participant": "a\u0007\u007f\u2028\udb80\udc00\"\\b"`) {
		t.Errorf("participant not escaped as JSON:\n%s", out)
	}
	if !strings.Contains(string(reportJSON(t, rep)), `"participant": "=HYPERLINK(\"http://x\",\"y\")"`) {
		t.Errorf("formula participant not written as is")
	}
}

// An event file whose actor clears the terminal is refused with its line,
// in the words of the event files' other bad lines (the field, then what is
// wrong with it), as the parser names it since it checks identifiers
// itself; the test still wanted the store's words.
func TestEventFileRefusesControlCharactersInIDs(t *testing.T) {
	src := `{"id": "e1", "kind": "deal.won", "time": "2025-03-03T10:00:00Z", "actor": "anna", "attrs": {"source": "\u001b[2J"}}
{"id": "e2", "kind": "deal.won", "time": "2025-03-03T10:00:00Z", "actor": "\u001b[2J"}
`
	store := memory.New(time.UTC)
	err := eventfile.Load(context.Background(), store, strings.NewReader(src), "events.ndjson", eventfile.Options{})
	want := `events.ndjson:2: actor: "\x1b[2J" has a control character (U+001B)`
	if err == nil || err.Error() != want {
		t.Fatalf("Load: %v, want %s", err, want)
	}
}

const goalPlan = `
timezone: UTC
indicators:
  - {id: won, name: Deals won, kinds: [deal.won], aggregate: count}
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount, currency: JPY}
  - {id: fees, name: Fees, kinds: [deal.won], aggregate: sum, value: amount, currency: KWD}
  - {id: share, name: Win rate, formula: won * 100 / 3, unit: percent}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
goals:
  - id: won10
    name: "Ten deals\u001b[2J"
    indicator: won
    target: 10
    period: {from: 2025-03-01, every: month}
    participants: {users: [anna]}
`

func goalReport(t *testing.T) *goalkit.Report {
	t.Helper()
	plan := parsePlan(t, goalPlan)
	var events []kpi.Event
	for i := range 15 {
		events = append(events, kpi.Event{ID: "e" + string(rune('a'+i)), Kind: "deal.won", Actor: "anna",
			Time: time.Date(2025, 3, 3+i, 10, 0, 0, 0, time.UTC), Amount: decimal.NewNullDecimal(decimal.RequireFromString("1234.5678"))})
	}
	return mustEvaluate(t, plan, storeOf(t, time.UTC, events...), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
}

// 15 deals of 10: the table's achievement is JSON's uncapped achievement
// (1.5), in percent; money is rounded to its currency's minor unit (JPY 0
// places, KWD 3) with the currency in the header; a percent indicator says
// so in its header.
func TestTableAchievementAndMoney(t *testing.T) {
	rep := goalReport(t)
	js := string(reportJSON(t, rep))
	if !strings.Contains(js, `"achievement": "1.5"`) || !strings.Contains(js, `"achievement_capped": "1"`) {
		t.Fatalf("JSON achievement is not 1.5 (capped 1):\n%s", js)
	}
	want := `as of 2025-04-01 00:00 UTC (UTC)

2025-03
                         revenue
participant   Deals won    (JPY)  Fees (KWD)  Win rate (%)
anna                 15   18 519  18 518.517           500
----------------------------------------------------------
everyone (*)         15   18 519  18 518.517           500

goal won10 (Ten deals\x1b[2J), 2025-03 [2025-03-01, 2025-04-01)
  participant  target  actual  achievement  expected  forecast    status  rank
  anna             10      15        150 %        10        15  achieved     1
`
	if got := string(reportTable(t, rep)); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}

// CSV holds values only: a report with goals is refused, naming them and
// the formats that hold them, before anything is written; its values alone
// can still be written.
func TestCSVRefusesWhatItCannotHold(t *testing.T) {
	rep := goalReport(t)
	var b bytes.Buffer
	err := rep.WriteCSV(&b)
	want := "csv holds the indicator values only, and this report also has goals: write it as json or table"
	if err == nil || err.Error() != want || b.Len() != 0 {
		t.Fatalf("WriteCSV: %v, %d bytes written; want %q and nothing written", err, b.Len(), want)
	}
	values := *rep
	values.Goals = nil
	if err := values.WriteCSV(&b); err != nil || !strings.HasPrefix(b.String(), "indicator,participant,period,period_start,period_end,value\nwon,anna,") {
		t.Fatalf("values only: %v\n%s", err, b.String())
	}
}

// An explanation counts in words and says how many excluded events it does
// not list.
func TestExplanationCounts(t *testing.T) {
	plan := parsePlan(t, goalPlan)
	var events []kpi.Event
	for i := range 4 {
		events = append(events, kpi.Event{ID: "b" + string(rune('a'+i)), Kind: "deal.won", Actor: "boris", Time: time.Date(2025, 3, 3+i, 10, 0, 0, 0, time.UTC)})
	}
	events = append(events, kpi.Event{ID: "a1", Kind: "deal.won", Actor: "anna", Time: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)})
	store := storeOf(t, time.UTC, events...)
	march, err := plan.Calendar().ParseLabel("2025-03")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := plan.Explain(context.Background(), store, time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		goalkit.Cell{Indicator: "won", Participant: "anna", Period: march}, goalkit.WithExplainLimit(2))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := goalkit.WriteExplanation(&b, ex); err != nil {
		t.Fatal(err)
	}
	want := `won for anna in 2025-03 = 1
  count of 1 event:
    + a1  2025-03-03T10:00:00Z  anna
  left out:
    another participant: 4 events
      - ba  2025-03-03T10:00:00Z  boris
      - bb  2025-03-04T10:00:00Z  boris
      … and 2 more
`
	if b.String() != want {
		t.Errorf("explanation:\n%s\nwant:\n%s", b.String(), want)
	}
}

// Whatever a participant holds, WriteJSON writes valid JSON that reads back
// as the participant (invalid UTF-8 as U+FFFD, as encoding/json does), and
// the table has no control character but its newlines.
func TestWritersPropertyHostileParticipants(t *testing.T) {
	plan := parsePlan(t, hostilePlan)
	store := memory.New(time.UTC)
	at := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	rapid.Check(t, func(t *rapid.T) {
		who := rapid.OneOf(rapid.String(), rapid.Custom(func(t *rapid.T) string { return string(rapid.SliceOf(rapid.Byte()).Draw(t, "bytes")) })).
			Filter(func(s string) bool { return s != "" && s != org.Everyone }).Draw(t, "participant")
		rep := mustEvaluate(t, plan, store, at, goalkit.WithParticipants(who))
		out := reportJSON(t, rep)
		var got struct {
			Values []struct{ Participant string } `json:"values"`
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
		want := []rune{}
		for _, r := range who { // a byte of invalid UTF-8 is U+FFFD
			want = append(want, r)
		}
		if got.Values[0].Participant != string(want) {
			t.Fatalf("participant %q reads back as %q", who, got.Values[0].Participant)
		}
		var b bytes.Buffer
		if err := rep.WriteTable(&b); err != nil {
			t.Fatal(err)
		}
		if i := strings.IndexFunc(b.String(), func(r rune) bool { return unicode.IsControl(r) && r != '\n' }); i >= 0 {
			t.Fatalf("table has %q:\n%s", b.String()[i:i+1], b.String())
		}
	})
}
