package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/mapping"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/planfile"
	"github.com/goalkit/goalkit/kpi"
)

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("goalkit "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args into fs: no argument may follow the flags, and the
// flags that check their values (an outputFormat, an instantFlag) must pass.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	if name := repeatedFlag(fs, args); name != "" {
		fmt.Fprintf(fs.Output(), "flag -%s is given twice: a flag takes one value\n", name)
		fs.Usage()
		return errUsage
	}
	if err := wholeFlags(fs, args); err != nil {
		return err
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if c, ok := f.Value.(interface{ check() error }); ok && err == nil {
			err = c.check()
		}
	})
	return err
}

// repeatedFlag returns the name of the first flag args give twice, "" if
// none; args are ones fs has parsed, so each flag in them is defined. The
// flag package keeps the last value of a flag given twice without a word,
// so "-plan a.yaml … -plan b.yaml" read b.yaml, which may not be what was
// meant.
func repeatedFlag(fs *flag.FlagSet, args []string) string {
	seen := map[string]bool{}
	twice := ""
	givenFlags(fs, args, func(f *flag.Flag, _ string) bool {
		if seen[f.Name] {
			twice = f.Name
			return false
		}
		seen[f.Name] = true
		return true
	})
	return twice
}

// givenFlags calls each with every flag args give, in order, and the text
// of its value ("" for a bool flag given without one), until each returns
// false; args are ones fs has parsed, so each flag in them is defined.
func givenFlags(fs *flag.FlagSet, args []string, each func(f *flag.Flag, value string) bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' || a == "--" {
			return // the flags end here (Parse parsed them all)
		}
		name := strings.TrimPrefix(a[1:], "-")
		name, value, hasValue := strings.Cut(name, "=")
		f := fs.Lookup(name)
		if f == nil {
			return
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) && i+1 < len(args) {
			i++ // the value is the next argument
			value = args[i]
		}
		if !each(f, value) {
			return
		}
	}
}

// wholeFlags refuses a whole-number flag (-history, -limit, -seed,
// -max-body…) whose value is not written in decimal digits without a
// leading zero: the flag package reads -history 010 as the octal 8 and
// 0x10 as 16, where a plan's 010 is refused.
func wholeFlags(fs *flag.FlagSet, args []string) error {
	var err error
	givenFlags(fs, args, func(f *flag.Flag, value string) bool {
		g, ok := f.Value.(flag.Getter)
		if !ok {
			return true
		}
		switch g.Get().(type) {
		case int, int64, uint, uint64:
		default:
			return true
		}
		dec, oct, zeros := planfile.LeadingZeroForms(value)
		switch {
		case zeros && oct != dec:
			err = usagef("-%s: want a whole number without a leading zero, got %s, which reads as the octal %s: write %s, or %s", f.Name, display.Clip(value, display.MaxQuoted), oct, dec, oct)
		case zeros:
			err = usagef("-%s: want a whole number without a leading zero, got %s: write %s", f.Name, display.Clip(value, display.MaxQuoted), dec)
		case strings.Trim(strings.TrimLeft(value, "+-"), "0123456789") != "":
			// 0x10, 0b101, 0o17, 1_000.
			err = usagef("-%s: want a whole number in decimal digits, got %s, which reads as %s: write %[3]s", f.Name, display.Clip(value, display.MaxQuoted), f.Value.String())
		}
		return err == nil
	})
	return err
}

// goalTeamsUsage is the usage of -directory where it gives the teams of
// goals.
const goalTeamsUsage = "the organisation as JSON, as goalkit directory writes it: the teams of goals"

// eventsUsage is the usage of -events where it names the events to report on.
const eventsUsage = "events file (.ndjson, .jsonl or .csv)"

// inputs are the flags that name what a command reads: the plan, the events
// and the instant to report as of.
type inputs struct {
	plan, events string
	asOf         instantFlag
	mapping      string // a mapping file: -events is a table, or -source holds one
	directory    string // the organisation as JSON: evaluation options (evaluation)
	// source is whether the command has -source (defined before -mapping,
	// which every such command has): a refusal for want of events names it.
	source bool
}

// defineMapping defines -mapping; its usage speaks of -source only for a
// command that has one (eval, export, notify).
func (in *inputs) defineMapping(fs *flag.FlagSet) {
	usage := mappingUsage
	in.source = fs.Lookup("source") != nil
	if !in.source {
		usage = mappingFileUsage
	}
	fs.StringVar(&in.mapping, "mapping", "", usage)
}

// defineDirectory defines -directory with the given usage.
func (in *inputs) defineDirectory(fs *flag.FlagSet, usage string) {
	fs.StringVar(&in.directory, "directory", "", usage)
}

// define defines -plan, and -events and -as-of with the given usage; an
// empty usage leaves that flag out.
func (in *inputs) define(fs *flag.FlagSet, events, asOf string) {
	fs.StringVar(&in.plan, "plan", "", "plan file (YAML or JSON)")
	if events != "" {
		fs.StringVar(&in.events, "events", "", events)
	}
	if asOf != "" {
		in.asOf.define(fs, "as-of", asOf)
	}
}

// clock is the commands' clock, the instant of a command without -as-of.
var clock = time.Now

// at is the instant of -as-of, now if it is not set. A clock outside the
// years 0000 to 9999 (in UTC or in its own zone) is refused saying so: no
// report is as of such an instant, and the engine's refusal named an
// as-of instant the user never gave.
func (in *inputs) at() (time.Time, error) {
	if in.asOf.given() {
		return in.asOf.t, nil
	}
	now := clock()
	for _, y := range [...]int{now.Year(), now.UTC().Year()} {
		if y < 0 || y > 9999 {
			return time.Time{}, fmt.Errorf("the clock reads %s, outside the years 0000 to 9999 a report can be as of: set the machine's clock, or give -as-of", now.Format(time.RFC3339))
		}
	}
	return now, nil
}

// compile reads the plan and compiles it.
func (in *inputs) compile() (*goalkit.Definition, *goalkit.Plan, error) { return compilePlan(in.plan) }

// compilePlan reads the plan file at path and compiles it.
func compilePlan(path string) (*goalkit.Definition, *goalkit.Plan, error) {
	def, err := goalkit.ReadDefinition(path)
	if err != nil {
		return nil, nil, err
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		return nil, nil, err
	}
	return def, plan, nil
}

// load reads the plan and the events file into a fresh store. The store
// is thrown away if the file has any bad line, so nothing of it is applied.
func (in *inputs) load(ctx context.Context) (*goalkit.Plan, *memory.Store, error) {
	if in.plan == "" {
		return nil, nil, usagef("-plan is required")
	}
	if in.events == "" {
		return nil, nil, usagef("-events is required")
	}
	def, plan, err := in.compile()
	if err != nil {
		return nil, nil, err
	}
	store := memory.New(plan.Calendar().Location())
	if in.mapping != "" {
		m, err := compileMapping(in.mapping, def.Attributes)
		if err != nil {
			return nil, nil, err
		}
		if err := loadTable(ctx, store, m, in.events); err != nil {
			return nil, nil, err
		}
		return plan, store, nil
	}
	if err := loadEvents(ctx, store, in.events, def.Attributes); err != nil {
		return nil, nil, err
	}
	return plan, store, nil
}

// loadOrSource is load for a command that may read -source instead (eval,
// export, notify): without either, the refusal names both.
func (in *inputs) loadOrSource(ctx context.Context) (*goalkit.Plan, *memory.Store, error) {
	if in.source && in.plan != "" && in.events == "" {
		return nil, nil, usagef("-events or -source is required")
	}
	return in.load(ctx)
}

// loadFromDatabase reads the plan and opens the event database of spec;
// -events and -source exclude each other.
func (in *inputs) loadFromDatabase(ctx context.Context, spec string) (*goalkit.Plan, kpi.Source, func() error, error) {
	if in.plan == "" {
		return nil, nil, nil, usagef("-plan is required")
	}
	if in.events != "" {
		return nil, nil, nil, usagef("-events and -source exclude each other")
	}
	def, plan, err := in.compile()
	if err != nil {
		return nil, nil, nil, err
	}
	if isNATS(spec) {
		if in.mapping != "" {
			return nil, nil, nil, usagef("-mapping does not apply to a nats:// source")
		}
		src, closeNC, err := openNATSSource(ctx, spec)
		return plan, src, closeNC, err
	}
	if in.mapping != "" {
		// The mapping's table, read from the database into memory.
		m, err := compileMapping(in.mapping, def.Attributes)
		if err != nil {
			return nil, nil, nil, err
		}
		db, err := openHostDatabase(ctx, spec)
		if err != nil {
			return nil, nil, nil, err
		}
		defer db.Close()
		store := memory.New(plan.Calendar().Location())
		if err := m.LoadDB(ctx, store, db, mapping.Options{}); err != nil {
			return nil, nil, nil, err
		}
		return plan, store, func() error { return nil }, nil
	}
	s, closeDB, err := openDatabase(ctx, spec, false)
	if err != nil {
		return nil, nil, nil, err
	}
	// Every engine reads the plan's attribute types; a store that holds
	// other types would compare and sum nothing.
	if err := s.CheckAttributes(ctx, def.Attributes); err != nil {
		closeDB()
		return nil, nil, nil, err
	}
	return plan, s, closeDB, nil
}

// open reads the plan and opens its events: the database of spec when it
// is set (loadFromDatabase), else the events file (load). done releases
// the database.
func (in *inputs) open(ctx context.Context, spec string) (plan *goalkit.Plan, src kpi.Source, done func() error, err error) {
	if spec != "" {
		return in.loadFromDatabase(ctx, spec)
	}
	plan, store, err := in.loadOrSource(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	return plan, store, func() error { return nil }, nil
}

// evaluation opens what a command evaluates: the plan and its events, as
// open does, and the evaluation options of -directory. done releases the
// database.
func (in *inputs) evaluation(ctx context.Context, spec string) (plan *goalkit.Plan, src kpi.Source, opts []goalkit.EvalOption, done func() error, err error) {
	plan, src, done, err = in.open(ctx, spec)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if opts, err = withDirectory(in.directory); err != nil {
		done()
		return nil, nil, nil, nil, err
	}
	return plan, src, opts, done, nil
}

// withDirectory is the evaluation option of -directory: none when path is
// empty.
func withDirectory(path string) ([]goalkit.EvalOption, error) {
	if path == "" {
		return nil, nil
	}
	dir, err := readDirectory(path)
	if err != nil {
		return nil, err
	}
	return []goalkit.EvalOption{goalkit.WithDirectory(dir)}, nil
}

// outputFormat is the value of -format: one of a command's formats, named
// in any letter case (CSV is csv), as the extensions of event files and of
// goalkit export's -o are read.
type outputFormat struct {
	flag    string // the flag's name: format, or serve's log
	name    string // lower case
	given   string // as given, for the refusal
	choices []string
}

// formatFlag defines -format: one of choices, the first by default.
func formatFlag(fs *flag.FlagSet, choices ...string) *outputFormat {
	return formatFlagNamed(fs, "format", "output `format`", choices...)
}

// formatFlagNamed defines another flag of a format (serve's -log), read as
// -format is; what says what it is the format of.
func formatFlagNamed(fs *flag.FlagSet, name, what string, choices ...string) *outputFormat {
	f := &outputFormat{flag: name, name: choices[0], given: choices[0], choices: choices}
	fs.Var(f, name, what+": "+orList(choices)+", in any letter case")
	return f
}

func (f *outputFormat) String() string { return f.name }

// Set takes any name: parseFlags checks it once every flag is parsed.
func (f *outputFormat) Set(name string) error {
	f.name, f.given = strings.ToLower(name), name
	return nil
}

// check refuses a format that is not one of the choices.
func (f *outputFormat) check() error {
	if !slices.Contains(f.choices, f.name) {
		return usagef("-%s must be %s, got %q", f.flag, orList(f.choices), f.given)
	}
	return nil
}

// writeIndentedJSON writes v as indented JSON.
func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// orList writes words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
