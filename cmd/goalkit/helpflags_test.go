package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestHelpNamesOwnFlags: the -h of every command speaks only of flags the
// command has. -mapping of explain, backtest and suggest-targets said it
// read "its table from -source", and none of them has -source.
func TestHelpNamesOwnFlags(t *testing.T) {
	defined := regexp.MustCompile(`(?m)^  -([a-z][a-z0-9-]*)`)
	named := regexp.MustCompile(`(?:^|[\s(,;:])-([a-z][a-z0-9-]*[a-z0-9])\b`)
	for _, c := range commands() {
		if c.name == "sync" || c.name == "directory" || c.name == "act" {
			continue // their flags follow a system: goalkit sync bitrix24 -h
		}
		_, _, errs := runCLI(t, c.name, "-h")
		own := map[string]bool{}
		for _, m := range defined.FindAllStringSubmatch(errs, -1) {
			own[m[1]] = true
		}
		if len(own) == 0 {
			t.Errorf("goalkit %s -h lists no flag:\n%s", c.name, errs)
			continue
		}
		for _, line := range strings.Split(errs, "\n") {
			if !strings.HasPrefix(line, "    \t") {
				continue // a flag's own line, not its usage
			}
			for _, m := range named.FindAllStringSubmatch(line, -1) {
				if !own[m[1]] {
					t.Errorf("goalkit %s -h speaks of -%s, which it does not have:%s", c.name, m[1], line)
				}
			}
		}
	}
}

// TestHelpFlagPlaceholders: every flag of a value in a command's -h shows
// what its value is (-format format, -as-of instant), never Go's bare
// "value"; export's -format showed "-format value".
func TestHelpFlagPlaceholders(t *testing.T) {
	bare := regexp.MustCompile(`(?m)^  -[a-z][a-z0-9-]* value$`)
	for _, c := range commands() {
		_, _, errs := runCLI(t, c.name, "-h")
		for _, m := range bare.FindAllString(errs, -1) {
			t.Errorf("goalkit %s -h: %q names no value", c.name, strings.TrimSpace(m))
		}
	}
}
