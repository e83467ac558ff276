package main

import (
	"strings"
	"testing"
)

// TestFlagGivenTwice: a flag given twice is a usage error naming it, in
// every command and in each of the flag package's spellings; the flag
// package kept the last value without a word, so "-plan a.yaml … -plan
// b.yaml" read b.yaml.
func TestFlagGivenTwice(t *testing.T) {
	t.Chdir(t.TempDir()) // a command that ran would write its "x" here
	for _, c := range commands() {
		if c.name == "sync" || c.name == "directory" || c.name == "act" {
			continue // their flags follow a system: goalkit sync bitrix24 -h
		}
		// The flags a command defines, read from its -h, each with a
		// value of its type.
		_, _, help := runCLI(t, c.name, "-h")
		lines := strings.Split(help, "\n")
		n := 0
		for i, line := range lines {
			def, ok := strings.CutPrefix(line, "  -")
			if !ok {
				continue
			}
			name, typ, _ := strings.Cut(def, " ")
			if n, _, ok := strings.Cut(def, "\t"); ok {
				name, typ = n, "" // a one-letter bool: "-v\tusage"
			}
			value := map[string]string{"": "true", "duration": "1s", "int": "1", "uint": "1", "string": "x",
				"instant": "2025-01-01T00:00:00Z"}[strings.TrimSpace(typ)]
			if typ == "format" || typ == "log format" {
				// The first of the usage's "…: a, b or c".
				_, choices, _ := strings.Cut(lines[i+1], ": ")
				value, _, _ = strings.Cut(choices, ",")
				value, _, _ = strings.Cut(value, " ")
			}
			n++
			first, second := []string{"-" + name + "=" + value}, []string{"--" + name + "=" + value}
			if n%2 == 0 && typ != "" {
				first, second = []string{"--" + name, value}, []string{"-" + name, value}
			}
			args := append(append([]string{c.name}, first...), second...)
			code, _, errs := runCLI(t, args...)
			if want := "flag -" + name + " is given twice"; code != 2 || !strings.Contains(errs, want) {
				t.Errorf("goalkit %s: exit %d, want 2 and %q:\n%s", strings.Join(args, " "), code, want, errs)
			}
		}
		if n == 0 {
			t.Errorf("goalkit %s -h lists no flag", c.name)
		}
	}
}

// A value that reads as a flag is a value, not the flag given: -plan's
// value "-events" leaves -events given once.
func TestFlagValueLikeAFlag(t *testing.T) {
	_, _, errs := runCLI(t, "eval", "-plan", "-events", "-events", quickEvents, "-as-of", asOf)
	if strings.Contains(errs, "given twice") {
		t.Errorf("a value like a flag counted as the flag: %s", errs)
	}
	// After the flags' end ("--") nothing is a flag: the argument is
	// refused as one.
	code, _, errs := runCLI(t, "eval", "-plan", quickPlan, "--", "-plan", quickPlan)
	if code != 2 || strings.Contains(errs, "given twice") || !strings.Contains(errs, `unexpected argument "-plan"`) {
		t.Errorf("exit %d: %s", code, errs)
	}
}
