package deliver_test

import (
	"testing"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/deliver/delivertest"
)

func TestSQLiteOutbox(t *testing.T) {
	delivertest.TestOutbox(t, func(t *testing.T) deliver.Outbox { return openOutbox(t, t.TempDir()) })
}
