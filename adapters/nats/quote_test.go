package nats

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/scaleout"
)

// An error quotes a record's and an event's id cut short: a record of a
// 100 KB event id over the maximum payload gave an error of 200 KB.
func TestFitsQuotesIDsShort(t *testing.T) {
	id := strings.Repeat("e", 100<<10)
	err := fits(scaleout.Record{Partition: 1, ID: "b." + id, Key: id, Data: []byte("{}")}, 1000)
	if err == nil {
		t.Fatal("a record of 200 KB fits a payload of 1000 bytes")
	}
	msg := err.Error()
	if len(msg) > 1000 || !strings.Contains(msg, `publish record "b.eeee`) || !strings.Contains(msg, `(event "eeee`) {
		t.Errorf("an error of %d bytes (want at most 1000, quoting both ids cut short): %.400s", len(msg), msg)
	}
}
