// Package eventfile reads and writes event files: the NDJSON and CSV shapes
// of FORMATS.md (one event version a line, "the last line of an id wins",
// `deleted: true` retracts an id).
//
// # Loading a file
//
// Load is the one way to load an event file: it reads the file into a Store,
// such as the embedded *memory.Store or an SQL store, in one Import:
//
//	store := memory.New(plan.Calendar().Location())
//	f, err := os.Open("events.csv")
//	if err != nil {
//		return err
//	}
//	defer f.Close()
//	err = eventfile.Load(ctx, store, f, "events.csv", eventfile.Options{Attributes: def.Attributes})
//
// Every line is one event version, handed to the store in file order; the
// store resolves them (the last line of an id wins, a deleted line retracts
// the id until a later line brings it back). Load checks every line, and a
// file with a bad line is refused whole: the error names each bad line, and
// the store keeps nothing of the file, since Import keeps nothing unless the
// whole file was read. A large file is parsed by several goroutines at once,
// block by block, while the store takes the versions in file order. A store
// that takes events in parts (a PartStore, such as *memory.Store) gets one
// part a block, filled on every core at once, and takes the parts in file
// order, so that the whole load uses every core. A CSV file's attributes go
// to a store that takes them by position (a ColumnStore or ColumnPartStore:
// *memory.Store is both) column by column, without a map per line; on up to
// two cores such a store fills on one goroutine while the others parse,
// which there beats filling parts and merging them. A host with a store of
// its own implements Store, or wraps a function in a StoreFunc.
//
// # Strictness
//
// A bad line is reported as "NAME:LINE: what is wrong" (*Error); Load reports
// up to 20 of them, in line order, and counts the rest. In both formats:
//
//   - id is required; kind, time and actor too unless the line is a deletion.
//     A deletion needs only id; its other fields are not checked (but an
//     NDJSON line must still be valid JSON with known fields, and a CSV
//     record must still have a field for every column). The actor "*" is
//     refused: reports name the whole company's row so (org.Everyone).
//   - time is an RFC 3339 instant, YYYY-MM-DDTHH:MM:SS[.fraction] and Z or
//     ±HH:MM (T and Z may be lower case, as RFC 3339 allows), and keeps its
//     offset; it is stricter than time.Parse (no one-digit hour, no comma
//     before the fraction, no offset past 23:59) and gives the same instant.
//     A fraction past nanoseconds is truncated. A day or a time of day that
//     does not exist is an error that says so (2025-02-30: "February 2025
//     has 28 days"; 24:00; a leap second), never moved onto another. An
//     event's time is of the years 1678–2261, as kpi.Event.Validate
//     requires (the stores keep instants as int64 nanoseconds); another
//     year is an error (a time attribute may have any).
//   - amount is a decimal, [+-]digits[.digits][e[+-]digits], read exactly
//     (never through float64); at most 100 characters and an exponent within
//     ±1000.
//   - currency is 3 upper-case letters (an ISO 4217 code) and needs an amount:
//     a currency without an amount is an error.
//   - text is valid UTF-8; the id, kind, actor and attribute names are
//     identifiers, without control characters (U+0000–U+001F,
//     U+007F–U+009F), as kpi.Event.Validate requires: a line with one is
//     bad whatever the store, named beside the file's other bad lines. In
//     NDJSON an identifier with an escaped lone surrogate (a \ud800 to
//     \udfff escape without its pair) is bad too: it stands for no
//     character, and read as U+FFFD it would make "a\ud800" and
//     "a\udbff" one id. In an attribute value (data) such an escape reads
//     as U+FFFD, as encoding/json reads it.
//
// NDJSON: one JSON object a line; blank lines (only white space) are skipped.
// Unknown fields and duplicate keys (attrs included) are errors; null is the
// same as an absent field; an empty string is not a kind, actor or id. attrs
// is an object of strings, numbers, bools (and null: absent); objects and
// arrays in it are errors. Attributes keep their JSON type — a string is a
// string, a number a decimal.Decimal, a bool a bool — unless Options declares
// their type: int (an integral JSON number, as int64), decimal (a number or
// a decimal string), bool, time (an RFC 3339 string, as time.Time) or string
// (a JSON string). amount may be a JSON string or a JSON number.
//
// CSV (RFC 4180): a header row names the columns; id, kind, time and actor
// are required, amount, currency and deleted optional (deleted is true,
// false or empty), every other column is an attribute, typed by Options
// (string when undeclared; an int cell is [+-]digits, a decimal cell a
// decimal, a bool cell true or false, a time cell RFC 3339). Column names
// are case-sensitive and may appear once; a name with a space at its start
// or end (a header "id, kind" as some tools write it: CSV keeps the space
// in the field) is refused at the header's line rather than trimmed, as a
// mapping's CSV table finds no column " kind" for "kind". An NDJSON attrs
// key is a JSON string, taken as written, blanks included. Every record has as many fields
// as the header. An empty cell is an absent value: no amount, no currency,
// no attribute. Quoted fields may hold commas, quotes (doubled) and line
// ends, kept as they are; a record's line is the line where it starts. CRLF
// line ends and a UTF-8 byte order mark are accepted (a file of either
// format saved as UTF-16, with its byte order mark, is refused at line 1
// saying so); blank lines (empty, or only spaces and tabs, as no header
// has a single column) are skipped, before the header too. A file without
// a header row is an error.
//
// # Limits
//
// A line (a CSV record) is at most MaxLine bytes (1 MiB) without its line
// end, whether LF, CRLF or none; an event has at
// most kpi.MaxEventAttrs attributes (64: more keys in attrs, or more
// attribute columns in a CSV header, are an error at their line); a store
// holds at most kpi.MaxAttrNames distinct attribute names (1,024: the line
// that brings one more is refused). Within them memory stays linear in the
// file (docs/formats.md, "Limits").
//
// # Speed
//
// The CSV reader scans bytes a word at a time (on amd64 with AVX2, 32 at a
// time: a block without a quote is split into fields a thousand separators
// at a pass, scan.go and split_amd64.s; the portable code is the same
// reader elsewhere, and the purego build tag selects it), parses times and
// plain decimals by hand, and takes repeated strings and attribute values
// from small caches, so a typical line costs one allocation or less (an
// amount costs two, those of a big.Int). Strings handed out may share
// memory with other strings of the same read; they are immutable and safe
// to keep.
//
// Load of a CSV file into an empty memory store goes further (coded.go):
// the parsers remember, beside each kind, actor, currency and attribute
// value in their caches, its code in a chunk of the store's table format
// of their own, and append each line by codes (its id as bytes, its amount
// as an integer of minor units): no event, string or decimal is made for
// it, and the store looks nothing up. A line whose values all have codes
// already is coded straight from its fields (eventCoded); any other takes
// the general path. The caches find small numbers (user ids) by a direct
// table, other short values by a dense table of tags, and hold each
// value's code beside it. Every core parses and codes; the blocks are
// stitched into the store's table in file order.
package eventfile
