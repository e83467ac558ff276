package bitrix24

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/plainhttp"
	"github.com/goalkit/goalkit/internal/retryafter"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
)

type attemptMeta struct {
	retryAfter time.Duration
	version    uint64
}

// call runs method until it succeeds, fails for good, or runs out of retries.
func (c *Client) call(ctx context.Context, method string, params map[string]any) (*rest.Response, error) {
	if !validMethod(method) {
		return nil, fmt.Errorf("bitrix24: invalid method name %q", method)
	}
	refreshed := false
	retry := 0
	for {
		if err := c.pace(ctx); err != nil {
			return nil, c.ctxErr(ctx, ctx, method, err)
		}
		start := c.cfg.now()
		r, meta, err := c.attempt(ctx, method, params)
		var ae *APIError
		if !errors.As(err, &ae) {
			if err == nil {
				c.cfg.log.Debug("bitrix24 call", "method", method, "status", r.Status, "took", c.cfg.now().Sub(start))
			}
			return r, err
		}
		c.cfg.log.Debug("bitrix24 call", "method", method, "status", ae.Status, "code", ae.Code, "took", c.cfg.now().Sub(start))
		if errors.Is(ae, ErrTokenExpired) && !refreshed {
			refreshed = true
			rerr := c.auth.refresh(ctx, meta.version)
			if errors.Is(rerr, errNoRefresh) {
				return nil, err
			}
			if rerr != nil {
				return nil, &refreshError{method: method, msg: c.redact(rerr.Error()), err: rerr}
			}
			c.cfg.log.Info("bitrix24 token refreshed", "method", method)
			continue
		}
		ae.wait = c.portalWait(method, ae.Code, meta.retryAfter)
		if !ae.retryable() || retry >= c.cfg.retries {
			return nil, err
		}
		d := c.delay(retry, ae.wait)
		if outlasts(ctx, d) {
			return nil, err
		}
		retry++
		c.cfg.log.Warn("bitrix24 retry", "method", method, "code", ae.Code, "status", ae.Status, "retry", retry, "delay", d)
		if err := c.cfg.sleep(ctx, d); err != nil {
			return nil, c.ctxErr(ctx, ctx, method, err)
		}
	}
}

// attempt sends one request, following a portal's move (HTTP 301/302/307/308
// to another host) with the same body.
func (c *Client) attempt(ctx context.Context, method string, params map[string]any) (*rest.Response, attemptMeta, error) {
	var meta attemptMeta
	actx, cancel := ctx, context.CancelFunc(func() {})
	if c.cfg.timeout > 0 {
		actx, cancel = context.WithTimeout(ctx, c.cfg.timeout)
	}
	defer cancel()
	for redirects := 0; ; redirects++ {
		u, tok, ver := c.auth.endpoint(method)
		meta.version = ver
		body := make(map[string]any, len(params)+1)
		for k, v := range params {
			body[k] = v
		}
		if tok != "" {
			body["auth"] = tok
		}
		b, err := rest.EncodeParams(method, body)
		if err != nil {
			return nil, meta, fmt.Errorf("bitrix24: %s: encode parameters: %w", method, err)
		}
		req, err := http.NewRequestWithContext(actx, http.MethodPost, u, bytes.NewReader(b))
		if err != nil {
			return nil, meta, &transportError{method: method, msg: "build request: " + c.redact(unwrapURLError(err).Error())}
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		if c.cfg.userAgent != "" {
			req.Header.Set("User-Agent", c.cfg.userAgent)
		}
		// The context is checked here, before every request (a retry's, a
		// page's, a move's), not only by the pacing's sleep: a host's sleep
		// may ignore it and return at once.
		if err := actx.Err(); err != nil {
			return nil, meta, c.ctxErr(ctx, actx, method, err)
		}
		resp, err := c.cfg.hc.Do(req)
		if err != nil {
			return nil, meta, c.ctxErr(ctx, actx, method, err)
		}
		switch resp.StatusCode {
		case http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
			loc, lerr := resp.Location()
			drain(resp.Body)
			if redirects >= 5 {
				return nil, meta, &APIError{Method: method, Status: resp.StatusCode, Description: "too many redirects"}
			}
			if lerr != nil || loc.Host == "" || (req.URL.Scheme == "https" && loc.Scheme != "https") || (loc.Scheme != "https" && loc.Scheme != "http") {
				return nil, meta, &APIError{Method: method, Status: resp.StatusCode, Description: "redirect to an unusable location"}
			}
			if plainhttp.InClear(loc) {
				// As New refuses such an address: the secret would
				// travel to the other machine in clear text.
				return nil, meta, &APIError{Method: method, Status: resp.StatusCode, Description: "redirect to http:// on another machine refused: the webhook's code or the token would travel in clear text"}
			}
			c.auth.rebase(loc.Scheme, loc.Host)
			c.cfg.log.Info("bitrix24 portal moved", "method", method, "host", loc.Host)
			continue
		}
		data, err := readBody(resp.Body, c.cfg.maxBody)
		resp.Body.Close()
		if err != nil {
			if ctx.Err() != nil || actx.Err() != nil {
				return nil, meta, c.ctxErr(ctx, actx, method, err)
			}
			return nil, meta, &DecodeError{Method: method, Status: resp.StatusCode, Where: "body", Err: errors.New(c.redact(err.Error()))}
		}
		meta.retryAfter = retryafter.Wait(resp.Header, c.cfg.now())
		r, err := c.decode(method, resp.StatusCode, data)
		return r, meta, err
	}
}

// decode turns a body into a response or an error.
func (c *Client) decode(method string, status int, data []byte) (*rest.Response, error) {
	env, derr := rest.DecodeEnvelope(data)
	if derr == nil && env.HasError {
		return nil, &APIError{Method: method, Status: status, Code: c.redact(env.Code), Description: c.redact(env.Desc)}
	}
	if status < 200 || status > 299 {
		// An answer that is not a Bitrix24 error body (a proxy's HTML page):
		// classified by its status alone.
		return nil, &APIError{Method: method, Status: status}
	}
	if derr != nil {
		return nil, &DecodeError{Method: method, Status: status, Err: derr}
	}
	if !env.HasResult {
		return nil, &DecodeError{Method: method, Status: status, Err: errors.New(`no "result" member`)}
	}
	if !env.Reset.IsZero() {
		reset := c.onClientClock(env.Reset, env.Start)
		c.st.mu.Lock()
		c.st.reset[method] = reset
		c.st.mu.Unlock()
	}
	env.Status = status
	return env, nil
}

// pace waits until the next request may start. A clock that goes back (a
// host's clock of WithClock stepped back; time.Now's readings never do)
// takes the next start back with it, so that the wait stays what it was:
// the next start is kept as an instant of the clock, and the step would
// otherwise be added to the wait.
func (c *Client) pace(ctx context.Context) error {
	if err := ctx.Err(); err != nil || c.cfg.minInterval <= 0 {
		// A done context takes no turn from the calls after it.
		return err
	}
	c.st.mu.Lock()
	now := c.st.read(c.cfg.now)
	start := c.st.next
	if start.Before(now) {
		start = now
	}
	c.st.next = start.Add(c.cfg.minInterval)
	c.st.mu.Unlock()
	if err := c.cfg.sleep(ctx, start.Sub(now)); err != nil {
		return err
	}
	c.st.mu.Lock()
	c.st.read(c.cfg.now)
	c.st.mu.Unlock()
	return nil
}

// read reads the clock, with st.mu held, so that the readings are in
// order. A reading before the one seen last is a clock set back: the next
// start goes back as far.
func (st *state) read(now func() time.Time) time.Time {
	t := now()
	if t.Before(st.seen) {
		st.next = st.next.Add(t.Sub(st.seen))
	}
	st.seen = t
	return t
}

// onClientClock moves t, an instant of the portal's clock (an
// operating_reset_at), onto the client's, by the difference between the
// client's clock now and the portal's when it began the call (the answer's
// time.start), so that the wait until it is the portal's however far apart
// the two clocks are. An answer without a start leaves t as it is. The
// start has whole seconds, so the wait may grow by up to one: never come
// back early.
func (c *Client) onClientClock(t, start time.Time) time.Time {
	if start.IsZero() {
		return t
	}
	return t.Add(c.cfg.now().Sub(start))
}

// portalWait is the wait the portal asked for after refusing method with
// code: the answer's Retry-After, or for OPERATION_TIME_LIMIT the time
// until the operating_reset_at it reported for the method (and a second),
// whichever is longer.
func (c *Client) portalWait(method, code string, retryAfter time.Duration) time.Duration {
	d := max(0, retryAfter)
	if strings.EqualFold(code, "OPERATION_TIME_LIMIT") {
		c.st.mu.Lock()
		reset, ok := c.st.reset[method]
		c.st.mu.Unlock()
		if ok {
			d = max(d, reset.Sub(c.cfg.now())+time.Second)
		}
	}
	return d
}

// delay is how long to wait before retry number retry (0-based) of a call
// whose portal asked for wait: the backoff, or wait when it is longer, at
// most the client's longest wait.
func (c *Client) delay(retry int, wait time.Duration) time.Duration {
	d := c.cfg.backoff
	for i := 0; i < retry && d < c.cfg.maxBackoff; i++ {
		if d > c.cfg.maxBackoff/2 {
			// Doubled, d would pass the cap, or wrap round below zero
			// where the cap is near the longest duration.
			d = c.cfg.maxBackoff
			break
		}
		d *= 2
	}
	return min(max(d, wait), c.cfg.maxWait)
}

// outlasts reports whether a wait of d before a retry of a call runs past
// ctx's deadline. The caller then gets the refusal at once, with the wait the
// portal asked for (RetryAfter), rather than a sleep into the deadline and
// an error that says only that the context ended: a delivery channel that
// bounds its attempt learns that the portal did not take the message, and
// when to come back.
func outlasts(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) < d
}

// ctxErr explains an error that happened while the request ran: the caller's
// context ended, the attempt's timeout fired, or the transport failed.
func (c *Client) ctxErr(ctx, actx context.Context, method string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("bitrix24: %s: %w", method, ctx.Err())
	}
	if actx.Err() != nil {
		return &timeoutError{method: method, after: c.cfg.timeout}
	}
	inner := unwrapURLError(err)
	msg := c.redact(inner.Error())
	if msg != inner.Error() {
		inner = nil // the cause would show a secret: keep only the masked text
	}
	return &transportError{method: method, msg: msg, err: inner}
}

// redact masks every secret of the client's Auth in s.
func (c *Client) redact(s string) string {
	for _, sec := range c.auth.secrets() {
		if sec == "" {
			continue
		}
		for _, form := range []string{sec, url.PathEscape(sec), url.QueryEscape(sec)} {
			s = strings.ReplaceAll(s, form, masked)
		}
	}
	return s
}

// unwrapURLError drops the *url.Error layer, whose text holds the request URL
// and with it the webhook secret.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func readBody(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("body larger than %d bytes", max)
	}
	return data, nil
}

func drain(r io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r, 64<<10))
	r.Close()
}

// validMethod accepts REST method names: letters, digits, '.', '_' and '-'.
func validMethod(m string) bool {
	if m == "" || len(m) > 128 {
		return false
	}
	for _, r := range m {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
		default:
			return false
		}
	}
	return !strings.Contains(m, "..")
}

// refreshError is a failed token refresh after expired_token.
type refreshError struct {
	method string
	msg    string
	err    error
}

func (e *refreshError) Error() string {
	return "bitrix24: " + e.method + ": access token expired and refresh failed: " + e.msg
}

func (e *refreshError) Unwrap() []error { return []error{ErrTokenExpired, ErrAuth, e.err} }
