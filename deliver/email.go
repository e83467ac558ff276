package deliver

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Email is a channel that sends each message by SMTP as multipart/
// alternative (a plain-text part and an HTML part), with a Message-ID
// derived from the message's ID: mail systems and readers that dedupe by
// Message-ID show a message sent twice once.
type Email struct {
	addr     string
	from     mail.Address
	username string
	password string
	security string
	tls      *tls.Config
	timeout  time.Duration
}

// EmailOptions are the settings of an Email channel.
type EmailOptions struct {
	// Addr is the server, host:port; From the sender's address.
	Addr string
	From string
	// Username and Password log in with SASL PLAIN; no login when
	// Username is empty.
	Username, Password string
	// Security is starttls (the default: the server must offer it), tls
	// (implicit TLS, port 465) or none.
	Security string
	// TLS is the TLS configuration (nil: the system's roots, the server
	// name from Addr).
	TLS *tls.Config
	// Timeout bounds one message's conversation (default 1 minute).
	Timeout time.Duration
}

// NewEmail returns an SMTP channel.
func NewEmail(o EmailOptions) (*Email, error) {
	from, err := mail.ParseAddress(o.From)
	if err != nil {
		return nil, fmt.Errorf("email: from %q: %w", o.From, err)
	}
	if _, _, err := net.SplitHostPort(o.Addr); err != nil {
		return nil, fmt.Errorf("email: smtp %q must be host:port", o.Addr)
	}
	e := &Email{addr: o.Addr, from: *from, username: o.Username, password: o.Password, security: o.Security, tls: o.TLS, timeout: o.Timeout}
	if e.security == "" {
		e.security = "starttls"
	}
	if e.timeout <= 0 {
		e.timeout = time.Minute
	}
	return e, nil
}

// Deduplicates implements Deduplicating: a resent email has the same
// Message-ID.
func (e *Email) Deduplicates() bool { return true }

// Send implements Channel.
func (e *Email) Send(ctx context.Context, m Message) error {
	if m.To.Email == "" {
		return Permanent(fmt.Errorf("email: recipient %q has no email address", m.To.User))
	}
	to, err := mail.ParseAddress(m.To.Email)
	if err != nil {
		return Permanent(fmt.Errorf("email: recipient %q: %w", m.To.User, err))
	}
	data, err := ComposeEmail(e.from, m)
	if err != nil {
		return Permanent(err)
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	c, err := e.dial(ctx)
	if err != nil {
		return NotDelivered(fmt.Errorf("email: %w", err))
	}
	defer c.Close()
	if e.username != "" {
		if err := c.Auth(sasl.NewPlainClient("", e.username, e.password)); err != nil {
			return NotDelivered(fmt.Errorf("email: login: %w", err))
		}
	}
	if err := c.SendMail(e.from.Address, []string{to.Address}, bytes.NewReader(data)); err != nil {
		return fmt.Errorf("email: %w", smtpErr(err))
	}
	return c.Quit()
}

// dial connects within ctx's deadline, which also bounds the rest of the
// conversation.
func (e *Email) dial(ctx context.Context) (*smtp.Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", e.addr)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	cfg := e.tls
	if cfg == nil {
		host, _, _ := net.SplitHostPort(e.addr)
		cfg = &tls.Config{ServerName: host}
	}
	switch e.security {
	case "tls":
		return smtp.NewClient(tls.Client(conn, cfg)), nil
	case "none":
		return smtp.NewClient(conn), nil
	}
	c, err := smtp.NewClientStartTLS(conn, cfg)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("starttls: %w", err)
	}
	return c, nil
}

// smtpErr marks a 5xx answer of the server as permanent (a refused
// address); 4xx answers are temporary and retried. Either way the server
// refused the message; any other error leaves the outcome unknown.
func smtpErr(err error) error {
	var se *smtp.SMTPError
	switch {
	case errors.As(err, &se) && se.Code >= 500:
		return Permanent(err)
	case errors.As(err, &se):
		return NotDelivered(err)
	}
	return err
}

// ComposeEmail writes the message as an RFC 5322 email from the sender:
// headers (Subject in UTF-8 encoded words, Date the message's Created,
// Message-ID "<ID@domain of from>"), then multipart/alternative with the
// plain text and the HTML, quoted-printable. The same message always gives
// the same bytes: the boundary comes from the ID.
func ComposeEmail(from mail.Address, m Message) ([]byte, error) {
	to := mail.Address{Name: m.To.Name, Address: m.To.Email}
	var b bytes.Buffer
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", from.String())
	hdr("To", to.String())
	hdr("Subject", mime.QEncoding.Encode("utf-8", oneLine(m.Subject)))
	hdr("Date", m.Created.Format(time.RFC1123Z))
	hdr("Message-ID", MessageIDHeader(m.ID, from.Address))
	hdr("MIME-Version", "1.0")
	mw := multipart.NewWriter(&b)
	if err := mw.SetBoundary("goalkit-" + strings.TrimPrefix(m.ID, "msg_")); err != nil {
		return nil, err
	}
	hdr("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	parts := []struct{ typ, body string }{{"text/plain; charset=utf-8", m.Text}}
	if m.HTML != "" {
		parts = append(parts, struct{ typ, body string }{"text/html; charset=utf-8", m.HTML})
	}
	for _, p := range parts {
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {p.typ}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(crlf(p.body))); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// MessageIDHeader returns the Message-ID of the message with the ID, sent
// from the address: "<ID@domain>".
func MessageIDHeader(id, from string) string {
	domain := "goalkit.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i+1 < len(from) {
		domain = from[i+1:]
	}
	return "<" + id + "@" + domain + ">"
}

// oneLine joins the lines of a header's text.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// crlf writes the line ends of a text part as CRLF.
func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}
