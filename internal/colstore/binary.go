package colstore

import (
	"bufio"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"unsafe"
)

// The binary form of tables (Encode, Decode) and of whatever their users
// write around them: little-endian integers, lengths before their contents,
// columns written whole. Writer and Reader keep a CRC-32C of every byte
// they pass, so that the format's owner can end it with a checksum.

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// littleEndian is whether this machine stores integers as the format does:
// its columns are then written and read as they lie in memory.
var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// Writer writes the binary form to a buffered stream. The first error
// sticks: later writes do nothing, and Flush returns it.
type Writer struct {
	w   *bufio.Writer
	crc hash.Hash32
	err error
	buf [8]byte
}

// NewWriter returns a writer to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 1<<16), crc: crc32.New(castagnoli)}
}

func (w *Writer) write(b []byte) {
	if w.err != nil {
		return
	}
	w.crc.Write(b)
	_, w.err = w.w.Write(b)
}

// Sum is the CRC-32C of every byte written so far.
func (w *Writer) Sum() uint32 { return w.crc.Sum32() }

// Flush writes out what is buffered and returns the first error.
func (w *Writer) Flush() error {
	if w.err == nil {
		w.err = w.w.Flush()
	}
	return w.err
}

// Uint writes v as 8 bytes.
func (w *Writer) Uint(v uint64) {
	w.buf = [8]byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24), byte(v >> 32), byte(v >> 40), byte(v >> 48), byte(v >> 56)}
	w.write(w.buf[:])
}

// Int writes v as 8 bytes.
func (w *Writer) Int(v int64) { w.Uint(uint64(v)) }

// Byte writes one byte.
func (w *Writer) Byte(b byte) {
	w.buf[0] = b
	w.write(w.buf[:1])
}

// Raw writes b as it is, without its length.
func (w *Writer) Raw(b []byte) { w.write(b) }

// String writes s with its length.
func (w *Writer) String(s string) {
	w.Uint(uint64(len(s)))
	if w.err == nil {
		w.crc.Write(unsafe.Slice(unsafe.StringData(s), len(s)))
		_, w.err = w.w.WriteString(s)
	}
}

// Bytes writes b with its length.
func (w *Writer) Bytes(b []byte) {
	w.Uint(uint64(len(b)))
	w.write(b)
}

// Fixed is an integer type columns are written in.
type Fixed interface {
	~uint8 | ~uint16 | ~uint32 | ~uint64 | ~int32 | ~int64
}

// WriteElems writes the elements of s, without their number.
func WriteElems[T Fixed](w *Writer, s []T) {
	if len(s) == 0 {
		return
	}
	size := int(unsafe.Sizeof(s[0]))
	if littleEndian {
		w.write(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*size))
		return
	}
	var b [8]byte
	for _, v := range s {
		x := uint64(v)
		for k := range size {
			b[k] = byte(x >> (8 * k))
		}
		w.write(b[:size])
	}
}

// Reader reads the binary form from a stream. Its errors name the part of
// the stream being read (Section) and say whether the stream ended early or
// holds something impossible.
type Reader struct {
	r       *bufio.Reader
	crc     uint32
	section string
	buf     [8]byte
}

// NewReader returns a reader of r.
func NewReader(r io.Reader) *Reader { return &Reader{r: bufio.NewReaderSize(r, 1<<16)} }

// Section names what is read next, for errors.
func (r *Reader) Section(format string, args ...any) { r.section = fmt.Sprintf(format, args...) }

// Sum is the CRC-32C of every byte read so far.
func (r *Reader) Sum() uint32 { return r.crc }

// ErrTruncated is matched by the error of a Reader whose stream ended early.
var ErrTruncated = errors.New("truncated")

// Corrupt returns an error that says the stream holds something impossible
// in the current section.
func (r *Reader) Corrupt(format string, args ...any) error {
	return fmt.Errorf("corrupt in %s: %s", r.section, fmt.Sprintf(format, args...))
}

func (r *Reader) read(b []byte) error {
	if _, err := io.ReadFull(r.r, b); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("%w in %s", ErrTruncated, r.section)
		}
		return fmt.Errorf("reading %s: %w", r.section, err)
	}
	r.crc = crc32.Update(r.crc, castagnoli, b)
	return nil
}

// End reports whether the stream has ended: nothing may follow.
func (r *Reader) End() error {
	if _, err := r.r.ReadByte(); err == nil {
		return r.Corrupt("data after the end")
	} else if !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading %s: %w", r.section, err)
	}
	return nil
}

// Uint reads 8 bytes.
func (r *Reader) Uint() (uint64, error) {
	if err := r.read(r.buf[:]); err != nil {
		return 0, err
	}
	b := r.buf
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56, nil
}

// Int reads 8 bytes.
func (r *Reader) Int() (int64, error) {
	v, err := r.Uint()
	return int64(v), err
}

// Byte reads one byte.
func (r *Reader) Byte() (byte, error) {
	if err := r.read(r.buf[:1]); err != nil {
		return 0, err
	}
	return r.buf[0], nil
}

// Raw reads len(b) bytes into b.
func (r *Reader) Raw(b []byte) error { return r.read(b) }

// Len reads a length or count and checks it is at most limit (a limit of
// the format past what an int holds on a 32-bit platform is written
// min(limit, math.MaxInt): such a platform refuses what it cannot hold).
func (r *Reader) Len(what string, limit int) (int, error) {
	n, err := r.Uint()
	if err != nil {
		return 0, err
	}
	if n > uint64(limit) {
		return 0, r.Corrupt("%d %s (at most %d)", n, what, limit)
	}
	return int(n), nil
}

// maxString is the longest string or byte field a reader takes.
const maxString = 1 << 30

// String reads a string written by Writer.String.
func (r *Reader) String() (string, error) {
	b, err := r.Bytes()
	return string(b), err
}

// Bytes reads bytes written by Writer.Bytes.
func (r *Reader) Bytes() ([]byte, error) {
	n, err := r.Len("bytes", maxString)
	if err != nil {
		return nil, err
	}
	return ReadElems[byte](r, n)
}

// firstAlloc is the most memory a reader allocates for elements before it
// has read any of them; it then at most doubles what it has read. A
// corrupt length fails at the end of the stream instead of taking memory
// the stream never had.
const firstAlloc = 1 << 20

// ReadElems reads n elements.
func ReadElems[T Fixed](r *Reader, n int) ([]T, error) {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if n > math.MaxInt/size {
		return nil, r.Corrupt("%d elements", n)
	}
	s := make([]T, 0, min(n, max(1, firstAlloc/size)))
	for len(s) < n {
		k := min(n-len(s), max(cap(s)-len(s), len(s)))
		if len(s)+k > cap(s) {
			s = append(make([]T, 0, len(s)+k), s...)
		}
		if err := readElems(r, s[len(s):len(s)+k]); err != nil {
			return nil, err
		}
		s = s[:len(s)+k]
	}
	return s, nil
}

func readElems[T Fixed](r *Reader, s []T) error {
	if len(s) == 0 {
		return nil
	}
	size := int(unsafe.Sizeof(s[0]))
	if littleEndian {
		return r.read(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*size))
	}
	b := make([]byte, size)
	for i := range s {
		if err := r.read(b); err != nil {
			return err
		}
		var x uint64
		for k := range size {
			x |= uint64(b[k]) << (8 * k)
		}
		s[i] = T(x)
	}
	return nil
}
