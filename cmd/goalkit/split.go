package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/planfile"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// runSplit prints the targets a split gives: those of a cascade of the plan
// (its whole tree), or of a goal split one level down. -by, -into, -weights
// and -history override the root's split rule.
func runSplit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("split", stderr)
	var in inputs
	in.define(fs, eventsUsage+": the actuals of -by history",
		"count events up to this RFC 3339 instant (default now)")
	id := fs.String("goal", "", "the cascade or goal whose target to split")
	by := fs.String("by", "", "split rule: "+strings.Join(methodNames(), ", ")+" (default: the cascade's own)")
	into := fs.String("into", "", "children: a grain (week, month, quarter, day), units or members (default: month for splits over time, else units)")
	weights := fs.String("weights", "", "weights by child key for -by weights or capacity: north=2,south=1")
	history := fs.String("history", "", "the period label whose actuals give the shares of -by history (default the previous period)")
	dirPath := fs.String("directory", "", "the organisation as JSON ({\"units\": […], \"memberships\": […]}, as goalkit directory writes it)")
	format := formatFlag(fs, "text", "json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if in.plan == "" || *id == "" {
		return usagef("-plan and -goal are required")
	}
	// Checked first, so that a bad method is the flag's error, not the
	// plan's at the line of the cascade.
	if *by != "" && !slices.Contains(cascade.Methods(), cascade.Method(*by)) {
		return usagef("-by: unknown split method %q (want %s)", *by, strings.Join(methodNames(), ", "))
	}
	at := in.asOf.or(clock())
	// Compile once to learn the calendar and check the plan.
	def, plan, err := in.compile()
	if err != nil {
		return err
	}
	cd, err := cascadeOf(plan, def, *id)
	if err != nil {
		return err
	}
	sd := cascade.SplitDef{}
	if cd.Root.Split != nil {
		sd = *cd.Root.Split
	}
	if *by != "" && cascade.Method(*by) != sd.By {
		// The plan's weights, history and profile belong to its own rule:
		// the compile refuses what the new rule does not read. Those the
		// flags below set are checked against the rule there.
		sd.By = cascade.Method(*by)
		if sd.By != cascade.Weights && sd.By != cascade.Capacity {
			sd.Weights = nil
		}
		if sd.By != cascade.History {
			sd.History = ""
		}
		if sd.By != cascade.Seasonal {
			sd.Profile = nil
		}
	}
	if sd.By == "" {
		return usagef("-by is required: %s has no split rule", *id)
	}
	// No flag gives a profile: -by seasonal takes the plan's, and without
	// one it is the command line's mistake, not the plan's at its line.
	if *by != "" && sd.By == cascade.Seasonal && len(sd.Profile) == 0 {
		return usagef("-by seasonal needs the profile of a seasonal split (one weight per child), and the split of %s has none: give it in the plan", *id)
	}
	overTime := sd.By == cascade.WorkingDays || sd.By == cascade.CalendarDays || sd.By == cascade.Seasonal
	if *into != "" {
		sd.Into = *into
	} else if *by != "" && overTime && (sd.Into == cascade.IntoUnits || sd.Into == cascade.IntoMembers) {
		// The plan's units or members were its own rule's children: a
		// rule over time splits into the default grain, as without into.
		sd.Into = "month"
	}
	if sd.Into == "" && len(cd.Root.Children) == 0 {
		sd.Into = cascade.IntoUnits
		if overTime || cd.Root.Unit == "" && cd.Root.User == "" && *dirPath == "" {
			sd.Into = "month"
		}
	}
	if *weights != "" {
		sd.Weights = map[string]decimal.Decimal{}
		// The messages quote the flag's text cut to 64 bytes and a weight
		// as display.Number writes it: -1e-10000 written out is 10,000
		// characters.
		for _, kv := range strings.Split(*weights, ",") {
			k, v, ok := strings.Cut(kv, "=")
			w, err := decimal.NewFromString(strings.TrimSpace(v))
			switch {
			case ok && err != nil && strings.TrimSpace(k) != "" && planfile.NumberForm(strings.TrimSpace(v)):
				// 1e10001 is a number, past what the engine reads.
				return usagef("-weights: the weight of %s, %s, is out of range: too large an exponent or too many decimal places",
					display.QuoteID(strings.TrimSpace(k)), display.QuoteID(strings.TrimSpace(v)))
			case !ok || err != nil || strings.TrimSpace(k) == "":
				return usagef("-weights: %s is not KEY=NUMBER", display.QuoteID(kv))
			}
			// A key given twice is a mistake: the last weight was taken
			// without a word.
			if _, twice := sd.Weights[strings.TrimSpace(k)]; twice {
				return usagef("-weights: %s is given more than once", display.QuoteID(strings.TrimSpace(k)))
			}
			if w.IsNegative() {
				return usagef("-weights: the weight of %s is negative: %s", display.QuoteID(strings.TrimSpace(k)), display.Number(w))
			}
			sd.Weights[strings.TrimSpace(k)] = w
		}
	}
	// A flag the rule does not read is the command line's mistake: the
	// compile of the one split would blame the plan, at the line of its
	// first cascade whatever cascade or goal -goal names.
	if *weights != "" && sd.By != cascade.Weights && sd.By != cascade.Capacity {
		return usagef("-weights applies to -by weights or capacity; the split of %s is by %s", *id, sd.By)
	}
	if *history != "" && sd.By != cascade.History {
		return usagef("-history applies to -by history; the split of %s is by %s", *id, sd.By)
	}
	if overTime && (*into == cascade.IntoUnits || *into == cascade.IntoMembers) {
		return usagef("-into %s: the split of %s is by %s, which splits over time, not into %s", *into, *id, sd.By, *into)
	}
	if *history != "" {
		// Checked here, so that a bad label is the flag's error, not the
		// plan's at the line of the cascade.
		if _, err := plan.Calendar().ParseLabel(*history); err != nil {
			return usagef("-history: %w", err)
		}
		sd.History = *history
	}
	cd.Root.Split = &sd
	one := *def
	one.Cascades = []cascade.Def{cd}
	one.Goals = nil
	plan, err = goalkit.Compile(&one)
	if err != nil {
		return splitFlagsError(*id, err)
	}
	store := memory.New(plan.Calendar().Location())
	if in.events != "" {
		if err := loadEvents(ctx, store, in.events, def.Attributes); err != nil {
			return err
		}
	} else if sd.By == cascade.History {
		return usagef("-by history needs -events: the actuals to take the shares from")
	}
	req := cascade.Request{AsOf: at}
	if *dirPath != "" {
		dir, err := readDirectory(*dirPath)
		if err != nil {
			return err
		}
		if req.Org, err = org.Load(ctx, dir); err != nil {
			return err
		}
	}
	var res *cascade.Result
	err = kpi.Snapshot(ctx, store, plan.Calendar().Location(), kpi.Query{Kinds: plan.Cascades().Kinds()}, func(tab *kpi.Table) error {
		var err error
		res, err = plan.Cascades().Evaluate(ctx, tab, req)
		return err
	})
	if err != nil {
		return err
	}
	// The issues' paths are in the one split's plan, where it is
	// cascades[0] whatever cascade or goal -goal named: the plan's own
	// cascade's index, or for a goal the path within the split.
	prefix := ""
	if i := slices.IndexFunc(def.Cascades, func(c cascade.Def) bool { return c.ID == cd.ID }); i >= 0 {
		prefix = fmt.Sprintf("cascades[%d].", i)
	}
	for i := range res.Issues {
		if rest, ok := strings.CutPrefix(res.Issues[i].Path, "cascades[0]."); ok {
			res.Issues[i].Path = prefix + rest
		}
	}
	if format.name == "json" {
		return writeIndentedJSON(stdout, res)
	}
	c, _ := plan.Cascades().Lookup(cd.ID)
	return writeSplit(stdout, res, sd, c.Places())
}

// splitFlagsError is the error of the compile of the one split the flags
// ask for. The plan compiled, so what is wrong comes from the flags: a
// mistake in the command line (exit 2), its problems by their path in the
// split, never at a line of the plan file, where the split is compiled as
// the plan's first cascade whatever cascade or goal -goal names.
func splitFlagsError(id string, err error) error {
	var ce *goalkit.CompileError
	if !errors.As(err, &ce) {
		return err
	}
	msgs := make([]string, len(ce.Problems))
	for i, p := range ce.Problems {
		p.Where = ""
		p.Path = strings.TrimPrefix(p.Path, "cascades[0].")
		msgs[i] = p.String()
	}
	return usagef("the split of %s the flags ask for: %s", id, strings.Join(msgs, "; "))
}

// readDirectory reads an organisation from its JSON file; errors name the
// file's line.
func readDirectory(path string) (*memory.Directory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return memory.ParseDirectory(filepath.Base(path), data)
}

func methodNames() []string {
	var out []string
	for _, m := range cascade.Methods() {
		out = append(out, string(m))
	}
	return out
}

// cascadeOf finds the cascade with the id, or makes one of the goal with
// the id: its indicator, direction, target, first period and participant.
func cascadeOf(plan *goalkit.Plan, def *goalkit.Definition, id string) (cascade.Def, error) {
	for _, c := range def.Cascades {
		if c.ID == id {
			return c, nil
		}
	}
	for _, g := range def.Goals {
		if g.ID != id {
			continue
		}
		if g.Indicator == "" || !score.Optional(g.Target).Valid {
			return cascade.Def{}, fmt.Errorf("goal %s has no indicator and fixed target to split", id)
		}
		cal := plan.Calendar()
		var label string
		if !g.Period.Every.IsZero() {
			// A recurring goal: its first instance.
			label = cal.Label(cal.Containing(g.Period.Every, g.Period.From))
		} else {
			for _, gr := range []period.Grain{period.Year, period.Quarter, period.Month, period.Week, period.Day} {
				if q := cal.Containing(gr, g.Period.From); q.Start == g.Period.From && q.End == g.Period.To {
					label = cal.Label(q)
					break
				}
			}
			if label == "" {
				return cascade.Def{}, fmt.Errorf("goal %s runs from %s to %s, not over one whole period to split", id, g.Period.From, g.Period.To)
			}
		}
		root := cascade.NodeDef{Period: label, Target: g.Target}
		switch {
		case len(g.Participants.Teams) == 1 && len(g.Participants.Users) == 0:
			root.Unit = g.Participants.Teams[0]
		case len(g.Participants.Users) == 1 && len(g.Participants.Teams) == 0:
			root.User = g.Participants.Users[0]
		}
		dir := g.Direction
		if dir == "" {
			dir = score.HigherIsBetter
		}
		return cascade.Def{ID: g.ID, Name: g.Name, Indicator: g.Indicator, Direction: dir, Root: root}, nil
	}
	var ids []string
	for _, c := range def.Cascades {
		ids = append(ids, c.ID)
	}
	for _, g := range def.Goals {
		ids = append(ids, g.ID)
	}
	if len(ids) == 0 {
		return cascade.Def{}, fmt.Errorf("no cascade or goal %q: the plan has no cascades and no goals to split", id)
	}
	sort.Strings(ids)
	return cascade.Def{}, fmt.Errorf("no cascade or goal %q in the plan (there are: %s)", id, strings.Join(ids, ", "))
}

// writeSplit writes the tree of targets, one line per node, and the issues.
func writeSplit(w io.Writer, res *cascade.Result, sd cascade.SplitDef, places int) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	for _, t := range res.Trees {
		root := t.Root
		into := sd.Into
		if into == "" {
			into = "the declared children"
		}
		fmt.Fprintf(tw, "%s: %s %s of %s, split by %s into %s\n", t.Cascade, t.Indicator, root.Target.Decimal.StringFixed(int32(places)), root.ID, sd.By, into)
		fmt.Fprintln(tw, "node\tperiod\tstart\tend\ttarget\tweight\t")
		var walk func(n *cascade.Node, depth int)
		walk = func(n *cascade.Node, depth int) {
			weight := ""
			if n.Origin == cascade.SplitDown {
				weight = n.Weight.Decimal.String()
			}
			target := "—"
			if n.Target.Valid {
				target = n.Target.Decimal.StringFixed(int32(places))
			}
			fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\t%s\t%s\t\n", strings.Repeat("  ", depth), n.ID, n.Label, n.Period.Start, n.Period.End, target, weight)
			for _, c := range n.Children {
				walk(c, depth+1)
			}
		}
		walk(root, 0)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, is := range res.Issues {
		fmt.Fprintf(&buf, "issue: %s\n", is)
	}
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+strings.Repeat("\n", strings.Count(line, "\n"))); err != nil {
			return err
		}
	}
	return nil
}
