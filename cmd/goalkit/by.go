package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goalkit/goalkit"
)

// parseBy reads explain's -by: NAME=VALUE pairs separated by commas, one for
// each attribute the indicator is broken down by, each value parsed by the
// attribute's type in the plan; a NAME without "=" stands for events
// without the attribute. It returns the values in the order of the
// indicator's by.
func parseBy(plan *goalkit.Plan, indicator, text string) ([]any, error) {
	ix, ok := plan.Indicators().Lookup(indicator)
	if !ok {
		return nil, fmt.Errorf("unknown indicator %q", indicator)
	}
	if len(ix.Def.By) == 0 {
		return nil, fmt.Errorf("indicator %s is not broken down (it has no by)", indicator)
	}
	given := map[string]any{}
	for _, part := range strings.Split(text, ",") {
		name, val, has := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		if !slices.Contains(ix.Def.By, name) {
			return nil, fmt.Errorf("%q is not an attribute indicator %s is broken down by (%s)", name, indicator, strings.Join(ix.Def.By, ", "))
		}
		if _, dup := given[name]; dup {
			return nil, fmt.Errorf("%s is given twice", name)
		}
		given[name] = nil
		if !has {
			continue
		}
		v, err := goalkit.ParseAttr(plan.Definition().Attributes[name], val)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		given[name] = v
	}
	out := make([]any, len(ix.Def.By))
	for i, n := range ix.Def.By {
		v, ok := given[n]
		if !ok {
			return nil, fmt.Errorf("%s is missing: give every attribute of %s (NAME=VALUE, or NAME alone for events without it)", n, strings.Join(ix.Def.By, ", "))
		}
		out[i] = v
	}
	return out, nil
}
