package scaleouttest_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/goalkit/goalkit/internal/testenv"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// The flaws of a flawedLog: each breaks one rule of scaleout.Log that
// TestLog checks.
const (
	offsetsFromZero = "numbers_records_from_0"
	ignoresFrom     = "reads_from_the_start_whatever_from_says"
	endOneShort     = "ends_one_record_short"
	halfAppends     = "appends_the_records_before_a_bad_partition"
	nextPastMax     = "returns_more_records_than_asked"
	nextIgnoresCtx  = "waits_out_a_done_context"
	reversesAppend  = "stores_an_append_in_reverse"
	losesOnCancel   = "loses_records_read_as_the_context_ends"
	keepsCopies     = "stores_a_copy_it_promised_to_drop"
	dropsLast       = "drops_the_last_record_of_an_append"
	noPartition     = "reads_records_without_their_partition"
	swapsData       = "reads_another_record's_data"
	nextOfNone      = "returns_records_when_asked_for_none"
	identityMoves   = "gives_another_identity_at_each_call"
	identitySpaced  = "gives_an_identity_with_a_space"
	identityShared  = "gives_every_log_one_identity"
)

var logFlaws = []string{offsetsFromZero, ignoresFrom, endOneShort, halfAppends, nextPastMax, nextIgnoresCtx,
	reversesAppend, losesOnCancel, keepsCopies, dropsLast, noPartition, swapsData, nextOfNone,
	identityMoves, identitySpaced, identityShared}

// logs numbers the flawed logs made, for their identities.
var logs atomic.Int64

// flawedLog is a MemoryLog with one flaw, and a scaleout.IdentifiedLog
// whose identity is its number among the logs made.
type flawedLog struct {
	*scaleout.MemoryLog
	flaw string
	n    atomic.Int64
	id   int64
}

func (l *flawedLog) Identity(_ context.Context, p int) (string, error) {
	if p < 0 || p >= l.Partitions() {
		return "", fmt.Errorf("no partition %d", p)
	}
	switch l.flaw {
	case identityMoves:
		return fmt.Sprint("log-", l.id, ".", l.n.Add(1)), nil
	case identitySpaced:
		return fmt.Sprint("log ", l.id), nil
	case identityShared:
		return "log", nil
	}
	return fmt.Sprint("log-", l.id), nil
}

func (l *flawedLog) Append(ctx context.Context, recs []scaleout.Record) error {
	recs = slices.Clone(recs)
	switch l.flaw {
	case halfAppends:
		for _, r := range recs {
			if err := l.MemoryLog.Append(ctx, []scaleout.Record{r}); err != nil {
				return err
			}
		}
		return nil
	case reversesAppend:
		slices.Reverse(recs)
	case keepsCopies:
		n := l.n.Add(1)
		for i := range recs {
			recs[i].ID = fmt.Sprint(recs[i].ID, "#", n)
		}
	case dropsLast:
		if len(recs) > 1 {
			recs = recs[:len(recs)-1]
		}
	}
	return l.MemoryLog.Append(ctx, recs)
}

func (l *flawedLog) End(ctx context.Context, p int) (uint64, error) {
	end, err := l.MemoryLog.End(ctx, p)
	if end > 0 && (l.flaw == endOneShort || l.flaw == offsetsFromZero) {
		end--
	}
	return end, err
}

func (l *flawedLog) Open(ctx context.Context, p int, from uint64) (scaleout.Cursor, error) {
	switch l.flaw {
	case ignoresFrom:
		from = 1
	case offsetsFromZero:
		from++
	}
	c, err := l.MemoryLog.Open(ctx, p, from)
	if err != nil {
		return nil, err
	}
	return &flawedCursor{Cursor: c, flaw: l.flaw}, nil
}

type flawedCursor struct {
	scaleout.Cursor
	flaw string
}

func (c *flawedCursor) Next(ctx context.Context, n int) ([]scaleout.Record, error) {
	inner := ctx
	switch c.flaw {
	case nextPastMax:
		n++
	case nextIgnoresCtx:
		inner = context.Background()
	case nextOfNone:
		if n <= 0 {
			n = 1000 // every record it has, as a client's poll of none
		}
	}
	if c.flaw == losesOnCancel {
		// reads ahead whatever the context, and drops what it read once
		// the context is found done
		inner = context.WithoutCancel(ctx)
	}
	recs, err := c.Cursor.Next(inner, n)
	if c.flaw == losesOnCancel && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	for i := range recs {
		switch c.flaw {
		case offsetsFromZero:
			recs[i].Offset--
		case keepsCopies:
			recs[i].ID, _, _ = strings.Cut(recs[i].ID, "#")
		case noPartition:
			recs[i].Partition = 0
		case swapsData:
			if i > 0 {
				recs[i].Data = recs[i-1].Data
			}
		}
	}
	return recs, err
}

// logChildEnv, when set, makes TestFlawedLogs run TestLog on the flawed
// logs (and fail); unset, it runs itself so and checks that they failed.
const logChildEnv = "SCALEOUTTEST_FLAWED_CHILD"

// TestFlawedLogs checks that TestLog catches logs that each break one of
// its rules.
func TestFlawedLogs(t *testing.T) {
	if !testenv.Flawed(t, logChildEnv, logFlaws) {
		return
	}
	for _, flaw := range logFlaws {
		t.Run(flaw, func(t *testing.T) {
			scaleouttest.TestLog(t, func(_ *testing.T, n int) scaleout.Log {
				return &flawedLog{MemoryLog: scaleout.NewMemoryLog(n), flaw: flaw, id: logs.Add(1)}
			}, scaleouttest.Options{DropsDuplicates: true})
		})
	}
}
