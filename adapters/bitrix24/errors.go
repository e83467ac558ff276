package bitrix24

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/display"
)

// Sentinel errors callers can branch on with errors.Is. Every error the client
// returns for an answer of Bitrix24 is an *APIError that matches one or more of
// them; decoding problems match ErrMalformed.
var (
	// ErrAuth: the portal did not accept the credentials (NO_AUTH_FOUND,
	// invalid_token, an expired token that could not be refreshed, …).
	ErrAuth = errors.New("bitrix24: authentication failed")
	// ErrTokenExpired: the OAuth access token expired (expired_token). The
	// client refreshes it once through the RefreshFunc; the error reaches the
	// caller only when there is no RefreshFunc or the refreshed token expired
	// too. It also matches ErrAuth.
	ErrTokenExpired = errors.New("bitrix24: access token expired")
	// ErrAccessDenied: the credentials are valid but lack a right, a scope or
	// a paid plan (ACCESS_DENIED, INVALID_CREDENTIALS, insufficient_scope,
	// user_access_error, allowed_only_intranet_user, or a CRM error with an
	// empty code and the description "Access denied.").
	ErrAccessDenied = errors.New("bitrix24: access denied")
	// ErrRateLimited: the portal refused the call because of a limit
	// (QUERY_LIMIT_EXCEEDED, OPERATION_TIME_LIMIT, OVERLOAD_LIMIT, or an
	// HTTP 429 without a known code). The client retries all but
	// OVERLOAD_LIMIT with a growing delay; the error reaches the caller
	// once the retries are used up.
	ErrRateLimited = errors.New("bitrix24: rate limited")
	// ErrNotFound: an unknown method, item or portal (ERROR_METHOD_NOT_FOUND,
	// NOT_FOUND, PORTAL_DELETED, or a CRM error "Not found").
	ErrNotFound = errors.New("bitrix24: not found")
	// ErrInvalidRequest: the portal rejected the parameters (INVALID_REQUEST,
	// INVALID_ARG_VALUE, ENTITY_TYPE_NOT_SUPPORTED, the batch errors, or a CRM
	// error with an empty code such as "Parameter 'filter' must be array.").
	ErrInvalidRequest = errors.New("bitrix24: invalid request")
	// ErrServer: the portal failed (INTERNAL_SERVER_ERROR,
	// ERROR_UNEXPECTED_ANSWER, or an HTTP 5xx status without a known code;
	// the client retries a 503 without one as it does a limit).
	ErrServer = errors.New("bitrix24: server error")
	// ErrMalformed: a response could not be decoded: truncated, not JSON, or
	// not shaped like a Bitrix24 answer. The error is a *DecodeError.
	ErrMalformed = errors.New("bitrix24: malformed response")
	// ErrTimeout: one attempt of a call got no complete answer within the
	// client's timeout (WithTimeout). It also matches context.DeadlineExceeded.
	ErrTimeout = errors.New("bitrix24: request timed out")
)

// APIError is an error answer of Bitrix24: the {"error", "error_description"}
// body of a failed call, or one entry of a batch's result_error. It never
// holds the webhook secret or a token. It matches the sentinel errors of its
// class (errors.Is(err, ErrRateLimited), …).
type APIError struct {
	// Method is the REST method called, e.g. "crm.deal.list".
	Method string
	// Command is the key of the batch command that failed; "" outside a batch.
	Command string
	// Status is the HTTP status; 0 for an error inside a batch (the batch
	// itself answers 200).
	Status int
	// Code is the error code, e.g. "QUERY_LIMIT_EXCEEDED". CRM method errors
	// have an empty code and are told apart by Description.
	Code string
	// Description is the portal's error_description text.
	Description string

	// wait is the wait the answer asked for before the call is made again
	// (RetryAfter).
	wait time.Duration
}

// Error formats the error as
// `bitrix24: METHOD: CODE: DESCRIPTION (http STATUS)`, leaving out the empty
// parts; the code and the description, the portal's text, are put on one
// line and cut at 200 bytes.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("bitrix24: ")
	if e.Command != "" {
		fmt.Fprintf(&b, "batch command %q (%s)", e.Command, e.Method)
	} else {
		b.WriteString(e.Method)
	}
	parts := 0
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(portalText(e.Code))
		parts++
	}
	if e.Description != "" {
		b.WriteString(": ")
		b.WriteString(portalText(e.Description))
		parts++
	}
	if e.Status != 0 {
		if parts == 0 {
			b.WriteString(": http ")
			b.WriteString(strconv.Itoa(e.Status))
		} else {
			b.WriteString(" (http ")
			b.WriteString(strconv.Itoa(e.Status))
			b.WriteString(")")
		}
	} else if parts == 0 {
		b.WriteString(": error without a code or description")
	}
	return b.String()
}

// portalText is the portal's text as an error shows it: on one line, at
// most 200 bytes cut between characters. The error's fields keep it whole.
func portalText(s string) string {
	return display.Clip(strings.Join(strings.Fields(s), " "), 200)
}

// Unwrap returns the sentinel errors the error matches.
func (e *APIError) Unwrap() []error { return classify(e.Status, e.Code, e.Description) }

// HTTPStatus returns the HTTP status of the portal's own answer with the
// error (an error body, or a result that did nothing), so that a caller
// such as a delivery channel knows the portal refused the call and did not
// run it: 403 for ACCESS_DENIED, 503 for QUERY_LIMIT_EXCEEDED, 200 for a
// result false; also 429 and 503 without a Bitrix24 error body (a proxy's
// or a load balancer's page), statuses that say the request was not
// taken. It returns 0 for any other answer that was not the portal's (a
// gateway's page, whose call may have run) and for a command inside a
// batch.
func (e *APIError) HTTPStatus() int {
	if e.Code == "" && e.Description == "" && !e.busy() {
		return 0
	}
	return e.Status
}

// RetryAfter returns the wait the answer asked for before the call is
// made again: the answer's Retry-After header (seconds, or a date counted
// from its Date header), or for OPERATION_TIME_LIMIT the time left until
// the method's limit resets (the operating_reset_at of its last answer),
// whichever is longer; zero when it asked for none. It is the wait of the
// last answer, after the client used its retries, so that a caller that
// tries again later (a delivery channel) does not come back sooner than
// the portal asked. A wait too long for a Duration is the longest one: the
// caller bounds it.
func (e *APIError) RetryAfter() time.Duration { return e.wait }

// retryable reports whether a call answered with e may succeed when repeated
// later: the two documented limits that do not run the method, and a 429 or
// 503 without a Bitrix24 error body. Like classify, it reads the code
// without regard to case.
func (e *APIError) retryable() bool {
	code := strings.ToUpper(e.Code)
	return code == "QUERY_LIMIT_EXCEEDED" || code == "OPERATION_TIME_LIMIT" || e.busy()
}

// busy reports whether e is a 429 (too many requests) or 503 (service
// unavailable) answer without a Bitrix24 error body: a proxy's or a load
// balancer's page. Both statuses say the request was not taken, so the
// call is repeated as after the portal's own limits.
func (e *APIError) busy() bool {
	return e.Code == "" && e.Description == "" && (e.Status == 429 || e.Status == 503)
}

var codeClass = map[string][]error{
	"QUERY_LIMIT_EXCEEDED":           {ErrRateLimited},
	"OPERATION_TIME_LIMIT":           {ErrRateLimited},
	"OVERLOAD_LIMIT":                 {ErrRateLimited},
	"EXPIRED_TOKEN":                  {ErrTokenExpired, ErrAuth},
	"NO_AUTH_FOUND":                  {ErrAuth},
	"INVALID_TOKEN":                  {ErrAuth},
	"INVALID_GRANT":                  {ErrAuth},
	"WRONG_CLIENT":                   {ErrAuth},
	"WRONG_AUTH_TYPE":                {ErrAuth},
	"AUTHORIZATION_ERROR":            {ErrAuth},
	"ACCESS_DENIED":                  {ErrAccessDenied},
	"INVALID_CREDENTIALS":            {ErrAccessDenied},
	"INSUFFICIENT_SCOPE":             {ErrAccessDenied},
	"USER_ACCESS_ERROR":              {ErrAccessDenied},
	"ALLOWED_ONLY_INTRANET_USER":     {ErrAccessDenied},
	"ERROR_METHOD_NOT_FOUND":         {ErrNotFound},
	"NOT_FOUND":                      {ErrNotFound},
	"PORTAL_DELETED":                 {ErrNotFound},
	"INVALID_REQUEST":                {ErrInvalidRequest},
	"INVALID_ARG_VALUE":              {ErrInvalidRequest},
	"ENTITY_TYPE_NOT_SUPPORTED":      {ErrInvalidRequest},
	"ERROR_ARGUMENT":                 {ErrInvalidRequest},
	"ERROR_BATCH_LENGTH_EXCEEDED":    {ErrInvalidRequest},
	"ERROR_BATCH_METHOD_NOT_ALLOWED": {ErrInvalidRequest},
	"INTERNAL_SERVER_ERROR":          {ErrServer},
	"ERROR_UNEXPECTED_ANSWER":        {ErrServer},
}

// classify maps an error answer to its sentinels: first by code, then (for the
// CRM errors whose code is empty) by description, last by HTTP status.
func classify(status int, code, desc string) []error {
	if c, ok := codeClass[strings.ToUpper(code)]; ok {
		return c
	}
	if code == "" || code == "0" {
		d := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(desc), "."))
		switch {
		case d == "access denied":
			return []error{ErrAccessDenied}
		case d == "not found" || strings.HasSuffix(d, " not found") || strings.HasPrefix(d, "not found"):
			return []error{ErrNotFound}
		case strings.HasPrefix(d, "parameter ") || strings.HasPrefix(d, "invalid "):
			return []error{ErrInvalidRequest}
		}
	}
	switch {
	case status == 401:
		return []error{ErrAuth}
	case status == 403:
		return []error{ErrAccessDenied}
	case status == 404:
		return []error{ErrNotFound}
	case status == 429:
		return []error{ErrRateLimited}
	case status >= 500:
		return []error{ErrServer}
	case status >= 400 || code != "":
		return []error{ErrInvalidRequest}
	}
	return nil
}

// DecodeError reports a response that could not be decoded. It matches
// ErrMalformed and wraps the underlying cause.
type DecodeError struct {
	Method string // the REST method
	Status int    // HTTP status of the response
	Where  string // what was being decoded, e.g. `row 3 (ID 1042): OPPORTUNITY`
	Err    error  // the cause
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "bitrix24: %s: malformed response", e.Method)
	if e.Status != 0 && e.Status != 200 {
		fmt.Fprintf(&b, " (http %d)", e.Status)
	}
	if e.Where != "" {
		b.WriteString(": ")
		b.WriteString(e.Where)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns ErrMalformed and the cause.
func (e *DecodeError) Unwrap() []error { return []error{ErrMalformed, e.Err} }

// timeoutError is one attempt that ran out of time while the caller's context
// was still alive.
type timeoutError struct {
	method string
	after  time.Duration
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("bitrix24: %s: no answer within %s", e.method, e.after)
}

func (e *timeoutError) Unwrap() []error { return []error{ErrTimeout, context.DeadlineExceeded} }

// transportError is a failure below HTTP (DNS, TCP, TLS). Its text has the
// secret removed, and it wraps the cause without the request URL.
type transportError struct {
	method string
	msg    string
	err    error
}

func (e *transportError) Error() string { return "bitrix24: " + e.method + ": " + e.msg }
func (e *transportError) Unwrap() error { return e.err }
