package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
)

// runCheck runs goalkittest's property checks on a plan file and prints each
// property as passed or with its minimal counterexample. It fails (exit
// status 1) when a property fails.
func runCheck(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", stderr)
	var in inputs
	in.define(fs, "", "evaluate as of this RFC 3339 instant (default: the end of the plan's last report period)")
	checks := fs.Int("checks", 100, "cases per property")
	seed := fs.Uint64("seed", 0, "seed of the cases (0: a random one, printed on failure)")
	dirPath := fs.String("directory", "", "the organisation as JSON, for cascades split into units or members")
	requireDefined := fs.Bool("require-defined", false, "fail formulas_defined when a formula is undefined for defined inputs (a ratio over 0)")
	shrink := fs.Duration("shrink-time", 30*time.Second, "the most time spent shrinking one counterexample (0: none)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if in.plan == "" {
		return usagef("-plan is required")
	}
	if *checks < 1 {
		return usagef("-checks must be at least 1, got %d", *checks)
	}
	if *shrink < 0 {
		return usagef("-shrink-time must be 0 or more (0: no shrinking), got %s", *shrink)
	}
	opts := goalkittest.CheckOptions{RequireDefined: *requireDefined, AsOf: in.asOf.or(time.Time{})}
	_, plan, err := in.compile()
	if err != nil {
		return err
	}
	if *dirPath != "" {
		dir, err := readDirectory(*dirPath)
		if err != nil {
			return err
		}
		opts.Directory = dir
	}
	if err := setRapidFlags(*checks, *seed, *shrink); err != nil {
		return err
	}
	start := time.Now()
	outcomes := goalkittest.Run(plan, opts)
	failed := 0
	for _, o := range outcomes {
		if o.Passed {
			fmt.Fprintf(stdout, "PASS %-21s %s\n", o.Property, o.Doc)
			continue
		}
		failed++
		fmt.Fprintf(stdout, "FAIL %-21s %s\n", o.Property, o.Doc)
		for _, l := range strings.Split(strings.TrimRight(o.Counterexample, "\n"), "\n") {
			fmt.Fprintf(stdout, "     %s\n", l)
		}
		if m := seedRE.FindStringSubmatch(o.Log); m != nil {
			fmt.Fprintf(stdout, "     replay: %s\n", replayCommand(fs, *checks, m[1]))
		}
	}
	fmt.Fprintf(stdout, "%d properties, %d failed, %d cases each (%s)\n", len(outcomes), failed, *checks, time.Since(start).Round(time.Millisecond))
	if failed > 0 {
		return fmt.Errorf("%d of %d properties failed", failed, len(outcomes))
	}
	return nil
}

// replayCommand is the check command that replays a failure: every flag
// the run was given, with -checks and the failing case's -seed.
func replayCommand(fs *flag.FlagSet, checks int, seed string) string {
	args := []string{"goalkit", "check"}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "checks" || f.Name == "seed" {
			return
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			args = append(args, "-"+f.Name+"="+f.Value.String())
			return
		}
		args = append(args, "-"+f.Name, shellQuote(f.Value.String()))
	})
	return strings.Join(append(args, "-checks", strconv.Itoa(checks), "-seed", seed), " ")
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:+=,@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

var seedRE = regexp.MustCompile(`-rapid\.seed=(\d+)`)

// setRapidFlags sets rapid's flags for rapid.Check outside `go test`:
// rapid reads its number of cases, seed and shrink time from the program's
// flag.CommandLine, and testing.Short, which it calls, needs testing's flags
// registered and parsed.
func setRapidFlags(checks int, seed uint64, shrink time.Duration) error {
	testing.Init()
	if !flag.CommandLine.Parsed() {
		if err := flag.CommandLine.Parse(nil); err != nil {
			return err
		}
	}
	for name, v := range map[string]string{
		"rapid.checks":     strconv.Itoa(checks),
		"rapid.seed":       strconv.FormatUint(seed, 10),
		"rapid.nofailfile": "true",
		"rapid.shrinktime": shrink.String(),
	} {
		if err := flag.Set(name, v); err != nil {
			return errors.Join(fmt.Errorf("set rapid flag %s", name), err)
		}
	}
	return nil
}
