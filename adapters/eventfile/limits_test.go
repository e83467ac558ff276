package eventfile

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// maxHeapPerInputByte bounds the heap a memory store holds after Load, per
// byte of the file loaded, whatever the shape of its attributes (docs/formats.md,
// "Limits"): attribute columns are sparse while their values are few.
const maxHeapPerInputByte = 8

// perColumn bounds the fixed cost of one attribute column (its dictionary
// and headers) that a name costs however few events carry it.
const perColumn = 16384

// ndjsonLines writes n NDJSON events; attrs(i) returns event i's attributes.
func ndjsonLines(n int, attrs func(i int) string) []byte {
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, `{"id":"e%d","kind":"deal","time":"2025-03-01T10:00:00Z","actor":"u%d","attrs":{%s}}`+"\n", i, i%50, attrs(i))
	}
	return b.Bytes()
}

// gc collects twice: pooled buffers survive one collection.
func gc() {
	runtime.GC()
	runtime.GC()
}

// heapAfterLoad loads in into a new store and returns the error and the heap
// the store holds, in bytes (live heap after a collection, before and after).
func heapAfterLoad(t interface{ Helper() }, in []byte, name string) (int64, error) {
	t.Helper()
	var before, after runtime.MemStats
	gc()
	runtime.ReadMemStats(&before)
	st := memory.New(nil)
	err := Load(context.Background(), st, bytes.NewReader(in), name, Options{})
	gc()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(st)
	runtime.KeepAlive(in)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc), err
}

// The first input: 64,000 events, each with one distinct undeclared
// attribute. It used to take 28 s and 3.4 GB (a padded column per name); it
// now stops at the 1,025th name, at its line.
func TestLimitDistinctNames(t *testing.T) {
	in := ndjsonLines(64000, func(i int) string { return fmt.Sprintf(`"attr%d":"v"`, i) })
	_, err := heapAfterLoad(t, in, "many.ndjson")
	want := fmt.Sprintf(`many.ndjson:1025: event "e1024": attribute "attr1024": too many distinct attribute names (at most %d)`, kpi.MaxAttrNames)
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

// Within the limits, memory stays linear in the input however the attribute
// names are spread over the events.
func TestLimitMemoryLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 64,000 events per case")
	}
	const n = 64000
	for _, c := range []struct {
		name  string
		attrs func(i int) string
	}{
		// Each name in one event in 1,024: sparse columns.
		{"round robin", func(i int) string { return fmt.Sprintf(`"attr%d":"v"`, i%kpi.MaxAttrNames) }},
		// Every name in the first and the last events, none between.
		{"first and last", func(i int) string {
			if k := i / 16; i < 16*16 || i >= n-16*16 {
				var s []string
				for j := range 64 {
					s = append(s, fmt.Sprintf(`"attr%d":%d`, (k%16)*64+j, j))
				}
				return strings.Join(s, ",")
			}
			return ""
		}},
		// One name in every event: a dense column.
		{"dense", func(i int) string { return fmt.Sprintf(`"source":"s%d"`, i%7) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := ndjsonLines(n, c.attrs)
			heap, err := heapAfterLoad(t, in, "f.ndjson")
			if err != nil {
				t.Fatal(err)
			}
			per := float64(heap) / float64(len(in))
			t.Logf("%d bytes in, %d bytes of heap held: %.2f a byte", len(in), heap, per)
			if per > maxHeapPerInputByte {
				t.Errorf("%.2f bytes of heap per input byte, want at most %d", per, maxHeapPerInputByte)
			}
		})
	}
}

// A soak over random shapes: whatever the number of attribute names (up to
// the limit), of attributes per event (up to the limit), and how the names
// spread over the events (dense, sparse, clustered at the ends, random), the
// store holds at most maxHeapPerInputByte bytes per byte of the file, plus
// the fixed cost of its attribute columns (at most kpi.MaxAttrNames of them,
// perColumn each): linear in the input.
func TestLimitMemorySoak(t *testing.T) {
	if testing.Short() {
		t.Skip("loads up to 6,000 events per case")
	}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1000, 6000).Draw(t, "events")
		names := rapid.IntRange(1, kpi.MaxAttrNames).Draw(t, "names")
		per := rapid.IntRange(0, kpi.MaxEventAttrs).Draw(t, "attributes per event")
		spread := rapid.SampledFrom([]string{"dense", "round robin", "ends", "random"}).Draw(t, "spread")
		seed := rapid.Int64().Draw(t, "seed")
		rnd := rand.New(rand.NewPCG(uint64(seed), 1))
		in := ndjsonLines(n, func(i int) string {
			k := min(per, names)
			if spread == "ends" && i >= k && i < n-k {
				return ""
			}
			var s []string
			for j := range k {
				var name int
				switch spread {
				case "dense":
					name = j
				case "random":
					name = rnd.IntN(names)
				default: // round robin, ends
					name = (i*k + j) % names
				}
				s = append(s, fmt.Sprintf(`"attr%d":%d`, name, j))
			}
			slices.Sort(s)
			return strings.Join(slices.CompactFunc(s, func(a, b string) bool { return strings.Split(a, ":")[0] == strings.Split(b, ":")[0] }), ",")
		})
		heap, err := heapAfterLoad(t, in, "f.ndjson")
		if err != nil {
			t.Fatal(err)
		}
		if limit := int64(maxHeapPerInputByte*len(in) + perColumn*names); heap > limit {
			t.Fatalf("%d bytes of heap for %d bytes in (%d events, %d names, %d an event, %s), want at most %d", heap, len(in), n, names, per, spread, limit)
		}
	})
}

// The second input: one 13 MB line with 700,000 attributes used to
// take 2.2 GB; it is now refused at its line, as is a line within MaxLine
// with more than MaxEventAttrs attributes, and a CSV header with too many
// attribute columns.
func TestLimitLine(t *testing.T) {
	attrs := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"attr%d":"%d"`, i, i)
		}
		return b.String()
	}
	huge := ndjsonLines(1, func(int) string { return attrs(700000) })
	if len(huge) < 13e6 {
		t.Fatalf("the huge line is %d bytes", len(huge))
	}
	var cols []string
	for i := range kpi.MaxEventAttrs + 1 {
		cols = append(cols, fmt.Sprintf("c%d", i))
	}
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"f.ndjson", huge, fmt.Sprintf("f.ndjson:1: line longer than %d bytes", MaxLine)},
		{"f.ndjson", ndjsonLines(1, func(int) string { return attrs(kpi.MaxEventAttrs + 1) }),
			fmt.Sprintf("f.ndjson:1: attrs: more than %d attributes", kpi.MaxEventAttrs)},
		{"f.csv", []byte("id,kind,time,actor," + strings.Join(cols, ",") + "\n"),
			fmt.Sprintf("f.csv:1: header: %d attribute columns (at most %d)", kpi.MaxEventAttrs+1, kpi.MaxEventAttrs)},
	} {
		heap, err := heapAfterLoad(t, c.in, c.name)
		if err == nil || err.Error() != c.want {
			t.Errorf("got %v\nwant %s", err, c.want)
		}
		if heap > 4<<20 {
			t.Errorf("%s: the store holds %d bytes after a refused file", c.name, heap)
		}
	}
	// Exactly MaxEventAttrs attributes load.
	if _, err := heapAfterLoad(t, ndjsonLines(1, func(int) string { return attrs(kpi.MaxEventAttrs) }), "f.ndjson"); err != nil {
		t.Error(err)
	}
}

// Loading in batches, each under the limit of names, the batches together
// pass it: the error names the file, the line and the first event past it
// (e1024, on line 1025).
func TestLimitDistinctNamesInBatches(t *testing.T) {
	in := ndjsonLines(1100, func(i int) string { return fmt.Sprintf(`"attr%d":"v"`, i) })
	s := memory.New(nil)
	err := loadParts(context.Background(), s, bytes.NewReader(in), "many.ndjson", Options{}, 2, 4096)
	want := fmt.Sprintf(`many.ndjson:1025: event "e1024": attribute "attr1024": too many distinct attribute names (at most %d)`, kpi.MaxAttrNames)
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	if s.Len() != 0 {
		t.Fatalf("a refused load left %d events", s.Len())
	}
}

// A file whose lines end in a carriage return alone (a spreadsheet's "CSV
// (Macintosh)") is one line to the reader: past MaxLine it is refused at
// line 1 saying why, through every way Load reads (a store of its own, a
// memory store's parts and columns); it said only "record longer than
// 1048576 bytes". A long record of a file with LF or CRLF line ends does
// not say so.
func TestLimitLineCRAlone(t *testing.T) {
	const hint = " (it holds carriage returns without a line feed: lines that end in CR alone are not line ends; save the file with LF or CRLF line ends)"
	csvRow := "1,call,2025-01-01T00:00:00Z,u1"
	jsonRow := `{"id":"1","kind":"call","time":"2025-01-01T00:00:00Z","actor":"u1"}`
	long := strings.Repeat("x", MaxLine+10)
	for _, c := range []struct {
		name, in, want string
	}{
		{"f.csv", "id,kind,time,actor\r" + strings.Repeat(csvRow+"\r", MaxLine/len(csvRow)+1),
			fmt.Sprintf("f.csv:1: record longer than %d bytes%s", MaxLine, hint)},
		{"f.ndjson", strings.Repeat(jsonRow+"\r", MaxLine/len(jsonRow)+1),
			fmt.Sprintf("f.ndjson:1: line longer than %d bytes%s", MaxLine, hint)},
		{"f.csv", "id,kind,time,actor,note\r\n" + csvRow + ",a\r\n" + csvRow + "," + long + "\r\n",
			fmt.Sprintf("f.csv:3: record longer than %d bytes", MaxLine)},
		{"f.csv", "id,kind,time,actor,note\n" + csvRow + "," + long + "\n",
			fmt.Sprintf("f.csv:2: record longer than %d bytes", MaxLine)},
	} {
		for _, dst := range []Store{memory.New(nil), StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
			return fn(func(*kpi.Event) error { return nil })
		})} {
			err := Load(context.Background(), dst, strings.NewReader(c.in), c.name, Options{})
			if err == nil || err.Error() != c.want {
				t.Errorf("%s into %T: got %v\nwant %s", c.name, dst, err, c.want)
			}
		}
	}
}
