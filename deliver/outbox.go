package deliver

import (
	"context"
	"time"
)

// Outbox keeps every message from the moment it is routed until it is
// delivered or given up on, durably: delivery survives a crash and an
// outage of the receiver. The dispatcher is its one writer; OpenOutbox
// gives the SQLite implementation, and a host may keep it in its own
// store behind this interface instead.
type Outbox interface {
	// Add stores the messages and marks the keys routed, in one
	// transaction: after a crash either both are there or neither. A
	// message whose ID is stored already is left as it is.
	Add(ctx context.Context, routed []RoutedKey, msgs []Message) error
	// Routed returns which of the keys are marked routed.
	Routed(ctx context.Context, keys []string) (map[string]bool, error)
	// Due returns up to limit messages due at now, the earliest first:
	// pending ones, and ones whose attempt began and never reported (the
	// process stopped during it), once their next time has come.
	Due(ctx context.Context, now time.Time, limit int) ([]Entry, error)
	// Begin records, before an attempt, that it starts: the state becomes
	// sending, the attempts one more, and next the time to try again if
	// the attempt never reports.
	Begin(ctx context.Context, id string, next time.Time) error
	// Sent records that the message was delivered at the instant.
	Sent(ctx context.Context, id string, at time.Time) error
	// Fail records a failed attempt: the message is due again at next, or
	// dead (the dead letters) with the reason.
	Fail(ctx context.Context, id string, next time.Time, dead bool, reason string) error
	// Entries returns the messages in the state, the earliest first.
	Entries(ctx context.Context, state State) ([]Entry, error)
	// Requeue makes a dead message pending again, due at the instant, with
	// its attempts counted from zero.
	Requeue(ctx context.Context, id string, at time.Time) error
}

// RoutedKey is a key the dispatcher routed: a notification's, with the
// instant it was told at (its At), or a digest's (At zero). A notification
// routed to no one is routed all the same, so that it is told once.
type RoutedKey struct {
	Key string
	At  time.Time
}

// A RoutedLister is an Outbox that lists the keys it marked routed. A host
// that ticks a fresh tracker each time (goalkit notify over a database or a
// file) gives the tracker's ledger those keys first, so that the tracker
// knows what was emitted before: an achievement taken back since is then
// revoked (achievement_revoked), once, and only at an instant not before
// the one it was told at. The SQLite outbox lists its keys.
type RoutedLister interface {
	Outbox
	// RoutedKeys calls fn with every key marked routed, in no particular
	// order, and the instant it was routed with (zero when none).
	RoutedKeys(ctx context.Context, fn func(key string, at time.Time) error) error
}

// A ChannelDue is an Outbox that reads the due messages of all but some
// channels. While a channel rests (it failed itself, ChannelFault, or asked
// for a wait), Deliver reads through it the due messages of the other
// channels only: the rested channel's are neither read nor decoded again
// on each read, and however many they are they take no room of a read's
// limit from the others'. Over an outbox without it Deliver reads Due,
// asking each time for as many more as it left. The SQLite outbox is one;
// a host's outbox that wraps it and changes Due must change DueExcept too.
type ChannelDue interface {
	Outbox
	// DueExcept returns up to limit messages due at now, as Due does,
	// leaving out those on the channels named in skip, and how many
	// messages due at now are on those channels.
	DueExcept(ctx context.Context, now time.Time, limit int, skip []string) (due []Entry, skipped int, err error)
}

// State is where a message is in the outbox.
type State string

// The states.
const (
	Pending State = "pending"
	// Sending: an attempt began and has not reported yet.
	Sending State = "sending"
	Sent    State = "sent"
	Dead    State = "dead"
)

// Entry is a message in the outbox with its delivery state.
type Entry struct {
	Message  Message
	State    State
	Attempts int
	// Next is when the message is due (again).
	Next time.Time
	// LastError is the error of the last failed attempt, or why the
	// message is dead.
	LastError string
	// SentAt is when it was delivered.
	SentAt time.Time
}
