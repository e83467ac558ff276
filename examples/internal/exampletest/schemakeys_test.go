package exampletest_test

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// schemaPages are the docs pages that describe the keys of the plan
// schema's definitions, by the package that declares the definition.
var schemaPages = map[string][]string{
	"goalkit":   {"formats.md"},
	"kpi":       {"formats.md", "analytics.md"},
	"score":     {"scorecards.md"},
	"goal":      {"goals.md"},
	"cascade":   {"cascade.md"},
	"goalstats": {"goal-stats.md"},
}

// planSchema is docs/plan.schema.json as far as these tests read it.
type planSchema struct {
	Required   []string                   `json:"required"`
	Properties map[string]json.RawMessage `json:"properties"`
	Defs       map[string]struct {
		Properties map[string]json.RawMessage `json:"properties"`
	} `json:"$defs"`
}

func readPlanSchema(t *testing.T) planSchema {
	t.Helper()
	var s planSchema
	if err := json.Unmarshal(repoFile(t, "docs", "plan.schema.json"), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Properties) == 0 || len(s.Defs) == 0 {
		t.Fatal("docs/plan.schema.json has no properties or no definitions")
	}
	return s
}

// named reports whether text names the plan key: `key`, a YAML key (key:)
// or an element of a brace list ({key, other}).
func named(text, key string) bool {
	k := regexp.QuoteMeta(key)
	return regexp.MustCompile("`" + k + "`|\\b" + k + ":|[{,] ?" + k + "[,}]").MatchString(text)
}

// TestPlanSchemaKeysDocumented checks that every key of the plan schema is
// named on the page that describes its section, so that an analyst who
// writes plans from the pages meets every key the plan reader takes: a key
// added to a definition without a word on its page fails here.
func TestPlanSchemaKeysDocumented(t *testing.T) {
	s := readPlanSchema(t)
	defs := map[string]map[string]json.RawMessage{"goalkit.Definition": s.Properties}
	for name, d := range s.Defs {
		defs[name] = d.Properties
	}
	checked := 0
	for name, props := range defs {
		pkg, _, _ := strings.Cut(name, ".")
		pages, ok := schemaPages[pkg]
		if !ok {
			t.Errorf("plan schema definition %s: no docs page is known for package %s", name, pkg)
			continue
		}
		var text strings.Builder
		for _, p := range pages {
			text.Write(repoFile(t, "docs", p))
		}
		keys := make([]string, 0, len(props))
		for k := range props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			checked++
			if !named(text.String(), k) {
				t.Errorf("plan schema key %s.%s is named on none of %s", name, k, strings.Join(pages, ", "))
			}
		}
	}
	if checked < 150 {
		t.Errorf("%d keys of the plan schema checked, want at least 150", checked)
	}
}

// TestPlanRequiredKeysMarked checks that the annotated plan of
// docs/formats.md marks each key the plan schema requires at the top
// level as required, on its own line: a reader who starts from that plan
// learns which keys a plan cannot leave out.
func TestPlanRequiredKeysMarked(t *testing.T) {
	s := readPlanSchema(t)
	if len(s.Required) == 0 {
		t.Fatal("docs/plan.schema.json requires no key")
	}
	block := docsSection(t, "formats.md", "Plan: YAML or JSON")
	m := yamlBlock.FindStringSubmatch(block)
	if m == nil {
		t.Fatal("docs/formats.md shows no plan under Plan: YAML or JSON")
	}
	lines := map[string]string{}
	for _, line := range strings.Split(m[1], "\n") {
		if key, _, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "#") {
			lines[key] = line
		}
	}
	for _, k := range s.Required {
		line, ok := lines[k]
		if !ok {
			t.Errorf("the plan of docs/formats.md has no top-level key %s, which the schema requires", k)
			continue
		}
		if _, comment, _ := strings.Cut(line, "#"); !strings.Contains(comment, "required") {
			t.Errorf("the plan of docs/formats.md does not mark %s required: %q", k, line)
		}
	}
}
