package goalkit_test

import (
	"encoding"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/golden"
	"github.com/goalkit/goalkit/internal/planfile"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// The plan's JSON Schema (docs/plan.schema.json) is generated from the
// Definition's types, so that it never drifts from what the plan reader
// accepts: TestPlanSchema fails when a key is added without regenerating it
// (go test -run TestPlanSchema -update). The report's schema is written by
// hand; both are checked against real plans and reports.

// schemaEnums are the values of the plan's enumerated strings.
var schemaEnums = map[reflect.Type][]string{
	reflect.TypeFor[kpi.Aggregate]():      {"count", "sum", "avg", "min", "max", "distinct", "median", "percentile"},
	reflect.TypeFor[goal.Measure]():       {"cumulative", "level"},
	reflect.TypeFor[goal.Mode]():          {"shared", "each"},
	reflect.TypeFor[goal.Visibility]():    {"public", "private"},
	reflect.TypeFor[goal.Policy]():        {"freeze", "restate"},
	reflect.TypeFor[goal.PaceMethod]():    {"linear", "workdays", "seasonal"},
	reflect.TypeFor[goal.ForecastBasis](): {"workdays", "calendar", "seasonal", "probabilistic"},
	reflect.TypeFor[goal.State]():         {"draft", "active"},
	reflect.TypeFor[goal.NotifyKind]():    kindsOf(goal.NotifyKinds()),
	reflect.TypeFor[kpi.Unit]():           {"count", "money", "percent", "duration", "number"},
	reflect.TypeFor[kpi.RatePolicy]():     {"event_date", "period_end", "budget"},
	reflect.TypeFor[kpi.AttrType]():       {"string", "int", "decimal", "bool", "time"},
	reflect.TypeFor[score.Direction]():    {"higher", "lower"},
	reflect.TypeFor[score.Rounding]():     {"half_up", "half_even", "down", "up"},
	reflect.TypeFor[cascade.Method]():     {"even", "weights", "history", "capacity", "calendar_days", "working_days", "seasonal"},
	reflect.TypeFor[cascade.Rollup]():     {"measure", "weights", "target_share"},
}

func kindsOf(ks []goal.NotifyKind) []string {
	var out []string
	for _, k := range ks {
		out = append(out, string(k))
	}
	return out
}

// schemaDocs describe keys, by "Type.key".
var schemaDocs = map[string]string{
	"goalkit.Definition.timezone":          "IANA time zone; event instants become local dates in it",
	"goalkit.Definition.week_start":        "monday (ISO, the default) or sunday",
	"goalkit.Definition.fiscal_year_start": "the month (1–12) the fiscal year starts in; default 1",
	"goalkit.Definition.holidays":          "a built-in working-day calendar: RU (2024-2026) or DE (2024-2027); the alternative to calendar (a plan gives one of them or neither)",
	"goalkit.Definition.calendar":          "a working-day calendar file (docs/calendars.md), relative to the plan file; the alternative to holidays (a plan gives one of them or neither)",
	"goalkit.Definition.attributes":        "types of the event attributes the plan reads",
	"goalkit.Definition.indicators":        "the measured quantities (docs/formats.md)",
	"goalkit.Definition.budget_rates":      "fixed rates of indicators whose rate policy is budget, keyed FROM/TO",
	"goalkit.Definition.scorecards":        "docs/scorecards.md",
	"goalkit.Definition.bonuses":           "docs/scorecards.md",
	"goalkit.Definition.leaderboards":      "docs/scorecards.md",
	"goalkit.Definition.badges":            "docs/scorecards.md",
	"goalkit.Definition.competitions":      "docs/scorecards.md",
	"goalkit.Definition.goals":             "goals (docs/goals.md)",
	"goalkit.Definition.cascades":          "goal trees: targets split down the organisation and time, actuals rolled up (docs/cascade.md)",
	"goalkit.Definition.goal_stats":        "how well the goals work: counts, shares, times to achievement, trends and the correlation of KPIs with a business result (docs/goal-stats.md)",
	"goalstats.Def.business_result":        "the indicator the KPIs are correlated with (revenue, say)",
	"goalstats.Def.indicators":             "the KPIs correlated with the business result; default every other indicator",
	"cascade.Def.id":                       "[a-z][a-z0-9_]*, unique",
	"cascade.Def.indicator":                "the indicator every node measures unless it names its own",
	"cascade.Def.direction":                "higher (default) or lower; a lower-is-better target is inherited, not split",
	"cascade.Def.places":                   "decimal places of split targets; default 0 for counts, 2 otherwise",
	"cascade.Def.rollup":                   "measure (default: each node's actual from its subtree's events), weights or target_share (weighted achievement)",
	"cascade.Def.root":                     "the top node; its period and target are required",
	"cascade.NodeDef.id":                   "the node's name in reports; default participant and period label",
	"cascade.NodeDef.unit":                 "a unit of the host's directory",
	"cascade.NodeDef.user":                 "a user id; with neither unit nor user, the parent's participant (the company at the root)",
	"cascade.NodeDef.period":               "a period label within the parent's (2025, 2025-Q2, 2025-03, 2025-W14); default the parent's",
	"cascade.NodeDef.indicator":            "this node's own indicator (its subtree's too)",
	"cascade.NodeDef.target":               "the declared target; without it, the share of the parent's",
	"cascade.NodeDef.weight":               "weight in the parent's split and in a weighted roll-up; default 1",
	"cascade.NodeDef.split":                "how the target is shared among the children",
	"cascade.NodeDef.children":             "declared children",
	"cascade.SplitDef.by":                  "the split rule",
	"cascade.SplitDef.into":                "generate children: units, members or a finer grain (quarter, month, week, day)",
	"cascade.SplitDef.weights":             "children's weights by key (unit or user id, period label), for weights and capacity",
	"cascade.SplitDef.history":             "the period label whose actuals give the shares of a history split; default the previous period",
	"cascade.SplitDef.profile":             "seasonal split: one weight per child, in order",
	"cascade.SplitDef.then":                "how each generated child splits further",
	"goalkit.Definition.report":            "the periods a report holds: the whole periods of grain that start in [from, to)",
	"goal.Def.id":                          "[a-z][a-z0-9_]*, unique",
	"goal.Def.state":                       "draft or active (the default)",
	"goal.Def.indicator":                   "the plan indicator the goal targets (a quantitative goal)",
	"goal.Def.filter":                      "a formula over the event that narrows the indicator for this goal",
	"goal.Def.direction":                   "whether a higher (default) or a lower value is better",
	"goal.Def.measure":                     "cumulative (grows through the period) or level (judged as it stands); default from the indicator",
	"goal.Def.target":                      "the target value",
	"goal.Def.target_formula":              "a formula giving the target of each period, such as prev(revenue) * 1.25; target in it is the fixed target",
	"goal.Def.target_by_period":            "the target of some periods, by period label (phasing)",
	"goal.Def.target_by_participant":       "the target of some participants (users or teams)",
	"goal.Def.checklist":                   "the actions of a qualitative goal",
	"goal.Def.period":                      "a fixed range [from, to) or a recurrence (every)",
	"goal.Def.participants":                "users, teams (units of the host's directory) and the company",
	"goal.Def.weight":                      "the goal's share (percent) among a person's goals",
	"goal.Def.milestones":                  "intermediate results: \"25%\" of the target or an absolute value",
	"goal.Def.pace":                        "how expected-by-now grows: linear, workdays (default) or seasonal",
	"goal.Def.pace_history":                "how many earlier periods a seasonal profile learns from (default 3)",
	"goal.Def.forecast":                    "the forecast's basis: workdays (default), calendar, seasonal or probabilistic",
	"goal.Def.chance":                      "the probability of reaching the target and the quantiles of the final value, drawn from earlier periods (docs/forecast.md)",
	"goal.ChanceDef.history":               "how many earlier periods the draw learns from (default 6)",
	"goal.ChanceDef.decay":                 "the weight of a period relative to the one after it, in (0, 1] (default 0.75)",
	"goal.ChanceDef.window":                "how near in its period a day of history must be to stand for a day to come, in [0, 1] (default 0: the whole period)",
	"goal.ChanceDef.samples":               "how many paths are drawn (default 1000)",
	"goal.ChanceDef.seed":                  "the seed of the draw",
	"goal.ChanceDef.at_risk":               "a running goal whose probability is below it is at_risk",
	"goal.ChanceDef.off_track":             "a running goal whose probability is below it is off_track (default half of at_risk)",
	"goal.Def.thresholds":                  "forecast achievement from which a goal is on_track (default 1) and at_risk (default 0.8)",
	"goal.Def.notify":                      "the notifications the goal emits",
	"goal.Def.close":                       "how instances close: automatically, the correction policy and the next-target rule",
	"goal.Def.visibility":                  "public (everyone sees it) or private (not the teammates)",
	"goal.PeriodDef.from":                  "the first day, or the anchor of a recurrence",
	"goal.PeriodDef.to":                    "the day after the last, for a fixed range",
	"goal.PeriodDef.every":                 "the grain of a recurrence",
	"goal.PeriodDef.interval":              "every N periods of the grain (default 1)",
	"goal.PeriodDef.until":                 "a recurrence's instances start before this date",
	"goal.PeriodDef.count":                 "the most instances of a recurrence",
	"goal.ParticipantsDef.mode":            "for teams and the company: one shared target for the total (default) or the same target for each member",
	"goal.ItemDef.where":                   "a formula over the event, such as kind == \"training.completed\"",
	"goal.ItemDef.count":                   "how many matching events are needed (default 1)",
	"goal.ItemDef.manual":                  "marked done by the host",
	"goal.NotifyRule.days":                 "deadline_approaching: days before the end (default 3)",
	"goal.NotifyRule.threshold":            "at_risk, back_on_track: the forecast achievement below which the goal is behind",
	"goal.CloseDef.auto":                   "close each instance when it ends (plus after_days)",
	"goal.CloseDef.corrections":            "a correction after the close: freeze (default) or restate",
	"goal.CloseDef.next_target":            "the next instance's target from the closed one, such as max(target, actual * 1.1)",
}

// numberPattern is what the plan's reader takes as a number written as
// text (decimal.NewFromString): a sign (the minus sign U+2212 too), digits
// with an optional point (5, 5., .5), and an optional exponent. A number
// YAML or JSON reads as a number is written as one.
// The characters past ASCII are written as ECMA-262 escapes (\u2212),
// as JSON Schema's regular expressions read them; validate reads them so
// too.
const numberPattern = `[+\-\u2212]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+\-\u2212]?[0-9]+)?`

// positivePattern is numberPattern above 0: no minus sign, a digit other
// than 0 before the exponent.
const positivePattern = `\+?([0-9]*[1-9][0-9]*\.?[0-9]*|[0-9]*\.[0-9]*[1-9][0-9]*)([eE][+\-\u2212]?[0-9]+)?`

// nonNegative is numberPattern without a minus sign, but before a zero
// (-0, -0.00 and −0e5 are 0).
const nonNegative = `^(\+?([0-9]+\.?[0-9]*|\.[0-9]+)|[\-\u2212](0+\.?0*|\.0+))([eE][+\-\u2212]?[0-9]+)?$`

// spacePattern is a character of Go's unicode.IsSpace, which a milestone's
// reader trims around its number and its percent sign.
const spacePattern = `[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]`

// caseless is a pattern of the words ws (and of nothing), whatever the
// case of their letters: what a field read with strings.ToLower or
// strings.ToUpper takes.
func caseless(ws ...string) string {
	var alts []string
	for _, w := range ws {
		var b strings.Builder
		for _, r := range w {
			fmt.Fprintf(&b, "[%c%c]", unicode.ToUpper(r), unicode.ToLower(r))
		}
		alts = append(alts, b.String())
	}
	return "^(" + strings.Join(alts, "|") + ")?$"
}

// schemaRules are the checks of Compile a schema can write, by "Type.key",
// added to the key's schema: bounds, at least one item, a word of a list.
var schemaRules = map[string]map[string]any{
	"goalkit.Definition.timezone":          {"minLength": 1},
	"goalkit.Definition.week_start":        {"pattern": caseless("monday", "sunday")},
	"goalkit.Definition.fiscal_year_start": {"maximum": 12},
	"goalkit.Definition.holidays":          {"pattern": caseless(period.BuiltinWorkCalendars()...)},
	"goalkit.Definition.indicators":        {"minItems": 1},
	// An attribute is named as an id, and not as an event's field or the
	// instant a cohort indicator's formulas read (cohort_time).
	"goalkit.Definition.attributes": {"propertyNames": map[string]any{"pattern": "^[a-z][a-z0-9_]*$",
		"not": map[string]any{"enum": []string{"id", "kind", "time", "actor", "amount", "currency", "cohort_time"}}}},
	"cascade.Def.places":     {"minimum": 0, "maximum": 9},
	"goal.ChanceDef.history": {"maximum": forecast.MaxHistory},
	"goal.ChanceDef.samples": {"maximum": forecast.MaxSamples},
	"goal.Def.pace_history":  {"maximum": forecast.MaxHistory},
	// A goal's target is never negative (above 0 unless lower is better,
	// which a schema cannot tie to the direction): no minus sign but
	// before a zero.
	"goal.Def.target":                 {"pattern": nonNegative},
	"goal.Def.target_by_period":       {"additionalProperties": map[string]any{"type": []string{"string", "number"}, "pattern": nonNegative, "minimum": 0, "description": "an exact decimal, not negative"}},
	"goal.Def.target_by_participant":  {"additionalProperties": map[string]any{"type": []string{"string", "number"}, "pattern": nonNegative, "minimum": 0, "description": "an exact decimal, not negative"}},
	"goal.CloseDef.after_days":        {"minimum": 0},
	"kpi.IndicatorDef.top":            {"minimum": 0},
	"score.LeaderboardDef.top":        {"minimum": 0},
	"score.ScorecardDef.score_places": {"minimum": 0, "maximum": 10},
}

// schemaUnwritten are the rules of Compile the plan's schema cannot write,
// listed in its description.
const schemaUnwritten = "Compile checks more than this schema can say: the time zone is an IANA zone; a number's exponent (counting its decimal places) is at most ±10000; a number YAML reads as one is written in decimals (not 0x10, .inf), and a whole one without a leading zero (not 010, which YAML 1.1 reads as the octal 8, nor 00); a goal's target above 0 unless lower is better; decimal bounds (a chance's decay in (0, 1], probabilities in [0, 1]) and the bounds of whole numbers that depend on another key (a streak's periods 2–60, a top badge's top); ids unique and [a-z][a-z0-9_]*; the indicators, attributes, leaderboards and calendars a key names exist; formulas parse."

// wholeNumberDoc is in the description of every whole number: what the
// plan reader refuses and a schema cannot see, since a validator sees the
// number YAML or JSON parsed.
const wholeNumberDoc = "a whole number written without quotes and without a leading zero (010 and 00 are refused: YAML 1.2 reads 010 as 10, YAML 1.1 as the octal 8)"

var (
	decimalSchema = map[string]any{"type": []string{"string", "number"}, "pattern": "^" + numberPattern + "$", "description": "an exact decimal"}
	dateSchema    = map[string]any{"type": "string", "format": "date", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`}
	grainSchema   = map[string]any{"type": "string", "pattern": `^(day|week|month|quarter|year|fiscal_quarter|fiscal_year|[0-9]+d)$`}
)

type schemaGen struct {
	defs map[string]any
}

func typeName(t reflect.Type) string {
	pkg := t.PkgPath()
	return pkg[strings.LastIndex(pkg, "/")+1:] + "." + t.Name()
}

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch t {
	case reflect.TypeFor[decimal.Decimal]():
		return decimalSchema
	case reflect.TypeFor[decimal.NullDecimal](), reflect.TypeFor[*decimal.Decimal]():
		// An optional number: a definition's *decimal.Decimal, nil when absent
		// or null.
		return map[string]any{"type": []string{"string", "number", "null"}, "pattern": decimalSchema["pattern"], "description": "an exact decimal"}
	case reflect.TypeFor[date.Date]():
		return dateSchema
	case reflect.TypeFor[period.Grain]():
		return grainSchema
	case reflect.TypeFor[goal.Milestone]():
		// A percent is above 0 (a value may be any number).
		return map[string]any{"type": []string{"string", "number"}, "pattern": "^" + spacePattern + "*(" + numberPattern + "|" + positivePattern + spacePattern + "*%)" + spacePattern + "*$", "description": "a percent of the target above 0 (\"25%\") or a value"}
	case reflect.TypeFor[time.Time]():
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if vs, ok := schemaEnums[t]; ok {
		return map[string]any{"type": "string", "enum": vs}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.schema(t.Elem())
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer", "description": wholeNumberDoc}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		if reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) {
			return map[string]any{"type": "string"}
		}
		name := typeName(t)
		if _, ok := g.defs[name]; !ok {
			g.defs[name] = nil // reserve, for recursive types
			g.defs[name] = g.object(t, name)
		}
		return map[string]any{"$ref": "#/$defs/" + name}
	}
	panic(fmt.Sprintf("schema: no mapping for %s", t))
}

func (g *schemaGen) object(t reflect.Type, name string) map[string]any {
	props := map[string]any{}
	var required []string
	for i := range t.NumField() {
		f := t.Field(i)
		key, ok := planfile.Key(f)
		if !ok {
			continue
		}
		_, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		s := g.schema(f.Type)
		if doc, ok := schemaDocs[name+"."+key]; ok {
			c := map[string]any{}
			for k, v := range s {
				c[k] = v
			}
			c["description"] = doc
			if s["type"] == "integer" {
				c["description"] = doc + "; " + wholeNumberDoc
			}
			s = c
		}
		if rules, ok := schemaRules[name+"."+key]; ok {
			c := maps.Clone(rules)
			for k, v := range s {
				if _, ok := c[k]; !ok {
					c[k] = v
				}
			}
			s = c
		}
		if f.Tag.Get("plan") == "positive" {
			// A whole number whose 0 means "absent" in Go: a file that
			// writes it writes 1 or more (planfile refuses 0 and below).
			c := map[string]any{"minimum": 1}
			for k, v := range s {
				c[k] = v
			}
			s = c
		}
		props[key] = s
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			required = append(required, key)
		}
	}
	o := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func planSchema() ([]byte, error) {
	g := &schemaGen{defs: map[string]any{}}
	root := g.object(reflect.TypeFor[goalkit.Definition](), "goalkit.Definition")
	return g.file(root, "plan", "goalkit plan", "A goalkit plan file (YAML or JSON): indicators, scorecards, goals, cascades and the report's periods. Generated from the Go types by TestPlanSchema; see docs/formats.md, docs/scorecards.md, docs/goals.md and docs/cascade.md. "+schemaUnwritten)
}

// file is the JSON Schema document docs/NAME.schema.json of root (the
// schema of the file's top type) with g's definitions, indented, with a
// final newline.
func (g *schemaGen) file(root map[string]any, name, title, description string) ([]byte, error) {
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = "https://github.com/goalkit/goalkit/docs/" + name + ".schema.json"
	root["title"] = title
	root["description"] = description
	root["$defs"] = g.defs
	b, err := json.MarshalIndent(root, "", "  ")
	return append(b, '\n'), err
}

// checkSchema compares the schema document that gen generates with its
// file docs/NAME.schema.json (-update writes it) and returns it parsed.
func checkSchema(t *testing.T, name string, gen func() ([]byte, error)) map[string]any {
	t.Helper()
	got, err := gen()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("docs", name+".schema.json"), got, *update)
	var schema map[string]any
	if err := json.Unmarshal(got, &schema); err != nil {
		t.Fatal(err)
	}
	return schema
}

// TestPlanSchema fails when the Definition's types change without the
// schema regenerated (go test -run TestPlanSchema -update).
func TestPlanSchema(t *testing.T) {
	schema := checkSchema(t, "plan", planSchema)
	// Every example's plan is checked, so that a new example cannot miss
	// the schema.
	examples, err := filepath.Glob(filepath.Join("examples", "*", "plan.yaml"))
	if err != nil || len(examples) < 6 {
		t.Fatalf("the examples' plans: %v, %v", examples, err)
	}
	plans := append([]string{
		filepath.Join("testdata", "goals", "seed.yaml"),
		filepath.Join("testdata", "boundary", "plan.yaml"),
		filepath.Join("examples", "scorecards", "sales.yaml"),
		filepath.Join("examples", "scorecards", "marketing.yaml"),
		filepath.Join("examples", "scorecards", "support.yaml"),
		filepath.Join("goalkittest", "workload.yaml"),
	}, examples...)
	for _, p := range plans {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var n yaml.Node
		if err := yaml.Unmarshal(data, &n); err != nil {
			t.Fatal(err)
		}
		doc := yamlValue(&n)
		if errs := validate(schema, schema, doc, ""); len(errs) > 0 {
			t.Errorf("%s does not match the plan schema:\n%s", p, strings.Join(errs, "\n"))
		}
		// And a plan the schema accepts is one goalkit reads.
		if _, err := goalkit.ParseDefinition(filepath.Base(p), data); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	// A typo is caught by both.
	bad := map[string]any{"timezone": "UTC", "indicators": []any{map[string]any{"id": "won", "kinds": []any{"won"}, "aggregate": "count"}}, "report": map[string]any{"grain": "month", "from": "2025-01-01", "to": "2025-02-01"},
		"goals": []any{map[string]any{"id": "x", "indicator": "won", "targt": 5, "period": map[string]any{"from": "2025-01-01"}, "participants": map[string]any{}}}}
	if errs := validate(schema, schema, bad, ""); len(errs) != 1 || errs[0] != `goals[0]: unknown key "targt"` {
		t.Errorf("the schema let a typo pass: %v", errs)
	}
	// A 0 where goalkit wants 1 or more (an interval, a count) is refused
	// by both: each read it as its default before.
	zero := `timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
goals:
  - id: x
    indicator: won
    target: 5
    period: {from: 2025-01-01, every: month, interval: 0}
    participants: {users: [anna]}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(zero), &n); err != nil {
		t.Fatal(err)
	}
	if errs := validate(schema, schema, yamlValue(&n), ""); len(errs) != 1 || !strings.HasPrefix(errs[0], "goals[0].period.interval: 0 is less than the minimum 1") {
		t.Errorf("the schema let an interval of 0 pass: %v", errs)
	}
	if _, err := goalkit.ParseDefinition("zero.yaml", []byte(zero)); err == nil || !strings.Contains(err.Error(), "zero.yaml:8") {
		t.Errorf("an interval of 0: %v, want an error at zero.yaml:8", err)
	}
}

// TestReportSchema checks real reports against docs/report.schema.json: the
// seed's goals report, the boundary report and a scorecard report.
// TestPlanSchemaLeadingZeros: the plan reader refuses a whole number
// written with a leading zero (planfile), which a validator cannot see (it
// sees the number parsed): the description of every whole number says so,
// and the plan's description says so of every number.
func TestPlanSchemaLeadingZeros(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("docs", "plan.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	if d, _ := schema["description"].(string); !strings.Contains(d, "a whole one without a leading zero (not 010, which YAML 1.1 reads as the octal 8, nor 00)") {
		t.Errorf("the plan's description does not say that a number is written without a leading zero: %s", d)
	}
	integers := 0
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch v := v.(type) {
		case map[string]any:
			if v["type"] == "integer" {
				integers++
				if d, _ := v["description"].(string); !strings.HasSuffix(d, "a whole number written without quotes and without a leading zero (010 and 00 are refused: YAML 1.2 reads 010 as 10, YAML 1.1 as the octal 8)") {
					t.Errorf("%s: the description does not say a whole number has no leading zero: %q", path, d)
				}
			}
			for k, c := range v {
				walk(c, path+"/"+k)
			}
		case []any:
			for i, c := range v {
				walk(c, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(schema, "")
	// count, interval, samples, places, top…: every one of them.
	if integers < 17 {
		t.Errorf("%d whole numbers in the plan schema, want the 17 or more of its types", integers)
	}
}

func TestReportSchema(t *testing.T) {
	reports := map[string][]byte{}
	for _, p := range []string{filepath.Join("testdata", "goals", "seed.golden.json"), filepath.Join("testdata", "boundary", "report.golden.json"),
		filepath.Join("examples", "cascade", "testdata", "report.golden.json"), filepath.Join("examples", "goalstats", "testdata", "report.golden.json")} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		reports[p] = b
	}
	// A report with scorecards, bonuses, leaderboards, badges, competitions,
	// closed goals, corrections and notifications of every kind.
	reports["scorecards"] = scoreReportJSON(t)
	reports["a board cut to its top"] = cutBoardReportJSON(t)
	reports["lifecycle"] = lifecycleReportJSON(t)
	for name, b := range reports {
		checkReportSchema(t, name, b)
	}
}

func scoreReportJSON(t *testing.T) []byte {
	plan := parsePlan(t, scorePlan)
	rep := mustEvaluate(t, plan, scoreEvents(t), time.Date(2025, 4, 1, 0, 0, 0, 0, plan.Calendar().Location()),
		goalkit.WithDirectory(fakeDirectory{}))
	return reportJSON(t, rep)
}

// cutBoardReportJSON is scoreReportJSON's report with its people board cut
// to its top 1 of 2 ranked: the board says how many were ranked.
func cutBoardReportJSON(t *testing.T) []byte {
	src := strings.Replace(scorePlan, "  - {id: board, scorecard: sales}\n", "  - {id: board, scorecard: sales, top: 1}\n", 1)
	if src == scorePlan {
		t.Fatal("the score plan has no people board to cut")
	}
	plan := parsePlan(t, src)
	rep := mustEvaluate(t, plan, scoreEvents(t), time.Date(2025, 4, 1, 0, 0, 0, 0, plan.Calendar().Location()),
		goalkit.WithDirectory(fakeDirectory{}))
	b := reportJSON(t, rep)
	if !regexp.MustCompile(`"ranked":\s*2,`).Match(b) {
		t.Fatalf("the cut board does not say it ranked 2: %s", b)
	}
	return b
}

// lifecycleReportJSON is a report with a closed goal whose result a late
// correction restated, a checklist, and notifications.
func lifecycleReportJSON(t *testing.T) []byte {
	def := seedDef(t)
	def.Goals[2].Close.Corrections = goal.Restate
	def.Goals = append(def.Goals, goal.Def{ID: "onboarding", Checklist: []goal.ItemDef{{ID: "course", Kinds: []string{"training.completed"}}, {ID: "meetup", Manual: true}},
		Period: goal.PeriodDef{From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)}, Participants: goal.ParticipantsDef{Users: []string{"anna"}},
		Notify: []goal.NotifyRule{{On: goal.NotifyDailyDigest}}})
	plan := compile(t, def)
	loc := plan.Calendar().Location()
	rec := goal.Record{Goal: "sales25", Participant: "*", Kind: goal.Company, PeriodStart: date.New(2025, 3, 1), PeriodEnd: date.New(2025, 4, 1),
		ClosedAt: time.Date(2025, 3, 14, 12, 0, 0, 0, loc), Target: decimal.NewNullDecimal(decimal.NewFromInt(500000)),
		Actual: decimal.NewNullDecimal(decimal.NewFromInt(250000)), Status: goal.Failed}
	rep := mustEvaluate(t, plan, seedEvents(t, loc), time.Date(2025, 3, 14, 18, 0, 0, 0, loc),
		goalkit.WithDirectory(seedDirectory{}), goalkit.WithRecords(rec),
		goalkit.WithMarks(goal.Mark{Goal: "onboarding", Item: "meetup", Participant: "anna", Time: time.Date(2025, 3, 14, 10, 0, 0, 0, loc)}))
	if len(rep.Goals.Corrections) != 1 {
		t.Fatalf("no correction: %+v", rep.Goals.Corrections)
	}
	return reportJSON(t, rep)
}

// yamlValue converts a YAML document to JSON values: numbers stay numbers
// (as json.Number), every other scalar but booleans and null is a string.
func yamlValue(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		return yamlValue(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = yamlValue(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		s := []any{}
		for _, c := range n.Content {
			s = append(s, yamlValue(c))
		}
		return s
	}
	switch n.Tag {
	case "!!int", "!!float":
		return json.Number(n.Value)
	case "!!bool":
		return n.Value == "true"
	case "!!null":
		return nil
	}
	return n.Value
}

// validate checks v against the subset of JSON Schema the two schemas use:
// $ref, type, enum, pattern, minimum, maximum, minLength, minItems,
// minProperties, properties, propertyNames, required,
// additionalProperties, items, anyOf and not.
func validate(root, s map[string]any, v any, path string) []string {
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/$defs/")
		def, ok := root["$defs"].(map[string]any)[name].(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: unknown $ref %s", path, ref)}
		}
		return validate(root, def, v, path)
	}
	if alts, ok := s["anyOf"].([]any); ok {
		var all []string
		for _, a := range alts {
			errs := validate(root, a.(map[string]any), v, path)
			if len(errs) == 0 {
				return nil
			}
			all = append(all, errs...)
		}
		return []string{fmt.Sprintf("%s: matches none of anyOf (%s)", path, strings.Join(all, "; "))}
	}
	where := path
	if where == "" {
		where = "(root)"
	}
	var types []string
	switch tv := s["type"].(type) {
	case string:
		types = []string{tv}
	case []any:
		for _, x := range tv {
			types = append(types, x.(string))
		}
	}
	kind := ""
	switch x := v.(type) {
	case nil:
		kind = "null"
	case bool:
		kind = "boolean"
	case string:
		kind = "string"
	case json.Number:
		kind = "number"
		if !strings.ContainsAny(x.String(), ".eE") {
			kind = "integer"
		}
	case float64:
		kind = "number"
	case map[string]any:
		kind = "object"
	case []any:
		kind = "array"
	}
	if len(types) > 0 && !slices.Contains(types, kind) && !(kind == "integer" && slices.Contains(types, "number")) {
		return []string{fmt.Sprintf("%s: want %s, got %s", where, strings.Join(types, " or "), kind)}
	}
	var errs []string
	if m, ok := s["minimum"]; ok && (kind == "integer" || kind == "number") {
		lo, _ := strconv.ParseFloat(fmt.Sprint(m), 64)
		if x, _ := strconv.ParseFloat(fmt.Sprint(v), 64); x < lo {
			errs = append(errs, fmt.Sprintf("%s: %v is less than the minimum %v", where, v, m))
		}
	}
	if m, ok := s["maximum"]; ok && (kind == "integer" || kind == "number") {
		hi, _ := strconv.ParseFloat(fmt.Sprint(m), 64)
		if x, _ := strconv.ParseFloat(fmt.Sprint(v), 64); x > hi {
			errs = append(errs, fmt.Sprintf("%s: %v is more than the maximum %v", where, v, m))
		}
	}
	if m, ok := s["minLength"]; ok && kind == "string" {
		if lo, _ := strconv.Atoi(fmt.Sprint(m)); utf8.RuneCountInString(v.(string)) < lo {
			errs = append(errs, fmt.Sprintf("%s: %q is shorter than %v", where, v, m))
		}
	}
	if m, ok := s["minProperties"]; ok && kind == "object" {
		if lo, _ := strconv.Atoi(fmt.Sprint(m)); len(v.(map[string]any)) < lo {
			errs = append(errs, fmt.Sprintf("%s: %d properties, fewer than %v", where, len(v.(map[string]any)), m))
		}
	}
	if m, ok := s["minItems"]; ok && kind == "array" {
		if lo, _ := strconv.Atoi(fmt.Sprint(m)); len(v.([]any)) < lo {
			errs = append(errs, fmt.Sprintf("%s: %d items, fewer than %v", where, len(v.([]any)), m))
		}
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", where, v, enum))
	}
	if pat, ok := s["pattern"].(string); ok {
		if str, isStr := v.(string); isStr && !regexp.MustCompile(goPattern(pat)).MatchString(str) {
			errs = append(errs, fmt.Sprintf("%s: %q does not match %s", where, str, pat))
		}
	}
	if not, ok := s["not"].(map[string]any); ok && len(validate(root, not, v, path)) == 0 {
		errs = append(errs, fmt.Sprintf("%s: %v matches what it may not", where, v))
	}
	switch x := v.(type) {
	case map[string]any:
		if names, ok := s["propertyNames"].(map[string]any); ok {
			for _, k := range slices.Sorted(maps.Keys(x)) {
				errs = append(errs, validate(root, names, k, where+" key")...)
			}
		}
		props, _ := s["properties"].(map[string]any)
		for _, r := range asStrings(s["required"]) {
			if _, ok := x[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s: missing %q", where, r))
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			sub := path + "." + k
			if path == "" {
				sub = k
			}
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, validate(root, ps, x[k], sub)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					errs = append(errs, fmt.Sprintf("%s: unknown key %q", where, k))
				}
			case map[string]any:
				errs = append(errs, validate(root, ap, x[k], sub)...)
			}
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range x {
				errs = append(errs, validate(root, items, e, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	return errs
}

// goPattern is an ECMA-262 pattern of a schema in Go's syntax: its \uXXXX
// escapes written \x{XXXX}.
func goPattern(pat string) string {
	return regexp.MustCompile(`\\u([0-9a-fA-F]{4})`).ReplaceAllString(pat, `\x{$1}`)
}

func asStrings(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			out = append(out, x.(string))
		}
	}
	return out
}

// TestReportSchemaCascadeIssueCodes: the report schema's cascade issue codes
// are every problem.Code the cascade package declares, read from its
// source, so that a new code cannot reach a report whose schema refuses it.
func TestReportSchemaCascadeIssueCodes(t *testing.T) {
	fset := token.NewFileSet()
	var declared []string
	files, err := filepath.Glob(filepath.Join("cascade", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		// A lint's codes (cascade/lint.go) are findings of goalkit lint,
		// listed with the lint's rules in docs/goals.md, never issues of a
		// report.
		if strings.HasSuffix(name, "_test.go") || filepath.Base(name) == "lint.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || vs.Type == nil || types.ExprString(vs.Type) != "problem.Code" {
				return true
			}
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					declared = append(declared, s)
				}
			}
			return true
		})
	}
	if len(declared) < 9 {
		t.Fatalf("read %d codes from the cascade package: %v", len(declared), declared)
	}
	b, err := os.ReadFile(filepath.Join("docs", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	enum := schema.Defs["cascade_issue"].Properties["code"].Enum
	slices.Sort(declared)
	slices.Sort(enum)
	if !slices.Equal(declared, enum) {
		t.Errorf("docs/report.schema.json cascade_issue codes %v, the cascade package declares %v", enum, declared)
	}
}
