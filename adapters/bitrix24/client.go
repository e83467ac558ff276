package bitrix24

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Client calls the Bitrix24 REST API (v1) of one portal. It is safe for
// concurrent use; calls from one Client share its pacing (WithMinInterval), so
// concurrent use does not get around the portal's limits.
//
// The client mostly reads. It repeats a call only when the portal refused it
// without running it (a limit, an expired token, a move, a 429 or 503 of a
// proxy in front of it), never after an answer was lost (a timeout, a
// broken connection, another gateway error such as 502 or 504), so its
// few writes (NotifyUser, and the tasks and events of Actions) are never sent
// twice by the client itself.
type Client struct {
	auth Auth
	cfg  config
	st   *state
}

type config struct {
	hc          *http.Client
	timeout     time.Duration
	retries     int
	backoff     time.Duration
	maxBackoff  time.Duration
	maxWait     time.Duration
	minInterval time.Duration
	now         func() time.Time
	sleep       SleepFunc
	log         *slog.Logger
	userAgent   string
	maxBody     int64
}

// state is the mutable part of a Client, behind a pointer so the Client value
// holds no lock.
type state struct {
	mu    sync.Mutex
	next  time.Time            // earliest start of the next request (pacing)
	seen  time.Time            // the clock's reading at the last pacing
	reset map[string]time.Time // method -> operating_reset_at last seen
}

// SleepFunc waits for d or until ctx is done, whichever comes first, and then
// returns ctx.Err() if ctx is done. Tests inject one that advances a fake clock.
// The client checks ctx itself before every request, so a SleepFunc that
// ignores ctx still lets no request out once ctx is done.
type SleepFunc func(ctx context.Context, d time.Duration) error

// Option configures a Client; a nil Option changes nothing.
type Option func(*config) error

// WithHTTPClient sets the HTTP client (transport, proxy, TLS). The client's
// CheckRedirect is not used: the Client follows a portal's move itself, keeping
// the POST body. Default: a client with http.DefaultTransport.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("bitrix24: nil http client")
		}
		c.hc = hc
		return nil
	}
}

// WithTimeout bounds each attempt of a call, from sending the request to the
// end of its body. Zero or negative disables the bound (the caller's context
// still applies). Default: 75 s, above the cloud's 60 s limit per request.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error { c.timeout = d; return nil }
}

// WithRetries sets how many times a call refused with QUERY_LIMIT_EXCEEDED
// (HTTP 503) or OPERATION_TIME_LIMIT (HTTP 429), or answered 429 or 503
// without a Bitrix24 error (a proxy's page), is repeated. Default: 6.
func WithRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return errors.New("bitrix24: negative retry count")
		}
		c.retries = n
		return nil
	}
}

// WithBackoff sets the first delay before a retry and its cap; the delay
// doubles at each retry. A Retry-After header, or for OPERATION_TIME_LIMIT the
// operating_reset_at the portal reported for the method, makes it longer (up to
// 10 minutes). Default: 1 s, capped at 1 minute.
func WithBackoff(first, max time.Duration) Option {
	return func(c *config) error {
		if first <= 0 || max < first {
			return errors.New("bitrix24: backoff wants 0 < first <= max")
		}
		c.backoff, c.maxBackoff = first, max
		return nil
	}
}

// WithMinInterval paces requests: a request starts at least d after the start
// of the previous one. The portal's leaky bucket drains 2 requests a second on
// most plans, so the default is 500 ms. Zero disables pacing.
func WithMinInterval(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("bitrix24: negative minimum interval")
		}
		c.minInterval = d
		return nil
	}
}

// WithClock sets the clock used for pacing and backoff. Default: time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("bitrix24: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithSleep sets how the client waits between attempts and for pacing.
// Default: a timer that stops early when the context is done.
func WithSleep(sleep SleepFunc) Option {
	return func(c *config) error {
		if sleep == nil {
			return errors.New("bitrix24: nil sleep function")
		}
		c.sleep = sleep
		return nil
	}
}

// WithLogger logs each call at debug level and each retry at warn level:
// method, attempt, HTTP status, error code and delay. Never a URL, a token or
// a parameter value. Default: no logging.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("bitrix24: nil logger")
		}
		c.log = l
		return nil
	}
}

// WithUserAgent sets the User-Agent header. Default: "goalkit-bitrix24".
func WithUserAgent(ua string) Option {
	return func(c *config) error { c.userAgent = ua; return nil }
}

// WithMaxBody bounds the size of a response body; a larger one is an
// ErrMalformed error. Default: 64 MiB.
func WithMaxBody(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("bitrix24: non-positive body limit")
		}
		c.maxBody = n
		return nil
	}
}

// New returns a Client for the portal auth points to.
func New(auth Auth, opts ...Option) (*Client, error) {
	if auth == nil {
		return nil, errors.New("bitrix24: nil auth")
	}
	if err := auth.err(); err != nil {
		return nil, err
	}
	cfg := config{
		hc:          &http.Client{},
		timeout:     75 * time.Second,
		retries:     6,
		backoff:     time.Second,
		maxBackoff:  time.Minute,
		maxWait:     10 * time.Minute,
		minInterval: 500 * time.Millisecond,
		now:         time.Now,
		sleep:       sleepCtx,
		log:         slog.New(slog.DiscardHandler),
		userAgent:   "goalkit-bitrix24",
		maxBody:     64 << 20,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	hc := *cfg.hc
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	cfg.hc = &hc
	return &Client{auth: auth, cfg: cfg, st: &state{reset: map[string]time.Time{}}}, nil
}

// String describes the client with its secrets masked.
func (c *Client) String() string { return "bitrix24.Client(" + c.auth.String() + ")" }

// GoString masks the secrets in %#v too.
func (c *Client) GoString() string { return c.String() }

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
