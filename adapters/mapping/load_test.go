package mapping

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// dealsHeader is the header of the tables the error cases read through
// testdata/deals.yaml.
const dealsHeader = "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"

func TestLoadCSVErrors(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	var many strings.Builder
	many.WriteString(dealsHeader)
	for i := range 30 {
		fmt.Fprintf(&many, "D%d,a,p,c,Won,2017-01-01,2017-01-3%d,1\n", i, i%10)
	}
	for _, tc := range []struct {
		name, table, want string
	}{
		{"bad date", dealsHeader +
			"A,Moses Frase,GTX,Cancity,Won,2016-10-20,2017-03-01,1054\n" +
			"B,Moses Frase,GTX,Cancity,Won,2016-10-20,2017-13-01,1054\n" +
			"C,Moses Frase,GTX,Cancity,Won,2016-10-20,2017-02-30,1054\n",
			"deals.csv:3: column \"close_date\": not a date \"2017-13-01\": months are 01 to 12\n" +
				"deals.csv:4: column \"close_date\": not a date \"2017-02-30\": February 2017 has 28 days"},
		{"bad decimal", dealsHeader + "A,a,p,c,Won,2016-10-20,2017-03-01,\"1,054\"\n",
			`deals.csv:2: column "close_value": not a decimal "1,054"`},
		{"no header", "", "deals.csv:1: missing header row"},
		{"UTF-16", "\xff\xfeo\x00p\x00", "deals.csv:1: the table is UTF-16 (it starts with the byte order mark FFFE): save it as UTF-8"},
		{"UTF-16, big-endian", "\xfe\xff\x00o\x00p", "deals.csv:1: the table is UTF-16 (it starts with the byte order mark FEFF): save it as UTF-8"},
		{"only blank lines", "\n\n", "deals.csv:1: missing header row"},
		{"blank lines before the header", " \t\n\r\n\t\r\n" + strings.Replace(dealsHeader, ",account", "", 1), "deals.csv:4: no column \"account\""},
		// A blank line is skipped, and the lines after it keep their
		// numbers; a quoted field of spaces, or a line of separators, is a
		// record, not a blank line.
		{"blank lines", dealsHeader + " \n\t\r\n" + "A,a,p,c,Won,2016-10-20,2017-13-01,1\n" + "\" \"\n" + ",,,,,,,\n" + "  \t",
			"deals.csv:4: column \"close_date\": not a date \"2017-13-01\": months are 01 to 12\n" +
				"deals.csv:5: 1 fields, but the header has 8\n" +
				"deals.csv:6: column \"opportunity_id\": empty key"},
		{"missing columns", "opportunity_id,sales_agent,product,deal_stage,engage_date,engage_date,close_value\n",
			"deals.csv:1: no column \"account\"\n" +
				"deals.csv:1: no column \"close_date\"\n" +
				"deals.csv:1: column \"engage_date\" appears twice"},
		// A spreadsheet's export: a name in capitals, a space after a comma.
		{"spreadsheet header", "opportunity_id,Sales_Agent,product,account,deal_stage,engage_date, close_date,close_value\n",
			"deals.csv:1: no column \"close_date\" (did you mean \" close_date\"?)\n" +
				"deals.csv:1: no column \"sales_agent\" (did you mean \"Sales_Agent\"?)"},
		{"fields", dealsHeader + "A,a,p,c,Won,2016-10-20,2017-03-01\nB,a,p,c,Won,2016-10-20,2017-03-01,1,2\n",
			"deals.csv:2: 7 fields, but the header has 8\n" +
				"deals.csv:3: 9 fields, but the header has 8"},
		{"bare quote", dealsHeader + "A,a,p,c\"x,Won,2016-10-20,2017-03-01,1\nB,a,p,c,Won,2016-10-20,2017-13-01,1\n",
			`deals.csv:2: bare " in non-quoted-field (byte 8 of the line)`},
		{"unterminated quote", dealsHeader + "A,a,p,\"c,Won,2016-10-20,2017-03-01,1\n",
			`deals.csv:2: extraneous or missing " in quoted-field (byte 38 of the line)`},
		{"empty key", dealsHeader + ",a,p,c,Won,2016-10-20,2017-03-01,1\n",
			`deals.csv:2: column "opportunity_id": empty key`},
		{"duplicate key", dealsHeader + "A,a,p,c,Won,2016-10-20,2017-03-01,1\nB,a,p,c,Won,2016-10-20,2017-03-01,1\n\"A\",a,p,c,Lost,2016-10-20,2017-03-01,1\n",
			`deals.csv:4: key "A" repeats the key of line 2`},
		{"empty time", dealsHeader + "A,a,p,c,Won,2016-10-20,,1\n",
			`deals.csv:2: rule "deal.won": time column "close_date" is empty (a when condition such as defined(close_date) skips such rows)`},
		{"empty actor", dealsHeader + "A,,p,c,Engaging,2016-10-20,,\n",
			`deals.csv:2: rule "deal.created": actor column "sales_agent" is empty (a when condition such as defined(sales_agent) skips such rows)`},
		{"bad UTF-8", dealsHeader + "A,\xff,p,c,Won,2016-10-20,2017-03-01,1\n",
			`deals.csv:2: column "sales_agent": is not valid UTF-8`},
		{"multi-line record", dealsHeader + "A,a,\"GTX\nPro\",c,Won,2016-10-20,2017-03-01,1\nB,a,p,c,Won,2016-10-20,2017-03-01,x\n",
			`deals.csv:4: column "close_value": not a decimal "x"`},
		// New York's local mean time of 1600 is 4:56:02 behind UTC: the
		// instant is written with the seconds of its offset.
		// A time outside the years of an event's time is a bad row of its
		// own, named by its column; the years are those of the time's own
		// zone, so that the first and last days in New York are in them.
		{"out of range", dealsHeader + "A,a,p,c,Won,1600-01-01,2017-03-01,1\n" +
			"B,a,p,c,Won,2017-01-01,2262-01-01,1\n" + "C,a,p,c,Won,1678-01-01,2261-12-31,1\n",
			`deals.csv:2: rule "deal.created": time column "engage_date" is 1600-01-01T00:00:00-04:56:02, outside the years 1678–2261 of an event's time` + "\n" +
				`deals.csv:3: rule "deal.won": time column "close_date" is 2262-01-01T18:00:00-05:00, outside the years 1678–2261 of an event's time`},
		{"many", many.String(), func() string {
			var b strings.Builder
			n := 0
			for i := range 30 {
				if i%10 >= 2 { // 2017-01-32 and later do not exist
					if n++; n <= 20 {
						fmt.Fprintf(&b, "deals.csv:%d: column \"close_date\": not a date \"2017-01-3%d\": January has 31 days\n", i+2, i%10)
					}
				}
			}
			return b.String() + fmt.Sprintf("and %d more bad rows", n-20)
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := memory.New(time.UTC)
			before := kpi.Event{ID: "deal.won:A", Kind: "deal.won", Time: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), Actor: "x"}
			if err := store.Apply(before); err != nil {
				t.Fatal(err)
			}
			err := m.LoadCSV(context.Background(), store, strings.NewReader(tc.table), "deals.csv", Options{})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got\n%v\nwant\n%s", err, tc.want)
			}
			if e, ok := store.Get("deal.won:A"); store.Len() != 1 || !ok || e.Actor != "x" {
				t.Fatalf("the store changed: %d events", store.Len())
			}
			var fe *eventfile.Error
			if !errors.As(err, &fe) {
				t.Fatalf("not an *eventfile.Error: %T", err)
			}
		})
	}
}

// An error of the reader is returned after the table's name.
func TestLoadCSVReadError(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	boom := errors.New("boom")
	r := ioErrReader{data: dealsHeader + "A,a,p,c,Won,2016-10-20,2017-03-01,1\n", err: boom}
	err := m.LoadCSV(context.Background(), &recorder{}, &r, "deals.csv", Options{})
	if !errors.Is(err, boom) || err.Error() != "deals.csv: boom" {
		t.Fatalf("got %v", err)
	}
}

type ioErrReader struct {
	data string
	err  error
}

func (r *ioErrReader) Read(b []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(b, r.data)
	r.data = r.data[n:]
	return n, nil
}

// A cancelled context stops the load, and nothing is kept.
func TestLoadCSVCancelled(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	var b strings.Builder
	b.WriteString(dealsHeader)
	for i := range 3 * checkEvery {
		fmt.Fprintf(&b, "D%d,a,p,c,Won,2017-01-01,2017-02-03,1\n", i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	store := eventfile.StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
		return fn(func(*kpi.Event) error {
			if n++; n == 10 {
				cancel()
			}
			return nil
		})
	})
	err := m.LoadCSV(ctx, store, strings.NewReader(b.String()), "deals.csv", Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if n > 3*checkEvery {
		t.Fatalf("%d versions after the cancel", n)
	}
}

// A store's refusal names the row.
func TestLoadCSVStoreRefuses(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	refuse := eventfile.StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
		return fn(func(e *kpi.Event) error {
			if e.ID == "deal.won:B" {
				return errors.New("full")
			}
			return nil
		})
	})
	err := m.LoadCSV(context.Background(), refuse, strings.NewReader(dealsHeader+
		"A,a,p,c,Won,2016-10-20,2017-03-01,1\n\nB,a,p,c,Won,2016-10-20,2017-03-01,1\n"), "deals.csv", Options{})
	if err == nil || err.Error() != "deals.csv:4: full" {
		t.Fatalf("got %v", err)
	}
}

// A line longer than 16 MiB ends the load with its line, so that a table
// without line ends cannot take all memory.
func TestLoadCSVLongLine(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	table := dealsHeader + "A,a,p,c,Won,2016-10-20,2017-03-01,1\nB,a,\"" + strings.Repeat("x", maxLine) + "\",c,Won,2016-10-20,2017-03-01,1\n"
	err := m.LoadCSV(context.Background(), &recorder{}, strings.NewReader(table), "deals.csv", Options{})
	if err == nil || err.Error() != "deals.csv:3: line longer than 16777216 bytes" {
		t.Fatalf("got %v", err)
	}
	// A line of exactly the limit is read.
	l := &lineLimit{r: strings.NewReader("ab\n" + strings.Repeat("x", 10) + "\r\nc"), max: 11, line: 1}
	if b, err := io.ReadAll(l); err != nil || len(b) != 16 {
		t.Fatalf("got %d bytes, %v", len(b), err)
	}
	l = &lineLimit{r: strings.NewReader("ab\n" + strings.Repeat("x", 12) + "\n"), max: 11, line: 1}
	if _, err := io.ReadAll(l); err == nil || err.Error() != "line 2 is longer than 11 bytes" {
		t.Fatalf("got %v", err)
	}
}

// The limit of a line is the same whatever its end: LF, CRLF or none (the
// file's last line), wherever the reads of the file cut it. A CRLF line of
// max bytes was refused, its CR counted, where an LF one was read.
func TestLoadCSVLineLimitEnds(t *testing.T) {
	const max = 11
	for _, c := range []struct {
		text string
		long int // the line refused, 0: none
	}{
		{"ab\n" + strings.Repeat("x", max) + "\nc", 0},
		{"ab\r\n" + strings.Repeat("x", max) + "\r\nc", 0},
		{"ab\n" + strings.Repeat("x", max), 0},
		{"ab\n" + strings.Repeat("x", max) + "\r", 0},
		{"ab\n" + strings.Repeat("x", max+1) + "\nc", 2},
		{"ab\n" + strings.Repeat("x", max+1) + "\r\nc", 2},
		{"ab\n" + strings.Repeat("x", max+1), 2},
		{"ab\n" + strings.Repeat("x", max) + "\rx\nc", 2},
		{"ab\n" + strings.Repeat("x", max) + "\r\r\nc", 2},
		{"\r\n\r\n" + strings.Repeat("x", max) + "\r\n", 0},
	} {
		for _, one := range []bool{false, true} {
			var r io.Reader = strings.NewReader(c.text)
			if one {
				r = iotest.OneByteReader(r)
			}
			_, err := io.ReadAll(&lineLimit{r: r, max: max, line: 1})
			var long *longLine
			switch {
			case c.long == 0 && err != nil:
				t.Errorf("%q (one byte a read: %t): %v", c.text, one, err)
			case c.long != 0 && (!errors.As(err, &long) || long.line != c.long):
				t.Errorf("%q (one byte a read: %t): got %v, want line %d refused", c.text, one, err, c.long)
			}
		}
	}
	// A table's row of exactly 16 MiB loads with a CRLF end as with an LF.
	m := compileFile(t, "deals.yaml")
	row := "B,a,\"\",c,Won,2016-10-20,2017-03-01,1"
	row = row[:5] + strings.Repeat("x", maxLine-len(row)) + row[5:]
	if len(row) != maxLine {
		t.Fatalf("the row has %d bytes", len(row))
	}
	for _, end := range []string{"\n", "\r\n"} {
		var r recorder
		table := strings.ReplaceAll(dealsHeader, "\n", end) + row + end
		if err := m.LoadCSV(context.Background(), &r, strings.NewReader(table), "deals.csv", Options{}); err != nil {
			t.Errorf("line end %q: %v", end, err)
		}
		if err := m.LoadCSV(context.Background(), &recorder{}, strings.NewReader(table[:len(table)-len(end)]+"x"+end), "deals.csv", Options{}); err == nil || err.Error() != "deals.csv:2: line longer than 16777216 bytes" {
			t.Errorf("line end %q, a byte more: got %v", end, err)
		}
	}
}

// A header that lacks the mapping's columns because the file is not read
// as the CSV its author meant says why, beside the columns missing: a file
// whose lines end in CR alone (Excel's "CSV (Macintosh)") is one line, its
// header's last name running into the first row, and a file separated by
// semicolons (as spreadsheets write it where the comma is the decimal
// mark) has a header of one column. Only "no column" was said, of columns
// the header plainly has.
func TestLoadCSVHeaderHints(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	row := "A,a,p,c,Won,2016-10-20,2017-03-01,1"
	for _, c := range []struct{ table, hint string }{
		{strings.TrimSuffix(dealsHeader, "\n") + "\r" + row + "\r",
			`deals.csv:1: the header's column "close_value\rA" holds a carriage return: lines that end in CR alone are not line ends in CSV (save the file with LF or CRLF line ends)`},
		{strings.ReplaceAll(dealsHeader+row+"\n", ",", ";"),
			`deals.csv:1: the header is the one column "opportunity_id;sales_agent;product;account;deal_stage;engage_dat…": the fields are separated by ";", and CSV separates them by commas`},
		{strings.ReplaceAll(dealsHeader+row+"\n", ",", "\t"),
			`deals.csv:1: the header is the one column "opportunity_id\tsales_agent\tproduct\taccount\tdeal_stage\tengage_dat…": the fields are separated by "\t", and CSV separates them by commas`},
		// A header with every column has nothing to explain.
		{"x;y," + dealsHeader + "1," + row + "\n", ""},
		{"x\ry," + dealsHeader + "1," + row + "\n", ""},
	} {
		_, err := versions(t, m, c.table, "deals.csv")
		var lines []string
		if err != nil {
			lines = strings.Split(err.Error(), "\n")
		}
		switch {
		case c.hint == "" && err != nil:
			t.Errorf("%q: %v", c.table, err)
		case c.hint != "" && (len(lines) < 2 || lines[len(lines)-1] != c.hint || !strings.HasPrefix(lines[0], "deals.csv:1: no column ")):
			t.Errorf("%q:\n got %v\nwant the missing columns, then %s", c.table, err, c.hint)
		}
	}
}

// The header's problems name its line, after blank lines.
func TestLoadCSVHeaderLine(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	err := m.LoadCSV(context.Background(), &recorder{}, strings.NewReader("\n\nopportunity_id\n"), "deals.csv", Options{})
	if err == nil || !strings.HasPrefix(err.Error(), `deals.csv:3: no column "account"`) {
		t.Fatalf("got %v", err)
	}
}

// A complete load needs a store it can read.
func TestLoadCompleteNeedsSource(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	err := m.LoadCSV(context.Background(), &recorder{}, strings.NewReader(dealsHeader), "deals.csv", Options{Complete: true})
	if err == nil || err.Error() != "mapping: a complete load needs a store that is a kpi.Source too, to find the events to retract" {
		t.Fatalf("got %v", err)
	}
	if _, err := Compile(nil); err == nil {
		t.Fatal("Compile(nil) gave no error")
	}
}

// One Mapper serves concurrent loads.
func TestConcurrentLoads(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	table := readTestdata(t, "deals.csv")
	want, err := versions(t, m, table, "deals.csv")
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			got, err := versions(t, m, table, "deals.csv")
			if err == nil && string(ndjson(t, got, dealsAttrs...)) != string(ndjson(t, want, dealsAttrs...)) {
				err = errors.New("a concurrent load differs")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// Renaming a rule's id or kind, or changing the prefix, gives new ids that
// a complete load with the new mapping does not know the old ones by: they
// stay, and would be counted twice. A complete load of the old mapping over
// the table's header alone retracts them, and the store then holds what a
// fresh load with the new mapping gives.
func TestLoadCompleteAfterRename(t *testing.T) {
	ctx := context.Background()
	head := "timezone: UTC\nkey: [id]\ncolumns:\n  id: {type: string}\n  agent: {type: string}\n  day: {type: date}\n"
	table := "id,agent,day\nx,u,2025-03-01\ny,v,2025-03-02\n"
	old := compileText(t, head+"events:\n  - {kind: deal.won, time: day, actor: agent}\n")
	for _, rules := range []string{
		"events:\n  - {kind: deal.win, time: day, actor: agent}\n",
		"events:\n  - {id: won, kind: deal.won, time: day, actor: agent}\n",
		"id_prefix: crm/\nevents:\n  - {kind: deal.won, time: day, actor: agent}\n",
	} {
		renamed := compileText(t, head+rules)
		ids := func(s *memory.Store) []string {
			var out []string
			if err := s.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error { out = append(out, e.ID+" "+e.Kind); return nil }); err != nil {
				t.Fatal(err)
			}
			slices.Sort(out)
			return out
		}
		load := func(m *Mapper, s *memory.Store, table string, complete bool) {
			t.Helper()
			if err := m.LoadCSV(ctx, s, strings.NewReader(table), "t.csv", Options{Complete: complete}); err != nil {
				t.Fatal(err)
			}
		}
		s := memory.New(time.UTC)
		load(old, s, table, false)
		load(renamed, s, table, true)
		if got := ids(s); len(got) != 4 {
			t.Fatalf("%q: after a complete load with the renamed rule: %v, want the old and the new events", rules, got)
		}
		load(old, s, "id,agent,day\n", true)
		fresh := memory.New(time.UTC)
		load(renamed, fresh, table, false)
		if got, want := ids(s), ids(fresh); !slices.Equal(got, want) {
			t.Errorf("%q: after retracting the old mapping's events: %v, want %v", rules, got, want)
		}
	}
}

// A load without a store, a reader, rows or a database is refused naming
// the call and the table; each panicked with a nil dereference.
func TestLoadNil(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	ctx := context.Background()
	table := strings.NewReader(dealsHeader)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"no store", m.LoadCSV(ctx, nil, table, "deals.csv", Options{}), "mapping: deals.csv: no Store to load into"},
		{"no reader", m.LoadCSV(ctx, &recorder{}, nil, "deals.csv", Options{}), "mapping.LoadCSV: deals.csv: no Reader to read"},
		{"no rows", m.LoadRows(ctx, &recorder{}, nil, "deals", Options{}), "mapping.LoadRows: deals: no Rows to read"},
		{"no store for rows", m.LoadRows(ctx, nil, nil, "deals", Options{}), "mapping.LoadRows: deals: no Rows to read"},
		{"no database", m.LoadDB(ctx, &recorder{}, nil, Options{}), "mapping.LoadDB: deals: no DB to read"},
		{"no store for the database", m.LoadDB(ctx, nil, nil, Options{}), "mapping.LoadDB: deals: no DB to read"},
	} {
		if tc.err == nil || tc.err.Error() != tc.want {
			t.Errorf("%s: got %v, want %s", tc.name, tc.err, tc.want)
		}
	}
}

// refusingRetractions is a store whose Import refuses every retraction.
type refusingRetractions struct{ *memory.Store }

func (r refusingRetractions) Import(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
	return r.Store.Import(ctx, func(add func(*kpi.Event) error) error {
		return fn(func(e *kpi.Event) error {
			if e.Deleted {
				return errors.New("no retractions here")
			}
			return add(e)
		})
	})
}

// A complete load whose retraction the store refuses quotes the event's id
// cut short: a key of 100 KB made an error of 100 KB.
func TestLoadCompleteRetractionErrorQuotesShort(t *testing.T) {
	ctx := context.Background()
	m := compileText(t, "timezone: UTC\nkey: [id]\ncolumns:\n  id: {type: string}\n  agent: {type: string}\n  day: {type: date}\nevents:\n  - {kind: deal.won, time: day, actor: agent}\n")
	s := refusingRetractions{memory.New(time.UTC)}
	long := strings.Repeat("k", 100<<10)
	if err := m.LoadCSV(ctx, s, strings.NewReader("id,agent,day\n"+long+",u,2025-03-01\n"), "t.csv", Options{}); err != nil {
		t.Fatal(err)
	}
	err := m.LoadCSV(ctx, s, strings.NewReader("id,agent,day\n"), "t.csv", Options{Complete: true})
	if err == nil || !strings.Contains(err.Error(), "t.csv: retracting ") || !strings.Contains(err.Error(), "no retractions here") || len(err.Error()) > 1000 {
		t.Errorf("an error of %d bytes (want at most 1000, naming the retraction cut short): %.300v", len(fmt.Sprint(err)), err)
	}
}
