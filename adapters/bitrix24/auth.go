package bitrix24

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/goalkit/goalkit/internal/plainhttp"
)

// Auth says where the portal is and how calls prove who they are: an incoming
// webhook (Webhook) or an OAuth application token (OAuth). Its secrets never
// appear in what it prints, in an error or in a log line.
type Auth interface {
	// String describes the endpoint with its secrets masked.
	String() string

	// endpoint returns the URL of method and the parameters to add to the
	// request body (the OAuth token), plus the token version used.
	endpoint(method string) (u string, auth string, version uint64)
	// secrets lists the strings to mask in error texts.
	secrets() []string
	// refresh renews an expired OAuth token; version is the one the failed call
	// used, so concurrent callers refresh once.
	refresh(ctx context.Context, version uint64) error
	// rebase moves the endpoint to another scheme and host (a portal that
	// changed its address answers with a redirect).
	rebase(scheme, host string)
	// err is a problem found when the Auth was made.
	err() error
}

// secret keeps a credential behind a pointer, so that printing a struct that
// holds it (fmt's %v and %+v) shows an address, never the value.
type secret struct{ s string }

const masked = "***"

// Webhook returns the Auth of an incoming webhook, whose URL has the form
// https://PORTAL/rest/USER_ID/CODE/ (a method name after it, as in the URL
// Bitrix24 shows, is ignored). CODE is the secret. A malformed URL is reported
// by New, without the URL in the message, as is http:// to another machine
// than this one (the code would travel in clear text).
func Webhook(rawURL string) Auth {
	w := &webhook{}
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		w.bad = errors.New("bitrix24: webhook url: want https://PORTAL/rest/USER_ID/CODE/")
		return w
	}
	if plainhttp.InClear(u) {
		w.bad = errors.New("bitrix24: webhook url: http:// only to localhost or a loopback address: the URL holds the webhook's code, which would travel in clear text; want https://PORTAL/rest/USER_ID/CODE/")
		return w
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	at := -1
	for i, s := range segs {
		if s == "rest" {
			at = i
		}
	}
	if at < 0 || len(segs) < at+3 || len(segs) > at+4 || !digits(segs[at+1]) || segs[at+2] == "" {
		w.bad = errors.New("bitrix24: webhook url: want https://PORTAL/rest/USER_ID/CODE/")
		return w
	}
	w.scheme, w.host = u.Scheme, u.Host
	w.prefix = "/" + strings.Join(segs[:at+2], "/") + "/"
	w.code = &secret{segs[at+2]}
	w.mu = new(sync.Mutex)
	return w
}

type webhook struct {
	mu           *sync.Mutex
	scheme, host string
	prefix       string // "/rest/1/"
	code         *secret
	bad          error
}

func (w *webhook) String() string {
	if w.bad != nil {
		return "bitrix24 webhook (invalid)"
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return "bitrix24 webhook " + w.scheme + "://" + w.host + w.prefix + masked + "/"
}

// GoString masks the secret in %#v too.
func (w *webhook) GoString() string { return w.String() }

func (w *webhook) endpoint(method string) (string, string, uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.scheme + "://" + w.host + w.prefix + w.code.s + "/" + method, "", 0
}

func (w *webhook) secrets() []string {
	if w.code == nil {
		return nil
	}
	return []string{w.code.s}
}

func (w *webhook) refresh(context.Context, uint64) error { return errNoRefresh }

func (w *webhook) rebase(scheme, host string) {
	w.mu.Lock()
	w.scheme, w.host = scheme, host
	w.mu.Unlock()
}

func (w *webhook) err() error { return w.bad }

var errNoRefresh = errors.New("no refresh function")

// Token is an OAuth 2.0 token pair of a Bitrix24 application. The access token
// lives one hour, the refresh token 180 days.
type Token struct {
	AccessToken  string
	RefreshToken string
	// Expiry is when the access token expires, if known. The client does not
	// refresh on a timer: it refreshes when the portal answers expired_token.
	Expiry time.Time
}

// String masks both tokens.
func (t Token) String() string { return "bitrix24.Token{" + masked + "}" }

// GoString masks both tokens in %#v too.
func (t Token) GoString() string { return t.String() }

// RefreshFunc renews an expired token, typically by calling
// https://oauth.bitrix.info/oauth/token/ with the application's client id and
// secret, and stores the new pair for the next run. It must not put the tokens
// in the error it returns.
type RefreshFunc func(ctx context.Context, expired Token) (Token, error)

// OAuth returns the Auth of an OAuth application: endpoint is the portal's
// REST address (the client_endpoint of the OAuth answer, e.g.
// https://PORTAL/rest/), tok the current tokens. When the portal answers
// expired_token, the client calls refresh once and repeats the call; with a nil
// refresh the call fails with ErrTokenExpired. An endpoint over http:// to
// another machine than this one is refused (the token would travel in clear
// text).
func OAuth(endpoint string, tok Token, refresh RefreshFunc) Auth {
	o := &oauth{mu: new(sync.Mutex), refreshing: new(sync.Mutex), fn: refresh}
	u, err := url.Parse(strings.TrimSpace(endpoint))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" {
		o.bad = errors.New("bitrix24: oauth endpoint: want https://PORTAL/rest/")
		return o
	}
	if plainhttp.InClear(u) {
		o.bad = errors.New("bitrix24: oauth endpoint: http:// only to localhost or a loopback address: every call carries the access token, which would travel in clear text; want https://PORTAL/rest/")
		return o
	}
	if tok.AccessToken == "" {
		o.bad = errors.New("bitrix24: oauth: empty access token")
		return o
	}
	o.scheme, o.host = u.Scheme, u.Host
	o.path = strings.TrimSuffix(u.Path, "/") + "/"
	if !strings.HasSuffix(o.path, "/rest/") {
		o.path += "rest/"
	}
	o.tok = &tokenBox{tok}
	return o
}

type tokenBox struct{ t Token }

type oauth struct {
	// refreshing is held while the RefreshFunc runs, so that concurrent
	// callers refresh once; mu, which guards the fields below it, is not,
	// so that the function may print the Auth or the client.
	refreshing   *sync.Mutex
	mu           *sync.Mutex
	scheme, host string
	path         string
	tok          *tokenBox
	version      uint64
	old          []*secret // earlier tokens, still masked in errors
	fn           RefreshFunc
	bad          error
}

func (o *oauth) String() string {
	if o.bad != nil {
		return "bitrix24 oauth (invalid)"
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return "bitrix24 oauth " + o.scheme + "://" + o.host + o.path + " (token " + masked + ")"
}

func (o *oauth) GoString() string { return o.String() }

func (o *oauth) endpoint(method string) (string, string, uint64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.scheme + "://" + o.host + o.path + method, o.tok.t.AccessToken, o.version
}

func (o *oauth) secrets() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.tok == nil {
		return nil
	}
	s := []string{o.tok.t.AccessToken, o.tok.t.RefreshToken}
	for _, x := range o.old {
		s = append(s, x.s)
	}
	return s
}

func (o *oauth) refresh(ctx context.Context, version uint64) error {
	if o.fn == nil {
		return errNoRefresh
	}
	o.refreshing.Lock()
	defer o.refreshing.Unlock()
	o.mu.Lock()
	cur, ver := o.tok.t, o.version
	o.mu.Unlock()
	if ver != version {
		return nil // another call refreshed the token already
	}
	nt, err := o.fn(ctx, cur)
	if err != nil {
		return err
	}
	if nt.AccessToken == "" {
		return errors.New("refresh returned an empty access token")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.old = append(o.old, &secret{o.tok.t.AccessToken}, &secret{o.tok.t.RefreshToken})
	if len(o.old) > 8 {
		o.old = o.old[len(o.old)-8:]
	}
	o.tok = &tokenBox{nt}
	o.version++
	return nil
}

func (o *oauth) rebase(scheme, host string) {
	o.mu.Lock()
	o.scheme, o.host = scheme, host
	o.mu.Unlock()
}

func (o *oauth) err() error { return o.bad }

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
