package deliver_test

import (
	"fmt"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/golden"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }

// sampleView is anna's sales goal, 1 700 000 ₽ of 1 500 000 ₽.
func sampleView(lang, kind string) deliver.View {
	return deliver.View{Lang: lang, Recipient: "Анна Петрова", Kind: kind, Goal: "Выручка за март", GoalID: "sales",
		Participant: "Анна Петрова", ParticipantKind: "user", Period: "2025-03", From: "2025-03-01", Until: "2025-03-31",
		Date: "2025-03-20", Currency: "RUB", Actual: dec("1700000"), Target: dec("1500000"), Forecast: dec("1912500.5"),
		Before: dec("1650000"), Milestone: "50%", DaysLeft: 2, Status: "achieved"}
}

// sampleDigest is olga's digest of three rows; anna's and the company's
// have charts.
func sampleDigest(lang, kind string) deliver.View {
	v := deliver.View{Lang: lang, Recipient: "Ольга", Kind: kind, Date: "2025-03-20", Digest: &deliver.Digest{Kind: kind, Date: "2025-03-20",
		Rows: []deliver.DigestRow{
			{Goal: "sales", Name: "Выручка за март", Participant: "Анна Петрова", ParticipantKind: "user", Period: "2025-03", Currency: "RUB",
				Actual: dec("1700000"), Target: dec("1500000"), Achievement: dec("1.1333333"), Status: "achieved"},
			{Goal: "sales", Name: "Выручка за март", Participant: "boris", ParticipantKind: "user", Period: "2025-03", Currency: "RUB",
				Actual: dec("750000.5"), Target: dec("1500000"), Achievement: dec("0.5000003"), Status: "at_risk"},
			{Goal: "calls", Name: "Calls <b>", Participant: "*", ParticipantKind: "company", Period: "2025-03",
				Actual: dec("1234.56789"), Target: decimal.NullDecimal{}, Status: "on_track"},
		}}}
	for i, n := range []int{0, 2} {
		r := &v.Digest.Rows[n]
		r.Chart = &deliver.Chart{Src: template.URL(fmt.Sprintf("cid:chart%d.sample@goalkit", i+1)), Width: 600, Height: 300,
			Goal: r.Name, Participant: r.Participant, ParticipantKind: r.ParticipantKind, Period: r.Period,
			Currency: r.Currency, Actual: r.Actual, Target: r.Target}
	}
	return v
}

// Every kind renders in both languages: subjects and texts as golden files,
// numbers written as the engine's tables write them (1 500 000 ₽).
func TestTemplatesGolden(t *testing.T) {
	tmpl, err := deliver.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []string{}
	for _, k := range goal.NotifyKinds() {
		kinds = append(kinds, string(k))
	}
	kinds = append(kinds, string(goal.NotifyRestated), string(goal.NotifyAchievementRevoked), "something_new")
	for _, lang := range []string{"en", "ru"} {
		var b strings.Builder
		for _, k := range kinds {
			v := sampleView(lang, k)
			if k == string(goal.NotifyAtRisk) {
				v.Status = "at_risk"
			}
			subject, text, _, err := tmpl.Render(v)
			if err != nil {
				t.Fatalf("%s %s: %v", lang, k, err)
			}
			b.WriteString("== " + k + "\n" + subject + "\n" + text + "\n\n")
		}
		for _, k := range []string{deliver.KindDailyDigest, deliver.KindWeeklyDigest} {
			subject, text, html, err := tmpl.Render(sampleDigest(lang, k))
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString("== " + k + "\n" + subject + "\n" + text + "\n\n")
			if k == deliver.KindDailyDigest {
				golden.Check(t, "testdata/digest_"+lang+".html", []byte(html), *update)
			}
		}
		golden.Check(t, "testdata/texts_"+lang+".txt", []byte(b.String()), *update)
	}
}

// A host's file replaces the definitions it gives and keeps the others; a
// misspelt file name and a broken template are errors.
func TestTemplatesOverride(t *testing.T) {
	tmpl, err := deliver.LoadTemplates(fstest.MapFS{
		"ru.txt.tmpl":  {Data: []byte(`{{define "subject.achieved"}}Ура! {{.Goal}}{{end}}`)},
		"en.html.tmpl": {Data: []byte(`{{define "html.achieved"}}<p>{{.Text}}</p>{{end}}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	subject, text, _, err := tmpl.Render(sampleView("ru", "achieved"))
	if err != nil || subject != "Ура! Выручка за март" || !strings.Contains(text, "достигнута: 1 700 000 ₽ из 1 500 000 ₽") {
		t.Errorf("ru: %q %q %v", subject, text, err)
	}
	v := sampleView("en", "achieved")
	v.Goal = "<script>"
	_, _, html, err := tmpl.Render(v)
	if err != nil || html != `<p>Анна Петрова achieved &#34;&lt;script&gt;&#34; in 2025-03: 1 700 000 ₽ of 1 500 000 ₽. Congratulations!</p>` {
		t.Errorf("en html: %q %v", html, err)
	}
	for _, tc := range []struct {
		name string
		fs   fstest.MapFS
		want string
	}{
		{"misspelt", fstest.MapFS{"ru.text.tmpl": {Data: []byte("x")}}, "templates: unknown file ru.text.tmpl (known: en.html.tmpl, en.txt.tmpl, ru.html.tmpl, ru.txt.tmpl)"},
		{"broken", fstest.MapFS{"en.txt.tmpl": {Data: []byte(`{{define "text.achieved"}}{{.Goal}{{end}}`)}}, "templates: en.txt.tmpl: template: en:1: bad character U+007D '}'"},
	} {
		if _, err := deliver.LoadTemplates(tc.fs); err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestAmount(t *testing.T) {
	for _, tc := range []struct {
		v, currency, want string
	}{
		{"1500000", "RUB", "1 500 000 ₽"},
		{"1500000.00", "RUB", "1 500 000 ₽"},
		{"1500000.5", "RUB", "1 500 000.50 ₽"},
		{"1500000.005", "RUB", "1 500 000.01 ₽"},
		{"-1234.565", "RUB", "-1 234.57 ₽"},
		{"999", "RUB", "999 ₽"},
		{"18518.5167", "KWD", "18 518.517 KWD"},
		{"18518.5", "JPY", "18 519 JPY"},
		{"12.5", "USD", "12.50 $"},
		{"1234567.123456", "", "1 234 567.1235"},
		{"0.5", "", "0.5"},
		// A currency whose minor unit is not known keeps its code: the
		// amount was written bare, its unit lost.
		{"100", "XYZ", "100 XYZ"},
		{"1500000.5", "LKR", "1 500 000.5 LKR"},
		{"0.123456", "LKR", "0.1235 LKR"},
	} {
		if got := deliver.Amount(dec(tc.v), tc.currency); got != tc.want {
			t.Errorf("Amount(%s, %s) = %q, want %q", tc.v, tc.currency, got, tc.want)
		}
	}
	if got := deliver.Amount(decimal.NullDecimal{}, "RUB"); got != "—" {
		t.Errorf("undefined: %q", got)
	}
	for _, tc := range []struct{ v, want string }{{"0.875", "87.5 %"}, {"1.5", "150 %"}, {"1.13333", "113.3 %"}, {"12.3456", "1 234.6 %"}, {"0", "0 %"}} {
		if got := deliver.Percent(dec(tc.v)); got != tc.want {
			t.Errorf("Percent(%s) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
