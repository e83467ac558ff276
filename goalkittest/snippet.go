package goalkittest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"go.yaml.in/yaml/v3"
)

// PlanYAML writes a definition as a plan file in YAML (docs/formats.md).
func PlanYAML(def *goalkit.Definition) (string, error) {
	j, err := json.Marshal(def)
	if err != nil {
		return "", fmt.Errorf("plan to json: %w", err)
	}
	var n yaml.Node
	if err := yaml.Unmarshal(j, &n); err != nil {
		return "", fmt.Errorf("plan to yaml: %w", err)
	}
	blockStyle(&n, "")
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return "", fmt.Errorf("plan to yaml: %w", err)
	}
	return b.String(), nil
}

// textKeys are the keys whose values are text even when they look like
// numbers (a period label "2025").
var textKeys = []string{"period", "history", "id", "name", "description", "role", "unit", "user", "indicator", "scorecard", "tier_basis"}

var numberRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// blockStyle turns JSON's flow style into YAML's block style, keeping short
// lists of scalars (kinds: [deal.won]) in flow style, writes decimals (which
// JSON quotes) as plain numbers, and lets the encoder quote the other
// strings only where YAML needs it.
func blockStyle(n *yaml.Node, key string) {
	n.Style &^= yaml.FlowStyle
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		n.Style &^= yaml.DoubleQuotedStyle
		if numberRE.MatchString(n.Value) && !slices.Contains(textKeys, key) {
			n.Tag = "!!float"
			if !strings.Contains(n.Value, ".") {
				n.Tag = "!!int"
			}
		}
	}
	scalars := n.Kind == yaml.SequenceNode && len(n.Content) > 0
	for i, c := range n.Content {
		k := key
		if n.Kind == yaml.MappingNode {
			if i%2 == 0 {
				k = "" // a key is text
			} else {
				k = n.Content[i-1].Value
			}
		}
		blockStyle(c, k)
		if c.Kind != yaml.ScalarNode {
			scalars = false
		}
	}
	if scalars {
		n.Style |= yaml.FlowStyle
	}
}

// NDJSON writes events as an NDJSON event file (docs/formats.md).
func NDJSON(events []kpi.Event) (string, error) {
	var b bytes.Buffer
	w := eventfile.NewWriter(&b, eventfile.NDJSON, nil)
	for i := range events {
		if err := w.Write(&events[i]); err != nil {
			return "", err
		}
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	return b.String(), nil
}

// namedEvents is one event file of a counterexample.
type namedEvents struct {
	name   string
	events []kpi.Event
}

// snippet is a counterexample of one event file (and the directory, if
// any): the files and the command that reproduces it.
func (c *checker) snippet(events []kpi.Event, note []string) string {
	return c.snippets(namedEvents{"events.ndjson", events}) + strings.Join(note, "\n")
}

// snippets writes the plan, the event files and the directory, and the
// goalkit eval command of each event file.
func (c *checker) snippets(files ...namedEvents) string {
	var b strings.Builder
	def := c.def
	plan, err := PlanYAML(&def)
	if err != nil {
		plan = "# " + err.Error() + "\n"
	}
	b.WriteString("--- plan.yaml\n")
	b.WriteString(plan)
	for _, f := range files {
		text, err := NDJSON(f.events)
		if err != nil {
			text = "# " + err.Error() + "\n"
		}
		fmt.Fprintf(&b, "--- %s\n%s", f.name, text)
	}
	dirFlag := ""
	if c.opts.Directory != nil {
		if text := directoryJSON(c.opts.Directory); text != "" {
			fmt.Fprintf(&b, "--- directory.json\n%s\n", text)
			dirFlag = " -directory directory.json"
		}
	}
	b.WriteString("--- reproduce with\n")
	for _, f := range files {
		fmt.Fprintf(&b, "goalkit eval -plan plan.yaml -events %s -as-of %s%s\n", f.name, instantText(c.asOf), dirFlag)
	}
	return b.String()
}

// instantText writes t as RFC 3339 the same instant, its fraction of a
// second kept; RFC 3339 has no seconds of offset, so a time whose zone has
// them (a local mean time) goes in UTC.
func instantText(t time.Time) string {
	if _, off := t.Zone(); off%60 != 0 {
		t = t.UTC()
	}
	return t.Format(time.RFC3339Nano)
}

// directoryJSON writes a directory as `goalkit directory` does.
func directoryJSON(d org.Directory) string {
	ctx := context.Background()
	us, err := d.Units(ctx)
	if err != nil {
		return ""
	}
	ms, err := d.Memberships(ctx)
	if err != nil {
		return ""
	}
	j, err := json.Marshal(memory.DirectoryFile{Units: us, Memberships: ms})
	if err != nil {
		return ""
	}
	return string(j)
}
