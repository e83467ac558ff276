package scaleout

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"

	"github.com/goalkit/goalkit/internal/display"
)

// A worker's snapshot of a partition is the versions it applied (the
// newest Known of each event ID, so that a stale version delivered after a
// restart is still dropped: the tracker's own snapshot keeps no instant of
// a retraction it can tell) followed by the tracker's snapshot, as the
// tracker writes and reads it:
//
//	worker  = magic:"goalkit\x00scaleout\n" version:uvarint count:uvarint
//	          (size:u32 entry*)* 0:u32 crc:u32
//	          tracker snapshot
//	entry   = idlen:uvarint id known:int64
//
// The entries come in frames of size bytes, each holding whole entries,
// and a frame of size 0 ends them. A frame ends once it holds frameSize
// bytes, so only one whose last entry has a long ID is larger: an event
// ID has no bound of its own. Fixed-size
// integers are little-endian; known is unix nanoseconds; crc is the
// CRC-32C of everything before it.
const (
	workerMagic   = "goalkit\x00scaleout\n"
	workerVersion = 1
	// frameSize is the size past which the writer ends a frame.
	frameSize = 64 << 10
	// bigFrame is the size past which a frame is read back as its bytes
	// come rather than into room made for the size it claims, so that a
	// corrupt size fails at the end of the input rather than allocates.
	bigFrame = 2 * frameSize
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// writeSnapshot writes the versions v, then the tracker's snapshot (write).
func writeSnapshot(w io.Writer, v versions, write func(w io.Writer) error) error {
	bw := bufio.NewWriterSize(w, frameSize+4096)
	var sum uint32
	out := func(p []byte) error {
		sum = crc32.Update(sum, castagnoli, p)
		_, err := bw.Write(p)
		return err
	}
	head := []byte(workerMagic)
	head = binary.AppendUvarint(head, workerVersion)
	head = binary.AppendUvarint(head, uint64(len(v)))
	if err := out(head); err != nil {
		return err
	}
	frame := make([]byte, 4, frameSize+4096)
	flush := func() error {
		binary.LittleEndian.PutUint32(frame, uint32(len(frame)-4))
		err := out(frame)
		frame = frame[:4]
		return err
	}
	for id, known := range v {
		if uint64(len(frame))+uint64(len(id))+binary.MaxVarintLen64+8 > math.MaxUint32 {
			return fmt.Errorf("worker snapshot: ID %.40q…: %d bytes, more than a frame holds", id, len(id))
		}
		frame = binary.AppendUvarint(frame, uint64(len(id)))
		frame = append(frame, id...)
		frame = binary.LittleEndian.AppendUint64(frame, uint64(known))
		if len(frame) >= frameSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(frame) > 4 {
		if err := flush(); err != nil {
			return err
		}
	}
	if err := out([]byte{0, 0, 0, 0}); err != nil {
		return err
	}
	if _, err := bw.Write(binary.LittleEndian.AppendUint32(nil, sum)); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return write(w)
}

// errNotWorker is the error of a snapshot that does not start with a
// worker's versions: one written by a tracker outside a worker.
var errNotWorker = errors.New("the snapshot was not written by a scaleout worker (it does not start with the versions the worker applied): a worker restores only the snapshots workers write")

// readSnapshot reads the versions' section of a worker's snapshot, checks
// its sum and returns the reader of the tracker's snapshot that follows,
// and build, which builds the versions (on another goroutine, beside the
// tracker's read: an ID's map entry costs more than its bytes) and returns
// them once they are built.
func readSnapshot(in io.Reader) (build func() (versions, error), rest io.Reader, err error) {
	br := bufio.NewReaderSize(in, 64<<10)
	magic := make([]byte, len(workerMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != workerMagic {
		return nil, nil, errNotWorker
	}
	r := &sumReader{br: br, sum: crc32.Update(0, castagnoli, magic)}
	ver, err := r.uvarint("the format version")
	if err != nil {
		return nil, nil, err
	}
	if ver != workerVersion {
		return nil, nil, fmt.Errorf("worker snapshot: format version %d is not one this build reads (version %d)", ver, workerVersion)
	}
	n, err := r.uvarint("the number of versions")
	if err != nil {
		return nil, nil, err
	}
	var frames [][]byte
	for i := 1; ; i++ {
		var size [4]byte
		if err := r.full(size[:], "the size of frame", i); err != nil {
			return nil, nil, err
		}
		k := binary.LittleEndian.Uint32(size[:])
		if k == 0 {
			break
		}
		frame, err := r.frame(k, i)
		if err != nil {
			return nil, nil, err
		}
		frames = append(frames, frame)
	}
	want := r.sum
	var sum [4]byte
	if _, err := io.ReadFull(br, sum[:]); err != nil {
		return nil, nil, fmt.Errorf("worker snapshot: the checksum: %w", unexpected(err))
	}
	if got := binary.LittleEndian.Uint32(sum[:]); got != want {
		return nil, nil, fmt.Errorf("worker snapshot: checksum mismatch: the versions are corrupt (CRC-32C %08x, recorded %08x)", want, got)
	}
	type built struct {
		v   versions
		err error
	}
	done := make(chan built, 1)
	go func() {
		v, err := buildVersions(frames, n)
		done <- built{v, err}
	}()
	return func() (versions, error) { b := <-done; return b.v, b.err }, br, nil
}

// buildVersions builds the versions from the frames of n entries.
func buildVersions(frames [][]byte, n uint64) (versions, error) {
	// An entry takes at least 9 bytes: the map is made for no more than
	// the frames hold, whatever a corrupt count says.
	var size uint64
	for _, f := range frames {
		size += uint64(len(f))
	}
	v := make(versions, min(n, size/9, 1<<22))
	var read uint64 // entries read
	var ids []byte
	type entry struct {
		lo, hi int
		known  int64
	}
	var entries []entry
	for i, frame := range frames {
		// The frame's IDs share one string: one allocation a frame.
		ids, entries = ids[:0], entries[:0]
		for b := frame; len(b) > 0; {
			l, m := binary.Uvarint(b)
			if m <= 0 || uint64(len(b)-m) < l || uint64(len(b)-m)-l < 8 {
				return nil, fmt.Errorf("worker snapshot: frame %d: entry %d is corrupt", i+1, len(entries)+1)
			}
			b = b[m:]
			lo := len(ids)
			ids = append(ids, b[:l]...)
			entries = append(entries, entry{lo, len(ids), int64(binary.LittleEndian.Uint64(b[l:]))})
			b = b[l+8:]
		}
		all := string(ids)
		for _, e := range entries {
			if read++; read > n {
				return nil, fmt.Errorf("worker snapshot: more than the %d versions counted", n)
			}
			id := all[e.lo:e.hi]
			if _, dup := v[id]; dup {
				return nil, fmt.Errorf("worker snapshot: ID %s twice", display.QuoteID(id))
			}
			v[id] = e.known
		}
	}
	if read != n {
		return nil, fmt.Errorf("worker snapshot: %d versions, %d counted", read, n)
	}
	return v, nil
}

// sumReader reads the versions' section and sums what it read.
type sumReader struct {
	br  *bufio.Reader
	sum uint32
	one [1]byte
}

func (r *sumReader) ReadByte() (byte, error) {
	b, err := r.br.ReadByte()
	if err == nil {
		r.one[0] = b
		r.sum = crc32.Update(r.sum, castagnoli, r.one[:])
	}
	return b, err
}

func (r *sumReader) uvarint(what string) (uint64, error) {
	x, err := binary.ReadUvarint(r)
	if err != nil {
		return 0, fmt.Errorf("worker snapshot: %s: %w", what, unexpected(err))
	}
	return x, nil
}

// full reads p whole; what and i name it in an error.
func (r *sumReader) full(p []byte, what string, i int) error {
	if _, err := io.ReadFull(r.br, p); err != nil {
		return fmt.Errorf("worker snapshot: %s %d: %w", what, i, unexpected(err))
	}
	r.sum = crc32.Update(r.sum, castagnoli, p)
	return nil
}

// frame reads frame i, of k bytes: a big one as its bytes come, so that
// a size past the end of the input allocates no more than the input holds.
func (r *sumReader) frame(k uint32, i int) ([]byte, error) {
	if k <= bigFrame {
		frame := make([]byte, k)
		return frame, r.full(frame, "frame", i)
	}
	var buf bytes.Buffer
	if _, err := io.CopyN(&buf, r.br, int64(k)); err != nil {
		return nil, fmt.Errorf("worker snapshot: frame %d: %w", i, unexpected(err))
	}
	r.sum = crc32.Update(r.sum, castagnoli, buf.Bytes())
	return buf.Bytes(), nil
}

// unexpected turns the end of the input into io.ErrUnexpectedEOF: the
// versions end before the tracker's snapshot.
func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
