package bitrix24_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goalkit/goalkit/adapters/bitrix24"
)

// The portal's code and description go into an error's text (logged, and
// kept in a delivery outbox) on one line and cut at 200 bytes between
// characters, as the delivery channels quote a receiver's answer; the
// fields keep the whole text, and the error still matches its class.
func TestAPIErrorTextOneLineCut(t *testing.T) {
	long := "Access denied:\r\n\tsee " + strings.Repeat("ж", 40000)
	for _, tc := range []struct {
		name string
		err  *bitrix24.APIError
		want string
	}{
		{"short", &bitrix24.APIError{Method: "crm.deal.add", Code: "ACCESS_DENIED", Description: "Access denied.", Status: 401},
			"bitrix24: crm.deal.add: ACCESS_DENIED: Access denied. (http 401)"},
		{"multi-line", &bitrix24.APIError{Method: "crm.deal.add", Code: "ACCESS_DENIED", Description: "Access\ndenied.\n", Status: 401},
			"bitrix24: crm.deal.add: ACCESS_DENIED: Access denied. (http 401)"},
		{"long", &bitrix24.APIError{Method: "crm.deal.add", Code: "ACCESS_DENIED", Description: long, Status: 401},
			"bitrix24: crm.deal.add: ACCESS_DENIED: Access denied: see " + strings.Repeat("ж", 90) + "… (http 401)"},
		{"long code", &bitrix24.APIError{Method: "crm.deal.add", Code: strings.Repeat("X", 300) + "\nY"},
			"bitrix24: crm.deal.add: " + strings.Repeat("X", 200) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want || !utf8.ValidString(got) {
				t.Errorf("error\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
	e := &bitrix24.APIError{Method: "crm.deal.add", Code: "ACCESS_DENIED", Description: long, Status: 401}
	if e.Description != long || !errors.Is(e, bitrix24.ErrAccessDenied) {
		t.Errorf("the field changed or the class was lost: %v", errors.Is(e, bitrix24.ErrAccessDenied))
	}
}
