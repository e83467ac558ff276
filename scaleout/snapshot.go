package scaleout

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// Pruner is a partition's store that can remove the batches its latest
// snapshot covers (the NATS tenant's stores: Tenant.Prune). A Worker that
// snapshots its partition prunes its store after each snapshot when the
// store is a Pruner; other stores keep every batch.
type Pruner interface {
	// Prune removes the batches the store's latest snapshot covers;
	// the store then loads the snapshot and the batches after it.
	Prune(ctx context.Context) error
}

// A worker's snapshot of a partition is the versions it applied (the
// newest Known of each event ID, so that a stale version delivered after a
// restart is still dropped: the tracker's own snapshot keeps no instant of
// a retraction it can tell) followed by the tracker's snapshot, as the
// tracker writes and reads it:
//
//	worker   = magic:"goalkit\x00scaleout\n" version:uvarint
//	           count:uvarint (idlen:uvarint id known:int64)*  crc:u32
//	           tracker snapshot
//
// known is unix nanoseconds, little-endian; crc is the CRC-32C of what
// precedes it, little-endian.
const (
	workerMagic   = "goalkit\x00scaleout\n"
	workerVersion = 1
	// maxIDLen bounds an ID read back, so that a corrupt length fails
	// rather than allocates.
	maxIDLen = 1 << 20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// writeSnapshot writes the versions v, then the tracker's snapshot (write).
func writeSnapshot(w io.Writer, v versions, write func(w io.Writer) error) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	sum := crc32.New(castagnoli)
	out := io.MultiWriter(bw, sum)
	var buf []byte
	buf = append(buf, workerMagic...)
	buf = binary.AppendUvarint(buf, workerVersion)
	buf = binary.AppendUvarint(buf, uint64(len(v)))
	for id, known := range v {
		buf = binary.AppendUvarint(buf, uint64(len(id)))
		buf = append(buf, id...)
		buf = binary.LittleEndian.AppendUint64(buf, uint64(known))
		if len(buf) >= 32<<10 {
			if _, err := out.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	if _, err := out.Write(buf); err != nil {
		return err
	}
	if _, err := bw.Write(binary.LittleEndian.AppendUint32(nil, sum.Sum32())); err != nil {
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

// readSnapshot reads the versions of a worker's snapshot and returns them
// and the reader of the tracker's snapshot that follows.
func readSnapshot(in io.Reader) (versions, io.Reader, error) {
	br := bufio.NewReaderSize(in, 64<<10)
	r := &sumReader{br: br}
	magic := make([]byte, len(workerMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != workerMagic {
		return nil, nil, errNotWorker
	}
	r.sum = crc32.Update(0, castagnoli, magic)
	ver, err := r.uvarint("the format version", 0, 0)
	if err != nil {
		return nil, nil, err
	}
	if ver != workerVersion {
		return nil, nil, fmt.Errorf("worker snapshot: format version %d is not one this build reads (version %d)", ver, workerVersion)
	}
	n, err := r.uvarint("the number of versions", 0, 0)
	if err != nil {
		return nil, nil, err
	}
	v := make(versions, min(n, 1<<16))
	var known [8]byte
	for i := range n {
		l, err := r.uvarint("the length of ID", i+1, n)
		if err != nil {
			return nil, nil, err
		}
		if l > maxIDLen {
			return nil, nil, fmt.Errorf("worker snapshot: ID %d of %d: %d bytes, more than %d", i+1, n, l, maxIDLen)
		}
		id := make([]byte, l)
		if err := r.full(id, "ID", i+1, n); err != nil {
			return nil, nil, err
		}
		if err := r.full(known[:], "the instant of ID", i+1, n); err != nil {
			return nil, nil, err
		}
		if _, dup := v[string(id)]; dup {
			return nil, nil, fmt.Errorf("worker snapshot: ID %q twice", id)
		}
		v[string(id)] = int64(binary.LittleEndian.Uint64(known[:]))
	}
	want := r.sum
	var sum [4]byte
	if _, err := io.ReadFull(br, sum[:]); err != nil {
		return nil, nil, fmt.Errorf("worker snapshot: the checksum: %w", unexpected(err))
	}
	if got := binary.LittleEndian.Uint32(sum[:]); got != want {
		return nil, nil, fmt.Errorf("worker snapshot: checksum mismatch: the versions are corrupt (CRC-32C %08x, recorded %08x)", want, got)
	}
	return v, br, nil
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

// uvarint reads a number; what, and the ID's place i of n when i > 0,
// name it in an error.
func (r *sumReader) uvarint(what string, i, n uint64) (uint64, error) {
	x, err := binary.ReadUvarint(r)
	if err != nil {
		return 0, readError(what, i, n, err)
	}
	return x, nil
}

func (r *sumReader) full(p []byte, what string, i, n uint64) error {
	if _, err := io.ReadFull(r.br, p); err != nil {
		return readError(what, i, n, err)
	}
	r.sum = crc32.Update(r.sum, castagnoli, p)
	return nil
}

func readError(what string, i, n uint64, err error) error {
	if i > 0 {
		return fmt.Errorf("worker snapshot: %s %d of %d: %w", what, i, n, unexpected(err))
	}
	return fmt.Errorf("worker snapshot: %s: %w", what, unexpected(err))
}

// unexpected turns the end of the input into io.ErrUnexpectedEOF: the
// versions end before the tracker's snapshot.
func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
