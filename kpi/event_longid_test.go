package kpi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// An event's refusal quotes its id, names and values cut to 64 bytes: an
// id of 100 KB made an error of 100 KB (twice that with a bad attribute
// name of the same length), which a host's log or an HTTP answer carried
// whole. A short id is quoted as it is.
func TestEventErrorsQuoteLongIDsCut(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	at := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		e    kpi.Event
		want string // the start of the error
	}{
		{"no kind", kpi.Event{ID: long, Time: at}, `event "` + strings.Repeat("x", 64) + `…" has no kind`},
		{"an id with a tab", kpi.Event{ID: long + "\t", Kind: "k", Time: at}, `event id "` + strings.Repeat("x", 64) + `…"`},
		{"a bad actor", kpi.Event{ID: "e1", Kind: "k", Actor: long + "\n", Time: at}, `event "e1": actor "` + strings.Repeat("x", 64) + `…"`},
		{"a bad attribute name", kpi.Event{ID: long, Kind: "k", Time: at, Attrs: map[string]any{long + "\x01": "v"}}, `event "` + strings.Repeat("x", 64) + `…": attribute name "` + strings.Repeat("x", 64) + `…"`},
		{"an amount's exponent", kpi.Event{ID: long, Kind: "k", Time: at, Amount: decimal.NewNullDecimal(decimal.New(1, 5000))}, `event "` + strings.Repeat("x", 64) + `…": amount exponent`},
		{"a time outside the years", kpi.Event{ID: long, Kind: "k", Time: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}, `event "` + strings.Repeat("x", 64) + `…": time`},
		{"a short id", kpi.Event{ID: "e1", Time: at}, `event "e1" has no kind`},
	} {
		err := c.e.Validate()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if msg := err.Error(); len(msg) > 400 || !strings.HasPrefix(msg, c.want) {
			t.Errorf("%s: an error of %d bytes starting %.200q, want at most 400 starting %q", c.name, len(msg), msg, c.want)
		}
	}
}
