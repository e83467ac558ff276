// Package b24cmd implements the Bitrix24 subcommands of the goalkit command
// line:
//
//	goalkit sync bitrix24 -url URL [-since DATE] [-tz ZONE] [-state FILE] -o events.ndjson
//	goalkit directory bitrix24 -url URL -o org.json
//	goalkit act bitrix24 -url URL -notifications report.json [-dashboard URL]
//
// The goalkit CLI dispatches "sync bitrix24 …" to Sync,
// "directory bitrix24 …" to Directory and "act bitrix24 …" to Act with the
// arguments after "bitrix24". sync -tasks also reads tasks and time tracking.
//
// The webhook URL holds its secret, so rather than -url (which lands in the
// shell history and the process list) set it in the environment variable
// GOALKIT_BITRIX24_URL; -url wins when both are given. The secret is never
// printed.
//
// sync writes events as FORMATS.md NDJSON with the core's event file writer
// (adapters/eventfile), one object a line: id, deleted, kind, time (RFC
// 3339), actor, amount (a decimal string), currency, attrs; a currency
// without an amount is left out.
// With -state FILE it reads the watermark of the previous run from FILE (if
// the file exists) and syncs only what changed since, then writes the new
// watermark there; appending the new lines to the earlier ones (or loading
// both) gives the current state, since a later line with the same id replaces
// or retracts the earlier one (-o and -state naming one file is refused).
// -since DATE (2024-03-01, midnight in -tz, or an
// RFC 3339 instant) syncs what changed at or after DATE instead (with
// -state, the ids -deletions listed, the stage-history counters and the
// count of time-tracking records read are kept from the state, and so are
// its instants where they are before DATE, so that the next run also reads
// what changed between them and DATE). An
// incremental run misses most deletions (a deal or lead deleted without a
// stage move since the last run, any deleted activity or task: the portal's
// API does not tell them) unless -deletions is given: it lists the ids of
// every deal, lead and activity (and with -tasks of every task and
// time-tracking record), keeps them in the state, and retracts those gone
// since the last run with -deletions. A run
// without -state and -since, written to a new file that replaces the old
// one, drops them too. Time-tracking records (-tasks) have no modification
// date in the portal's API: a run with -state reads the records past the
// last one seen, and a record edited after it was read is seen again only
// by a run with -since a date before it was created (its new version
// replaces the old) or without -state and -since (the new file replaces
// the old, which also drops deleted records).
//
// directory writes the org structure as JSON: {"units": […],
// "memberships": […], "users": […]}.
//
// Output files (-o, and the -state file) are written whole or not at all (a
// temporary file, flushed to disk, renamed into place, and the rename
// flushed too where the platform allows: a crash leaves the old file or the
// new one, never an empty or torn one, and the events file is on disk
// before the -state file that counts on it); "-" or no -o writes to stdout.
// As goalkit export does, a symbolic link is followed (the file it points
// to is replaced, the link stays), and a named pipe, a terminal or
// /dev/stdout is written in place. A file
// that replaces another keeps its mode; a new one gets the mode os.Create
// gives (0666 less the umask), as goalkit export's files do. A watermark is
// not a secret, and events and a directory are no more private than the
// reports made from them: the umask and the directory keep them private.
package b24cmd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/internal/isodate"
	"github.com/goalkit/goalkit/internal/safefile"
	"github.com/goalkit/goalkit/internal/textenc"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// EnvURL names the environment variable that may hold the webhook URL.
const EnvURL = "GOALKIT_BITRIX24_URL"

// ErrUsage is matched (errors.Is) by errors in the command line: unknown or
// missing flags, bad values. A request for help (-h) matches flag.ErrHelp.
var ErrUsage = errors.New("usage error")

// usageError is a command-line mistake; it wraps the cause, if any.
type usageError struct{ err error }

func (e *usageError) Error() string        { return e.err.Error() }
func (e *usageError) Unwrap() error        { return errors.Unwrap(e.err) }
func (e *usageError) Is(target error) bool { return target == ErrUsage }

func usagef(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// common are the flags every command takes.
type common struct {
	url      string
	out      string
	verbose  bool
	interval time.Duration
}

// newFlags is the flag set of a command, with the flags every command
// takes already on it.
func newFlags(name string) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	c := &common{}
	fs.StringVar(&c.url, "url", "", "incoming webhook URL https://PORTAL/rest/USER_ID/CODE/ (default $"+EnvURL+")")
	fs.StringVar(&c.out, "o", "-", "output file; - for stdout")
	fs.BoolVar(&c.verbose, "v", false, "log every call to stderr")
	fs.DurationVar(&c.interval, "min-interval", 500*time.Millisecond, "least time between two requests (the portal drains 2 a second; 5 on Enterprise plans)")
	return fs, c
}

// parse parses args; name is e.g. "sync bitrix24".
func parse(name string, fs *flag.FlagSet, args []string, stderr io.Writer, synopsis string) error {
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: goalkit %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return fmt.Errorf("%s: %w", name, flag.ErrHelp)
		}
		return usagef("%s: %w", name, err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return usagef("%s: unexpected argument %q", name, fs.Arg(0))
	}
	return nil
}

func (c *common) client(name string, stderr io.Writer) (*bitrix24.Client, error) {
	u := c.url
	if u == "" {
		u = os.Getenv(EnvURL)
	}
	if u == "" {
		return nil, usagef("%s: -url or $%s is required", name, EnvURL)
	}
	level := slog.LevelWarn
	if c.verbose {
		level = slog.LevelDebug
	}
	if c.interval < 0 {
		return nil, usagef("%s: -min-interval: negative", name)
	}
	cl, err := bitrix24.New(bitrix24.Webhook(u), bitrix24.WithMinInterval(c.interval),
		bitrix24.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))))
	if err != nil {
		return nil, usagef("%s: %w", name, err)
	}
	return cl, nil
}

// Sync implements `goalkit sync bitrix24`.
func Sync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const name = "sync bitrix24"
	fs, c := newFlags(name)
	since := fs.String("since", "", "sync what changed at or after DATE (YYYY-MM-DD in -tz, or RFC 3339)")
	tz := fs.String("tz", "", "IANA time zone of -since dates, of date-only fields, and of the output times (default: times as the portal sends them, dates in UTC)")
	state := fs.String("state", "", "watermark file: read to sync only what changed since the last run, written after it")
	paging := fs.String("paging", "keyset", "list paging: keyset (start=-1, >ID) or offset")
	noHistory := fs.Bool("no-history", false, "do not read the stage history; date outcomes by MOVED_TIME")
	prefix := fs.String("prefix", "b24", "prefix of the event ids")
	tasks := fs.Bool("tasks", false, "also read tasks and their time tracking (needs the webhook's task scope)")
	goalField := fs.String("task-goal-field", bitrix24.DefaultTaskGoalField, "the task user field that links a task to a goal")
	deletions := fs.Bool("deletions", false, "also list the ids of every deal, lead and activity (and with -tasks task and time-tracking record), kept in the -state file, to retract those deleted since the last such run (a request per 50 items)")
	if err := parse(name, fs, args, stderr, "[-url URL] [-since DATE] [-tz ZONE] [-state FILE] [-o events.ndjson]"); err != nil {
		return err
	}
	opts := bitrix24.SyncOptions{Location: time.UTC, Prefix: *prefix, SkipHistory: *noHistory, Tasks: *tasks, TaskGoalField: *goalField, Deletions: *deletions}
	var out *time.Location
	if *tz != "" {
		loc, err := time.LoadLocation(*tz)
		if err != nil {
			return usagef("%s: -tz: unknown time zone %q", name, *tz)
		}
		opts.Location, out = loc, loc
	}
	switch *paging {
	case "keyset":
		opts.Paging = bitrix24.Keyset
	case "offset":
		opts.Paging = bitrix24.Offset
	default:
		return usagef("%s: -paging: want keyset or offset, got %q", name, *paging)
	}
	if *state != "" && sameFile(*state, c.out) {
		return usagef("%s: -o and -state name the same file %s: the state would replace the events", name, *state)
	}
	if *state != "" {
		wm, err := readState(*state)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		opts.Since = wm
	}
	// The state as it was read: -since replaces its marks for this run.
	prev := opts.Since
	if *since != "" {
		t, err := parseSince(*since, opts.Location)
		if err != nil {
			return usagef("%s: -since: %w", name, err)
		}
		// The date replaces the state's instants, not its listing of the
		// ids -deletions made (that says what existed, not since when, and
		// without it the items deleted since it was made would never be
		// retracted) nor its stage-history counters (the rows seen:
		// without them the state it writes counts only the history of the
		// items changed since the date, and the next run scans again rows
		// it had read, or, when none changed, no new rows at all).
		wm := bitrix24.ModifiedSince(t)
		wm.DealIDs, wm.LeadIDs, wm.ActivityIDs = opts.Since.DealIDs, opts.Since.LeadIDs, opts.Since.ActivityIDs
		wm.ElapsedIDs, wm.TaskIDs = opts.Since.ElapsedIDs, opts.Since.TaskIDs
		wm.DealHistory, wm.LeadHistory = opts.Since.DealHistory, opts.Since.LeadHistory
		opts.Since = wm
	}
	cl, err := c.client(name, stderr)
	if err != nil {
		return err
	}
	var (
		wm         bitrix24.Watermark
		n, deleted int
	)
	err = writeOutput(c.out, stdout, func(w io.Writer) error {
		ew := eventfile.NewWriter(w, eventfile.NDJSON, nil)
		var err error
		wm, err = cl.Sync(ctx, opts, func(e kpi.Event) error {
			if out != nil {
				e.Time = e.Time.In(out)
			}
			if !e.Amount.Valid {
				e.Currency = "" // a currency goes with an amount (FORMATS.md)
			}
			if err := ew.Write(&e); err != nil {
				return err
			}
			n++
			if e.Deleted {
				deleted++
			}
			return nil
		})
		if err != nil {
			return err
		}
		return ew.Flush()
	})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if *state != "" {
		if *since != "" {
			keepEarlier(&wm, prev)
		}
		if err := writeState(*state, wm); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	fmt.Fprintf(stderr, "bitrix24: %d events (%d retractions) written to %s\n", n, deleted, outputName(c.out))
	return nil
}

// keepEarlier gives wm, the watermark of a run with -since, what the
// state before it, prev, had read up to when that is earlier: the run read
// from the date, and what changed between the state's marks and the date
// (a date after them) is read by the next run only if the state still
// says so. Likewise its count of time-tracking records read: the window
// read the records created in it, not those past the count, and counting
// the window's alone the next run would read only the records past the
// window's newest (or, with none, those created since the tasks mark),
// never one logged by hand for a day before the window. What the next run
// reads again gives the same events.
func keepEarlier(wm *bitrix24.Watermark, prev bitrix24.Watermark) {
	for _, m := range []struct{ mark, prev *time.Time }{
		{&wm.DealModified, &prev.DealModified}, {&wm.LeadModified, &prev.LeadModified},
		{&wm.ActivityModified, &prev.ActivityModified}, {&wm.TaskModified, &prev.TaskModified},
	} {
		if !m.prev.IsZero() && m.prev.Before(*m.mark) {
			*m.mark = *m.prev
		}
	}
	if prev.ElapsedID > 0 {
		wm.ElapsedID = prev.ElapsedID
	}
}

// Directory implements `goalkit directory bitrix24`.
func Directory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const name = "directory bitrix24"
	fs, c := newFlags(name)
	if err := parse(name, fs, args, stderr, "[-url URL] [-o org.json]"); err != nil {
		return err
	}
	cl, err := c.client(name, stderr)
	if err != nil {
		return err
	}
	org, err := cl.Directory(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	// Units and Memberships fail only once ctx is done: the command then
	// stops, as Directory would have, rather than report none of either.
	units, err := org.Units(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	members, err := org.Memberships(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	err = writeOutput(c.out, stdout, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(org)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(stderr, "bitrix24: %d departments, %d memberships, %d users written to %s\n", len(units), len(members), len(org.Users()), outputName(c.out))
	return nil
}

func outputName(out string) string {
	if out == "" || out == "-" {
		return "stdout"
	}
	return out
}

// sameFile reports whether the paths a and b (b may be "-" or "", the
// standard output) name the same file: the same path, or two names (a
// link, a relative and an absolute path) of one file that exists.
func sameFile(a, b string) bool {
	if b == "" || b == "-" {
		return false
	}
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	if aa, err := filepath.Abs(a); err == nil {
		if bb, err := filepath.Abs(b); err == nil && aa == bb {
			return true
		}
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// parseSince reads YYYY-MM-DD (the first instant of that day in loc: 00:00,
// or the end of a summer-time jump that skips midnight) or an RFC 3339
// instant.
func parseSince(s string, loc *time.Location) (time.Time, error) {
	if len(s) == len(isodate.Form) {
		d, err := isodate.Parse(s)
		if err != nil {
			return time.Time{}, err
		}
		cal, err := period.NewCalendar(loc)
		if err != nil {
			return time.Time{}, err
		}
		return cal.Midnight(d), nil
	}
	if len(s) < len(isodate.Form) {
		return time.Time{}, fmt.Errorf("want YYYY-MM-DD or an RFC 3339 instant, got %q", s)
	}
	return isodate.ParseInstant(s)
}

// writeOutput runs fn on stdout ("-" or "") or writes the file at path
// through internal/safefile: beside it, on disk before it takes the name,
// which it replaces only when fn succeeded; a link followed, a pipe or the
// standard output's own file written in place. The file keeps the old
// one's mode, else the one os.Create gives, as goalkit export's files do:
// events, a directory and a watermark are as private as the user's other
// files, and a file the user shared with a group stays shared after the
// next run. The events file is on disk before the state file that counts
// on it is written.
func writeOutput(path string, stdout io.Writer, fn func(io.Writer) error) error {
	if path == "" || path == "-" {
		bw := bufio.NewWriter(stdout)
		if err := fn(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	return safefile.Write(path, stdout, fn)
}

func readState(path string) (bitrix24.Watermark, error) {
	var wm bitrix24.Watermark
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return wm, nil
	}
	if err != nil {
		return wm, err
	}
	// A state edited by hand and saved by a Windows editor may start with
	// a byte order mark, or be UTF-16 (PowerShell's Out-File): read as the
	// command reads a saved report.
	b = textenc.UTF8(b)
	// The file is one JSON object, as writeState writes it: anything else
	// (nothing at all, null, a second object after the first) is a damaged
	// file, not a watermark to sync from.
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '{' {
		return wm, fmt.Errorf("state file %s: want a JSON object", path)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&wm); err != nil {
		return wm, fmt.Errorf("state file %s: %w", path, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return bitrix24.Watermark{}, fmt.Errorf("state file %s: data after the JSON object", path)
	}
	// A damaged id listing, named with the file: the sync would name only
	// the listing.
	if err := wm.Check(); err != nil {
		return bitrix24.Watermark{}, fmt.Errorf("state file %s: %w", path, err)
	}
	return wm, nil
}

func writeState(path string, wm bitrix24.Watermark) error {
	return writeOutput(path, nil, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(wm)
	})
}
