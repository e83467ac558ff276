package main

import (
	"strings"
	"testing"
)

// A plan whose goals name teams, evaluated without -directory, fails with
// the goal's path and the flag that is missing.
func TestTeamGoalsWithoutDirectory(t *testing.T) {
	const plan, events = "../../examples/serve/plan.yaml", "../../examples/serve/events.ndjson"
	for _, cmd := range []string{"eval", "export"} {
		args := []string{cmd, "-plan", plan, "-events", events, "-as-of", "2025-03-20T12:00:00Z"}
		if cmd == "export" {
			args = append(args, "-o", t.TempDir()+"/x.xlsx")
		}
		code, _, errs := runCLI(t, args...)
		if code == 0 || !strings.Contains(errs, "goals[1].participants.teams") || !strings.Contains(errs, "-directory FILE") {
			t.Errorf("goalkit %s without -directory: exit %d, stderr:\n%s\nwant the goal's path and -directory", cmd, code, errs)
		}
	}
}
