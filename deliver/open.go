package deliver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/goalkit/goalkit"
)

// Env looks up an environment variable, as os.LookupEnv does.
type Env func(name string) (string, bool)

// ChannelOptions are what building the channels of a configuration needs
// besides the configuration and the environment.
type ChannelOptions struct {
	// Env reads the secrets (nil: os.LookupEnv).
	Env Env
	// Bitrix24 sends Bitrix24 notifications (the Bitrix24 adapter's
	// client); needed when the configuration has a bitrix24 channel.
	Bitrix24 Notifier
	// HTTP is the client of webhooks, Telegram and Slack (nil:
	// http.DefaultClient).
	HTTP *http.Client
}

// channelAt is where the configuration's channel i is: a file's by its
// file and line, one built in Go (no line) by its index and name.
func (c *Config) channelAt(i int) string {
	ch := c.Channels[i]
	if c.File != "" && ch.Line > 0 {
		return fmt.Sprintf("%s:%d", c.File, ch.Line)
	}
	return fmt.Sprintf("channels[%d] (%s)", i, ch.Name)
}

// OpenChannels builds the channels of the configuration, reading their
// secrets from the environment. A Telegram token and a Slack URL are taken
// without the spaces and line breaks around them (a value read from a file
// often ends with one), and refused when they cannot be one; an SMTP
// password without the line breaks at its end (its spaces are kept). An
// error names the channel, its line and the variable, never a secret's
// value.
func (c *Config) OpenChannels(o ChannelOptions) (map[string]Channel, error) {
	env := o.Env
	if env == nil {
		env = os.LookupEnv
	}
	out := map[string]Channel{}
	var errs []error
	for i, ch := range c.Channels {
		fail := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("%s: channel %q: %s", c.channelAt(i), ch.Name, fmt.Sprintf(format, args...)))
		}
		secret := func(name string) (string, bool) {
			v, ok := env(name)
			if !ok || v == "" {
				fail("the variable %s is not set", name)
				return "", false
			}
			return v, true
		}
		switch ch.Type {
		case TypeWebhook:
			s, ok := secret(ch.SecretEnv)
			if !ok {
				continue
			}
			w, err := NewWebhook(ch.URL, s, o.HTTP)
			if err != nil {
				fail("%s: %v", ch.SecretEnv, err)
				continue
			}
			out[ch.Name] = w
		case TypeEmail:
			var pw string
			if ch.Username != "" {
				var ok bool
				if pw, ok = secret(ch.SecretEnv); !ok {
					continue
				}
				// A password read from a file often ends with its line
				// break, which no password has; its spaces may be its
				// own.
				pw = strings.TrimRight(pw, "\r\n")
			}
			e, err := NewEmail(EmailOptions{Addr: ch.SMTP, From: ch.From, Username: ch.Username, Password: pw, Security: ch.Security})
			if err != nil {
				fail("%v", err)
				continue
			}
			out[ch.Name] = e
		case TypeTelegram:
			// A configuration built in Go is not read by ParseConfig.
			if why := telegramBaseProblem(ch.URL); why != "" {
				fail("url %s", why)
				continue
			}
			if tok, ok := secret(ch.SecretEnv); ok {
				// A token read from a file or a secret store often
				// ends with a line break, which no token has.
				tok = strings.TrimSpace(tok)
				if !botToken(tok) {
					fail("the variable %s does not hold a bot token (letters, digits, ':', '-' and '_')", ch.SecretEnv)
					continue
				}
				out[ch.Name] = NewTelegram(ch.URL, tok, o.HTTP)
			}
		case TypeSlack:
			if u, ok := secret(ch.URLEnv); ok {
				u = strings.TrimSpace(u)
				if p, err := url.Parse(u); err != nil || p.Scheme != "https" && p.Scheme != "http" || p.Host == "" {
					fail("the variable %s does not hold an http:// or https:// URL with a host", ch.URLEnv)
					continue
				}
				if inClear(u) {
					fail("the variable %s holds an http:// URL: %s", ch.URLEnv, slackClear)
					continue
				}
				out[ch.Name] = NewSlack(u, o.HTTP)
			}
		case TypeBitrix24:
			if o.Bitrix24 == nil {
				fail("no Bitrix24 client was given")
				continue
			}
			out[ch.Name] = NewBitrix24(o.Bitrix24)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// botToken reports whether tok can be a Bot API token: nothing that would
// change the address it is written into.
func botToken(tok string) bool {
	if tok == "" {
		return false
	}
	for _, r := range tok {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ':' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Open opens the outbox file of the configuration and its channels, and
// returns the dispatcher over them; Close closes the outbox. It is what a
// server runs beside its tracker:
//
//	d, err := deliver.Open(ctx, plan, tracker, cfg, deliver.ChannelOptions{}, opts...)
//	…
//	defer d.Close()
//	go d.Run(ctx, time.Minute)
func Open(ctx context.Context, plan *goalkit.Plan, tracker *goalkit.Tracker, cfg *Config, co ChannelOptions, opts ...Option) (*Dispatcher, error) {
	chans, err := cfg.OpenChannels(co)
	if err != nil {
		return nil, err
	}
	path := cfg.Outbox
	if path == "" {
		path = defaultOutbox
	}
	ob, err := OpenOutbox(ctx, path)
	if err != nil {
		return nil, err
	}
	d, err := New(plan, tracker, cfg, ob, chans, opts...)
	if err != nil {
		ob.Close()
		return nil, err
	}
	d.closers = append(d.closers, ob.Close)
	return d, nil
}
