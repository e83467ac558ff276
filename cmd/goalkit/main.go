// Command goalkit evaluates goalkit plans over event files from the command
// line.
//
//	goalkit eval    -plan PLAN -events FILE [-as-of RFC3339] [-format json|table|csv] [-directory FILE]
//	goalkit explain -plan PLAN -events FILE -indicator ID -participant P -period LABEL [-by NAME=VALUE,…] [-directory FILE]
//	goalkit explain -plan PLAN -events FILE -indicator ID -period LABEL -change-from LABEL [-change-by ATTRIBUTE] [-directory FILE]
//	goalkit explain -plan PLAN -events FILE -plan-vs-fact GOAL -period LABEL [-directory FILE]
//	goalkit lint    -plan PLAN [-events HISTORY] [-as-of RFC3339] [-format text|json]
//	goalkit split   -plan PLAN -goal ID [-by working_days|weights|history|…] [-into GRAIN|units|members]
//	                [-weights K=W,…] [-history LABEL] [-events FILE] [-directory FILE] [-format text|json]
//	goalkit eval    -plan PLAN -source sqlite:FILE|postgres://… [-as-of RFC3339] [-format json|table|csv]
//	goalkit eval    -plan PLAN -mapping MAPPING -events TABLE.csv|-source sqlite:FILE|postgres://…
//	goalkit import  -events FILE -source sqlite:FILE|postgres://… [-plan PLAN] [-mapping MAPPING]
//	goalkit check   -plan PLAN [-checks N] [-seed S]
//	goalkit bench   [-n N] [-plan PLAN] [-format text|json] [-write FILE]
//	goalkit export  -plan PLAN -events FILE -format xlsx|pdf|svg|png -o FILE [-participant P] [-period LABEL] [-goal ID]
//	goalkit notify  -plan PLAN -events FILE|-source sqlite:FILE|postgres://… -channels FILE [-once]
//	goalkit suggest-targets -plan PLAN -events FILE [-for DATE] [-history N] [-percentile P] [-stretch F] [-format table|json]
//	goalkit backtest -plan PLAN -events FILE [-mapping MAPPING] [-from DATE -to DATE] [-at 25%,50%,75%] [-format table|json]
//	goalkit serve   -plan PLAN [-events FILE] [-source sqlite:FILE|postgres://…] [-directory FILE] [-tokens FILE] [-addr :8080]
//	goalkit publish -nats URL -plan PLAN -events FILE [-stream-partitions N] [-replicas R]
//	goalkit worker  -nats URL -plan PLAN [-partitions i/n] [-drain | -leases NAME [-max-partitions K] [-store-wait D]] [-snapshot-every D]
//	goalkit eval    -plan PLAN -source nats://HOST:PORT[/TENANT] [-as-of RFC3339] [-format json|table|csv]
//
// explain and eval -explain-change evaluate with the options of eval (the
// units of -directory), so that an explanation agrees with eval's report.
//
// The CLI is its own module so that the adapters it drives never enter the
// module graph of hosts that embed the goalkit library.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // a plan's zone where the machine has no zone files (scratch, distroless); the library leaves it to its host

	"github.com/goalkit/goalkit/goal"
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"eval", "evaluate a plan over an event file and write the report", runEval},
		{"explain", "show the events behind one value", runExplain},
		{"lint", "check a plan's goals against the SMART rules", runLint},
		{"check", "run property checks on a plan; print minimal counterexamples", runCheck},
		{"split", "split a cascade's or a goal's target down (working days, weights, history…)", runSplit},
		{"import", "load an event file into a database (sqlite:FILE or postgres://…)", runImport},
		{"bench", "run the standard benchmark workload", runBench},
		{"sync", "read a CRM (bitrix24) and write its events as NDJSON", runSync},
		{"directory", "read a CRM's org structure (bitrix24) as JSON", runDirectory},
		{"act", "make CRM tasks and reminders (bitrix24) from a report's goal notifications", runAct},
		{"export", "write a report as a workbook (xlsx), a document (pdf) or a chart (svg, png)", runExport},
		{"notify", "deliver the plan's notifications and digests (webhook, email, Telegram, Slack, Bitrix24)", runNotify},
		{"backtest", "score the forecast methods against past periods (MAE, Brier, reliability)", runBacktest},
		{"suggest-targets", "propose next period's targets from history, with their chance", runSuggest},
		{"serve", "serve a plan live over HTTP: the API, the dashboard, metrics", runServe},
		{"publish", "publish an event file to a NATS JetStream tenant, partitioned", runPublish},
		{"worker", "track a plan live over partitions of a NATS tenant", runWorker},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: goalkit COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'goalkit COMMAND -h' for a command's flags.")
}

// errUsage marks an error already explained by a usage message.
var errUsage = errors.New("usage")

// usageError is a mistake in the command line (a missing, bad or
// conflicting flag): run prints it and exits 2, as the README promises,
// where every other error exits 1.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a usageError with the message fmt.Errorf formats.
func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// exitCode is the one place that decides a command's exit status: 0 for
// success or -h, 2 for a mistake in the command line, 1 for anything else.
func exitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage), errors.As(err, &ue):
		return 2
	}
	return 1
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || isHelp(args[0]) || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], stdout, stderr)
			if errors.Is(err, goal.ErrNoDirectory) {
				err = fmt.Errorf("%w: give the organisation with -directory FILE (as goalkit directory writes it)", err)
			}
			code := exitCode(err)
			if code != 0 && !errors.Is(err, errUsage) {
				fmt.Fprintf(stderr, "goalkit %s: %v\n", c.name, err)
			}
			return code
		}
	}
	fmt.Fprintf(stderr, "goalkit: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

// isHelp reports whether arg asks for help as the flag package reads it in
// a command's flags: -h, -help, --h or --help.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--h", "--help":
		return true
	}
	return false
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
