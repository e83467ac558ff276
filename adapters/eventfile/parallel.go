package eventfile

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/goalkit/goalkit/kpi"
)

// blockSize is the size of the blocks of lines ReadParallel hands to its
// workers.
const blockSize = 1 << 20

// ReadParallel reads the event file r as Read does, with workers goroutines
// parsing blocks of lines at once (GOMAXPROCS when workers ≤ 0; with 1, it
// reads on the calling goroutine, in file order). It checks the same things
// and returns the same errors as Read, bad lines included.
//
// fn is called from several goroutines at once, so lines do not arrive in
// file order: fn gets the worker (0 ≤ worker < workers), which no other
// goroutine uses at the same time, so per-worker state needs no lock, and the
// line where the event's line (CSV record) starts. Lines are unique and in
// file order, so "the last line of an id wins" means "the largest line";
// within one worker, lines arrive in increasing order.
//
// As with Read, stage what fn receives and apply it only when ReadParallel
// returns nil; after a bad line is found, fn may still be called for lines
// of blocks already being read. fn must not keep or change the *kpi.Event or
// its Attrs map (each worker has its own, reused for every line); strings
// and values in them may be kept. If fn returns an error, ReadParallel stops
// the workers and returns it.
//
// One goroutine reads r and cuts it into blocks at record boundaries (a
// quoted CSV field may hold line ends; blocks never split one), counting the
// lines of each block, so that line numbers are exact.
func ReadParallel(ctx context.Context, r io.Reader, name string, f Format, opt Options, workers int, fn func(worker int, line int64, e *kpi.Event) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers == 1 {
		return read(ctx, r, name, f, opt, func(line int64, e *kpi.Event) error { return fn(0, line, e) })
	}
	if err := opt.check(); err != nil {
		return err
	}
	if f != NDJSON && f != CSV {
		return fmt.Errorf("eventfile: unknown format %v", f)
	}
	pr := &parallelRead{r: r, name: name, f: f, opt: opt, blockSize: blockSize}
	return pr.run(ctx, workers, fn)
}

// ReadFileParallel reads the event file at path as ReadParallel does, in the
// format its extension names.
func ReadFileParallel(ctx context.Context, path string, opt Options, workers int, fn func(worker int, line int64, e *kpi.Event) error) error {
	f, err := FormatOf(path)
	if err != nil {
		return err
	}
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	return ReadParallel(ctx, file, path, f, opt, workers, fn)
}

type parallelRead struct {
	r         io.Reader
	name      string
	f         Format
	opt       Options
	blockSize int
	eof       bool
	err       error // of r
}

type job struct {
	data []byte
	line int64
}

// fill reads into buf until it is full or r ends.
func (pr *parallelRead) fill(buf []byte) []byte {
	for len(buf) < cap(buf) && !pr.eof {
		n, err := pr.r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			pr.eof = true
		} else if err != nil {
			pr.err = fmt.Errorf("%s: %w", pr.name, err)
			pr.eof = true
		}
	}
	return buf
}

func (pr *parallelRead) run(ctx context.Context, workers int, fn func(int, int64, *kpi.Event) error) error {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var failed atomic.Bool

	// The reader's own parser reads the CSV header and records what ends
	// the read early (a record too long).
	head, _ := newParser(pr.f, pr.name, pr.opt, &failed, nil, nil)
	hc := head.state()
	buf := make([]byte, 0, pr.blockSize)
	buf = pr.fill(buf)
	if pr.err != nil {
		return pr.err
	}
	if bytes.HasPrefix(buf, bom) {
		buf = buf[:copy(buf, buf[len(bom):])]
	}
	line := int64(1)
	var h *csvHeader
	if cp, ok := head.(*csvParser); ok {
		cp.stopAfterHeader = true
		for {
			used, next, err := cp.block(buf, line, pr.eof)
			line = next
			buf = buf[:copy(buf, buf[used:])]
			if err != nil {
				return joinBad(&hc.bad)
			}
			if cp.h != nil {
				break
			}
			if pr.eof {
				noHeader(cp, 1)
				return joinBad(&hc.bad)
			}
			if len(buf) == cap(buf) {
				var ok bool
				if buf, ok = grow(buf); !ok {
					tooLong(hc, pr.f, line)
					return joinBad(&hc.bad)
				}
			}
			buf = pr.fill(buf)
			if pr.err != nil {
				return pr.err
			}
		}
		h = cp.h
	}

	jobs := make(chan job, workers)
	free := make(chan []byte, 2*workers+2)
	var (
		fnErr   error
		errOnce sync.Once
		wg      sync.WaitGroup
	)
	parsers := make([]parser, workers)
	for w := range parsers {
		p, _ := newParser(pr.f, pr.name, pr.opt, &failed, func(line int64, e *kpi.Event) error { return fn(w, line, e) }, h)
		parsers[w] = p
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() == nil {
					if _, _, err := p.block(j.data, j.line, true); err != nil {
						errOnce.Do(func() { fnErr = err })
						cancel()
					}
				}
				select {
				case free <- j.data[:0]:
				default:
				}
			}
		}()
	}

	cut := bytesCut
	if pr.f == CSV {
		cut = csvCut
	}
	for ctx.Err() == nil {
		buf = pr.fill(buf)
		if pr.err != nil {
			break
		}
		n := len(buf)
		if !pr.eof {
			n = cut(buf)
		}
		if n == 0 && pr.eof {
			break
		}
		if n == 0 {
			var ok bool
			if buf, ok = grow(buf); !ok {
				tooLong(hc, pr.f, line)
				break
			}
			continue
		}
		var next []byte
		select {
		case next = <-free:
		default:
			next = make([]byte, 0, pr.blockSize)
		}
		if rest := len(buf) - n; rest >= cap(next) {
			// A long record: at most maxRecord+2 bytes, as in Read.
			next = make([]byte, 0, min(rest+pr.blockSize, maxRecord+2))
		}
		next = append(next, buf[n:]...)
		select {
		case jobs <- job{data: buf[:n], line: line}:
		case <-ctx.Done():
		}
		line += int64(bytes.Count(buf[:n], nl1))
		buf = next
		if pr.eof {
			break
		}
	}
	close(jobs)
	wg.Wait()
	switch {
	case fnErr != nil:
		return fnErr
	case parent.Err() != nil:
		return parent.Err()
	case pr.err != nil:
		return pr.err
	}
	bads := []*badLines{&hc.bad}
	for _, p := range parsers {
		bads = append(bads, &p.state().bad)
	}
	return joinBad(bads...)
}

func bytesCut(data []byte) int { return bytes.LastIndexByte(data, '\n') + 1 }
