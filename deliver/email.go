package deliver

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/plainhttp"
)

// Email is a channel that sends each message by SMTP as multipart/
// alternative (a plain-text part and an HTML part, with its images inline
// when it has some: see ComposeEmail), with a Message-ID
// derived from the message's ID: mail systems and readers that dedupe by
// Message-ID show a message sent twice once. An address whose domain is
// internationalised (пример.рф) is sent with the domain's ASCII form
// (xn--e1afmkfd.xn--p1ai), in the headers and on the envelope; a local
// part that is not ASCII needs a server with SMTPUTF8.
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
	// (implicit TLS, port 465) or none; none with a login only to a
	// server on this machine (localhost, a loopback address), since the
	// password would go in the clear.
	Security string
	// TLS is the TLS configuration (nil: the system's roots); the server
	// name is Addr's host unless it names one.
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
	host, _, err := net.SplitHostPort(o.Addr)
	if err != nil {
		return nil, fmt.Errorf("email: smtp %q must be host:port", o.Addr)
	}
	e := &Email{addr: o.Addr, from: *from, username: o.Username, password: o.Password, security: o.Security, tls: o.TLS, timeout: o.Timeout}
	switch e.security {
	case "":
		e.security = "starttls"
	case "starttls", "tls", "none":
	default:
		return nil, fmt.Errorf("email: security must be starttls, tls or none, got %q", o.Security)
	}
	// SASL PLAIN sends the password as it is: only over TLS, or to a
	// server on this machine (as net/smtp's PlainAuth allows).
	if e.username != "" && e.security == "none" && !plainhttp.Loopback(host) {
		return nil, fmt.Errorf("email: a login needs security starttls or tls: with none, the password would go to %s in the clear", o.Addr)
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
		// The server cannot be reached, or its TLS fails: no message of
		// the channel can be sent now.
		return ChannelFault(fmt.Errorf("email: %w", err))
	}
	defer c.Close()
	// The greeting and EHLO first: a server that will not talk now (421:
	// too many connections, shutting down) refuses the channel, not the
	// message nor its login.
	if err := c.Hello("localhost"); err != nil {
		return ChannelFault(fmt.Errorf("email: the server refused the conversation: %w", err))
	}
	if e.username != "" {
		if err := c.Auth(sasl.NewPlainClient("", e.username, e.password)); err != nil {
			// Whatever its code (535: the password is wrong): the
			// channel's, not the message's; see smtpErr.
			return ChannelFault(fmt.Errorf("email: login refused (the channel's username or password): %w", err))
		}
	}
	if err := c.SendMail(asciiAddress(e.from.Address), []string{asciiAddress(to.Address)}, bytes.NewReader(data)); err != nil {
		return fmt.Errorf("email: %w", smtpErr(err))
	}
	// The server accepted the message (250 after DATA): it has it, and a
	// failed QUIT (a server that hangs up first) changes nothing.
	_ = c.Quit()
	return nil
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
	// The certificate is checked against the server's name in addr unless
	// the host's configuration names another.
	host, _, _ := net.SplitHostPort(e.addr)
	cfg := &tls.Config{ServerName: host}
	if e.tls != nil {
		cfg = e.tls
		if cfg.ServerName == "" {
			cfg = cfg.Clone()
			cfg.ServerName = host
		}
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
//
// A refusal for want of a login (RFC 4954: 530 authentication required,
// 534 mechanism too weak, 535 credentials invalid, 538 encryption
// required) is no fault of the message but of the channel's
// configuration, which the operator fixes (ChannelFault): it is retried,
// so that what is due is sent once the configuration is right, as after an
// outage, and is a dead letter only after the configured attempts; the
// channel's other messages wait for the next delivery rather than each
// being refused.
func smtpErr(err error) error {
	var se *smtp.SMTPError
	switch {
	case errors.As(err, &se) && loginRefusal(se.Code):
		return ChannelFault(fmt.Errorf("the server wants a login the channel does not give (its username, password or security): %w", err))
	case errors.As(err, &se) && se.Code >= 500:
		return Permanent(err)
	case errors.As(err, &se):
		return NotDelivered(err)
	}
	return err
}

// loginRefusal reports whether an SMTP code says that the server refused
// for want of a login or of its security (RFC 4954).
func loginRefusal(code int) bool {
	return code == 530 || code == 534 || code == 535 || code == 538
}

// ComposeEmail writes the message as an RFC 5322 email from the sender:
// headers (Subject in UTF-8 encoded words, Date the message's Created,
// Message-ID "<ID@domain of from>", the names of From and To with their
// control and bidirectional formatting characters as Go escapes, as the
// templates show names; a header longer than RFC 5322's 998 characters
// folded between its words, and a subject or a name with a word too long
// for that written whole in encoded words), then multipart/alternative
// with the plain text and the HTML, quoted-printable. When the message
// has HTML and images, the HTML is a multipart/related of the HTML and
// the images (base64, each with its Content-ID and inline), which the
// HTML shows as "cid:" and the Content-ID; images without HTML are not
// sent. The same message always gives the same bytes: the boundaries
// come from the ID.
func ComposeEmail(from mail.Address, m Message) ([]byte, error) {
	to := mail.Address{Name: m.To.Name, Address: m.To.Email}
	// An address written with a name ("Анна <anna@example.com>") is the
	// address, its name taken when the recipient has none.
	if a, err := mail.ParseAddress(m.To.Email); err == nil {
		to.Address = a.Address
		if to.Name == "" {
			to.Name = a.Name
		}
	}
	// An internationalised domain is written in its ASCII form, as on the
	// envelope: a header holds no 8-bit text, and a server without
	// SMTPUTF8 takes the message.
	from.Address, to.Address = asciiAddress(from.Address), asciiAddress(to.Address)
	// The names are the operator's text, shown as the templates show
	// names: a control or bidirectional formatting character as a Go
	// escape, so that a recipient's name with U+202E does not show
	// reversed in a mail reader, as it does not in the text.
	from.Name, to.Name = display.Text(from.Name), display.Text(to.Name)
	var b bytes.Buffer
	hdr := func(k, v string) { b.WriteString(foldHeader(k + ": " + v)) }
	// text writes a header of text a reader decodes (a name, the
	// subject) as v, or, when a word of v is too long to fold within
	// maxLine (a name or a subject of a thousand characters without a
	// space, written as it is), as words gives it: the text whole in
	// encoded words, which fold between them.
	text := func(k, v string, words func() string) {
		line := foldHeader(k + ": " + v)
		if len(line) > maxLine+2 && !foldedWithin(line) {
			line = foldHeader(k + ": " + words())
		}
		b.WriteString(line)
	}
	text("From", addressHeader(from), func() string { return wordsAddress(from) })
	text("To", addressHeader(to), func() string { return wordsAddress(to) })
	subject := oneLine(m.Subject)
	text("Subject", mime.QEncoding.Encode("utf-8", subject), func() string { return encodedWords(subject) })
	hdr("Date", m.Created.Format(time.RFC1123Z))
	hdr("Message-ID", MessageIDHeader(m.ID, from.Address))
	hdr("MIME-Version", "1.0")
	id := strings.TrimPrefix(m.ID, "msg_")
	mw := multipart.NewWriter(&b)
	if err := mw.SetBoundary("goalkit-" + id); err != nil {
		return nil, err
	}
	hdr("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	if err := textPart(mw, "text/plain; charset=utf-8", m.Text); err != nil {
		return nil, err
	}
	switch {
	case m.HTML != "" && len(m.Images) > 0:
		boundary := "goalkit-related-" + id
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {`multipart/related; type="text/html"; boundary="` + boundary + `"`}})
		if err != nil {
			return nil, err
		}
		rw := multipart.NewWriter(w)
		if err := rw.SetBoundary(boundary); err != nil {
			return nil, err
		}
		if err := textPart(rw, "text/html; charset=utf-8", m.HTML); err != nil {
			return nil, err
		}
		for i, img := range m.Images {
			if err := imagePart(rw, img, i+1); err != nil {
				return nil, err
			}
		}
		if err := rw.Close(); err != nil {
			return nil, err
		}
	case m.HTML != "":
		if err := textPart(mw, "text/html; charset=utf-8", m.HTML); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// addressHeader writes a as the value of a From or To header. Its String
// writes a name that is not all printable ASCII as an encoded word,
// base64 when the name has a character that RFC 2047 (5.3) keeps out of a
// display name's encoded word and Q-encoding would write as it is; its
// list of them lacks "\", so that a name such as "Анна \ Петрова" was
// Q-encoded with its backslash as it is, and the header read back by
// net/mail (and other readers) as no address at all. Such a name is
// base64 here.
func addressHeader(a mail.Address) string {
	if strings.Contains(a.Name, `\`) && !quotable(a.Name) {
		return mime.BEncoding.Encode("utf-8", a.Name) + " " + (&mail.Address{Address: a.Address}).String()
	}
	return a.String()
}

// wordsAddress writes a as the value of a From or To header with its name
// whole in encoded words (see encodedWords).
func wordsAddress(a mail.Address) string {
	if a.Name == "" {
		return a.String()
	}
	return encodedWords(a.Name) + " " + (&mail.Address{Address: a.Address}).String()
}

// encodedWords writes s whole as RFC 2047 encoded words, base64 of UTF-8,
// each of at most 45 bytes of s (70 characters), cut between characters,
// with a space between them, which a reader drops: a text of any length
// and any words that folds within maxLine.
func encodedWords(s string) string {
	var b strings.Builder
	for s != "" {
		n := min(len(s), 45)
		for n < len(s) && n > 1 && !utf8.RuneStart(s[n]) {
			n--
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("=?utf-8?b?")
		b.WriteString(base64.StdEncoding.EncodeToString([]byte(s[:n])))
		b.WriteString("?=")
		s = s[n:]
	}
	return b.String()
}

// foldedWithin reports whether every line of a folded header (with its
// CRLF) is within maxLine.
func foldedWithin(header string) bool {
	for line := range strings.SplitSeq(strings.TrimSuffix(header, "\r\n"), "\r\n") {
		if len(line) > maxLine {
			return false
		}
	}
	return true
}

// quotable reports whether mail.Address's String writes the name s as a
// quoted string: every byte printable ASCII, a space or a tab.
func quotable(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' || c > '~') && c != '\t' {
			return false
		}
	}
	return true
}

// textPart writes a text part, quoted-printable with CRLF line ends.
func textPart(mw *multipart.Writer, typ, body string) error {
	w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {typ}, "Content-Transfer-Encoding": {"quoted-printable"}})
	if err != nil {
		return err
	}
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(crlf(body))); err != nil {
		return err
	}
	return qp.Close()
}

// imagePart writes the nth image of a message: base64 in lines of 76
// characters, with its Content-ID, shown inline.
func imagePart(mw *multipart.Writer, img Image, n int) error {
	if img.ContentID == "" || strings.ContainsAny(img.ContentID, "<>\r\n \t") {
		return fmt.Errorf("email: image %d: bad Content-ID %q", n, img.ContentID)
	}
	typ, _, err := mime.ParseMediaType(img.Type)
	if err != nil || !strings.HasPrefix(typ, "image/") {
		return fmt.Errorf("email: image %d: type %q is not an image type", n, img.Type)
	}
	w, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {typ},
		"Content-Transfer-Encoding": {"base64"},
		"Content-Id":                {"<" + img.ContentID + ">"},
		"Content-Disposition":       {fmt.Sprintf(`inline; filename="image%d.%s"`, n, strings.TrimSuffix(strings.TrimPrefix(typ, "image/"), "+xml"))},
	})
	if err != nil {
		return err
	}
	enc := base64.StdEncoding.EncodeToString(img.Data)
	for len(enc) > 76 {
		if _, err := io.WriteString(w, enc[:76]+"\r\n"); err != nil {
			return err
		}
		enc = enc[76:]
	}
	_, err = io.WriteString(w, enc+"\r\n")
	return err
}

// MessageIDHeader returns the Message-ID of the message with the ID, sent
// from the address: "<ID@domain>". A domain with non-ASCII labels is
// written in its ASCII form (IDNA's "xn--" punycode labels, the whole
// domain lower-cased); a domain that still cannot be written in a
// Message-ID (a space, an empty label, a label past 63 characters) is
// goalkit.invalid.
func MessageIDHeader(id, from string) string {
	domain := ""
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		domain = asciiDomain(from[i+1:])
	}
	if domain == "" {
		domain = "goalkit.invalid"
	}
	return "<" + id + "@" + domain + ">"
}

// maxLine is the longest line RFC 5322 allows, CRLF not counted; foldTo
// the length it recommends, to which a header too long is folded.
const (
	maxLine = 998
	foldTo  = 78
)

// foldHeader returns a header line with its CRLF. A line longer than
// maxLine (a long subject or name is many encoded words) is folded at its
// spaces, before the word that would take a line past foldTo: a reader
// unfolds it by dropping the CRLFs. Shorter lines are left whole.
func foldHeader(line string) string {
	if len(line) <= maxLine {
		return line + "\r\n"
	}
	var b strings.Builder
	n := 0
	for i, w := range strings.Split(line, " ") {
		switch {
		case i == 0:
		case n+1+len(w) > foldTo && w != "":
			b.WriteString("\r\n")
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		if i > 0 && n == 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	b.WriteString("\r\n")
	return b.String()
}

// oneLine joins the lines of a header's text: each run of ASCII spaces,
// tabs and line breaks (CR, LF, VT, FF, U+0085, U+2028, U+2029) is one
// ASCII space, none at either end. Other spaces are as written: a no-break
// space (U+00A0) or a narrow one (U+202F) between a number and its unit,
// "1 500 ₽", stays one.
func oneLine(s string) string { return strings.Join(strings.FieldsFunc(s, lineSpace), " ") }

// lineSpace reports whether r is an ASCII space or a character that
// breaks a line or moves to a tab stop.
func lineSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

// crlf writes the line ends of a text part as CRLF.
func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}
