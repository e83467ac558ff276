package deliver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// maxResponse is how much of a receiver's answer is read.
const maxResponse = 64 << 10

// post sends body to target as JSON with the extra headers and returns the
// status and up to maxResponse bytes of the answer. Its errors never hold
// target, whose path or query may carry a token: a url.Error is reduced to
// what went wrong.
func post(ctx context.Context, client *http.Client, channel, target string, header http.Header, body []byte) (int, []byte, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, nil, Permanent(fmt.Errorf("%s: bad address: %v", channel, redact(err)))
	}
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := client.Do(req)
	if err != nil {
		err = fmt.Errorf("%s: %w", channel, redact(err))
		if dialFailed(err) {
			return 0, nil, NotDelivered(err)
		}
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("%s: reading the answer: %w", channel, redact(err))
	}
	return resp.StatusCode, data, nil
}

// redact drops the URL from a url.Error (Go's HTTP client puts the whole
// request URL in its errors).
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", strings.ToLower(ue.Op), ue.Err)
	}
	return err
}

// dialFailed reports whether err is a failure to connect: nothing was
// sent.
func dialFailed(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// snippet returns the start of a receiver's answer for an error message,
// on one line.
func snippet(data []byte) string {
	s := strings.Join(strings.Fields(string(data)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
