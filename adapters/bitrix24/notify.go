package bitrix24

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
)

// NotifyUser sends message to the portal user userID (a positive user id, as
// goalkit's actors from this adapter are) as a personal notification
// (im.notify.personal.add): the bell in the user's Bitrix24 shows it.
//
// It is one attempt that may be repeated by the caller: a call the portal
// refused with a limit is retried like any other call, but a call whose answer
// was lost (a timeout, a broken connection) is not repeated, since the
// notification may have been sent. Delivering a notification once is the
// caller's ledger's business. Errors are those of any call (errors.Is with
// ErrAuth, ErrAccessDenied, ErrRateLimited, …) and never hold the webhook
// secret or a token.
func (c *Client) NotifyUser(ctx context.Context, userID string, message string) error {
	const method = "im.notify.personal.add"
	id, err := userIDOf(userID)
	if err != nil {
		return fmt.Errorf("bitrix24: %s: %w", method, err)
	}
	message = strings.TrimSpace(message)
	if message == "" {
		return fmt.Errorf("bitrix24: %s: empty message: %w", method, ErrInvalidRequest)
	}
	r, err := c.call(ctx, method, map[string]any{"USER_ID": id, "MESSAGE": message})
	if err != nil {
		return err
	}
	n, err := rest.CreatedID(r.Result)
	if err != nil {
		return &DecodeError{Method: method, Status: r.Status, Where: "result", Err: err}
	}
	if n == 0 {
		return &APIError{Method: method, Status: r.Status, Description: "the portal did not create the notification (result false)"}
	}
	return nil
}

// userIDOf reads a Bitrix24 user id: a positive decimal integer.
func userIDOf(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != s {
		return 0, fmt.Errorf("user id %q is not a positive integer: %w", rest.Clip(s), ErrInvalidRequest)
	}
	return n, nil
}
