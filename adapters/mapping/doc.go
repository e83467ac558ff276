// Package mapping turns tables of records into events, as a mapping file
// declares: each row of a CSV file or a SQL table (or query) gives zero or
// more events, such as deal.created at engage_date and deal.won at
// close_date when deal_stage == "Won", with amount close_value. The file
// format, every key and the rules below are in docs/mapping.md, and its
// JSON Schema is docs/mapping.schema.json.
//
// # Loading a table
//
// Compile a mapping once (CompileFile, or Parse and Compile), then load a
// table into any Store with Import, such as *memory.Store or an SQL store:
//
//	m, err := mapping.CompileFile("deals.mapping.yaml")
//	if err != nil {
//		return err
//	}
//	f, err := os.Open("deals.csv")
//	if err != nil {
//		return err
//	}
//	defer f.Close()
//	err = m.LoadCSV(ctx, store, f, "deals.csv", mapping.Options{})
//
// LoadDB reads the mapping's table or query from a *sql.DB instead, and
// LoadRows any *sql.Rows. A load is one Import: the store keeps every
// event version of the table or, when a row is bad, none; the error names
// each bad row: `deals.csv:12: column "close_date": not a date "2017-13-01": months are 01 to 12`.
//
// # Ids and re-imports
//
// The id of the event a rule gives a row is the mapping's id_prefix, the
// rule's id (its kind by default), a colon and the row's key:
// deal.won:1C1I7A6R. Key parts are joined with ':' after escaping '%' and
// ':' in them (%25, %3A). Ids are the same in every load of the same row,
// so loading a changed table again corrects the events whose row changed.
// For every row and rule a load gives either the event or, where the
// rule's when is false, the retraction of its id: a deal moved from Won
// back to Engaging retracts its win. A retraction of an id the store never
// held changes nothing. Rows deleted from the table are retracted only by
// a complete load (Options.Complete), which retracts the mapping's events
// that no row made.
//
// # Dates and times
//
// A date column's value stands for an instant: its time of day (00:00 by
// default) in its zone (the column's, or the mapping's timezone, one of
// which is required). A wall time that a daylight-saving jump skips moves
// forward by the jump, and one that occurs twice is its first occurrence,
// so a date at 00:00 is the first instant of that day. A time column's
// value is RFC 3339 with an offset, or a wall-clock time in the column's
// zone.
//
// A Mapper is immutable and safe for concurrent use.
package mapping
