package deliver

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	texttemplate "text/template"
	"text/template/parse"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/shopspring/decimal"
)

//go:embed templates/*.tmpl
var builtin embed.FS

// Templates render messages: per language, text/template definitions
// "subject.KIND" and "text.KIND" (LANG.txt.tmpl) and html/template
// definitions "html.KIND" (LANG.html.tmpl), each falling back to its
// ".default". The built-in ones are English and Russian; a host overrides
// any definition by giving its own files of the same names (see
// LoadTemplates). Templates are safe for concurrent use.
//
// The templates see a View's names (a goal's, a person's, a period's, a
// digest row's) with their control characters (C0, tab and line break
// included, DEL, C1), bidirectional formatting characters (U+202A–U+202E,
// U+2066–U+2069, U+200E, U+200F, U+061C), line and paragraph separators
// and bytes of invalid UTF-8 written as Go escapes (\x1b, \n, \u202e,
// \xff), so that whatever a template, a host's included, writes of a name
// cannot colour or move a terminal, start a line of its own or, with
// U+202E, make "gnp.exe" read "exe.png"; the templates' own text is as
// written. That holds for the subject, the plain text and the HTML alike;
// a subject is one line besides (its line breaks and tabs, the
// template's, are spaces; its no-break spaces stay as written).
type Templates struct {
	text map[string]*texttemplate.Template
	html map[string]*htmltemplate.Template
	// slack are the text templates with every value they insert escaped
	// for Slack's mrkdwn (slackValues), their own text as it is.
	slack map[string]*texttemplate.Template
}

// templateFuncs are the functions templates call: amount (a number of the
// goal, as Amount writes it), percent (a ratio, as Percent writes it) and
// plural (the Russian form for a count: plural N "день" "дня" "дней").
var templateFuncs = map[string]any{
	"amount":  Amount,
	"percent": Percent,
	"plural":  plural,
}

// LoadTemplates returns the built-in templates with the definitions of the
// files in override replacing those of the same name: en.txt.tmpl,
// en.html.tmpl, ru.txt.tmpl and ru.html.tmpl at its root, any of them. A nil
// override gives the built-in templates. Any other .tmpl file there is an
// error (a misspelt name would otherwise be ignored).
func LoadTemplates(override fs.FS) (*Templates, error) {
	t := &Templates{text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}, slack: map[string]*texttemplate.Template{}}
	if override != nil {
		names, err := fs.Glob(override, "*.tmpl")
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			if !slices.Contains(templateFiles(), n) {
				return nil, fmt.Errorf("templates: unknown file %s (known: %s)", n, strings.Join(templateFiles(), ", "))
			}
		}
	}
	for _, lang := range languages {
		tt := texttemplate.New(lang).Funcs(templateFuncs)
		ht := htmltemplate.New(lang).Funcs(templateFuncs)
		for _, src := range []fs.FS{builtin, override} {
			if src == nil {
				continue
			}
			dir := "."
			if src == fs.FS(builtin) {
				dir = "templates"
			}
			if err := parseFile(src, path.Join(dir, lang+".txt.tmpl"), func(s string) error { _, err := tt.Parse(s); return err }); err != nil {
				return nil, err
			}
			if err := parseFile(src, path.Join(dir, lang+".html.tmpl"), func(s string) error { _, err := ht.Parse(s); return err }); err != nil {
				return nil, err
			}
		}
		for _, name := range []string{"subject.default", "text.default", "status", "chart.alt"} {
			if tt.Lookup(name) == nil {
				return nil, fmt.Errorf("templates: %s.txt.tmpl defines no %q", lang, name)
			}
		}
		if ht.Lookup("html.default") == nil {
			return nil, fmt.Errorf("templates: %s.html.tmpl defines no \"html.default\"", lang)
		}
		st, err := slackTemplates(tt)
		if err != nil {
			return nil, fmt.Errorf("templates: %s.txt.tmpl: %w", lang, err)
		}
		t.text[lang], t.html[lang], t.slack[lang] = tt, ht, st
	}
	return t, nil
}

// slackValue is the function slackTemplates puts at the end of every
// action that writes a value: the value as text/template writes it (as
// fmt.Sprint does), through slackValues.
const slackValue = "goalkit_slack_value"

// slackTemplates returns a copy of the text templates tt in which every
// action that writes a value ({{.Goal}}, {{amount .Actual .Currency}},
// {{.}} within a definition) passes it through slackValues last; the
// templates' own text, and the values they only compare or assign, are
// as they are. tt is left unchanged.
func slackTemplates(tt *texttemplate.Template) (*texttemplate.Template, error) {
	st := texttemplate.New(tt.Name()).Funcs(templateFuncs).Funcs(texttemplate.FuncMap{
		slackValue: func(v any) string { return slackValues.Replace(fmt.Sprint(v)) },
	})
	for _, x := range tt.Templates() {
		if x.Tree == nil {
			continue
		}
		tree := x.Tree.Copy()
		escapeActions(tree, tree.Root)
		if _, err := st.AddParseTree(x.Name(), tree); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// escapeActions appends slackValue to the pipeline of every action under
// n that writes its value.
func escapeActions(tree *parse.Tree, n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			escapeActions(tree, c)
		}
	case *parse.ActionNode:
		if len(n.Pipe.Decl) == 0 {
			n.Pipe.Cmds = append(n.Pipe.Cmds, &parse.CommandNode{NodeType: parse.NodeCommand, Pos: n.Pos,
				Args: []parse.Node{parse.NewIdentifier(slackValue).SetTree(tree).SetPos(n.Pos)}})
		}
	case *parse.IfNode:
		escapeActions(tree, n.List)
		escapeActions(tree, n.ElseList)
	case *parse.RangeNode:
		escapeActions(tree, n.List)
		escapeActions(tree, n.ElseList)
	case *parse.WithNode:
		escapeActions(tree, n.List)
		escapeActions(tree, n.ElseList)
	}
}

func templateFiles() []string {
	var out []string
	for _, l := range languages {
		out = append(out, l+".html.tmpl", l+".txt.tmpl")
	}
	return out
}

func parseFile(src fs.FS, name string, parse func(string) error) error {
	data, err := fs.ReadFile(src, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := parse(string(data)); err != nil {
		return fmt.Errorf("templates: %s: %w", path.Base(name), err)
	}
	return nil
}

// View is what the templates see: Render and the Slack text give them a
// copy with every text escaped as Templates says (a control or
// bidirectional formatting character of a name as a Go escape); the
// caller's view, digest and charts are left unchanged.
type View struct {
	// Lang is the recipient's language and Recipient their name.
	Lang      string
	Recipient string
	// Kind is the notification's kind or the digest's.
	Kind string
	// Goal is the goal's name (its id when it has none); GoalID its id.
	Goal   string
	GoalID string
	// Participant is the participant's name (a recipient's name when one
	// is configured, else the id); ParticipantKind user, team or company.
	Participant     string
	ParticipantKind string
	// Period is the period's label; From and Until its first and last
	// days.
	Period      string
	From, Until string
	// Date is the local date, in the recipient's time zone, of the
	// notification or the digest.
	Date string
	// Currency is the goal's currency for money goals ("" otherwise).
	Currency                         string
	Actual, Target, Forecast, Before decimal.NullDecimal
	Milestone                        string
	DaysLeft                         int
	Status                           string
	// Digest is the digest's content; nil for a notification.
	Digest *Digest
	// Chart is the goal's burn-up for the HTML part of an email
	// notification; nil when there is none (another channel, a goal row
	// without a daily series). A digest's charts are its rows'.
	Chart *Chart
	// Subject and Text are set for the HTML templates: the rendered
	// subject and plain text.
	Subject, Text string
}

// Render renders the subject, the plain text and the HTML of the view in
// its language.
func (t *Templates) Render(v View) (subject, text, html string, err error) {
	tt, ok := t.text[v.Lang]
	if !ok {
		return "", "", "", fmt.Errorf("templates: no language %q", v.Lang)
	}
	if v, err = prepare(tt, v); err != nil {
		return "", "", "", err
	}
	if subject, err = execText(tt, "subject", v); err != nil {
		return "", "", "", err
	}
	if text, err = execText(tt, "text", v); err != nil {
		return "", "", "", err
	}
	v.Subject, v.Text = subject, text
	ht := t.html[v.Lang]
	name := "html." + v.Kind
	if ht.Lookup(name) == nil {
		name = "html.default"
	}
	var b bytes.Buffer
	if err := ht.ExecuteTemplate(&b, name, v); err != nil {
		return "", "", "", fmt.Errorf("templates: %s: %w", v.Lang, err)
	}
	return oneLine(subject), text, b.String(), nil
}

// slackText renders the plain text of the view for Slack: every value the
// templates insert with mrkdwn's marks between zero-width spaces
// (slackValues), the templates' own text as it is.
func (t *Templates) slackText(v View) (string, error) {
	st, ok := t.slack[v.Lang]
	if !ok {
		return "", fmt.Errorf("templates: no language %q", v.Lang)
	}
	v, err := prepare(t.text[v.Lang], v)
	if err != nil {
		return "", err
	}
	return execText(st, "text", v)
}

// prepare returns the view with its names as a reader is shown them
// (plainView) and the words its templates read besides it: a digest's
// rows' statuses in its language, and its charts' text alternatives.
func prepare(tt *texttemplate.Template, v View) (View, error) {
	var err error
	v = plainView(v) // a copy of the digest and its rows
	if v.Digest != nil {
		for i := range v.Digest.Rows {
			r := &v.Digest.Rows[i]
			var b bytes.Buffer
			if err := tt.ExecuteTemplate(&b, "status", r.Status); err != nil {
				return v, fmt.Errorf("templates: %s: status: %w", v.Lang, err)
			}
			r.StatusText = b.String()
			if r.Chart, err = chartAlt(tt, r.Chart, v.Lang); err != nil {
				return v, err
			}
		}
	}
	if v.Chart, err = chartAlt(tt, v.Chart, v.Lang); err != nil {
		return v, err
	}
	return v, nil
}

// escapeStart returns where the escape that a cut of s at i would split
// begins, or i when the cut splits none: Telegram's cut of a long text
// and an error's quote of an answer fall before it. An escape holds no
// backslash past its first byte, so at most one spans i.
func escapeStart(s string, i int) int {
	for j := max(0, i-5); j < i; j++ {
		if s[j] == '\\' && j+escapeLen(s[j:]) > i {
			return j
		}
	}
	return i
}

// escapeLen returns the length of the escape s starts with, as the
// templates write a name's control and bidirectional formatting
// characters and an error an answer's (display.Text): \n, \r, \t, \x and two lower-case hex
// digits, \u and four; 0 when s starts with none.
func escapeLen(s string) int {
	if len(s) < 2 || s[0] != '\\' {
		return 0
	}
	digits := 0
	switch s[1] {
	case 'n', 'r', 't':
		return 2
	case 'x':
		digits = 2
	case 'u':
		digits = 4
	default:
		return 0
	}
	if len(s) < 2+digits {
		return 0
	}
	for _, c := range []byte(s[2 : 2+digits]) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return 0
		}
	}
	return 2 + digits
}

// plainView returns v with each of its texts (names, ids, dates, and
// those of its chart) as display.Text writes it: every control character
// (C0, tab and line break included, DEL, C1), bidirectional formatting
// character (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), line
// or paragraph separator and byte of invalid UTF-8 as a Go escape (\x1b,
// \n, \u202e, \xff), so that what a template writes of a name cannot
// colour or move a terminal, start a line of its own or reorder what a
// reader sees. A text without them is as it is, unallocated. The digest
// is a copy, its rows too; a chart a copy where a text of it changes.
func plainView(v View) View {
	t := display.Text
	v.Lang, v.Recipient, v.Kind, v.Goal, v.GoalID = t(v.Lang), t(v.Recipient), t(v.Kind), t(v.Goal), t(v.GoalID)
	v.Participant, v.ParticipantKind, v.Period, v.From, v.Until = t(v.Participant), t(v.ParticipantKind), t(v.Period), t(v.From), t(v.Until)
	v.Date, v.Currency, v.Milestone, v.Status = t(v.Date), t(v.Currency), t(v.Milestone), t(v.Status)
	v.Subject, v.Text = t(v.Subject), t(v.Text)
	v.Chart = plainChart(v.Chart)
	if v.Digest != nil {
		d := *v.Digest
		d.Kind, d.Date = t(d.Kind), t(d.Date)
		d.Rows = slices.Clone(d.Rows)
		for i := range d.Rows {
			r := &d.Rows[i]
			r.Goal, r.Name, r.Participant, r.ParticipantKind = t(r.Goal), t(r.Name), t(r.Participant), t(r.ParticipantKind)
			r.Period, r.Currency, r.Status, r.StatusText = t(r.Period), t(r.Currency), t(r.Status), t(r.StatusText)
			r.Chart = plainChart(r.Chart)
		}
		v.Digest = &d
	}
	return v
}

// plainChart returns c with its texts escaped as plainView does: c
// itself when none changes, else a copy. Its Src, an address the program
// made, is as it is.
func plainChart(c *Chart) *Chart {
	if c == nil {
		return nil
	}
	t := display.Text
	out := *c
	out.Alt, out.Goal, out.Participant, out.ParticipantKind = t(c.Alt), t(c.Goal), t(c.Participant), t(c.ParticipantKind)
	out.Period, out.Currency = t(c.Period), t(c.Currency)
	if out == *c {
		return c
	}
	return &out
}

// execText renders the definition part.KIND of tt (part.default when it
// has none), trimmed.
func execText(tt *texttemplate.Template, part string, v View) (string, error) {
	name := part + "." + v.Kind
	if tt.Lookup(name) == nil {
		name = part + ".default"
	}
	var b bytes.Buffer
	if err := tt.ExecuteTemplate(&b, name, v); err != nil {
		return "", fmt.Errorf("templates: %s: %w", v.Lang, err)
	}
	return strings.TrimSpace(b.String()), nil
}

// chartAlt returns a copy of the chart with its text alternative, rendered
// by "chart.alt", unless it has one.
func chartAlt(tt *texttemplate.Template, c *Chart, lang string) (*Chart, error) {
	if c == nil || c.Alt != "" {
		return c, nil
	}
	var b bytes.Buffer
	if err := tt.ExecuteTemplate(&b, "chart.alt", c); err != nil {
		return nil, fmt.Errorf("templates: %s: %w", lang, err)
	}
	out := *c
	out.Alt = oneLine(b.String())
	return &out, nil
}

// words returns the names of a burn-up chart's lines in the language, from
// the definitions "chart.plan", "chart.actual" and "chart.target" (English
// where a language's templates define none of them).
func (t *Templates) words(lang string) (chart.Words, error) {
	tt, ok := t.text[lang]
	if !ok {
		return chart.Words{}, fmt.Errorf("templates: no language %q", lang)
	}
	var w chart.Words
	for _, x := range []struct {
		name string
		to   *string
	}{{"chart.plan", &w.Plan}, {"chart.actual", &w.Actual}, {"chart.target", &w.Target}} {
		if tt.Lookup(x.name) == nil {
			continue
		}
		var b bytes.Buffer
		if err := tt.ExecuteTemplate(&b, x.name, nil); err != nil {
			return chart.Words{}, fmt.Errorf("templates: %s: %w", lang, err)
		}
		*x.to = oneLine(b.String())
	}
	return w, nil
}

// plural returns the Russian form of a noun for the count n: one (1, 21,
// 101…), few (2–4, 22–24…) or many (the rest, 11–14 included).
func plural(n int, one, few, many string) string {
	if n < 0 {
		n = -n
	}
	switch {
	case n%100 >= 11 && n%100 <= 14:
		return many
	case n%10 == 1:
		return one
	case n%10 >= 2 && n%10 <= 4:
		return few
	}
	return many
}
