package eventfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"

	"pgregory.net/rapid"
)

// Load hands the store every line in file order: a store that keeps the last
// version of an id resolves corrections and retractions like a plain map of
// the lines would.
func TestLoadResolves(t *testing.T) {
	for _, f := range []Format{CSV, NDJSON} {
		t.Run(f.String(), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				ids := rapid.SliceOfNDistinct(text(1), 1, 5, rapid.ID[string]).Draw(t, "ids")
				n := rapid.IntRange(0, 30).Draw(t, "n")
				ref := map[string]string{}
				bad := false // a line with an identifier that is not one
				in := drawFile(t, f, ids, n, func(e kpi.Event) {
					bad = bad || badIdent(&e)
					if e.Deleted {
						delete(ref, e.ID)
					} else {
						x := expected(e)
						ref[e.ID] = show(&x)
					}
				})
				opt := roundOpt
				opt.Format = f
				events, err := loadEvents(t, bytes.NewReader(in), "load", opt)
				if bad {
					if e := (*Error)(nil); !errors.As(err, &e) || !strings.Contains(e.Msg, "has a control character") {
						t.Fatalf("a file with a control character in an identifier: error %v", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				var got, want []string
				for i := range events {
					got = append(got, show(&events[i]))
					if events[i].Attrs != nil && len(events[i].Attrs) == 0 {
						t.Fatalf("event %q: empty Attrs map, want nil", events[i].ID)
					}
				}
				for _, id := range slices.Sorted(mapsKeys(ref)) {
					want = append(want, ref[id])
				}
				if !slices.Equal(got, want) {
					t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			})
		})
	}
}

func TestLoad(t *testing.T) {
	in := "id,kind,time,actor,amount,deleted,source\n" +
		"b,call,2025-01-01T00:00:00Z,u1,,,web\n" +
		"a,deal_won,2025-01-01T00:00:00Z,u1,5.00,,web\n" +
		"c,call,2025-01-01T00:00:00Z,u1,,,\n" +
		"a,deal_won,2025-01-02T00:00:00Z,u2,7.50,,partner\n" + // a correction
		"b,,,,,true,\n" + // a retraction
		"d,,,,,true,\n" + // a retraction of nothing
		"c,,,,,true,\n" +
		"c,meeting,2025-01-03T00:00:00Z,u3,,,\n" // brought back
	events, err := loadEvents(t, strings.NewReader(in), "f.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := range events {
		got = append(got, show(&events[i]))
	}
	want := []string{
		"a deal_won 2025-01-02T00:00:00Z[0] u2 amount=7.50 source=string(partner)",
		"c meeting 2025-01-03T00:00:00Z[0] u3",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !sort.SliceIsSorted(events, func(i, j int) bool { return events[i].ID < events[j].ID }) {
		t.Error("not sorted by ID")
	}
	events, err = loadEvents(t, strings.NewReader(in+"e,call,bad,u1,,,\n"), "f.csv", Options{})
	if events != nil || errText(err) != `f.csv:10: time: "bad" is not an RFC 3339 time with an offset or Z` {
		t.Errorf("bad file: %v, %v", events, err)
	}
}

// Into a memory store: a good file is applied whole, a bad one (or one the
// store refuses a line of) not at all.
func TestLoadIntoMemory(t *testing.T) {
	ctx := context.Background()
	s := memory.New(time.UTC)
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.Apply(kpi.Event{ID: "a", Kind: "call", Actor: "u0", Time: at}); err != nil {
		t.Fatal(err)
	}
	good := "id,kind,time,actor,deleted\n" +
		"a,,,,true\n" +
		"b,call,2025-01-01T00:00:00Z,u1,\n" +
		"c,call,2025-01-01T00:00:00Z,u1,\n" +
		"b,meeting,2025-01-02T00:00:00Z,u2,\n"
	if err := Load(ctx, s, strings.NewReader(good), "good.csv", Options{}); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Get("a"); ok || s.Len() != 2 {
		t.Fatalf("after a good file: %d events, a retracted: %v", s.Len(), !ok)
	}
	if b, _ := s.Get("b"); b.Kind != "meeting" || b.Actor != "u2" {
		t.Fatalf("b = %+v", b)
	}
	bad := `{"id":"c","deleted":true}` + "\n" + `{"id":"d","kind":"call","time":"2025-01-01","actor":"u1"}` + "\n"
	err := Load(ctx, s, strings.NewReader(bad), "bad.ndjson", Options{})
	if got, want := errText(err), `bad.ndjson:2: time: "2025-01-01" is not an RFC 3339 time with an offset or Z`; got != want {
		t.Errorf("bad file: got %s, want %s", got, want)
	}
	if _, ok := s.Get("c"); !ok || s.Len() != 2 {
		t.Errorf("a bad file changed the store: %d events", s.Len())
	}
	for _, empty := range []bool{true, false} {
		dst := memory.New(time.UTC)
		if !empty {
			dst = s
		}
		n := dst.Len()
		refused := errors.New("refused")
		picky := StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
			return dst.Import(ctx, func(add func(*kpi.Event) error) error {
				return fn(func(e *kpi.Event) error {
					if e.ID == "c" {
						return refused
					}
					return add(e)
				})
			})
		})
		err = Load(ctx, picky, strings.NewReader(good), "good.csv", Options{})
		if !errors.Is(err, refused) || err.Error() != "good.csv:4: refused" {
			t.Errorf("refused line: got %v", err)
		}
		if dst.Len() != n {
			t.Errorf("a refused line changed the store: %d events, want %d", dst.Len(), n)
		}
	}
}

// The name gives the format unless Options does; errors name the file.
func TestLoadFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	in := lines(
		`{"id":"b","kind":"call","time":"2025-01-01T00:00:00Z","actor":"u1"}`,
		`{"id":"a","kind":"call","time":"2025-01-01T00:00:00Z","actor":"u2"}`,
	)
	path := filepath.Join(dir, "events.txt")
	if err := os.WriteFile(path, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	load := func(path string, opt Options) (*memory.Store, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		s := memory.New(time.UTC)
		return s, Load(ctx, s, f, path, opt)
	}
	if _, err := load(path, Options{}); errText(err) != `unknown event file format of "`+path+`" (want .ndjson, .jsonl, .json or .csv)` {
		t.Errorf("unknown extension: %v", err)
	}
	if s, err := load(path, Options{Format: NDJSON}); err != nil || s.Len() != 2 {
		t.Errorf("Options.Format: %v", err)
	}
	if _, err := load(path, Options{Format: CSV}); !strings.HasPrefix(errText(err), path+":1: header: ") {
		t.Errorf("read as CSV: %v", err)
	}
	if _, err := load(path, Options{Format: 7}); errText(err) != "eventfile: unknown format Format(7)" {
		t.Errorf("bad format: %v", err)
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("id,kind\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := load(bad, Options{}); errText(err) != bad+`:1: header: missing required columns "time", "actor"` {
		t.Errorf("bad header: %v", err)
	}
	opt := Options{Attributes: map[string]kpi.AttrType{"x": 42}}
	called := false
	st := StoreFunc(func(context.Context, func(func(*kpi.Event) error) error) error { called = true; return nil })
	if err := Load(ctx, st, strings.NewReader(""), "f.csv", opt); errText(err) != `eventfile: attribute "x": unknown type AttrType(42)` || called {
		t.Errorf("bad options: %v, store called: %v", err, called)
	}
}

// A file that says its size has its lines estimated from its start, to
// size the store's columns; the estimate changes nothing else.
func TestLoadEstimatesLines(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, n := range []int{0, 3, 5000} {
		data := workload(t, n, CSV)
		path := filepath.Join(dir, fmt.Sprintf("w%d.csv", n))
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		r, est := estimateLines(f)
		rest, err := io.ReadAll(r)
		f.Close()
		if err != nil || !bytes.Equal(rest, data) {
			t.Fatalf("%d lines: the reader gives %d bytes (%v), want %d", n, len(rest), err, len(data))
		}
		// The lines of the workload are about the same length: the
		// estimate is within its 5 % margin and the lines of the head.
		if lines := n + 1; est < lines || est > lines*11/10+2 {
			t.Errorf("%d lines: estimate %d", n, est)
		}
		f, err = os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		fromFile := memory.New(time.UTC)
		err = Load(ctx, fromFile, f, path, benchOpt)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		fromBytes := memory.New(time.UTC)
		if err := Load(ctx, fromBytes, bytes.NewReader(data), path, benchOpt); err != nil {
			t.Fatal(err)
		}
		if got, want := storeEvents(t, fromFile), storeEvents(t, fromBytes); !slices.Equal(got, want) || len(got) != n {
			t.Errorf("%d lines: from the file %d events, from its bytes %d", n, len(got), len(want))
		}
	}
	// A reader without a size is left as it is; an error after the head is
	// met after its bytes.
	r := strings.NewReader("id\n")
	if got, est := estimateLines(r); got != io.Reader(r) || est != 0 {
		t.Errorf("no size: %v, %d", got, est)
	}
	boom := errors.New("boom")
	head := bytes.Repeat([]byte("x\n"), 64<<10)
	got, est := estimateLines(sizedReader{io.MultiReader(bytes.NewReader(head), errReader{boom}), 1 << 30})
	rest, err := io.ReadAll(got)
	if err != boom || !bytes.Equal(rest, head) || est != (1<<30)/minLine+1 {
		t.Errorf("an error after the head: %d bytes, %v, estimate %d", len(rest), err, est)
	}
}

// sizedReader is a reader that says its size, as a file does.
type sizedReader struct {
	io.Reader
	size int64
}

func (r sizedReader) Stat() (fs.FileInfo, error) { return sizedInfo(r.size), nil }

type sizedInfo int64

func (s sizedInfo) Name() string       { return "f" }
func (s sizedInfo) Size() int64        { return int64(s) }
func (s sizedInfo) Mode() fs.FileMode  { return 0 }
func (s sizedInfo) ModTime() time.Time { return time.Time{} }
func (s sizedInfo) IsDir() bool        { return false }
func (s sizedInfo) Sys() any           { return nil }

// TestLoadCodedIntoEmptyOnly checks that the coded load fills only an
// empty memory store: a store that holds events, or any other store, is
// left to the other paths, with nothing of the file read; and that a
// refused line leaves an empty store empty, its table usable.
func TestLoadCodedIntoEmptyOnly(t *testing.T) {
	ctx := context.Background()
	file := "id,kind,time,actor,amount,currency,source\n" +
		"1,call,2025-01-01T00:00:00Z,u1,,,web\n" +
		"2,deal,2025-01-01T00:00:00Z,u1,10.5,RUB,web\n" +
		"1,call,2025-01-02T00:00:00Z,u2,,,ads\n"
	held := memory.New(time.UTC)
	if err := held.Apply(kpi.Event{ID: "a", Kind: "call", Actor: "u0", Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	for name, dst := range map[string]Store{"a store with events": held, "a store of events": StoreFunc(held.Import)} {
		r := strings.NewReader(file)
		if done, err := loadCoded(ctx, dst, r, "f.csv", Options{}, 2, 64); done || err != nil || r.Len() != len(file) {
			t.Errorf("%s: coded %v, error %v, %d bytes read", name, done, err, len(file)-r.Len())
		}
	}
	s := memory.New(time.UTC)
	bad := file + "3,call,2025-01-01T00:00:00Z\n"
	if done, err := loadCoded(ctx, s, strings.NewReader(bad), "f.csv", Options{}, 2, 64); !done || err == nil {
		t.Fatalf("a file with a bad line: coded %v, error %v", done, err)
	}
	if s.Len() != 0 {
		t.Fatalf("a refused file left %d events", s.Len())
	}
	if done, err := loadCoded(ctx, s, strings.NewReader(file), "f.csv", Options{}, 2, 64); !done || err != nil {
		t.Fatalf("the good file after: coded %v, error %v", done, err)
	}
	if e, _ := s.Get("1"); s.Len() != 2 || e.Actor != "u2" || e.Attrs["source"] != "ads" {
		t.Fatalf("%d events, 1 is %+v", s.Len(), e)
	}
}

// cancelAfter is a reader that cancels a context once n bytes are read.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	k, err := c.r.Read(p[:min(len(p), 100)])
	if c.n -= k; c.n <= 0 {
		c.cancel()
	}
	return k, err
}

// TestLoadCodedCanceled checks that a coded load canceled half way
// returns the context's error and leaves the memory store empty.
func TestLoadCodedCanceled(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,kind,time,actor,source\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "%d,call,2025-01-01T00:00:00Z,u%d,web\n", i+1, i%7)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := memory.New(time.UTC)
	r := &cancelAfter{r: strings.NewReader(b.String()), n: b.Len() / 2, cancel: cancel}
	done, err := loadCoded(ctx, s, r, "f.csv", Options{}, 2, 256)
	if !done || !errors.Is(err, context.Canceled) {
		t.Fatalf("coded %v, error %v", done, err)
	}
	if s.Len() != 0 {
		t.Fatalf("a canceled load left %d events", s.Len())
	}
}

// A load without a store or a reader is refused naming the call and the
// file; each panicked with a nil dereference.
func TestLoadNil(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"no store", Load(ctx, nil, strings.NewReader(""), "e.csv", Options{}), "eventfile.Load: e.csv: no Store to load into"},
		{"no reader", Load(ctx, memory.New(time.UTC), nil, "e.ndjson", Options{}), "eventfile.Load: e.ndjson: no Reader to read"},
		{"no reader for an empty store", Load(ctx, memory.New(time.UTC), nil, "e.csv", Options{}), "eventfile.Load: e.csv: no Reader to read"},
	} {
		if tc.err == nil || tc.err.Error() != tc.want {
			t.Errorf("%s: got %v, want %s", tc.name, tc.err, tc.want)
		}
	}
}

// A file saved as UTF-16 (Windows tools' "Unicode" text, with its byte
// order mark) is refused at its first line saying so, on every path of
// Load: its first line was "field 1: invalid UTF-8" or "invalid JSON",
// without a word of why.
func TestLoadUTF16(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"e.csv", "id,kind,time,actor\r\n1,call,2025-01-01T00:00:00Z,u1\r\n"},
		{"e.ndjson", `{"id":"1","kind":"call","time":"2025-01-01T00:00:00Z","actor":"u1"}` + "\r\n"},
	} {
		for _, mark := range [][]byte{{0xff, 0xfe}, {0xfe, 0xff}} {
			in := slices.Clone(mark)
			for _, r := range tc.text { // ASCII: one unit each
				if mark[0] == 0xff {
					in = append(in, byte(r), 0)
				} else {
					in = append(in, 0, byte(r))
				}
			}
			want := fmt.Sprintf("%s:1: the file is UTF-16 (it starts with the byte order mark %X): save it as UTF-8", tc.name, mark)
			if _, err := loadEvents(t, bytes.NewReader(in), tc.name, Options{}); errText(err) != want {
				t.Errorf("got %v, want %s", err, want)
			}
			err := Load(context.Background(), memory.New(time.UTC), bytes.NewReader(in), tc.name, Options{})
			if errText(err) != want {
				t.Errorf("into an empty store: got %v, want %s", err, want)
			}
		}
	}
}
