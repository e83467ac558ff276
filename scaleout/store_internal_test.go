package scaleout

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// plainStore is a TrackStore with no capability; the others add one each.
type plainStore struct{}

func (plainStore) Commit(context.Context, *kpi.TrackBatch) error             { return nil }
func (plainStore) Load(context.Context, func(b *kpi.TrackBatch) error) error { return nil }

type lockStore struct{ plainStore }

func (lockStore) Lock(context.Context) (func() error, error) { return func() error { return nil }, nil }

type snapStore struct{ plainStore }

func (snapStore) SaveSnapshot(context.Context, int64, func(io.Writer) error) error { return nil }
func (snapStore) LoadSnapshot(context.Context, func(int64, io.Reader) error) (bool, error) {
	return false, nil
}
func (snapStore) LoadAfter(context.Context, int64, func(*kpi.TrackBatch) error) error { return nil }

type lockSnapStore struct {
	snapStore
	lockStore
}

func (lockSnapStore) Commit(context.Context, *kpi.TrackBatch) error             { return nil }
func (lockSnapStore) Load(context.Context, func(b *kpi.TrackBatch) error) error { return nil }

// TestRestoreKeepsCapabilities checks that the worker's wrapper of a store
// has exactly the capabilities of the store it wraps.
func TestRestoreKeepsCapabilities(t *testing.T) {
	for _, tc := range []struct {
		name        string
		s           kpi.TrackStore
		snaps, lock bool
	}{
		{"plain", plainStore{}, false, false},
		{"locker", lockStore{}, false, true},
		{"snapshotter", snapStore{}, true, false},
		{"both", lockSnapStore{}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, w := restore(tc.s)
			_, snaps := w.(kpi.TrackSnapshotter)
			_, lock := w.(kpi.TrackLocker)
			if snaps != tc.snaps || lock != tc.lock {
				t.Fatalf("snapshotter %t, locker %t; want %t, %t", snaps, lock, tc.snaps, tc.lock)
			}
		})
	}
}

// TestSnapshotVersions writes random versions before a tracker's bytes
// and reads them back: the same versions, and the tracker's bytes after.
func TestSnapshotVersions(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := versions(rapid.MapOf(rapid.String(), rapid.Int64()).Draw(t, "versions"))
		tracker := rapid.SliceOf(rapid.Byte()).Draw(t, "tracker")
		var buf bytes.Buffer
		err := writeSnapshot(&buf, v, func(w io.Writer) error { _, err := w.Write(tracker); return err })
		if err != nil {
			t.Fatal(err)
		}
		got, rest, err := readSnapshot(&buf)
		if err != nil {
			t.Fatal(err)
		}
		after, err := io.ReadAll(rest)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(v) || !bytes.Equal(after, tracker) {
			t.Fatalf("read %d versions and %d bytes; want %d and %d", len(got), len(after), len(v), len(tracker))
		}
		for id, k := range v {
			if g, ok := got[id]; !ok || g != k {
				t.Fatalf("ID %q: %d %t, want %d", id, g, ok, k)
			}
		}
	})
}

// snapshotBytes is a worker's snapshot of versions v before the tracker's
// bytes "tracker".
func snapshotBytes(t testing.TB, v versions) []byte {
	return snapshotBytesWith(t, v, []byte("tracker"))
}

func TestSnapshotVersionsRefused(t *testing.T) {
	good := snapshotBytes(t, versions{"a": 1})
	// magic, version 1, count 1, len 1, "a", 8 bytes, 4 bytes of CRC
	head := len(workerMagic)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"a tracker's snapshot", []byte("goalkit\x00tracker\n..."), errNotWorker.Error()},
		{"empty", nil, errNotWorker.Error()},
		{"a later version", append([]byte(workerMagic), 2, 0), "worker snapshot: format version 2 is not one this build reads (version 1)"},
		{"cut in an ID", good[:head+3], "worker snapshot: ID 1 of 1: unexpected EOF"},
		{"cut in an instant", good[:head+6], "worker snapshot: the instant of ID 1 of 1: unexpected EOF"},
		{"no checksum", good[:head+12], "worker snapshot: the checksum: unexpected EOF"},
		{"a long ID", append([]byte(workerMagic), 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f), "worker snapshot: ID 1 of 1: 4294967295 bytes, more than 1048576"},
		{"corrupt", append(append([]byte(workerMagic), 1, 1, 1, 'b'), good[head+4:]...), "worker snapshot: checksum mismatch: the versions are corrupt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readSnapshot(bytes.NewReader(tc.data))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	if _, _, err := readSnapshot(bytes.NewReader(good)); err != nil {
		t.Fatal(err)
	}
}

func FuzzReadSnapshot(f *testing.F) {
	f.Add(snapshotBytes(f, versions{"a": 1, "bb": -5}))
	f.Add(snapshotBytes(f, versions{}))
	f.Add([]byte(workerMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, rest, err := readSnapshot(bytes.NewReader(data))
		if err != nil {
			if rest != nil || v != nil {
				t.Fatal("an error with versions")
			}
			return
		}
		// What was read is written again the same, with what follows.
		after, err := io.ReadAll(rest)
		if err != nil {
			t.Fatal(err)
		}
		again, rest2, err := readSnapshot(bytes.NewReader(snapshotBytesWith(t, v, after)))
		if err != nil || len(again) != len(v) {
			t.Fatalf("read back: %d versions, %v; want %d", len(again), err, len(v))
		}
		if tail, _ := io.ReadAll(rest2); !bytes.Equal(tail, after) {
			t.Fatalf("read back %q after the versions, want %q", tail, after)
		}
	})
}

// snapshotBytesWith is a worker's snapshot of v before tracker.
func snapshotBytesWith(t testing.TB, v versions, tracker []byte) []byte {
	var buf bytes.Buffer
	if err := writeSnapshot(&buf, v, func(w io.Writer) error { _, err := w.Write(tracker); return err }); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
