package deliver

import (
	"bytes"
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/plainhttp"
	"github.com/goalkit/goalkit/internal/yamlerr"
	"go.yaml.in/yaml/v3"
)

// Config is the delivery configuration file: where the outbox lives, how
// failed attempts are retried, the channels and the recipients. Secrets are
// never in it: it names the environment variables that hold them.
type Config struct {
	// File is the name the file was read under, for messages.
	File string
	// Outbox is the path of the outbox's SQLite file (default
	// "goalkit-outbox.db"); ReadConfig makes a relative path relative to
	// the configuration file.
	Outbox     string
	Retry      Retry
	Channels   []ChannelConfig
	Recipients []Recipient
}

// Retry is how failed attempts are retried: after the n-th failure the
// next attempt waits Base·2^(n-1), at most Max, of which a random part
// (up to a half) is jitter, or longer when the receiver asked for a longer
// wait (Retry-After, Telegram's retry_after), up to Max; after Attempts
// failures the message goes to the dead letters. A zero field means its
// default (DefaultAttempts, DefaultBase, DefaultMax), a default max no less
// than the base given and a default base no more than the max given.
type Retry struct {
	Attempts int
	Base     time.Duration
	Max      time.Duration
}

// defaultOutbox is the outbox's file when the configuration names none.
const defaultOutbox = "goalkit-outbox.db"

// The retry defaults.
const (
	DefaultAttempts = 10
	DefaultBase     = 30 * time.Second
	DefaultMax      = time.Hour
)

// Channel types.
const (
	TypeWebhook  = "webhook"
	TypeEmail    = "email"
	TypeTelegram = "telegram"
	TypeSlack    = "slack"
	TypeBitrix24 = "bitrix24"
)

var channelTypes = []string{TypeBitrix24, TypeEmail, TypeSlack, TypeTelegram, TypeWebhook}

// Guarantee is what a channel without deduplication promises when a crash
// leaves the outcome of an attempt unknown.
type Guarantee string

// The guarantees.
const (
	// AtLeastOnce sends again: nothing is lost, and a message whose first
	// attempt had reached the receiver arrives twice.
	AtLeastOnce Guarantee = "at_least_once"
	// AtMostOnce sends nothing more: the message goes to the dead letters
	// with the reason, so nothing arrives twice and such a message may be
	// lost.
	AtMostOnce Guarantee = "at_most_once"
)

// ChannelConfig is one channel of the configuration.
type ChannelConfig struct {
	Name string
	Type string
	// URL is the webhook's address, or the base URL of the Telegram Bot
	// API (default https://api.telegram.org; https:// unless its host is
	// this machine, since the token travels in its path).
	URL string
	// URLEnv names the variable holding a Slack incoming webhook's URL
	// (which is itself a secret, so https:// unless its host is this
	// machine), or for a bitrix24 channel the variable of the portal's
	// webhook URL that goalkit notify reads (default
	// GOALKIT_BITRIX24_URL).
	URLEnv string
	// SecretEnv names the variable holding the webhook secret
	// ("whsec_…"), the Telegram bot token or the SMTP password.
	SecretEnv string
	// SMTP is the mail server as host:port, From the sender's address,
	// Username the SMTP login (no login when empty) and Security one of
	// starttls (the default), tls or none (with a login, only to a server
	// on this machine: the password would go in the clear).
	SMTP     string
	From     string
	Username string
	Security string
	// Guarantee applies to channels whose receiver does not deduplicate
	// (Telegram, Slack, Bitrix24); default at_least_once.
	Guarantee Guarantee
	// Line is the channel's line in the file.
	Line int
}

// Recipient is a person (or a room) that receives notifications, seeing
// what the visibility policy lets User see.
type Recipient struct {
	// User is the user id the visibility policy judges (the participant
	// ids of the plan); Name is shown in messages about them (about the
	// user, not about a team of the same id).
	User string `json:"user"`
	Name string `json:"name,omitempty"`
	// Admin sees every row.
	Admin bool `json:"admin,omitempty"`
	// Email (one address, alone or with a name in angle brackets:
	// "Анна <anna@example.com>"), Telegram (a chat id: an integer,
	// negative for a group or a channel, or a public channel's
	// "@username") and Bitrix24 (a portal user id: a positive integer, as
	// the portal numbers its users) are the addresses.
	Email    string `json:"email,omitempty"`
	Telegram string `json:"telegram,omitempty"`
	Bitrix24 string `json:"bitrix24,omitempty"`
	// Language is "ru" or "en" (default en); TimeZone an IANA name for
	// the digests' local hour and the dates of messages (default UTC).
	Language string `json:"language,omitempty"`
	TimeZone string `json:"timezone,omitempty"`
	// Channels are the names of the channels that deliver to the
	// recipient; nil: every email, Telegram and Bitrix24 channel the
	// recipient has an address for.
	Channels []string `json:"channels,omitempty"`
	// Kinds limits the notification kinds sent; nil: all. An empty list
	// (here or in Channels), which would be read as nil and not as none,
	// is refused by New, as ParseConfig refuses "kinds: []".
	Kinds []string `json:"kinds,omitempty"`
	// Daily and Weekly schedule the digests; nil: none.
	Daily  *Schedule `json:"daily,omitempty"`
	Weekly *Schedule `json:"weekly,omitempty"`
	// Line is the recipient's line in the file.
	Line int `json:"-"`
	loc  *time.Location
}

// Location returns the recipient's time zone: UTC when TimeZone is empty,
// or when it is not a zone's name (ParseConfig and New refuse those).
// The zone ParseConfig resolved is TimeZone's only while TimeZone names
// it: a host that sets TimeZone afterwards gets the zone it set.
func (r *Recipient) Location() *time.Location {
	if r.resolved() {
		return r.loc
	}
	if r.TimeZone != "" && r.TimeZone != "Local" {
		if loc, err := time.LoadLocation(r.TimeZone); err == nil {
			return loc
		}
	}
	return time.UTC
}

// resolved reports whether loc, the zone ParseConfig or New resolved, is
// still the one TimeZone names.
func (r *Recipient) resolved() bool {
	return r.loc != nil && r.loc.String() == r.TimeZone
}

// lang is the recipient's language, en when none is given.
func (r *Recipient) lang() string {
	if r.Language == "" {
		return "en"
	}
	return r.Language
}

// Schedule is a local time of day, and for a weekly digest the day.
type Schedule struct {
	Weekday time.Weekday `json:"weekday"`
	Hour    int          `json:"hour"`
	Minute  int          `json:"minute"`
}

// Languages are the languages of the built-in templates.
var languages = []string{"en", "ru"}

// ReadConfig reads and checks the configuration file at path.
func ReadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cfg, err := ParseConfig(path, data)
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(cfg.Outbox) {
		cfg.Outbox = filepath.Join(filepath.Dir(path), cfg.Outbox)
	}
	return cfg, nil
}

// ConfigError lists every problem of a configuration file, sorted by line,
// each as FILE:LINE: message.
type ConfigError struct {
	File     string
	Problems []ConfigProblem
}

// ConfigProblem is one problem of a configuration file.
type ConfigProblem struct {
	Line    int
	Path    string
	Message string
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s:%d: ", display.Text(e.File), p.Line)
		if p.Path != "" {
			b.WriteString(p.Path + ": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

// ParseConfig parses and checks a configuration file; name is used in
// messages. Every problem is reported, each with its line.
func ParseConfig(name string, data []byte) (*Config, error) {
	cfg := &Config{File: name, Outbox: defaultOutbox,
		Retry: Retry{Attempts: DefaultAttempts, Base: DefaultBase, Max: DefaultMax}}
	data = yamlerr.JSONText(data) // a JSON file as encoding/json reads it
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := yamlerr.Locate(data, err)
		return nil, &ConfigError{File: name, Problems: []ConfigProblem{{Line: line, Message: msg}}}
	}
	p := &parser{}
	if len(doc.Content) == 0 || doc.Content[0].Tag == "!!null" {
		p.add(1, "", "the file is empty: it needs channels and recipients")
	} else {
		p.config(doc.Content[0], cfg)
	}
	if len(p.problems) > 0 {
		// The library places some nodes (an empty document's) past the
		// last line.
		flat := bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		last := bytes.Count(flat, []byte("\n")) + bytes.Count(flat, []byte("\r")) + 1
		for i := range p.problems {
			p.problems[i].Line = max(min(p.problems[i].Line, last), 1)
		}
		sort.SliceStable(p.problems, func(i, j int) bool {
			a, b := p.problems[i], p.problems[j]
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Path < b.Path
		})
		return nil, &ConfigError{File: name, Problems: p.problems}
	}
	return cfg, nil
}

type parser struct{ problems []ConfigProblem }

func (p *parser) add(line int, path, format string, args ...any) {
	p.problems = append(p.problems, ConfigProblem{Line: line, Path: path, Message: fmt.Sprintf(format, args...)})
}

// fields walks a mapping node, calling fn with each key and value; unknown
// keys, repeated keys and a node that is not a mapping are problems.
func (p *parser) fields(n *yaml.Node, path string, known []string, fn func(key string, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, path, "must be a mapping")
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kp := join(path, k.Value)
		switch {
		case !slices.Contains(known, k.Value):
			p.add(k.Line, kp, "unknown field (known: %s)", strings.Join(known, ", "))
		case seen[k.Value]:
			p.add(k.Line, kp, "given twice")
		default:
			seen[k.Value] = true
			fn(k.Value, v)
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// str returns a scalar's text; anything else is a problem.
func (p *parser) str(n *yaml.Node, path string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.add(n.Line, path, "must be a text")
		return ""
	}
	return n.Value
}

func (p *parser) strs(n *yaml.Node, path string) []string {
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, path, "must be a list")
		return nil
	}
	var out []string
	for i, c := range n.Content {
		at := fmt.Sprintf("%s[%d]", path, i)
		switch s := p.str(c, at); {
		case s != "":
			out = append(out, s)
		case c.Kind == yaml.ScalarNode && c.Tag != "!!null":
			// Dropped, [""] was read as no list at all: every kind, the
			// channels of the addresses.
			p.add(c.Line, at, "is an empty text, which names nothing: leave it out")
		}
	}
	return out
}

func (p *parser) config(n *yaml.Node, cfg *Config) {
	var chans, recs *yaml.Node
	p.fields(n, "", []string{"outbox", "retry", "channels", "recipients"}, func(k string, v *yaml.Node) {
		switch k {
		case "outbox":
			if v.Kind == yaml.ScalarNode && v.Tag != "!!null" && v.Value == "" {
				// Read as the path of the configuration's folder, which
				// SQLite cannot open.
				p.add(v.Line, k, "must be a file's path, got an empty text (leave outbox out for %s)", defaultOutbox)
				return
			}
			cfg.Outbox = p.str(v, k)
		case "retry":
			p.retry(v, &cfg.Retry)
		case "channels":
			chans = v
		case "recipients":
			recs = v
		}
	})
	if n.Kind != yaml.MappingNode {
		return
	}
	names := map[string]string{} // channel name → type
	if chans == nil || chans.Kind != yaml.SequenceNode || len(chans.Content) == 0 {
		p.add(lineOf(chans, n), "channels", "at least one channel is needed (a list)")
	} else {
		for i, c := range chans.Content {
			ch := p.channel(c, fmt.Sprintf("channels[%d]", i))
			if ch.Name != "" {
				if _, dup := names[ch.Name]; dup {
					p.add(c.Line, fmt.Sprintf("channels[%d].name", i), "channel %q is defined twice", ch.Name)
				}
				names[ch.Name] = ch.Type
			}
			cfg.Channels = append(cfg.Channels, ch)
		}
	}
	if recs == nil || recs.Kind != yaml.SequenceNode || len(recs.Content) == 0 {
		p.add(lineOf(recs, n), "recipients", "at least one recipient is needed (a list)")
		return
	}
	users := map[string]bool{}
	for i, c := range recs.Content {
		path := fmt.Sprintf("recipients[%d]", i)
		r := p.recipient(c, path)
		if r.User != "" {
			if users[r.User] {
				p.add(c.Line, path+".user", "recipient %q is listed twice", r.User)
			}
			users[r.User] = true
		}
		for j, name := range r.Channels {
			cp := fmt.Sprintf("%s.channels[%d]", path, j)
			switch typ, ok := names[name]; {
			case slices.Contains(r.Channels[:j], name):
				// Its two messages would share an id: the outbox would
				// keep one, and the tick count two.
				p.add(c.Line, cp, "channel %q is listed twice", name)
			case !ok:
				p.add(c.Line, cp, "no channel is named %q", name)
			case typ == TypeEmail && r.Email == "", typ == TypeTelegram && r.Telegram == "", typ == TypeBitrix24 && r.Bitrix24 == "":
				p.add(c.Line, cp, "%s is a %s channel and the recipient has no %s address", name, typ, typ)
			}
		}
		cfg.Recipients = append(cfg.Recipients, r)
	}
}

func lineOf(n, parent *yaml.Node) int {
	if n != nil {
		return n.Line
	}
	return parent.Line
}

func (p *parser) retry(n *yaml.Node, r *Retry) {
	given := map[string]bool{}
	p.fields(n, "retry", []string{"attempts", "base", "max"}, func(k string, v *yaml.Node) {
		path := "retry." + k
		s := p.str(v, path)
		if s == "" {
			return
		}
		switch k {
		case "attempts":
			a, err := strconv.Atoi(s)
			if err != nil || a < 1 || a > 1000 {
				p.add(v.Line, path, "must be a whole number from 1 to 1000, got %q", s)
				return
			}
			r.Attempts = a
		default:
			d, err := time.ParseDuration(s)
			if err != nil || d <= 0 {
				p.add(v.Line, path, "must be a positive duration such as 30s or 1h, got %q", s)
				return
			}
			given[k] = true
			if k == "base" {
				r.Base = d
			} else {
				r.Max = d
			}
		}
	})
	// One bound given alone bends the other's default to it, as New does
	// with a configuration built in Go.
	switch {
	case given["base"] && !given["max"]:
		r.Max = max(r.Max, r.Base)
	case given["max"] && !given["base"]:
		r.Base = min(r.Base, r.Max)
	}
	if r.Max < r.Base {
		p.add(n.Line, "retry", "max (%s) is less than base (%s)", r.Max, r.Base)
	}
}

func (p *parser) channel(n *yaml.Node, path string) ChannelConfig {
	ch := ChannelConfig{Line: n.Line}
	// texts are the fields taken as they are written.
	texts := map[string]*string{"name": &ch.Name, "type": &ch.Type, "url": &ch.URL, "base_url": &ch.URL, "url_env": &ch.URLEnv,
		"smtp": &ch.SMTP, "from": &ch.From, "username": &ch.Username, "security": &ch.Security}
	lines := map[string]int{}
	at := func(field string) int {
		if l, ok := lines[field]; ok {
			return l
		}
		return n.Line
	}
	p.fields(n, path, []string{"name", "type", "url", "base_url", "url_env", "secret_env", "token_env", "password_env",
		"smtp", "from", "username", "security", "guarantee"}, func(k string, v *yaml.Node) {
		lines[k] = v.Line
		if k == "base_url" {
			lines["url"] = v.Line
		}
		s := p.str(v, join(path, k))
		switch k {
		case "secret_env", "token_env", "password_env":
			if ch.SecretEnv != "" {
				p.add(v.Line, join(path, k), "a channel has one secret")
			}
			ch.SecretEnv = s
		case "guarantee":
			ch.Guarantee = Guarantee(s)
		default:
			*texts[k] = s
		}
	})
	if n.Kind != yaml.MappingNode {
		return ch
	}
	a := "a " + ch.Type
	if ch.Type == TypeEmail {
		a = "an email"
	}
	need := func(field, value string) {
		if value == "" {
			p.add(n.Line, path, "%s channel needs %s", a, field)
		}
	}
	refuse := func(field string, given bool) {
		if given {
			p.add(n.Line, path, "%s channel takes no %s", a, field)
		}
	}
	if ch.Name == "" {
		p.add(n.Line, path, "a channel needs a name")
	}
	switch ch.Type {
	case TypeWebhook:
		need("url", ch.URL)
		need("secret_env", ch.SecretEnv)
		refuse("url_env", ch.URLEnv != "")
		p.url(at("url"), path, ch.URL)
	case TypeEmail:
		refuse("url", ch.URL != "")
		refuse("url_env", ch.URLEnv != "")
		need("smtp", ch.SMTP)
		need("from", ch.From)
		if ch.SMTP != "" && !strings.Contains(ch.SMTP, ":") {
			p.add(at("smtp"), path+".smtp", "must be host:port, got %q", ch.SMTP)
		}
		if want := emailWant(ch.From); want != "" {
			p.add(at("from"), path+".from", "%s", want)
		}
		if ch.Username != "" {
			need("password_env", ch.SecretEnv)
		}
		switch ch.Security {
		case "":
			ch.Security = "starttls"
		case "starttls", "tls", "none":
		default:
			p.add(at("security"), path+".security", "must be starttls, tls or none, got %q", ch.Security)
		}
	case TypeTelegram:
		need("token_env", ch.SecretEnv)
		refuse("url_env", ch.URLEnv != "")
		if ch.URL == "" {
			ch.URL = telegramAPI
		}
		p.url(at("url"), path, ch.URL)
		if why := telegramBaseProblem(ch.URL); why != "" {
			p.add(at("url"), path+".url", "%s", why)
		}
	case TypeSlack:
		need("url_env", ch.URLEnv)
		refuse("url (the incoming webhook's URL is a secret: name its variable in url_env)", ch.URL != "")
		refuse("secret_env (the URL is the secret)", ch.SecretEnv != "")
	case TypeBitrix24:
		refuse("url (the portal is the Bitrix24 adapter's; url_env may name the variable of its webhook URL)", ch.URL != "")
		refuse("secret_env", ch.SecretEnv != "")
	case "":
		p.add(n.Line, path, "a channel needs a type (%s)", strings.Join(channelTypes, ", "))
	default:
		p.add(at("type"), path+".type", "unknown channel type %q (known: %s)", ch.Type, strings.Join(channelTypes, ", "))
	}
	if ch.Type != TypeEmail && (ch.SMTP != "" || ch.From != "" || ch.Username != "" || ch.Security != "") && ch.Type != "" {
		p.add(n.Line, path, "smtp, from, username and security are for email channels")
	}
	switch ch.Guarantee {
	case "":
		ch.Guarantee = AtLeastOnce
	case AtLeastOnce, AtMostOnce:
	default:
		p.add(at("guarantee"), path+".guarantee", "must be at_least_once or at_most_once, got %q", ch.Guarantee)
	}
	return ch
}

// unscheduledDigest returns a digest kind the recipient lists among its
// kinds without the schedule that sends it (digest_daily without daily,
// digest_weekly without weekly), and that schedule's field; "" when there
// is none. Such a recipient would receive none of that digest.
func (r *Recipient) unscheduledDigest() (kind, field string) {
	for _, k := range r.Kinds {
		switch {
		case k == KindDailyDigest && r.Daily == nil:
			return k, "daily"
		case k == KindWeeklyDigest && r.Weekly == nil:
			return k, "weekly"
		}
	}
	return "", ""
}

// unscheduledWant is the refusal of a recipient's unscheduledDigest.
func unscheduledWant(kind, field string) string {
	example := `"09:00"`
	if field == "weekly" {
		example = `"monday 09:00"`
	}
	return fmt.Sprintf("%s is listed, but the recipient has no %s schedule, and would receive none: give %s (such as %s)", kind, field, field, example)
}

// slackClear is the refusal of a Slack incoming webhook's URL that
// inClear.
const slackClear = "the incoming webhook's URL is its secret, and would travel in clear text; it must be https:// (http:// only to localhost or a loopback address)"

// telegramClear is the refusal of a Telegram base URL that inClear.
const telegramClear = "must be https:// (http:// only to localhost or a loopback address): the bot's token travels in the path of every request, and would travel in clear text"

// telegramBaseProblem says why u cannot be a Telegram channel's base URL,
// "" when it can: it is http:// to another machine (telegramClear), or it
// has a query or a fragment, after which the bot's path (/bot<token>/
// sendMessage) would be written, so that no request reaches the method
// and the token goes into the query.
func telegramBaseProblem(u string) string {
	if inClear(u) {
		return telegramClear
	}
	if pu, err := url.Parse(u); err == nil && (pu.RawQuery != "" || pu.ForceQuery || pu.Fragment != "" || strings.Contains(u, "#")) {
		return "must have no query (?) or fragment (#): the bot's path, /bot<token>/sendMessage, is written after the base URL"
	}
	return ""
}

// inClear reports whether the URL u is http:// to a host other than this
// machine (localhost or a loopback address): what a request to it carries
// would travel in clear text. Tests and local relays listen on loopback.
func inClear(u string) bool {
	pu, err := url.Parse(u)
	return err == nil && plainhttp.InClear(pu)
}

// url checks that a configured URL is http(s)://host….
func (p *parser) url(line int, path, u string) {
	if u == "" {
		return
	}
	// As the channel's request reads it: a scheme of either case, and a
	// host ("https:///hooks" has none, and every message sent to it
	// would go to the dead letters).
	pu, err := url.Parse(u)
	if err != nil || pu.Scheme != "https" && pu.Scheme != "http" || pu.Host == "" || pu.Opaque != "" || strings.ContainsAny(u, " \t\r\n") {
		p.add(line, path+".url", "must be an http:// or https:// URL with a host")
	}
}

func (p *parser) recipient(n *yaml.Node, path string) Recipient {
	r := Recipient{Line: n.Line}
	// texts are the fields kept as they are written (email and language
	// once checked).
	texts := map[string]*string{"user": &r.User, "name": &r.Name, "email": &r.Email, "telegram": &r.Telegram,
		"bitrix24": &r.Bitrix24, "language": &r.Language}
	// lines are the lines of the fields given.
	lines := map[string]int{}
	p.fields(n, path, []string{"user", "name", "admin", "email", "telegram", "bitrix24", "language", "timezone",
		"channels", "kinds", "daily", "weekly"}, func(k string, v *yaml.Node) {
		kp := join(path, k)
		lines[k] = v.Line
		switch k {
		case "channels":
			r.Channels = p.strs(v, kp)
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				// Read as left out: the channels of the recipient's
				// addresses, not none as written.
				p.add(v.Line, kp, "an empty list names no channel, and would be read as the channels of the recipient's addresses: leave channels out for those, or name the channels")
			}
			return
		case "kinds":
			r.Kinds = p.strs(v, kp)
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				// Read as left out: every kind, not none as written.
				p.add(v.Line, kp, "an empty list names no kind, and would be read as every kind: leave kinds out for every kind, or name the kinds")
			}
			for _, kind := range r.Kinds {
				if !slices.Contains(messageKinds(), kind) {
					p.add(v.Line, kp, "unknown kind %q (known: %s)", kind, strings.Join(messageKinds(), ", "))
				}
			}
			return
		}
		s := p.str(v, kp)
		if f := texts[k]; f != nil {
			*f = s
		}
		switch k {
		case "admin":
			switch s {
			case "true":
				r.Admin = true
			case "false":
			default:
				p.add(v.Line, kp, "must be true or false, got %q", s)
			}
		case "email":
			if want := emailWant(s); want != "" {
				p.add(v.Line, kp, "%s", want)
			}
		case "telegram":
			if s != "" && !telegramChatID(s) {
				p.add(v.Line, kp, "%s", telegramChatWant(s))
			}
		case "bitrix24":
			if s != "" && !bitrix24UserID(s) {
				p.add(v.Line, kp, "%s", bitrix24UserWant(s))
			}
		case "language":
			if !slices.Contains(languages, s) {
				p.add(v.Line, kp, "must be %s, got %q", strings.Join(languages, " or "), s)
			}
		case "timezone":
			loc, err := time.LoadLocation(s)
			if err != nil || s == "" || s == "Local" {
				p.add(v.Line, kp, "unknown time zone %q (an IANA name such as Europe/Moscow)", s)
				return
			}
			r.TimeZone, r.loc = s, loc
		case "daily":
			if sc, err := parseSchedule(s, false); err != nil {
				p.add(v.Line, kp, "%v", err)
			} else {
				r.Daily = &sc
			}
		case "weekly":
			if sc, err := parseSchedule(s, true); err != nil {
				p.add(v.Line, kp, "%v", err)
			} else {
				r.Weekly = &sc
			}
		}
	})
	if n.Kind == yaml.MappingNode && r.User == "" {
		p.add(n.Line, path, "a recipient needs a user")
	}
	// A schedule given but refused is reported as such already.
	if kind, field := r.unscheduledDigest(); kind != "" && lines[field] == 0 {
		p.add(lines["kinds"], join(path, "kinds"), "%s", unscheduledWant(kind, field))
	}
	if r.Language == "" {
		r.Language = "en"
	}
	return r
}

// emailWant is what a configuration that gives an email address (a
// recipient's, a channel's from) other than one is told, "" for one (an
// address, or one written with a name: "Анна <anna@example.com>"), as
// the email channel reads it: two addresses, or a name without its angle
// brackets, made every message to the recipient a dead letter.
func emailWant(s string) string {
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "@") {
		return fmt.Sprintf("must be an email address, got %q", s)
	}
	if _, err := mail.ParseAddress(s); err != nil {
		return fmt.Sprintf("must be an email address, got %q (%s)", s, strings.TrimPrefix(err.Error(), "mail: "))
	}
	return ""
}

var weekdays = map[string]time.Weekday{"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday}

// parseSchedule reads "HH:MM" (daily) or "DAY HH:MM" (weekly), strictly.
func parseSchedule(s string, weekly bool) (Schedule, error) {
	var sc Schedule
	clock := s
	if weekly {
		day, rest, ok := strings.Cut(s, " ")
		wd, known := weekdays[day]
		if !ok || !known {
			return sc, fmt.Errorf(`must be a day and a local time such as "monday 09:00", got %q`, s)
		}
		sc.Weekday, clock = wd, rest
	}
	t, err := time.Parse("15:04", clock)
	if err != nil || len(clock) != 5 {
		if weekly {
			return sc, fmt.Errorf(`must be a day and a local time such as "monday 09:00", got %q`, s)
		}
		return sc, fmt.Errorf(`must be a local time such as "09:00", got %q`, s)
	}
	sc.Hour, sc.Minute = t.Hour(), t.Minute()
	return sc, nil
}

// messageKinds are the kinds a recipient's kinds may list: the engine's
// notification kinds and the digests.
func messageKinds() []string {
	var out []string
	for _, k := range goal.NotifyKinds() {
		out = append(out, string(k))
	}
	return append(out, string(goal.NotifyAchievementRevoked), string(goal.NotifyRestated), KindDailyDigest, KindWeeklyDigest)
}
