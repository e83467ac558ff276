// Command scorecards runs the three scorecards of the KPI article — sales,
// marketing and support — over generated events and prints, for March 2025,
// every scorecard with its breakdown, the bonuses, the leaderboards, the
// badges earned and the competitions between teams.
//
//	go run ./examples/scorecards                # all three
//	go run ./examples/scorecards sales support  # some of them
//
// The events are generated deterministically (a fixed seed), so the output
// never changes; testdata/*.golden holds it.
package main

import (
	"context"
	"embed"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
)

//go:embed sales.yaml marketing.yaml support.yaml
var plans embed.FS

// department is one of the article's examples: its plan, and the events
// and teams of its people.
type department struct {
	name     string
	generate func(cal *period.Calendar) []kpi.Event
	teams    []org.Group
}

var departments = []department{
	{"sales", salesEvents, salesTeams},
	{"marketing", marketingEvents, nil},
	{"support", supportEvents, supportTeams},
}

func main() {
	names := os.Args[1:]
	if len(names) == 0 {
		names = []string{"sales", "marketing", "support"}
	}
	for i, n := range names {
		if i > 0 {
			fmt.Println()
		}
		if err := run(context.Background(), os.Stdout, n); err != nil {
			fmt.Fprintln(os.Stderr, "scorecards:", err)
			os.Exit(1)
		}
	}
}

func run(ctx context.Context, w io.Writer, name string) error {
	rep, n, err := evaluate(ctx, name)
	if err != nil {
		return err
	}
	for _, wn := range rep.warnings {
		fmt.Fprintln(w, "warning:", wn)
	}
	fmt.Fprintf(w, "== %s, %d events, as of %s\n", name, n, rep.AsOf.Format(time.RFC3339))
	return goalkit.WriteScores(w, rep.Scores)
}

type report struct {
	*goalkit.Report
	warnings []*problem.Problem
}

// evaluate compiles a department's plan, loads its generated events and
// evaluates March 2025.
func evaluate(ctx context.Context, name string) (*report, int, error) {
	var dep *department
	for i := range departments {
		if departments[i].name == name {
			dep = &departments[i]
		}
	}
	if dep == nil {
		return nil, 0, fmt.Errorf("unknown department %q (sales, marketing or support)", name)
	}
	data, err := plans.ReadFile(name + ".yaml")
	if err != nil {
		return nil, 0, err
	}
	def, err := goalkit.ParseDefinition(name+".yaml", data)
	if err != nil {
		return nil, 0, err
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		return nil, 0, err
	}
	cal := plan.Calendar()
	store := memory.New(cal.Location())
	if err := store.Apply(dep.generate(cal)...); err != nil {
		return nil, 0, err
	}
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, cal.Location())
	rep, err := plan.Evaluate(ctx, store, asOf, goalkit.WithGroups(dep.teams...))
	if err != nil {
		return nil, 0, err
	}
	return &report{Report: rep, warnings: plan.Warnings()}, store.Len(), nil
}
