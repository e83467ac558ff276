// Package deliver gets the notifications of a live goalkit tracker, and
// scheduled digests, to people: through webhooks signed per the Standard
// Webhooks scheme, SMTP email, Telegram, Slack incoming webhooks and
// Bitrix24 notifications, each recipient getting only what the visibility
// policy lets them see.
//
// "Deliver" is the word for getting a notification to a person; what is
// delivered is the engine's goal.Notification, whose idempotency key makes
// delivery exactly-once where the receiver can tell a repeat.
//
// # Pieces
//
//   - Config: the delivery file (ParseConfig, ReadConfig): the outbox's
//     path, the retry policy, the channels (base URLs; secrets named by
//     environment variables, never written in the file) and the
//     recipients (user id, addresses, language, time zone, digests).
//   - Channel: one small interface, Send(ctx, Message). Webhook, Email,
//     Telegram, Slack and Bitrix24 implement it; a channel whose receiver
//     recognises a message sent twice also implements Deduplicating.
//     Bitrix24 sends through a Notifier (the Bitrix24 adapter's client; this
//     package does not import the adapter).
//   - Templates: the subjects, texts and HTML of messages, English and
//     Russian built in (text/template and html/template), any definition
//     replaced by a host's file of the same name. A message whose
//     template fails is a dead letter with the template's error; the
//     others are delivered.
//   - Names in messages: every name a template writes (a goal's, a
//     person's, a period's, a digest row's) has its control
//     characters (C0, tab and line break included, DEL, C1), its
//     bidirectional formatting characters (U+202A–U+202E, U+2066–U+2069,
//     U+200E, U+200F, U+061C), its line and paragraph separators and its
//     bytes of invalid UTF-8 written as Go escapes (\x1b, \n, \u202e,
//     \xff), so that a name cannot colour or move a terminal, start a line
//     of its own or reorder what a reader sees; the template's own text is
//     as written. So the subject and plain text of an email, and the
//     messages of Telegram, Slack and Bitrix24, which are that subject and
//     text, show such a name escaped, and so do an email's HTML and the
//     names of its From and To (the sender's, the recipient's). A
//     webhook's notification and digest are data and keep every name
//     exact; its subject and text are those the other channels show.
//   - Charts: the HTML of an email shows the goal's burn-up (Chart, drawn
//     by the export module's chart.BurnUp from the recipient's report) as
//     an inline PNG (Image) of a multipart/related part; a digest shows up
//     to MaxDigestCharts of them.
//   - Outbox: where messages wait until delivered, durably; OpenOutbox is
//     the SQLite implementation (modernc.org/sqlite), and
//     delivertest.TestOutbox the conformance suite a host's own runs.
//   - Dispatcher: Tick routes the tracker's new notifications and the due
//     digests into the outbox; Deliver sends what is due, with exponential
//     backoff and jitter, and keeps dead letters after the last attempt.
//     Run does both on a clock; Open builds all of it from a Config.
//
// # Guarantees
//
// A notification key is routed once (the key is recorded in the outbox in
// the transaction that stores its messages); a message's ID is a hash of
// the key, the recipient and the channel, so it is the same on every
// attempt. The outbox records an attempt before it is made and its outcome
// after. When the process stops between the two, the message is sent again:
// webhooks (webhook-id) and emails (Message-ID) carry the same ID, and a
// receiver that keeps ids drops the repeat, so each arrives exactly once.
// Telegram, Slack and Bitrix24 have no such key: under at_least_once (the
// default) such a message can arrive twice, under at_most_once it goes to
// the dead letters instead and may be lost. See docs/deliver.md.
package deliver
