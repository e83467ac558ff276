package scaleout

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"io"
	"reflect"
	"runtime"
	"strconv"
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
		build, rest, err := readSnapshot(&buf)
		if err != nil {
			t.Fatal(err)
		}
		after, err := io.ReadAll(rest)
		if err != nil {
			t.Fatal(err)
		}
		got, err := build()
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
	// magic, version 1, count 1, a frame of 10 bytes (1, "a", 8 bytes of
	// instant), the end of the frames (4 bytes), 4 bytes of CRC
	head := len(workerMagic)
	if len(good) != head+2+4+10+4+4+len("tracker") {
		t.Fatalf("%d bytes", len(good))
	}
	corrupt := bytes.Clone(good)
	corrupt[head+2+4+1] = 'b'
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"a tracker's snapshot", []byte("goalkit\x00tracker\n..."), errNotWorker.Error()},
		{"empty", nil, errNotWorker.Error()},
		{"a later version", append([]byte(workerMagic), 2, 0), "worker snapshot: format version 2 is not one this build reads (version 1)"},
		{"no count", append([]byte(workerMagic), 1), "worker snapshot: the number of versions: unexpected EOF"},
		{"cut in a frame", good[:head+2+4+3], "worker snapshot: frame 1: unexpected EOF"},
		{"no end of the frames", good[:head+2+4+10], "worker snapshot: the size of frame 2: unexpected EOF"},
		{"no checksum", good[:head+2+4+10+4], "worker snapshot: the checksum: unexpected EOF"},
		{"corrupt", corrupt, "worker snapshot: checksum mismatch: the versions are corrupt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readSnapshot(bytes.NewReader(tc.data))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	build, _, err := readSnapshot(bytes.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := build(); err != nil || len(v) != 1 || v["a"] != 1 {
		t.Fatalf("read %v, %v", v, err)
	}
}

// A frame may be as large as its last entry's ID makes it: read back whole,
// while a size past the end of the input fails at the end of the input
// without making room for the size it claims.
func TestSnapshotLargeFrames(t *testing.T) {
	long := strings.Repeat("é", 150_000)
	data := snapshotBytes(t, versions{long: 7, "a": 1})
	build, rest, err := readSnapshot(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	v, err := build()
	if err != nil || len(v) != 2 || v[long] != 7 || v["a"] != 1 {
		t.Fatalf("read %d versions, %v", len(v), err)
	}
	if after, _ := io.ReadAll(rest); string(after) != "tracker" {
		t.Fatalf("read %q after the versions", after)
	}
	huge := append([]byte(workerMagic), 1, 1, 0xff, 0xff, 0xff, 0xff, 1, 2, 3)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, err = readSnapshot(bytes.NewReader(huge))
	runtime.ReadMemStats(&after)
	if err == nil || err.Error() != "worker snapshot: frame 1: unexpected EOF" {
		t.Fatalf("err = %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Fatalf("reading %d bytes allocated %d", len(huge), n)
	}
}

// Frames whose sum is right but whose entries are not (a writer's bug)
// are refused by the build.
func TestBuildVersionsRefused(t *testing.T) {
	entry := func(id string, known byte) []byte {
		return append(append([]byte{byte(len(id))}, id...), known, 0, 0, 0, 0, 0, 0, 0)
	}
	for _, tc := range []struct {
		name   string
		frames [][]byte
		n      uint64
		want   string
	}{
		{"fewer", [][]byte{entry("a", 1)}, 2, "worker snapshot: 1 versions, 2 counted"},
		{"more", [][]byte{entry("a", 1), entry("b", 1)}, 1, "worker snapshot: more than the 1 versions counted"},
		{"twice", [][]byte{entry("a", 1), entry("a", 2)}, 2, `worker snapshot: ID "a" twice`},
		{"cut", [][]byte{entry("a", 1)[:5]}, 1, "worker snapshot: frame 1: entry 1 is corrupt"},
		{"a bad length", [][]byte{append(entry("a", 1), 0xff)}, 2, "worker snapshot: frame 1: entry 2 is corrupt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := buildVersions(tc.frames, tc.n); err == nil || err.Error() != tc.want {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	v, err := buildVersions([][]byte{append(entry("a", 1), entry("bc", 2)...), entry("d", 3)}, 3)
	if err != nil || len(v) != 3 || v["a"] != 1 || v["bc"] != 2 || v["d"] != 3 {
		t.Fatalf("built %v, %v", v, err)
	}
}

// A snapshot whose count claims more versions than its frames can hold
// (it is corrupt, its checksum right) is refused at the cost of its bytes:
// the map was made for the count, up to four million entries, whatever
// the frames held (a second and 350 MB for a snapshot of 30 bytes).
func TestSnapshotCountPastItsFrames(t *testing.T) {
	b := []byte(workerMagic)
	b = binary.AppendUvarint(b, workerVersion)
	b = binary.AppendUvarint(b, 1<<40)
	b = append(b, 0, 0, 0, 0) // no frame
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	build, _, err := readSnapshot(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	_, err = build()
	runtime.ReadMemStats(&after)
	if err == nil || err.Error() != "worker snapshot: 0 versions, 1099511627776 counted" {
		t.Fatalf("err = %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Fatalf("reading %d bytes allocated %d", len(b), n)
	}
}

func FuzzReadSnapshot(f *testing.F) {
	f.Add(snapshotBytes(f, versions{"a": 1, "bb": -5}))
	f.Add(snapshotBytes(f, versions{}))
	f.Add([]byte(workerMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		build, rest, err := readSnapshot(bytes.NewReader(data))
		if err != nil {
			if rest != nil || build != nil {
				t.Fatal("an error with a reader")
			}
			return
		}
		// What was read is written again the same, with what follows.
		after, err := io.ReadAll(rest)
		if err != nil {
			t.Fatal(err)
		}
		v, err := build()
		if err != nil {
			return
		}
		build2, rest2, err := readSnapshot(bytes.NewReader(snapshotBytesWith(t, v, after)))
		if err != nil {
			t.Fatal(err)
		}
		again, err := build2()
		if err != nil || len(again) != len(v) {
			t.Fatalf("read back: %d versions, %v; want %d", len(again), err, len(v))
		}
		for id, k := range v {
			if again[id] != k {
				t.Fatalf("ID %q read back %d, want %d", id, again[id], k)
			}
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

// BenchmarkSnapshotVersions writes and reads back the versions of a
// million event IDs, what a worker's snapshot adds to its tracker's.
func BenchmarkSnapshotVersions(b *testing.B) {
	v := versions{}
	for i := range 1_000_000 {
		v[strconv.Itoa(i+1)] = 1_770_000_000_000_000_000 + int64(i)
	}
	none := func(io.Writer) error { return nil }
	var buf bytes.Buffer
	if err := writeSnapshot(&buf, v, none); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.Run("write", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := writeSnapshot(io.Discard, v, none); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("read", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			build, _, err := readSnapshot(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := build(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestPartIdentityRoundTrip: a part tagged with any identity a log may
// give (no spaces; quotes, backslashes, any runes) reads that identity
// back, stays one JSON object with the part's members, and a part without
// a tag reads none.
func TestPartIdentityRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ident := rapid.StringMatching(`[^ \t\r\n]{1,20}`).Draw(t, "ident")
		part := rapid.SampledFrom([]string{`{}`, `{ }`, `{"v":1}`, `{"v":1,"plan":"x","actors":["a\"b"]}`}).Draw(t, "part")
		tagged := withIdentity(ident, []byte(part))
		if got := partIdentity(tagged); got != ident {
			t.Fatalf("%s: identity %q, want %q", tagged, got, ident)
		}
		var whole, members map[string]any
		if err := json.Unmarshal(tagged, &whole); err != nil {
			t.Fatalf("%s: %v", tagged, err)
		}
		if err := json.Unmarshal([]byte(part), &members); err != nil {
			t.Fatal(err)
		}
		members["scaleout_identity"] = ident
		if !reflect.DeepEqual(whole, members) {
			t.Fatalf("%s reads %v, want %v", tagged, whole, members)
		}
		if got := partIdentity([]byte(part)); got != "" {
			t.Fatalf("%s without a tag: identity %q", part, got)
		}
	})
}
