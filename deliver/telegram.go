package deliver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Telegram is a channel that sends the message's text to the recipient's
// chat through the Bot API's sendMessage, as plain text (no parse mode: a
// "*" or "<" of a name is shown as written), cut to sendMessage's 4096
// characters (UTF-16 code units, as Telegram counts) with a final "…",
// between user-perceived characters (an emoji sequence joined by U+200D,
// with a skin tone or as a keycap, a flag, a letter and its combining
// accent stay whole) and never inside a name's escape. A message whose
// text is empty or only spaces (a template that rendered none), which
// sendMessage would refuse, sends its subject instead; one with neither
// is a permanent error, and nothing is sent. The dispatcher's
// text is the one the templates rendered, whose names have their control
// and bidirectional formatting characters written as Go escapes (see
// Templates). The Bot API has no idempotency key: a message whose attempt
// was cut off by a crash after Telegram accepted it is sent again under
// at_least_once, or dropped to the dead letters under at_most_once.
type Telegram struct {
	base   string
	token  string
	client *http.Client
	// refused is why the channel sends nothing (its base is http:// to
	// another machine); nil when it sends.
	refused error
}

// telegramAPI is the Bot API's address, the default base of a Telegram
// channel.
const telegramAPI = "https://api.telegram.org"

// NewTelegram returns a Telegram channel to the Bot API at base (""
// means https://api.telegram.org) with the bot's token. A nil client is
// http.DefaultClient. A base over http:// to another machine than this one
// (localhost or a loopback address) is refused, as ParseConfig and
// OpenChannels refuse it: the token travels in the path of every request,
// and would travel in clear text. So is a base with a query or a
// fragment, after which the bot's path would be written. Every Send of
// such a channel fails with a ChannelFault saying so, and nothing leaves
// the machine; and so does a channel whose token is empty or has another
// character than a bot token's (letters, digits, ':', '-' and '_'), which
// would change the request's path or query.
func NewTelegram(base, token string, client *http.Client) *Telegram {
	if base == "" {
		base = telegramAPI
	}
	t := &Telegram{base: strings.TrimRight(base, "/"), token: token, client: client}
	if why := telegramBaseProblem(base); why != "" {
		t.refused = ChannelFault(errors.New("telegram: the base URL " + why))
	} else if !botToken(token) {
		t.refused = ChannelFault(errors.New("telegram: the token is no bot token (letters, digits, ':', '-' and '_', as OpenChannels takes): it is written into the path of every request"))
	}
	return t
}

// Send implements Channel.
func (t *Telegram) Send(ctx context.Context, m Message) error {
	if t.refused != nil {
		return t.refused
	}
	if m.To.Telegram == "" {
		return Permanent(fmt.Errorf("telegram: recipient %q has no chat", m.To.User))
	}
	text := m.Text
	if strings.TrimSpace(text) == "" {
		// sendMessage refuses an empty text: a template that rendered
		// none (its conditions all false, only spaces) sends the subject,
		// which says what happened, rather than a dead letter.
		text = strings.TrimSpace(m.Subject)
	}
	if text == "" {
		return Permanent(fmt.Errorf("telegram: recipient %q: the message has no text and no subject (the Bot API refuses an empty message)", m.To.User))
	}
	body, err := json.Marshal(map[string]any{"chat_id": m.To.Telegram, "text": cut(text, telegramMax, splitsEscape), "link_preview_options": map[string]bool{"is_disabled": true}})
	if err != nil {
		return Permanent(fmt.Errorf("telegram: %w", err))
	}
	a, err := post(ctx, t.client, "telegram", t.base+"/bot"+t.token+"/sendMessage", nil, body)
	if err != nil {
		return err
	}
	code, data := a.code, a.data
	var ans struct {
		OK          bool   `json:"ok"`
		Description string `json:"description"`
		// Parameters.RetryAfter is the seconds the Bot API asks a bot
		// that sent too much (429) to wait.
		Parameters struct {
			RetryAfter int64 `json:"retry_after"`
		} `json:"parameters"`
	}
	if json.Unmarshal(data, &ans) == nil && ans.OK && code/100 == 2 {
		return nil
	}
	// The description is the Bot API's text, of any length and any lines:
	// it goes into the error as a snippet, as other receivers' answers do.
	detail := snippet([]byte(ans.Description), t.token)
	if detail == "" {
		detail = snippet(data, t.token)
	}
	if code/100 == 2 {
		return NotDelivered(fmt.Errorf("telegram: the answer is not ok: %s", detail))
	}
	wait := a.wait
	if s := ans.Parameters.RetryAfter; s > 0 {
		wait = time.Duration(min(s, int64(math.MaxInt64/time.Second))) * time.Second
	}
	// 401 and 404 refuse the bot's token (the channel's); a 403 is one
	// chat's refusal (the bot blocked or removed), the message's.
	return withWait(statusError("telegram", code, detail, http.StatusUnauthorized, http.StatusNotFound), wait)
}

// telegramMax is the most characters sendMessage takes, counted as
// Telegram counts them: in UTF-16 code units (an emoji outside the Basic
// Multilingual Plane is two).
const telegramMax = 4096

// telegramChatID reports whether s can be a Telegram chat id as sendMessage
// takes it: an integer other than 0 (a group's and a channel's are
// negative), written as strconv writes it, or a public channel's or
// group's username after "@" (5 to 32 letters, digits and underscores,
// starting with a letter). Anything else is refused by Telegram on every
// message, each a dead letter.
func telegramChatID(s string) bool {
	if name, ok := strings.CutPrefix(s, "@"); ok {
		if len(name) < 5 || len(name) > 32 || !isASCIILetter(name[0]) {
			return false
		}
		for i := 0; i < len(name); i++ {
			if c := name[i]; !isASCIILetter(c) && (c < '0' || c > '9') && c != '_' {
				return false
			}
		}
		return true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && n != 0 && strconv.FormatInt(n, 10) == s
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// telegramChatWant is what a configuration that gives a recipient's
// telegram chat id other than one is told.
func telegramChatWant(s string) string {
	return fmt.Sprintf(`must be a chat id (an integer such as 123456789 or -1001234567890, or "@channelname"), got %q`, s)
}
