package scaleout

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/goalkit/goalkit/internal/display"
)

// MemoryLog is a Log in memory, for tests and for a host that runs its
// workers in one process. It drops a record whose ID it has appended
// before, whatever the time between them. It is safe for concurrent use.
type MemoryLog struct {
	mu    sync.Mutex
	n     int
	parts [][]Record
	ids   map[string]bool
}

// NewMemoryLog returns an empty log of n partitions. A log of a negative
// number of partitions has none: Partitions reports n, which a Worker, a
// Source and Follow refuse, and Append, Open and End fail, saying so.
func NewMemoryLog(n int) *MemoryLog {
	return &MemoryLog{n: n, parts: make([][]Record, max(n, 0)), ids: map[string]bool{}}
}

// Partitions implements Log.
func (l *MemoryLog) Partitions() int { return l.n }

// check refuses every call of a log made with a negative number of
// partitions.
func (l *MemoryLog) check() error {
	if l.n < 0 {
		return fmt.Errorf("a memory log of %d partitions: want 0 or more", l.n)
	}
	return nil
}

// Append implements Log.
func (l *MemoryLog) Append(ctx context.Context, recs []Record) error {
	if err := l.check(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range recs {
		if r.Partition < 0 || r.Partition >= len(l.parts) {
			return fmt.Errorf("record %s: no partition %d", display.QuoteID(r.ID), r.Partition)
		}
	}
	for _, r := range recs {
		if r.ID != "" && l.ids[r.ID] {
			continue
		}
		l.ids[r.ID] = true
		r.Offset = uint64(len(l.parts[r.Partition]) + 1)
		r.Data = slices.Clone(r.Data)
		l.parts[r.Partition] = append(l.parts[r.Partition], r)
	}
	return nil
}

// End implements Log.
func (l *MemoryLog) End(_ context.Context, p int) (uint64, error) {
	if err := l.check(); err != nil {
		return 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if p < 0 || p >= len(l.parts) {
		return 0, fmt.Errorf("no partition %d", p)
	}
	return uint64(len(l.parts[p])), nil
}

// Open implements Log.
func (l *MemoryLog) Open(_ context.Context, p int, from uint64) (Cursor, error) {
	if err := l.check(); err != nil {
		return nil, err
	}
	if p < 0 || p >= len(l.parts) {
		return nil, fmt.Errorf("no partition %d", p)
	}
	return &memCursor{l: l, p: p, next: max(from, 1)}, nil
}

type memCursor struct {
	l    *MemoryLog
	p    int
	next uint64
}

// wait is how long Next waits for a record.
const wait = 20 * time.Millisecond

func (c *memCursor) Next(ctx context.Context, n int) ([]Record, error) {
	if n <= 0 {
		return nil, ctx.Err()
	}
	deadline := time.Now().Add(wait)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c.l.mu.Lock()
		recs := c.l.parts[c.p]
		if c.next <= uint64(len(recs)) {
			from := int(c.next - 1)
			out := slices.Clone(recs[from : from+min(len(recs)-from, n)])
			c.l.mu.Unlock()
			c.next += uint64(len(out))
			return out, nil
		}
		c.l.mu.Unlock()
		if time.Now().After(deadline) {
			return nil, nil
		}
		time.Sleep(time.Millisecond)
	}
}

func (c *memCursor) Ack(context.Context, uint64) error { return nil }
func (c *memCursor) Close() error                      { return nil }

// MemoryParts is a PartStore in memory. It is safe for concurrent use.
type MemoryParts struct {
	mu    sync.Mutex
	parts map[int]memPart
}

type memPart struct {
	pos  uint64
	data []byte
}

// Put implements PartStore.
func (m *MemoryParts) Put(_ context.Context, p int, pos uint64, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.parts == nil {
		m.parts = map[int]memPart{}
	}
	if old, ok := m.parts[p]; ok && old.pos > pos {
		return nil
	}
	m.parts[p] = memPart{pos: pos, data: slices.Clone(data)}
	return nil
}

// Range implements PartStore.
func (m *MemoryParts) Range(_ context.Context, fn func(int, []byte) error) error {
	m.mu.Lock()
	ps := make(map[int]memPart, len(m.parts))
	for k, v := range m.parts {
		ps[k] = v
	}
	m.mu.Unlock()
	for _, k := range slices.Sorted(maps.Keys(ps)) {
		if err := fn(k, ps[k].data); err != nil {
			return err
		}
	}
	return nil
}

// MemoryLedger is a Ledger in memory. It is safe for concurrent use.
type MemoryLedger struct {
	mu   sync.Mutex
	keys map[string][]byte
}

// Create implements Ledger.
func (m *MemoryLedger) Create(_ context.Context, key string, data []byte) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys == nil {
		m.keys = map[string][]byte{}
	}
	if _, ok := m.keys[key]; ok {
		return false, nil
	}
	m.keys[key] = slices.Clone(data)
	return true, nil
}

// Records implements LedgerLister.
func (m *MemoryLedger) Records(_ context.Context, fn func(key string, data []byte) error) error {
	m.mu.Lock()
	keys := slices.Collect(maps.Keys(m.keys))
	data := make([][]byte, len(keys))
	for i, k := range keys {
		data[i] = m.keys[k]
	}
	m.mu.Unlock()
	for i, k := range keys {
		if err := fn(k, data[i]); err != nil {
			return err
		}
	}
	return nil
}
