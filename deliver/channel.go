package deliver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
)

// Channel sends a message to its recipient: an email, a chat message, a
// webhook call. Send returns nil once the receiving side has accepted the
// message. An error wrapped by Permanent is not retried: the message goes
// to the dead letters at once; any other error is retried with backoff. An
// error whose chain holds a method RetryAfter() time.Duration (the HTTP
// channels' errors for an answer with Retry-After, or Telegram's
// retry_after) asks for at least that wait before the next attempt: it is
// kept when longer than the backoff, up to Retry.Max. An error wrapped by
// ChannelFault is the channel's failure, not the message's (a refused
// login): it is retried, and the channel's other messages wait for the
// next Deliver.
type Channel interface {
	Send(ctx context.Context, m Message) error
}

// ChannelFunc adapts a function to the Channel interface.
type ChannelFunc func(ctx context.Context, m Message) error

// Send calls f.
func (f ChannelFunc) Send(ctx context.Context, m Message) error { return f(ctx, m) }

// Deduplicating is the optional capability of a channel whose receiver
// recognises a message sent twice by its Message.ID (a webhook's
// webhook-id, an email's Message-ID). The dispatcher resends such a message
// when a crash left its outcome unknown; for a channel without it, the
// channel's Guarantee decides.
type Deduplicating interface {
	Channel
	// Deduplicates reports whether the receiver drops a second message
	// with the same ID.
	Deduplicates() bool
}

// deduplicates reports whether ch has the capability and says yes.
func deduplicates(ch Channel) bool {
	d, ok := ch.(Deduplicating)
	return ok && d.Deduplicates()
}

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that retrying cannot fix (a refused address,
// a bad request): the dispatcher moves the message to the dead letters at
// once. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// IsPermanent reports whether err was marked by Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// notDeliveredError marks an error after which the receiver surely does not
// have the message.
type notDeliveredError struct{ err error }

func (e *notDeliveredError) Error() string { return e.err.Error() }
func (e *notDeliveredError) Unwrap() error { return e.err }

// NotDelivered marks err as one after which the receiver surely does not
// have the message: it answered with a refusal, or could not be reached.
// Any other error of a send leaves the outcome unknown (a timeout after the
// request was written), which matters to channels without deduplication
// under at_most_once. Errors marked by Permanent count as not delivered.
// NotDelivered(nil) is nil.
func NotDelivered(err error) error {
	if err == nil {
		return nil
	}
	return &notDeliveredError{err}
}

// IsNotDelivered reports whether err was marked by NotDelivered or
// Permanent.
func IsNotDelivered(err error) bool {
	var nd *notDeliveredError
	return errors.As(err, &nd) || IsPermanent(err)
}

// channelFaultError marks an error that is the channel's, not the
// message's.
type channelFaultError struct{ err error }

func (e *channelFaultError) Error() string { return e.err.Error() }
func (e *channelFaultError) Unwrap() error { return e.err }

// ChannelFault marks err as the channel's failure, not the message's: the
// channel could not have sent any message then (its login refused, its
// token or webhook refused, its server unreachable), and the receiver
// surely does not have this one (ChannelFault counts as NotDelivered). The
// dispatcher records the failed attempt as it records any failure that is
// retried, never a dead letter at once (even when err is also marked
// Permanent), and then rests the channel for the rest of the Deliver call:
// its other messages stay due as they were, their attempts not counted,
// and the next call tries the channel again with one message (when err
// asks for a wait, as a 429 with Retry-After does, the first call after
// it: see Dispatcher.Deliver). A wrong password costs one refused login
// per call, not one per message.
// ChannelFault(nil) is nil.
func ChannelFault(err error) error {
	if err == nil {
		return nil
	}
	return &channelFaultError{NotDelivered(err)}
}

// IsChannelFault reports whether err was marked by ChannelFault.
func IsChannelFault(err error) bool {
	var c *channelFaultError
	return errors.As(err, &c)
}

// statusError is the error of an HTTP channel for a response that is not
// 2xx: a redirect (the channel's address moved), 429 (too many requests:
// the sender's, whatever it sends) and a status among faults refuse the
// channel itself (ChannelFault: its token or webhook), other 4xx than 408
// are permanent, the rest are retried.
func statusError(channel string, code int, detail string, faults ...int) error {
	err := fmt.Errorf("%s: the receiver answered %d", channel, code)
	if detail != "" {
		err = fmt.Errorf("%s: the receiver answered %d: %s", channel, code, detail)
	}
	if code/100 == 3 || code == http.StatusTooManyRequests || slices.Contains(faults, code) {
		return ChannelFault(err)
	}
	return answered(code, err)
}

// webhookFaults are the statuses with which a receiver whose address is
// the channel's (a webhook, a Slack incoming webhook) refuses the channel
// itself: 401 and 403 its signature or token, 404 its address.
var webhookFaults = []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}

// answered marks err, the error of an answer with the HTTP status code, as
// the answers of the HTTP channels are: 4xx other than 408 and 429 are
// permanent, the rest not delivered (retried).
func answered(code int, err error) error {
	if code >= 400 && code < 500 && code != 408 && code != 429 {
		return Permanent(err)
	}
	return NotDelivered(err)
}
