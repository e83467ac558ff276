package eventfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/goalkit/goalkit/kpi"
)

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]Format{
		"a.ndjson": NDJSON, "a.jsonl": NDJSON, "dir.x/a.json": NDJSON, "A.CSV": CSV, "b.csv": CSV,
	} {
		if got, err := FormatOf(name); err != nil || got != want {
			t.Errorf("FormatOf(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	_, err := FormatOf("events.txt")
	if got, want := errText(err), `unknown event file format of "events.txt" (want .ndjson, .jsonl, .json or .csv)`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if NDJSON.String() != "ndjson" || CSV.String() != "csv" || Format(9).String() != "Format(9)" {
		t.Error("Format.String")
	}
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"types and absent cells",
			"id,kind,time,actor,amount,currency,deleted,source,pipeline,price,ok,at,note\n" +
				"1,deal_won,2025-03-04T12:34:56+03:00,u1,100.00,RUB,false,web,2,1.50,true,2025-01-01T00:00:00.5-01:30,x\n" +
				"2,call,2025-03-04T12:34:56.123456789Z,u2,,,,,,,,,\n" +
				"3,,,,,,true,,,,,,\n",
			[]string{
				"2: 1 deal_won 2025-03-04T09:34:56Z[10800] u1 amount=100.00 currency=RUB at=time(2025-01-01T01:30:00.5Z[-5400]) note=string(x) ok=bool(true) pipeline=int64(2) price=decimal(1.50) source=string(web)",
				"3: 2 call 2025-03-04T12:34:56.123456789Z[0] u2",
				"4: 3 deleted",
			}},
		{"only the required columns, in another order",
			"actor,time,kind,id\nu1,2025-01-01T00:00:00Z,call,a\n",
			[]string{"2: a call 2025-01-01T00:00:00Z[0] u1"}},
		{"BOM, CRLF, blank lines, no final line end",
			"\xef\xbb\xbfid,kind,time,actor,src\r\n\r\n1,call,2025-01-01T00:00:00Z,u1,web\r\n\n2,call,2025-01-01T00:00:00Z,u1,",
			[]string{"3: 1 call 2025-01-01T00:00:00Z[0] u1 src=string(web)", "5: 2 call 2025-01-01T00:00:00Z[0] u1"}},
		{"lines of spaces and tabs are blank, before the header too",
			"  \t\r\nid,kind,time,actor,src\n \n1,call,2025-01-01T00:00:00Z,u1,web\r\n\t\r\n2,call,2025-01-01T00:00:00Z,u1,\n \t ",
			[]string{"4: 1 call 2025-01-01T00:00:00Z[0] u1 src=string(web)", "6: 2 call 2025-01-01T00:00:00Z[0] u1"}},
		{"quoted fields",
			"id,kind,time,actor,note,\"odd, name\"\n" +
				"\"1\",call,2025-01-01T00:00:00Z,u1,\"a, \"\"b\"\"\nc\r\nd\",\"\"\n" +
				"2,call,2025-01-01T00:00:00Z,u1,\"\",\"x\"\r\n",
			[]string{
				"2: 1 call 2025-01-01T00:00:00Z[0] u1 note=string(a, \"b\"\nc\r\nd)",
				"5: 2 call 2025-01-01T00:00:00Z[0] u1 odd, name=string(x)",
			}},
		{"a deletion ignores the other cells",
			"id,kind,time,actor,amount,currency,deleted,pipeline\n1,x,never,,abc,usd,true,abc\n",
			[]string{"2: 1 deleted"}},
		{"non-ASCII text",
			"id,kind,time,actor,city\nё1,звонок,2025-01-01T00:00:00+03:00,Пётр,Москва\n",
			[]string{"2: ё1 звонок 2024-12-31T21:00:00Z[10800] Пётр city=string(Москва)"}},
		{"decimals keep their exponent",
			"id,kind,time,actor,amount\n1,x,2025-01-01T00:00:00Z,u,-0.50\n2,x,2025-01-01T00:00:00Z,u,1e3\n3,x,2025-01-01T00:00:00Z,u,+12345678901234567890.123\n",
			[]string{"2: 1 x 2025-01-01T00:00:00Z[0] u amount=-0.50", "3: 2 x 2025-01-01T00:00:00Z[0] u amount=1000", "4: 3 x 2025-01-01T00:00:00Z[0] u amount=12345678901234567890.123"}},
		{"header only", "id,kind,time,actor\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, CSV, tt.in, typedOpt)
			if err != "" {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestReadNDJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"types",
			lines(
				`{"id":"1","kind":"deal_won","time":"2025-03-04T12:34:56+03:00","actor":"u1","amount":"100.00","currency":"RUB",`+
					`"attrs":{"source":"web","pipeline":2,"price":"1.50","ok":true,"at":"2025-01-01T00:00:00.5-01:30","n":1e2,"s":"x","b":false,"z":null}}`,
				`{"id":"2","kind":"call","time":"2025-03-04T12:34:56.123456789Z","actor":"u2","amount":12.50,"attrs":{"price":7,"pipeline":2.0e0}}`,
				`{"id":"3","deleted":true}`,
				`{"id":"4","deleted":false,"kind":"call","time":"2025-03-04T12:34:56Z","actor":"u2","amount":null,"currency":null,"attrs":null}`,
			),
			[]string{
				"1: 1 deal_won 2025-03-04T09:34:56Z[10800] u1 amount=100.00 currency=RUB at=time(2025-01-01T01:30:00.5Z[-5400]) b=bool(false) n=decimal(100) ok=bool(true) pipeline=int64(2) price=decimal(1.50) s=string(x) source=string(web)",
				"2: 2 call 2025-03-04T12:34:56.123456789Z[0] u2 amount=12.50 pipeline=int64(2) price=decimal(7)",
				"3: 3 deleted",
				"4: 4 call 2025-03-04T12:34:56Z[0] u2",
			}},
		{"a deletion ignores the other fields",
			lines(`{"kind":5,"id":"1","time":"never","attrs":{"a":{"b":[1,{"c":null}]}},"deleted":true}`),
			[]string{"1: 1 deleted"}},
		// A lone surrogate escape is U+FFFD in an attribute value (data: a
		// cut emoji); in an identifier it is refused (TestLoneSurrogate).
		{"white space, CRLF, BOM, escapes",
			"\xef\xbb\xbf \t{ \"id\" : \"a\\\"b\\\\c\\/\\u00e9\\ud83d\\ude00\\u00a0\" , \"kind\":\"\\u0063all\",\"time\":\"2025-01-01T00:00:00Z\",\"actor\":\"\\u0075\",\"attrs\":{\"s\":\"x\\ud800y\\ud83d\\ude00\\udc00\\ud83d\\u0041\"}}\r\n\r\n   \n" +
				`{"id":"2","kind":"call","time":"2025-01-01T00:00:00Z","actor":"u1"}`,
			[]string{
				"1: a\"b\\c/é😀\u00a0 call 2025-01-01T00:00:00Z[0] u s=string(x\ufffdy😀\ufffd\ufffdA)",
				"4: 2 call 2025-01-01T00:00:00Z[0] u1",
			}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, NDJSON, tt.in, typedOpt)
			if err != "" {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestManyBadLines(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,kind,time,actor\n")
	for i := range 30 {
		if i%3 == 0 {
			fmt.Fprintf(&b, "%d,call,2025-01-01T00:00:00Z,u1\n", i)
		} else {
			fmt.Fprintf(&b, "%d,call,bad,u1\n", i)
		}
	}
	calls := 0
	err := read(context.Background(), strings.NewReader(b.String()), "many.csv", CSV, Options{}, func(int64, *kpi.Event) error {
		calls++
		return nil
	})
	if calls != 1 {
		t.Errorf("fn was called %d times, want 1 (only before the first bad line)", calls)
	}
	var want []string
	for i := range 30 {
		if i%3 != 0 {
			want = append(want, fmt.Sprintf(`many.csv:%d: time: "bad" is not an RFC 3339 time with an offset or Z`, i+2))
		}
	}
	if got := errText(err); got != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	var fe *Error
	if !errors.As(err, &fe) || fe.Line != 3 || fe.File != "many.csv" {
		t.Errorf("errors.As: %#v", fe)
	}

	b.WriteString("x,call,bad,u1\n")
	_, msg := readAll(t, CSV, b.String(), Options{})
	if !strings.HasSuffix(msg, "\nand 1 more bad line") || strings.Count(msg, "\n") != 20 {
		t.Errorf("got\n%s", msg)
	}
	b.WriteString("y,call,bad,u1\n")
	_, msg = readAll(t, CSV, b.String(), Options{})
	if !strings.HasSuffix(msg, "\nand 2 more bad lines") {
		t.Errorf("got\n%s", msg)
	}
}

func TestReadStops(t *testing.T) {
	ctx := context.Background()
	csv := "id,kind,time,actor\n1,call,2025-01-01T00:00:00Z,u1\n2,call,2025-01-01T00:00:00Z,u1\n"
	stop := errors.New("stop")
	for _, f := range []Format{CSV, NDJSON} {
		in := csv
		if f == NDJSON {
			in = lines(`{"id":"1","deleted":true}`, `{"id":"2","deleted":true}`)
		}
		t.Run(f.String(), func(t *testing.T) {
			for _, workers := range []int{0, 1, 2} {
				calls := 0
				err := readParallel(ctx, strings.NewReader(in), "f", f, Options{}, workers, blockSize, func(int64, *kpi.Event) error { calls++; return stop })
				if err != stop || calls != 1 {
					t.Errorf("%d workers, emit error: got %v after %d calls", workers, err, calls)
				}
				cctx, cancel := context.WithCancel(ctx)
				cancel()
				if err := readParallel(cctx, strings.NewReader(in), "f", f, Options{}, workers, blockSize, func(int64, *kpi.Event) error { return nil }); err != context.Canceled {
					t.Errorf("%d workers, canceled: got %v", workers, err)
				}
				r := io.MultiReader(strings.NewReader(in[:10]), iotest.ErrReader(io.ErrUnexpectedEOF))
				err = readParallel(ctx, r, "f", f, Options{}, workers, blockSize, func(int64, *kpi.Event) error { return nil })
				if !errors.Is(err, io.ErrUnexpectedEOF) || err.Error() != "f: unexpected EOF" {
					t.Errorf("%d workers, reader error: got %v", workers, err)
				}
				// A reader that hands out one byte at a time.
				var n int
				err = readParallel(ctx, iotest.OneByteReader(strings.NewReader(in)), "f", f, Options{}, workers, blockSize, func(int64, *kpi.Event) error { n++; return nil })
				if err != nil || n != 2 {
					t.Errorf("%d workers, one byte at a time: %d events, %v", workers, n, err)
				}
			}
		})
	}
}

func TestTooLong(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 16 MiB")
	}
	long := `{"id":"` + strings.Repeat("x", maxRecord) + `"}`
	in := lines(`{"id":"1","deleted":true}`, `{"id":1}`, long, `{"id":"2","deleted":true}`)
	_, msg := readAll(t, NDJSON, in, Options{})
	if want := "f:2: id: want a string, got number\nf:3: line longer than 1048576 bytes"; msg != want {
		t.Errorf("got\n%s\nwant\n%s", msg, want)
	}
	in = "id,kind,time,actor\n\"" + strings.Repeat("\n", maxRecord) + "\"\n"
	_, msg = readAll(t, CSV, in, Options{})
	if want := "f:2: record longer than 1048576 bytes"; msg != want {
		t.Errorf("got\n%s\nwant\n%s", msg, want)
	}
}

func TestOptions(t *testing.T) {
	opt := Options{Attributes: map[string]kpi.AttrType{"b": 9, "a": kpi.AttrInt}}
	err := read(context.Background(), strings.NewReader(""), "f", CSV, opt, func(int64, *kpi.Event) error { return nil })
	if got, want := errText(err), `eventfile: attribute "b": unknown type AttrType(9)`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	err = read(context.Background(), strings.NewReader(""), "f", 0, Options{}, func(int64, *kpi.Event) error { return nil })
	if got, want := errText(err), `eventfile: unknown format Format(0)`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// The event and its map are reused: attributes of one line must not leak
// into the next, whatever emit does with the map.
func TestReuse(t *testing.T) {
	in := "id,kind,time,actor,a,b,deleted\n" +
		"1,k,2025-01-01T00:00:00Z,u,x,y,\n" +
		"2,k,2025-01-01T00:00:00Z,u,,y,\n" +
		"3,,,,,,true\n" +
		"4,k,2025-01-01T00:00:00Z,u,x,,\n" +
		"5,k,2025-01-01T00:00:00Z,u,x,y,\n" +
		"6,k,2025-01-01T00:00:00Z,u,,,\n"
	want := []string{
		"1 k 2025-01-01T00:00:00Z[0] u a=string(x) b=string(y)",
		"2 k 2025-01-01T00:00:00Z[0] u b=string(y)",
		"3 deleted",
		"4 k 2025-01-01T00:00:00Z[0] u a=string(x)",
		"5 k 2025-01-01T00:00:00Z[0] u a=string(x) b=string(y)",
		"6 k 2025-01-01T00:00:00Z[0] u",
	}
	for _, workers := range []int{0, 1, 2} {
		var got []string
		var maps []map[string]any
		err := readParallel(context.Background(), strings.NewReader(in), "f", CSV, Options{}, workers, blockSize, func(_ int64, e *kpi.Event) error {
			got = append(got, show(e))
			maps = append(maps, e.Attrs)
			if e.ID == "4" {
				e.Attrs["junk"] = "emit changed the map"
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d workers: got\n%s\nwant\n%s", workers, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, m := range maps[1:] {
			if fmt.Sprintf("%p", m) != fmt.Sprintf("%p", maps[0]) {
				t.Fatalf("%d workers: Attrs map not reused", workers)
			}
		}
	}
}

// The limit of a line is MaxLine bytes without its line end, whatever the
// end: LF, CRLF or none (the file's last line). A line of MaxLine bytes
// loads, one of MaxLine+1 is refused, in NDJSON and CSV, one line at a time
// and in parallel blocks (readAll reads both ways).
func TestLineLimitEdge(t *testing.T) {
	if testing.Short() {
		t.Skip("reads lines of 1 MiB")
	}
	// ndjson is a deleted line of n bytes, padded with white space.
	ndjson := func(n int) string {
		s := `{"id":"1","deleted":true}`
		return s + strings.Repeat(" ", n-len(s))
	}
	// csv is a record of n bytes, padded in its attribute.
	csv := func(n int) string {
		s := "1,deal,2025-03-01T10:00:00Z,u1,"
		return s + strings.Repeat("x", n-len(s))
	}
	for _, c := range []struct {
		f      Format
		head   string
		record func(int) string
		what   string
	}{
		{NDJSON, "", ndjson, "line"},
		{CSV, "id,kind,time,actor,note\n", csv, "record"},
	} {
		line := 1
		if c.head != "" {
			line = 2
		}
		for _, end := range []string{"\n", "\r\n", ""} {
			for _, extra := range []int{0, 1} {
				for _, blank := range []string{"", "\n"} {
					name := fmt.Sprintf("%v/end %q/MaxLine+%d/blank %q", c.f, end, extra, blank)
					t.Run(name, func(t *testing.T) {
						in := c.head + blank + c.record(MaxLine+extra) + end
						evs, msg := readAll(t, c.f, in, Options{})
						want := ""
						if extra > 0 {
							want = fmt.Sprintf("f:%d: %s longer than %d bytes", line+len(blank), c.what, MaxLine)
						}
						if msg != want {
							t.Errorf("got error %q, want %q", msg, want)
						}
						if want == "" && len(evs) != 1 {
							t.Errorf("got %d events, want 1", len(evs))
						}
					})
				}
			}
		}
	}
}
