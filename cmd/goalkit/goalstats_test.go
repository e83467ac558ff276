package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// goalkit eval -goal-stats adds the goal statistics to the report of a plan
// that does not declare them; without the flag there are none.
func TestEvalGoalStats(t *testing.T) {
	args := []string{"eval", "-plan", filepath.Join("testdata", "split.yaml"), "-events", filepath.Join("testdata", "split-history.ndjson"),
		"-directory", filepath.Join("testdata", "split-directory.json"), "-as-of", "2025-01-01T00:00:00Z"}
	for _, withFlag := range []bool{false, true} {
		a := args
		if withFlag {
			a = append(a, "-goal-stats")
		}
		code, out, errs := runCLI(t, a...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var rep struct {
			Goals     []json.RawMessage `json:"goals"`
			GoalStats *struct {
				Total struct {
					Instances int `json:"instances"`
				} `json:"total"`
			} `json:"goal_stats"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		switch {
		case !withFlag && rep.GoalStats != nil:
			t.Errorf("goal statistics without -goal-stats")
		case withFlag && (rep.GoalStats == nil || rep.GoalStats.Total.Instances != len(rep.Goals)):
			t.Errorf("-goal-stats: %+v for %d goal rows", rep.GoalStats, len(rep.Goals))
		}
	}
}
