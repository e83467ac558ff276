package goalkit_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// countingSource is a plain Source (no table, no pushdown) that counts its
// scans.
type countingSource struct {
	inner kpi.Source
	scans atomic.Int32
}

func (s *countingSource) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	s.scans.Add(1)
	return s.inner.Scan(ctx, q, fn)
}

// Every entry point reads its source exactly once, whatever the plan: one
// snapshot feeds indicators, scorecards, goals and cascades, so a report
// never mixes two states of a live source.
func TestEveryEntryPointScansOnce(t *testing.T) {
	plans, _ := filepath.Glob("examples/*/*.yaml")
	more, _ := filepath.Glob("testdata/*/*.yaml")
	kit, _ := filepath.Glob("goalkittest/testdata/*.yaml")
	cli, _ := filepath.Glob("cmd/goalkit/testdata/*.yaml")
	plans = append(append(append(plans, more...), kit...), cli...)
	if len(plans) < 10 {
		t.Fatalf("found only %d plans", len(plans))
	}
	ctx := context.Background()
	for _, path := range plans {
		t.Run(path, func(t *testing.T) {
			def := readDef(t, path)
			plan, err := goalkit.Compile(def)
			var ce *goalkit.CompileError
			if errors.As(err, &ce) && strings.Contains(path, "lint") {
				t.Skipf("a lint fixture that does not compile on purpose: %v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			store := memory.New(plan.Calendar().Location())
			events := filepath.Join(filepath.Dir(path), "events.ndjson")
			if _, err := os.Stat(events); err == nil {
				f, err := os.Open(events)
				if err != nil {
					t.Fatal(err)
				}
				err = eventfile.Load(ctx, store, f, events, eventfile.Options{Attributes: def.Attributes})
				f.Close()
				if err != nil {
					t.Fatal(err)
				}
			}
			var opts []goalkit.EvalOption
			if f, err := os.Open(filepath.Join(filepath.Dir(path), "directory.json")); err == nil {
				dir, err := memory.ReadDirectory(f)
				f.Close()
				if err != nil {
					t.Fatal(err)
				}
				opts = append(opts, goalkit.WithDirectory(dir))
			} else {
				opts = append(opts, goalkit.WithDirectory(teamsOf(t, def)))
			}
			src := &countingSource{inner: store}
			periods := plan.Periods()
			asOf := plan.Calendar().Midnight(periods[len(periods)-1].End).Add(-time.Second)
			once := func(what string, run func() error) {
				t.Helper()
				src.scans.Store(0)
				if err := run(); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if n := src.scans.Load(); n != 1 {
					t.Errorf("%s scanned the source %d times, want 1", what, n)
				}
			}
			once("Evaluate", func() error {
				_, err := plan.Evaluate(ctx, src, asOf, opts...)
				return err
			})
			ind := plan.Indicators().Indicators()[0].ID()
			once("Explain", func() error {
				_, err := plan.Explain(ctx, src, asOf, goalkit.Cell{Indicator: ind, Participant: org.Everyone, Period: periods[0]}, opts...)
				return err
			})
			if ix := plan.Indicators().Indicators()[0]; len(periods) > 1 && !ix.IsFormula() && (ix.Aggregate == kpi.Count || ix.Aggregate == kpi.Sum) {
				once("ExplainChange", func() error {
					_, err := plan.ExplainChange(ctx, src, asOf, goalkit.ChangeRequest{Indicator: ind, Base: periods[0], Current: periods[1]})
					return err
				})
			}
			if plan.Goals() == nil {
				return
			}
			once("Lint", func() error {
				_, err := goalkit.Lint(ctx, def, src, asOf, opts...)
				return err
			})
			once("Backtest", func() error {
				_, err := plan.Backtest(ctx, src, asOf, goal.BacktestRequest{From: periods[0].Start, To: periods[len(periods)-1].End}, opts...)
				return err
			})
			once("Suggest", func() error {
				_, err := plan.Suggest(ctx, src, asOf, goal.SuggestRequest{}, opts...)
				return err
			})
			g := plan.Goals().Goals()[0]
			ps, err := g.Instances(plan.Calendar(), periods[0].Start, periods[len(periods)-1].End)
			if err != nil || len(ps) == 0 {
				return
			}
			once("CloseGoal", func() error {
				_, err := plan.CloseGoal(ctx, src, plan.Calendar().Midnight(ps[0].End).Add(time.Hour), g.ID(), ps[0], opts...)
				return err
			})
		})
	}
}

// teamsOf returns a directory with a unit for every team a goal or a
// scorecard of def names, and nobody in them.
func teamsOf(t *testing.T, def *goalkit.Definition) *memory.Directory {
	dir, err := memory.NewDirectory(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	addTeams(dir, def)
	return dir
}
