package deliver_test

import (
	"bytes"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/mail"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// sink is an in-process SMTP server that keeps each message once by its
// Message-ID, as a mail store that dedupes does; it counts every message
// accepted too.
type sink struct {
	mu       sync.Mutex
	addr     string
	byID     map[string][]byte
	order    []string
	accepted int
	rcpts    map[string][]string // by Message-ID
	// user and pass, when set, are the only login accepted; logins counts
	// the logins tried, refused or not.
	user, pass string
	logins     int
	// reject, when set, answers DATA with its error instead (nil: accept).
	reject func(n int) error
	// taken, when set, is called with the count after a message is kept,
	// before the server answers.
	taken func(n int)
	// dropQuit, when set, hangs up on QUIT without answering it, as a
	// server that closes the connection once it has the message does.
	dropQuit bool
}

// quitDropper is a connection of the sink that hangs up on QUIT when the
// sink says so.
type quitDropper struct {
	net.Conn
	s *sink
}

func (c quitDropper) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.s.mu.Lock()
	drop := c.s.dropQuit
	c.s.mu.Unlock()
	if drop && bytes.Contains(bytes.ToUpper(p[:n]), []byte("QUIT")) {
		c.Conn.Close()
		return 0, io.EOF
	}
	return n, err
}

// quitListener gives quitDroppers.
type quitListener struct {
	net.Listener
	s *sink
}

func (l quitListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return quitDropper{c, l.s}, nil
}

func newSink(t testing.TB) *sink { return newSinkTLS(t, nil) }

// newSinkTLS is a sink that offers STARTTLS with the configuration.
func newSinkTLS(t testing.TB, cfg *tls.Config) *sink {
	s := &sink{byID: map[string][]byte{}, rcpts: map[string][]string{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }))
	srv.Domain = "localhost"
	srv.TLSConfig = cfg
	srv.ErrorLog = log.New(io.Discard, "", 0) // clients the tests cut off
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().String()
	go srv.Serve(quitListener{l, s})
	t.Cleanup(func() { srv.Close() })
	return s
}

// set changes the sink's settings under its lock.
func (s *sink) set(fn func(s *sink)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s)
}

func (s *sink) messages() map[string][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]byte{}
	for k, v := range s.byID {
		out[k] = v
	}
	return out
}

type sinkSession struct {
	s      *sink
	authed bool
	rcpts  []string
}

func (ss *sinkSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *sinkSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		ss.s.mu.Lock()
		defer ss.s.mu.Unlock()
		ss.s.logins++
		if user != ss.s.user || pass != ss.s.pass {
			return smtp.ErrAuthFailed // 535, as servers answer a wrong password
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && !ss.authed {
		// RFC 4954's answer (go-smtp's ErrAuthRequired is a 502).
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	return nil
}

func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.rcpts = append(ss.rcpts, to)
	return nil
}

func (ss *sinkSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := ss.s
	m, err := mail.ReadMessage(bytesReader(data))
	if err != nil {
		return err
	}
	s.mu.Lock()
	if s.reject != nil {
		if err := s.reject(s.accepted + 1); err != nil {
			s.mu.Unlock()
			return err
		}
	}
	s.accepted++
	n, taken := s.accepted, s.taken
	id := m.Header.Get("Message-ID")
	if _, seen := s.byID[id]; !seen {
		s.byID[id] = data
		s.order = append(s.order, id)
		s.rcpts[id] = ss.rcpts
	}
	s.mu.Unlock()
	if taken != nil {
		taken(n)
	}
	return nil
}

func (ss *sinkSession) Reset()        { ss.rcpts = nil }
func (ss *sinkSession) Logout() error { return nil }
