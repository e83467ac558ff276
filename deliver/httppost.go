package deliver

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/retryafter"

	"github.com/goalkit/goalkit/internal/display"
)

// maxResponse is how much of a receiver's answer is read.
const maxResponse = 64 << 10

// requestTimeout bounds one request of an HTTP channel, its answer read
// included, as EmailOptions.Timeout bounds an email's conversation: a
// receiver that never answers would otherwise hold the dispatcher, whose
// ticks wait for the attempt. A request cut off by it has an unknown
// outcome.
const requestTimeout = time.Minute

// answer is what an HTTP channel's receiver answered: its status, up to
// maxResponse bytes of its body, and the wait its Retry-After header asks
// for (zero when it asks none).
type answer struct {
	code int
	data []byte
	wait time.Duration
}

// post sends body to target as JSON with the extra headers and returns the
// receiver's answer. Its errors never hold
// target, whose path or query may carry a token: a url.Error is reduced to
// what went wrong. It takes at most requestTimeout. It follows no redirect: a 3xx answer is returned as it
// is, a failure of the channel (Go's client would follow a 301 or 302 with
// a GET without the message, whose 200 would read as delivered, and a 307
// or 308 with the message to wherever the answer points).
func post(ctx context.Context, client *http.Client, channel, target string, header http.Header, body []byte) (answer, error) {
	if client == nil {
		client = http.DefaultClient
	}
	noRedirect := *client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	client = &noRedirect
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return answer{}, Permanent(fmt.Errorf("%s: bad address: %v", channel, redact(err)))
	}
	// An address without a scheme or a host ("hooks.example.com/x") is
	// sent nowhere: Go's client fails it as it would a request whose
	// outcome is unknown.
	if u := req.URL; u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return answer{}, Permanent(fmt.Errorf("%s: bad address: want an http:// or https:// URL with a host", channel))
	}
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := client.Do(req)
	if err != nil {
		err = fmt.Errorf("%s: %w", channel, redact(err))
		if dialFailed(err) {
			// The channel's receiver cannot be reached, or its TLS
			// fails: no message of the channel can be sent now.
			return answer{}, ChannelFault(err)
		}
		return answer{}, err
	}
	defer resp.Body.Close()
	a := answer{code: resp.StatusCode, wait: retryafter.Wait(resp.Header, time.Now())}
	if a.data, err = io.ReadAll(io.LimitReader(resp.Body, maxResponse)); err != nil {
		return answer{code: resp.StatusCode}, fmt.Errorf("%s: reading the answer: %w", channel, redact(err))
	}
	return a, nil
}

// waitError is the error of an answer that asked the sender to wait before
// trying again (HTTP Retry-After, Telegram's retry_after): the dispatcher
// waits at least that long, bounded by Retry.Max.
type waitError struct {
	err  error
	wait time.Duration
}

func (e *waitError) Error() string { return e.err.Error() }
func (e *waitError) Unwrap() error { return e.err }

// RetryAfter is the wait the receiver asked for.
func (e *waitError) RetryAfter() time.Duration { return e.wait }

// withWait returns err asking the dispatcher to wait at least d before the
// next attempt; err as it is when d is not positive.
func withWait(err error, d time.Duration) error {
	if err == nil || d <= 0 {
		return err
	}
	return &waitError{err: err, wait: d}
}

// serverWait returns the wait err asks for before the next attempt: that
// of the first error in its chain with a method RetryAfter() time.Duration
// (the HTTP channels' answers with Retry-After or Telegram's retry_after, a
// host channel's own), zero when none asks.
func serverWait(err error) time.Duration {
	var w interface{ RetryAfter() time.Duration }
	if errors.As(err, &w) {
		return max(0, w.RetryAfter())
	}
	return 0
}

// redact drops the URL from a url.Error (Go's HTTP client puts the whole
// request URL in its errors).
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", strings.ToLower(ue.Op), ue.Err)
	}
	return err
}

// dialFailed reports whether err is a failure to connect: nothing was
// sent. A TLS handshake that failed (a certificate not trusted, expired or
// of another name; an alert of the server; an answer that is no TLS, a
// plain HTTP server's included, which Go's client reports as
// http.ErrSchemeMismatch) is one too: the request goes only once the
// handshake is done.
func dialFailed(err error) bool {
	var (
		op     *net.OpError
		verify *tls.CertificateVerificationError
		record tls.RecordHeaderError
		alert  tls.AlertError
	)
	return errors.As(err, &op) && op.Op == "dial" || errors.As(err, &verify) || errors.As(err, &record) || errors.As(err, &alert) ||
		errors.Is(err, http.ErrSchemeMismatch)
}

// snippet returns the start of a receiver's answer for an error message,
// on one line, at most 200 bytes cut between characters (never inside
// one of the escapes below), with each of the secrets (the channel's token, its URL: see
// urlSecrets) masked first, so that an answer that quotes the request (a
// proxy's error page) shows no part of one where the cut falls. The error
// is plain text (kept in the outbox as a dead letter's reason, logged,
// printed on a terminal): its runs of white space are one space, and the
// other control characters (C0, DEL, C1), the bidirectional formatting
// characters and bytes of invalid UTF-8 are written as Go escapes (\x1b,
// \u202e), where they went as they were, so that an answer could move a
// terminal's cursor or reorder the line that shows it.
func snippet(data []byte, secrets ...string) string {
	s := display.Text(strings.Join(strings.Fields(mask(string(data), secrets)), " "))
	if len(s) <= 200 {
		return s
	}
	// Cut between characters, and before an escape that the cut would
	// split: "\u20…" read as neither the character nor its escape.
	cut := len(display.Clip(s, 200)) - len("…")
	return s[:escapeStart(s, cut)] + "…"
}

// mask replaces every occurrence of each secret in s, as it is and
// escaped for a URL's path or query, with "…".
func mask(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		for _, form := range []string{sec, url.PathEscape(sec), url.QueryEscape(sec)} {
			s = strings.ReplaceAll(s, form, "…")
		}
	}
	return s
}

// urlSecrets are the forms of a channel's URL, whose path or query may
// carry a token, that an answer may quote: the whole URL, its path and
// query as sent, its path, and its query. A path of one character (the
// root) is no secret.
func urlSecrets(target string) []string {
	out := []string{target}
	u, err := url.Parse(target)
	if err != nil {
		return out
	}
	for _, p := range []string{u.RequestURI(), u.EscapedPath(), u.Path} {
		if len(p) > 1 {
			out = append(out, p)
		}
	}
	if u.RawQuery != "" {
		out = append(out, u.RawQuery)
	}
	return out
}
