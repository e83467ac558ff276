package deliver_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"mime"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/internal/golden"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// emailMessage is a rendered message for the email tests: anna's achieved
// sales goal, with the burn-up of her row as of 20 March inline.
func emailMessage(t *testing.T, lang string) deliver.Message {
	t.Helper()
	tmpl, err := deliver.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	row := batchRows(t, goalkittest.CompilePlan(t, testPlan), salesEvents(), march(20, 15))["anna"]
	const cid = "chart1.sample@goalkit"
	v := sampleView(lang, "achieved")
	v.Chart = &deliver.Chart{Src: "cid:" + cid, Width: 600, Height: 300, Goal: v.Goal, Participant: v.Participant,
		ParticipantKind: v.ParticipantKind, Period: v.Period, Currency: v.Currency, Actual: row.Actual, Target: row.Target}
	subject, text, html, err := tmpl.Render(v)
	if err != nil {
		t.Fatal(err)
	}
	return deliver.Message{ID: deliver.MessageID("achieved/sales/anna/2025-03/", "anna", "mail"), Key: "achieved/sales/anna/2025-03/",
		Kind: "achieved", Channel: "mail", To: deliver.Recipient{User: "anna", Name: "Анна Петрова", Email: "anna@example.com"},
		Created: time.Date(2025, 3, 20, 15, 0, 0, 0, time.UTC), Subject: subject, Text: text, HTML: html,
		Images: []deliver.Image{{ContentID: cid, Type: "image/png", Data: burnUp(t, row, "en")}}}
}

// An email is multipart/alternative with the text and the HTML, both
// quoted-printable UTF-8, a Subject in encoded words and a Message-ID from
// the message's ID; the HTML is multipart/related with its chart, a base64
// PNG whose Content-ID the HTML refers to. The same message gives the same
// bytes. Golden files of both languages, with the image's base64 replaced
// by its size (the bytes are compared with chart.BurnUp instead). Without
// images the email has no multipart/related.
func TestComposeEmail(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		t.Run(lang, func(t *testing.T) {
			m := emailMessage(t, lang)
			from := mail.Address{Name: "goalkit", Address: "goals@example.com"}
			data, err := deliver.ComposeEmail(from, m)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := deliver.ComposeEmail(from, m)
			if !bytes.Equal(data, again) {
				t.Error("the same message gave different bytes")
			}
			golden.Check(t, "testdata/email_"+lang+".eml", redactImages(t, data), *update)
			text, html := readEmail(t, data, m)
			if text != m.Text || html != m.HTML {
				t.Errorf("parts read back differ:\n%q\n%q", text, m.Text)
			}
			_, _, imgs := inlineImages(t, data)
			if len(imgs) != 1 || !bytes.Equal(imgs[0].data, m.Images[0].Data) {
				t.Errorf("%d images, or not the message's", len(imgs))
			}
			m.Images = nil
			plain, err := deliver.ComposeEmail(from, m)
			if err != nil {
				t.Fatal(err)
			}
			if shape, _ := readMIME(t, plain); shape != "multipart/alternative[text/plain, text/html]" {
				t.Errorf("without images: %s", shape)
			}
		})
	}
}

// readEmail parses an email as a mail reader would and returns its text and
// HTML parts; it checks the headers against the message.
func readEmail(t *testing.T, data []byte, m deliver.Message) (text, html string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Errorf("subject %q (%v), want %q", subject, err, m.Subject)
	}
	if got, want := msg.Header.Get("Message-ID"), "<"+m.ID+"@example.com>"; got != want {
		t.Errorf("Message-ID %q, want %q", got, want)
	}
	to, err := mail.ParseAddress(msg.Header.Get("To"))
	if err != nil || to.Address != m.To.Email || to.Name != m.To.Name {
		t.Errorf("To %v (%v)", to, err)
	}
	_, parts := readMIME(t, data)
	for _, p := range parts {
		s := strings.ReplaceAll(string(p.body), "\r\n", "\n")
		switch ct := p.header.Get("Content-Type"); ct {
		case "text/plain; charset=utf-8":
			text = s
		case "text/html; charset=utf-8":
			html = s
		case "image/png":
		default:
			t.Errorf("unexpected part %q", ct)
		}
	}
	return text, html
}

// The channel logs in and hands the email to the server; 4xx answers are
// retried, 5xx are permanent; a server that does not offer STARTTLS is
// refused unless security is none.
func TestEmailChannel(t *testing.T) {
	ctx := context.Background()
	s := newSink(t)
	s.set(func(s *sink) { s.user, s.pass = "robot", "s3cret-pass" })
	ch, err := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: "goals@example.com", Username: "robot", Password: "s3cret-pass", Security: "none"})
	if err != nil {
		t.Fatal(err)
	}
	m := emailMessage(t, "ru")
	if err := ch.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	got := s.messages()["<"+m.ID+"@example.com>"]
	if got == nil {
		t.Fatalf("the sink has no message %s", m.ID)
	}
	if text, _ := readEmail(t, got, m); text != m.Text {
		t.Errorf("text %q", text)
	}
	s.mu.Lock()
	rc := s.rcpts["<"+m.ID+"@example.com>"]
	s.mu.Unlock()
	if len(rc) != 1 || rc[0] != "anna@example.com" {
		t.Errorf("recipients %v", rc)
	}

	s.set(func(s *sink) { s.reject = func(int) error { return &smtp.SMTPError{Code: 451, Message: "try later"} } })
	if err := ch.Send(ctx, m); err == nil || deliver.IsPermanent(err) {
		t.Errorf("451: %v, want a temporary error", err)
	}
	s.set(func(s *sink) {
		s.reject = func(int) error { return &smtp.SMTPError{Code: 550, Message: "no such user"} }
	})
	if err := ch.Send(ctx, m); err == nil || !deliver.IsPermanent(err) {
		t.Errorf("550: %v, want a permanent error", err)
	}
	s.set(func(s *sink) { s.reject = nil })

	bad, _ := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: "goals@example.com", Username: "robot", Password: "wrong-pass", Security: "none"})
	if err := bad.Send(ctx, m); err == nil || strings.Contains(err.Error(), "wrong-pass") {
		t.Errorf("bad login: %v", err)
	}
	tlsOnly, _ := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: "goals@example.com"})
	if err := tlsOnly.Send(ctx, m); err == nil || !strings.Contains(err.Error(), "starttls") {
		t.Errorf("no STARTTLS offered: %v, want a starttls error", err)
	}
}

// selfSigned returns a server certificate for 127.0.0.1 and a pool that
// trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sink"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// With the default security the channel upgrades with STARTTLS before it
// logs in, and refuses a server whose certificate it does not trust.
func TestEmailStartTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	s := newSinkTLS(t, &tls.Config{Certificates: []tls.Certificate{cert}})
	s.set(func(s *sink) { s.user, s.pass = "robot", "s3cret-pass" })
	m := emailMessage(t, "en")
	ch, _ := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: "goals@example.com", Username: "robot", Password: "s3cret-pass",
		TLS: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}})
	if err := ch.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if len(s.messages()) != 1 {
		t.Fatalf("%d messages", len(s.messages()))
	}
	// A host's TLS configuration without a server name (its own roots, say)
	// checks the certificate against the server's name in Addr, as without
	// one.
	rootsOnly, _ := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: "goals@example.com", Username: "robot", Password: "s3cret-pass",
		TLS: &tls.Config{RootCAs: pool}})
	if err := rootsOnly.Send(context.Background(), m); err != nil {
		t.Errorf("a TLS configuration without a server name: %v", err)
	}
	untrusting, _ := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: "goals@example.com", Username: "robot", Password: "s3cret-pass"})
	if err := untrusting.Send(context.Background(), m); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("an untrusted certificate: %v", err)
	}
}

// A server that has taken the message (250 after DATA) and then hangs up
// on QUIT has the message: the attempt succeeded, and is not made again.
func TestEmailDeliveredDespiteQuit(t *testing.T) {
	s := newSink(t)
	s.set(func(s *sink) { s.dropQuit = true })
	ch, err := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: "goals@example.com", Security: "none"})
	if err != nil {
		t.Fatal(err)
	}
	m := emailMessage(t, "en")
	if err := ch.Send(context.Background(), m); err != nil {
		t.Errorf("send: %v, want nil: the server has the message", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.accepted != 1 {
		t.Errorf("%d messages accepted, want 1", s.accepted)
	}
}

// A security setting that is not one of the three is an error, as in the
// delivery file: "ssl" or "TLS" in a configuration built in Go would
// otherwise mean starttls, and a server on the implicit-TLS port would
// refuse every message.
func TestNewEmailSecurity(t *testing.T) {
	for _, sec := range []string{"", "starttls", "tls", "none", "ssl", "TLS"} {
		_, err := deliver.NewEmail(deliver.EmailOptions{Addr: "smtp.example.com:465", From: "goals@example.com", Security: sec})
		known := sec == "" || sec == "starttls" || sec == "tls" || sec == "none"
		if known != (err == nil) {
			t.Errorf("security %q: %v", sec, err)
		}
		if err != nil && err.Error() != `email: security must be starttls, tls or none, got "`+sec+`"` {
			t.Errorf("security %q: %v", sec, err)
		}
	}
}

// A login goes only over TLS, or to a server on this machine: with
// security none, SASL PLAIN would send the password in the clear to
// whichever host the address names, and the channel is refused instead.
// The error names the server, never the password.
func TestNewEmailLoginNeedsTLS(t *testing.T) {
	for _, tc := range []struct {
		addr, user, security string
		ok                   bool
	}{
		{"smtp.example.com:25", "robot", "none", false},
		{"192.0.2.7:25", "robot", "none", false},
		{"[2001:db8::1]:25", "robot", "none", false},
		{"smtp.example.com:25", "", "none", true},
		{"smtp.example.com:587", "robot", "starttls", true},
		{"smtp.example.com:465", "robot", "tls", true},
		{"127.0.0.1:2525", "robot", "none", true},
		{"[::1]:2525", "robot", "none", true},
		{"localhost:2525", "robot", "none", true},
	} {
		_, err := deliver.NewEmail(deliver.EmailOptions{Addr: tc.addr, From: "goals@example.com", Username: tc.user, Password: "s3cret-pass", Security: tc.security})
		if tc.ok != (err == nil) {
			t.Errorf("%s, user %q, %s: %v", tc.addr, tc.user, tc.security, err)
			continue
		}
		want := "email: a login needs security starttls or tls: with none, the password would go to " + tc.addr + " in the clear"
		if err != nil && err.Error() != want {
			t.Errorf("%s: %v, want %s", tc.addr, err, want)
		}
	}
}

// A server that refuses the channel's login (535: a wrong password) or
// wants one the channel does not give (530) refuses for the channel's
// configuration, not for the message: the attempt is retried, so that
// once the operator fixes the password what is due is sent, where a
// refused address (550) is a dead letter at once. A channel without a
// login to a server that wants one made every message a dead letter.
func TestEmailLoginRefusalRetried(t *testing.T) {
	ctx := context.Background()
	s := newSink(t)
	s.set(func(s *sink) { s.user, s.pass = "robot", "s3cret-pass" })
	m := emailMessage(t, "en")
	for _, tc := range []struct {
		name, user, pass, code string
	}{
		{"wrong password", "robot", "wrong-pass", "535"},
		{"no login", "", "", "530"},
	} {
		ch, err := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: "goals@example.com", Username: tc.user, Password: tc.pass, Security: "none"})
		if err != nil {
			t.Fatal(err)
		}
		err = ch.Send(ctx, m)
		if err == nil || deliver.IsPermanent(err) || !deliver.IsNotDelivered(err) || !strings.Contains(err.Error(), tc.code) {
			t.Errorf("%s: %v, want a refusal %s retried", tc.name, err, tc.code)
		}
	}
	if n := len(s.messages()); n != 0 {
		t.Fatalf("%d messages taken with no login", n)
	}
	fixed, err := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: "goals@example.com", Username: "robot", Password: "s3cret-pass", Security: "none"})
	if err != nil {
		t.Fatal(err)
	}
	if err := fixed.Send(ctx, m); err != nil {
		t.Fatalf("password fixed: %v", err)
	}
}

// A server that will not talk (421 at the greeting: too many connections,
// or shutting down) refuses the channel, not the message, with or without
// a login, and the error says so rather than blaming the password. With a
// login it read "login refused (the channel's username or password)";
// without one it was the message's failure, and every due message met it.
func TestEmailServerRefusesConversation(t *testing.T) {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return nil, &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 7, 0}, Message: "Too many connections, try again later"}
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	m := emailMessage(t, "en")
	for _, user := range []string{"robot", ""} {
		ch, err := deliver.NewEmail(deliver.EmailOptions{Addr: l.Addr().String(), From: "goals@example.com", Username: user, Password: "s3cret", Security: "none"})
		if err != nil {
			t.Fatal(err)
		}
		err = ch.Send(context.Background(), m)
		if !deliver.IsChannelFault(err) || deliver.IsPermanent(err) || strings.Contains(err.Error(), "password") || !strings.Contains(err.Error(), "421") {
			t.Errorf("user %q: %v (channel fault %v), want the channel's failure naming the 421", user, err, deliver.IsChannelFault(err))
		}
	}
}
