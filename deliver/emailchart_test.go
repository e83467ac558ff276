package deliver_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// fataler is what the MIME reader needs of a test: *testing.T or *rapid.T.
type fataler interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// mailPart is a leaf part of an email as a mail reader decodes it.
type mailPart struct {
	header textproto.MIMEHeader
	body   []byte // quoted-printable and base64 decoded
}

// readMIME parses an email with the standard library (net/mail,
// mime/multipart) and returns its structure, as "type[part, part…]" with
// the media types of the parts, and its leaf parts in order.
func readMIME(t fataler, data []byte) (string, []mailPart) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var parts []mailPart
	var walk func(h textproto.MIMEHeader, body io.Reader) string
	walk = func(h textproto.MIMEHeader, body io.Reader) string {
		mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
		if err != nil {
			t.Fatalf("content type %q: %v", h.Get("Content-Type"), err)
		}
		if !strings.HasPrefix(mt, "multipart/") {
			b, err := io.ReadAll(body) // multipart.Reader decodes quoted-printable
			if err != nil {
				t.Fatal(err)
			}
			if strings.EqualFold(h.Get("Content-Transfer-Encoding"), "base64") {
				if b, err = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(b))); err != nil {
					t.Fatalf("%s: base64: %v", mt, err)
				}
			}
			parts = append(parts, mailPart{header: h, body: b})
			return mt
		}
		mr := multipart.NewReader(body, params["boundary"])
		var kids []string
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			kids = append(kids, walk(p.Header, p))
		}
		return mt + "[" + strings.Join(kids, ", ") + "]"
	}
	shape := walk(textproto.MIMEHeader(msg.Header), msg.Body)
	return shape, parts
}

// part returns the leaf parts of the media type.
func partsOf(parts []mailPart, mediaType string) []mailPart {
	var out []mailPart
	for _, p := range parts {
		if mt, _, _ := mime.ParseMediaType(p.header.Get("Content-Type")); mt == mediaType {
			out = append(out, p)
		}
	}
	return out
}

var imgTag = regexp.MustCompile(`<img src="([^"]*)" alt="([^"]*)"`)

// imgRef is an image the HTML shows: its src and alt, unescaped.
type imgRef struct{ src, alt string }

func imagesOf(htmlText string) []imgRef {
	var out []imgRef
	for _, m := range imgTag.FindAllStringSubmatch(htmlText, -1) {
		out = append(out, imgRef{html.UnescapeString(m[1]), html.UnescapeString(m[2])})
	}
	return out
}

// inlineImage is an image of an email checked against its HTML: the
// multipart/related part whose Content-ID the HTML's cid: reference names.
type inlineImage struct {
	alt  string
	data []byte
}

// inlineImages checks that every image the HTML shows is a part of the
// email's multipart/related with the Content-ID of its cid: reference, an
// inline PNG that decodes at ChartWidth × ChartHeight, and that the email
// has no image the HTML does not show; it returns them in the HTML's order.
func inlineImages(t *testing.T, data []byte) (htmlText, text string, imgs []inlineImage) {
	t.Helper()
	shape, parts := readMIME(t, data)
	htmls, texts := partsOf(parts, "text/html"), partsOf(parts, "text/plain")
	if len(htmls) != 1 || len(texts) != 1 {
		t.Fatalf("%s: want one text and one HTML part", shape)
	}
	htmlText, text = string(htmls[0].body), string(texts[0].body)
	byID := map[string]mailPart{}
	for _, p := range partsOf(parts, "image/png") {
		byID[p.header.Get("Content-Id")] = p
	}
	refs := imagesOf(htmlText)
	want := "multipart/alternative[text/plain, text/html]"
	if len(refs) > 0 {
		want = "multipart/alternative[text/plain, multipart/related[text/html" + strings.Repeat(", image/png", len(refs)) + "]]"
	}
	if shape != want {
		t.Fatalf("structure %s, want %s", shape, want)
	}
	for _, ref := range refs {
		id, ok := strings.CutPrefix(ref.src, "cid:")
		if !ok {
			t.Fatalf("img src %q is not a cid: reference", ref.src)
		}
		p, ok := byID["<"+id+">"]
		if !ok {
			t.Fatalf("no part has the Content-ID <%s> of the HTML's %q", id, ref.src)
		}
		if d := p.header.Get("Content-Disposition"); !strings.HasPrefix(d, "inline") {
			t.Errorf("image %s: Content-Disposition %q, want inline", id, d)
		}
		img, err := png.Decode(bytes.NewReader(p.body))
		if err != nil {
			t.Fatalf("image %s: %v", id, err)
		}
		if b := img.Bounds(); b.Dx() != 600 || b.Dy() != 300 {
			t.Errorf("image %s: %d×%d, want 600×300", id, b.Dx(), b.Dy())
		}
		if ref.alt == "" {
			t.Errorf("image %s has no alt text", id)
		}
		imgs = append(imgs, inlineImage{alt: ref.alt, data: p.body})
	}
	return htmlText, text, imgs
}

// batchRows evaluates the plan over the events with the daily series,
// independently of the tracker, and returns its goal rows by participant.
func batchRows(t *testing.T, plan *goalkit.Plan, events []kpi.Event, asOf time.Time) map[string]goal.Row {
	t.Helper()
	store := memory.New(plan.Calendar().Location())
	if err := store.Apply(events...); err != nil {
		t.Fatal(err)
	}
	rep, err := plan.Evaluate(context.Background(), store, asOf, goalkit.WithSeries())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]goal.Row{}
	for _, r := range rep.Goals.Rows {
		out[r.Participant] = *r
	}
	return out
}

// burnUp draws a row's burn-up as the emails to a reader of lang must
// carry it: its legend in the reader's language.
func burnUp(t *testing.T, row goal.Row, lang string) []byte {
	t.Helper()
	var words chart.Words // English: the chart's own words
	if lang == "ru" {
		words = chart.Words{Plan: "план", Actual: "факт", Target: "цель"}
	}
	data, err := chart.BurnUp(row, chart.Options{Format: chart.PNG, Width: 600, Height: 300, Words: words})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// chartWorld tracks the events of the plan and delivers, as of asOf, by
// email to an SMTP sink (channel "mail") and by webhook (channel "hook")
// to the recipients of the configuration, whose "SMTP" is replaced by the
// sink's address and "HOOK" by the receiver's URL.
func chartWorld(t *testing.T, planSrc string, events []kpi.Event, cfgSrc string, asOf time.Time, opts ...deliver.Option) (*sink, *receiver) {
	t.Helper()
	ctx := context.Background()
	s, rcv := newSink(t), newReceiver(t)
	cfgSrc = strings.NewReplacer("SMTP", s.addr, "HOOK", rcv.srv.URL).Replace(cfgSrc)
	plan := goalkittest.CompilePlan(t, planSrc)
	cfg := parseConfig(t, cfgSrc)
	chans := openChannels(t, cfg, deliver.ChannelOptions{Env: env(map[string]string{"S": testSecret})})
	tr := track(t, plan, events...)
	d, err := deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()), chans, append([]deliver.Option{deliver.WithDirectory(directory(t))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Tick(ctx, asOf); err != nil {
		t.Fatal(err)
	}
	res, err := d.Deliver(ctx, time.Now())
	if err != nil || res.Failed+res.Dead > 0 {
		t.Fatalf("deliver: %+v %v", res, err)
	}
	return s, rcv
}

// email is an email the sink holds: its decoded subject and its bytes.
type email struct {
	subject string
	data    []byte
}

// emailsTo returns the emails the sink holds for the address, in the
// order received.
func emailsTo(t *testing.T, s *sink, addr string) []email {
	t.Helper()
	var out []email
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.order {
		data := s.byID[id]
		if !slices.Contains(s.rcpts[id], addr) {
			continue
		}
		msg, err := mail.ReadMessage(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var dec mime.WordDecoder
		subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, email{subject, data})
	}
	return out
}

const chartConfig = `
channels:
  - {name: mail, type: email, smtp: "SMTP", from: goals@example.com, security: none}
  - {name: hook, type: webhook, url: "HOOK", secret_env: S}
recipients:
  - {user: anna, email: anna@example.com, channels: [mail, hook]}
  - {user: olga, email: olga@example.com, language: ru, channels: [mail]}
  - {user: boris, channels: [hook]}
`

// An email notification carries the burn-up of its goal row inline: the
// HTML refers by cid: to the multipart/related part, a 600×300 PNG equal to
// chart.BurnUp of the row a batch evaluation gives, with an alt text. The
// plain text is the webhook's text, and the webhook has no image.
func TestEmailChartNotification(t *testing.T) {
	asOf := march(20, 15)
	s, rcv := chartWorld(t, testPlan, salesEvents(), chartConfig, asOf)
	rows := batchRows(t, goalkittest.CompilePlan(t, testPlan), salesEvents(), asOf)
	annas := emailsTo(t, s, "anna@example.com")
	if len(annas) != 2 {
		t.Fatalf("anna got %d emails, want 2 (milestone and achieved)", len(annas))
	}
	hookText := map[string]string{}
	for _, p := range rcv.got {
		if p.Recipient == "anna" {
			hookText[p.Subject] = p.Text
		}
	}
	for _, e := range annas {
		subject := e.subject
		htmlText, text, imgs := inlineImages(t, e.data)
		if len(imgs) != 1 {
			t.Fatalf("%s: %d images, want 1", subject, len(imgs))
		}
		if !bytes.Equal(imgs[0].data, burnUp(t, rows["anna"], "en")) {
			t.Errorf("%s: the image is not chart.BurnUp of anna's row", subject)
		}
		if want := `Burn-up chart of "Выручка за март", anna, 2025-03: the actual day by day against the plan, 1 700 000 ₽ of 1 500 000 ₽.`; imgs[0].alt != want {
			t.Errorf("%s: alt %q, want %q", subject, imgs[0].alt, want)
		}
		if strings.Contains(text, "cid:") || text != strings.ReplaceAll(hookText[subject], "\r\n", "\n") {
			t.Errorf("%s: text %q, the webhook's %q", subject, text, hookText[subject])
		}
		if !strings.Contains(htmlText, "1 500 000 ₽") {
			t.Errorf("%s: the HTML lost its facts", subject)
		}
	}
	// olga, anna's and boris's head, gets each of their notifications
	// with the chart of its participant.
	olgas := emailsTo(t, s, "olga@example.com")
	if len(olgas) != 3 {
		t.Fatalf("olga got %d emails, want 3", len(olgas))
	}
	for _, e := range olgas {
		subject := e.subject
		_, _, imgs := inlineImages(t, e.data)
		who := "anna"
		if strings.Contains(imgs[0].alt, "boris") {
			who = "boris"
		}
		if len(imgs) != 1 || !bytes.Equal(imgs[0].data, burnUp(t, rows[who], "ru")) {
			t.Errorf("%s: the image is not chart.BurnUp of %s's row with a Russian legend", subject, who)
		}
		if !strings.HasPrefix(imgs[0].alt, "График цели «Выручка за март», "+who) {
			t.Errorf("%s: alt %q", subject, imgs[0].alt)
		}
	}
}

// teamPlan is testPlan with five salespeople; olga heads anna and boris.
var teamPlan = strings.Replace(testPlan, "users: [anna, boris]", "users: [anna, boris, vera, gleb, dina]", 1)

func teamEvents() []kpi.Event {
	return append(salesEvents(), won("v1", "vera", 3, 400000), won("g1", "gleb", 9, 1200000), won("d1", "dina", 14, 300000), won("d2", "dina", 18, 500000))
}

var tableRow = regexp.MustCompile(`<tr><td>Выручка за март</td><td>([a-z]+)</td>`)

// A digest carries the charts of at most three of its rows, the
// recipient's own first, each drawn from what the recipient may see, and
// shows them in the order of its table: anna gets hers only, olga (the
// head of anna and boris) theirs and no other, dina (an admin, who sees
// all five) hers, anna's and boris's (the first two of the others).
func TestEmailChartDigest(t *testing.T) {
	asOf := march(19, 15) // before anna achieves her goal (a digest lists running goals)
	cfg := `
channels:
  - {name: mail, type: email, smtp: "SMTP", from: goals@example.com, security: none}
  - {name: hook, type: webhook, url: "HOOK", secret_env: S}
recipients:
  - {user: anna, email: anna@example.com, daily: "09:00", timezone: Europe/Moscow, kinds: [digest_daily]}
  - {user: olga, email: olga@example.com, daily: "09:00", timezone: Europe/Moscow, kinds: [digest_daily], language: ru}
  - {user: dina, admin: true, email: dina@example.com, daily: "09:00", timezone: Europe/Moscow, kinds: [digest_daily]}
  - {user: gleb, daily: "09:00", timezone: Europe/Moscow, kinds: [digest_daily], channels: [hook]}
`
	s, rcv := chartWorld(t, teamPlan, teamEvents(), cfg, asOf)
	rows := batchRows(t, goalkittest.CompilePlan(t, teamPlan), teamEvents(), asOf)
	for _, tc := range []struct {
		to      string
		lang    string
		charts  []string // whose, in order
		rows    int      // the digest's rows
		unknown []string // participants the recipient may not see
	}{
		{"anna@example.com", "en", []string{"anna"}, 1, []string{"boris", "vera", "gleb", "dina"}},
		{"olga@example.com", "ru", []string{"anna", "boris"}, 2, []string{"vera", "gleb", "dina"}},
		{"dina@example.com", "en", []string{"anna", "boris", "dina"}, 5, nil},
	} {
		t.Run(tc.to, func(t *testing.T) {
			got := emailsTo(t, s, tc.to)
			if len(got) != 1 {
				t.Fatalf("%d emails, want 1 digest", len(got))
			}
			for _, e := range got {
				htmlText, text, imgs := inlineImages(t, e.data)
				if len(imgs) != len(tc.charts) {
					t.Fatalf("%d charts, want %d", len(imgs), len(tc.charts))
				}
				for i, who := range tc.charts {
					if !bytes.Equal(imgs[i].data, burnUp(t, rows[who], tc.lang)) {
						t.Errorf("chart %d is not chart.BurnUp of %s's row", i+1, who)
					}
					if !strings.Contains(imgs[i].alt, ", "+who+", ") {
						t.Errorf("chart %d: alt %q does not name %s", i+1, imgs[i].alt, who)
					}
				}
				var table []string
				for _, m := range tableRow.FindAllStringSubmatch(htmlText, -1) {
					table = append(table, m[1])
				}
				if len(table) != tc.rows {
					t.Errorf("the HTML table has %v, want %d rows", table, tc.rows)
				}
				var charted []string // the table's participants that have a chart
				for _, who := range table {
					if slices.Contains(tc.charts, who) {
						charted = append(charted, who)
					}
				}
				if !slices.Equal(charted, tc.charts) {
					t.Errorf("the table's order of the charted rows %v, want %v", charted, tc.charts)
				}
				for _, who := range tc.unknown {
					if strings.Contains(htmlText, who) || strings.Contains(text, who) {
						t.Errorf("the digest names %s, whom the recipient may not see", who)
					}
					for i, img := range imgs {
						if bytes.Equal(img.data, burnUp(t, rows[who], tc.lang)) {
							t.Errorf("chart %d is %s's", i+1, who)
						}
					}
				}
			}
		})
	}
	// The webhook digest is as before: no image, no chart in its HTML.
	if len(rcv.got) != 1 {
		t.Fatalf("%d webhooks, want gleb's digest", len(rcv.got))
	}
	for _, p := range rcv.got {
		if p.Digest == nil || len(p.Digest.Rows) != 1 || p.Digest.Rows[0].Chart != nil {
			t.Errorf("gleb's webhook digest: %+v", p.Digest)
		}
	}
}

// A host's template places the chart where it likes, or leaves it out: the
// email then carries no image and stays multipart/alternative.
func TestEmailChartTemplates(t *testing.T) {
	asOf := march(20, 15)
	rows := batchRows(t, goalkittest.CompilePlan(t, testPlan), salesEvents(), asOf)
	cfg := `
channels: [{name: mail, type: email, smtp: "SMTP", from: goals@example.com, security: none}]
recipients: [{user: anna, email: anna@example.com, kinds: [achieved]}]
`
	placed, err := deliver.LoadTemplates(fstest.MapFS{"en.html.tmpl": {Data: []byte(
		`{{define "html.achieved"}}<h1>{{.Goal}}</h1>{{with .Chart}}<img src="{{.Src}}" alt="{{.Alt}}">{{end}}<p>{{.Text}}</p>{{end}}`)}})
	if err != nil {
		t.Fatal(err)
	}
	dropped, err := deliver.LoadTemplates(fstest.MapFS{"en.html.tmpl": {Data: []byte(`{{define "html.achieved"}}<p>{{.Text}}</p>{{end}}`)}})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := chartWorld(t, testPlan, salesEvents(), cfg, asOf, deliver.WithTemplates(placed))
	if n := len(emailsTo(t, s, "anna@example.com")); n != 1 {
		t.Fatalf("placed: %d emails, want 1", n)
	}
	for _, e := range emailsTo(t, s, "anna@example.com") {
		htmlText, _, imgs := inlineImages(t, e.data)
		if len(imgs) != 1 || !bytes.Equal(imgs[0].data, burnUp(t, rows["anna"], "en")) || !strings.HasPrefix(htmlText, "<h1>Выручка за март</h1><img src=\"cid:") {
			t.Errorf("placed: %q, %d images", htmlText, len(imgs))
		}
	}
	s, _ = chartWorld(t, testPlan, salesEvents(), cfg, asOf, deliver.WithTemplates(dropped))
	if n := len(emailsTo(t, s, "anna@example.com")); n != 1 {
		t.Fatalf("dropped: %d emails, want 1", n)
	}
	for _, e := range emailsTo(t, s, "anna@example.com") {
		if _, _, imgs := inlineImages(t, e.data); len(imgs) != 0 {
			t.Errorf("dropped: %d images", len(imgs))
		}
		if bytes.Contains(e.data, []byte("image/png")) {
			t.Error("dropped: the email still carries the image")
		}
	}
}

// redactImages replaces the base64 body of every image part of an email
// with a note of its size: the golden files keep the structure and the
// text, and the tests compare the images' bytes with chart.BurnUp instead
// (the PNG bytes change with the chart library's version).
func redactImages(t *testing.T, data []byte) []byte {
	t.Helper()
	re := regexp.MustCompile(`(?s)(Content-Type: image/png\r\n\r\n)([A-Za-z0-9+/=\r\n]+?)(\r\n--goalkit)`)
	return re.ReplaceAllFunc(data, func(m []byte) []byte {
		sub := re.FindSubmatch(m)
		raw, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(sub[2])))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		note := fmt.Sprintf("[a PNG of %d×%d pixels]\r\n", img.Bounds().Dx(), img.Bounds().Dy())
		return slices.Concat(sub[1], []byte(note), sub[3])
	})
}

// Whatever the text, the HTML and the images (any bytes, up to three), an
// email reads back with the standard library to the same parts: the text,
// the HTML, and each image under its Content-ID, in a multipart/related
// with the HTML when there are images.
func TestComposeEmailRoundTrip(t *testing.T) {
	from := mail.Address{Address: "goals@example.com"}
	rapid.Check(t, func(t *rapid.T) {
		text := rapid.String().Draw(t, "text")
		htmlText := "<p>" + rapid.String().Draw(t, "html") + "</p>"
		n := rapid.IntRange(0, 3).Draw(t, "images")
		m := deliver.Message{ID: deliver.MessageID(rapid.String().Draw(t, "key"), "u", "mail"), To: deliver.Recipient{User: "u", Email: "u@example.com"},
			Created: time.Date(2025, 3, 20, 15, 0, 0, 0, time.UTC), Subject: "s", Text: text, HTML: htmlText}
		for i := range n {
			m.Images = append(m.Images, deliver.Image{ContentID: fmt.Sprintf("chart%d.x@goalkit", i+1), Type: "image/png",
				Data: rapid.SliceOfN(rapid.Byte(), 0, 300).Draw(t, "data")})
		}
		data, err := deliver.ComposeEmail(from, m)
		if err != nil {
			t.Fatal(err)
		}
		shape, parts := readMIME(t, data)
		want := "multipart/alternative[text/plain, text/html]"
		if n > 0 {
			want = "multipart/alternative[text/plain, multipart/related[text/html" + strings.Repeat(", image/png", n) + "]]"
		}
		if shape != want {
			t.Fatalf("structure %s, want %s", shape, want)
		}
		lf := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n") }
		if got := string(partsOf(parts, "text/plain")[0].body); lf(got) != lf(text) {
			t.Fatalf("text %q, want %q", got, text)
		}
		if got := string(partsOf(parts, "text/html")[0].body); lf(got) != lf(htmlText) {
			t.Fatalf("html %q, want %q", got, htmlText)
		}
		for i, p := range partsOf(parts, "image/png") {
			if id := p.header.Get("Content-Id"); id != "<"+m.Images[i].ContentID+">" || !bytes.Equal(p.body, m.Images[i].Data) {
				t.Fatalf("image %d: %s, %d bytes, want %s, %d bytes", i+1, id, len(p.body), m.Images[i].ContentID, len(m.Images[i].Data))
			}
		}
	})
}
