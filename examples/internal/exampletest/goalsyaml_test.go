package exampletest_test

import (
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestGoalsPageIsTheSeed checks that the goals docs/goals.md shows first,
// "the seed's examples", are those of testdata/goals/seed.yaml key for key:
// the page's notification example is what the seed's goals send, so a
// goal the page shows otherwise would not send it.
func TestGoalsPageIsTheSeed(t *testing.T) {
	_, block, ok := strings.Cut(string(repoFile(t, "docs", "goals.md")), "```yaml\ngoals:\n")
	if !ok {
		t.Fatal("docs/goals.md shows no goals")
	}
	block, _, _ = strings.Cut("goals:\n"+block, "```")
	seed := repoFile(t, "testdata", "goals", "seed.yaml")
	goals := func(name string, data []byte) map[string]map[string]any {
		var f struct {
			Goals []map[string]any `yaml:"goals"`
		}
		if err := yaml.Unmarshal(data, &f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		byID := map[string]map[string]any{}
		for _, g := range f.Goals {
			id, _ := g["id"].(string)
			byID[id] = g
		}
		return byID
	}
	shown, want := goals("docs/goals.md", []byte(block)), goals("seed.yaml", seed)
	if len(shown) == 0 {
		t.Fatal("docs/goals.md shows no goals")
	}
	for id, g := range shown {
		if !reflect.DeepEqual(g, want[id]) {
			t.Errorf("docs/goals.md shows goal %s as\n%v\nseed.yaml has\n%v", id, g, want[id])
		}
	}
}
