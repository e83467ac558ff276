package scaleouttest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/scaleout"
)

// ReadOn reads a cursor until it has returned n records, reading on after
// each error, until it has returned maxErrs errors or ctx is done, and
// returns the records and the text of the errors in the order they came;
// it fails t where a call of Next returns records together with an error
// (scaleout.Cursor: records or an error, never both).
func ReadOn(ctx context.Context, t testing.TB, c scaleout.Cursor, n, maxErrs int) (recs []scaleout.Record, errs []string) {
	t.Helper()
	for len(recs) < n && len(errs) < maxErrs && ctx.Err() == nil {
		got, err := c.Next(ctx, n-len(recs))
		if err != nil {
			if len(got) != 0 {
				t.Fatalf("Next returned %d records with the error %v", len(got), err)
			}
			errs = append(errs, err.Error())
			continue
		}
		recs = append(recs, got...)
	}
	return recs, errs
}

// Shown writes records as a test compares them: each one's data and
// offset as DATA@OFFSET, separated by spaces.
func Shown(recs []scaleout.Record) string {
	var b strings.Builder
	for i, r := range recs {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s@%d", r.Data, r.Offset)
	}
	return b.String()
}
