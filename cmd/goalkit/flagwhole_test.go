package main

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

// A whole-number flag of every command is written in decimal digits
// without a leading zero: the flag package read -history 010 as the octal
// 8, -max-body 0100 as 64 and 0x10 as 16, where a plan's 010 is refused.
// The message names the reading and what to write, in each of the flag
// package's spellings.
func TestWholeFlagsDecimal(t *testing.T) {
	t.Chdir(t.TempDir()) // a command that ran would write its "x" here
	checked := 0
	for _, c := range commands() {
		if c.name == "sync" || c.name == "directory" || c.name == "act" {
			continue // their flags follow a system: goalkit sync bitrix24 -h
		}
		_, _, help := runCLI(t, c.name, "-h")
		for line := range strings.SplitSeq(help, "\n") {
			def, ok := strings.CutPrefix(line, "  -")
			if !ok {
				continue
			}
			name, typ, _ := strings.Cut(def, " ")
			if typ = strings.TrimSpace(typ); typ != "int" && typ != "uint" {
				continue
			}
			checked++
			for _, tt := range []struct {
				args []string
				want string
			}{
				{[]string{"-" + name, "010"}, "-" + name + ": want a whole number without a leading zero, got 010, which reads as the octal 8: write 10, or 8"},
				{[]string{"--" + name + "=0017"}, "-" + name + ": want a whole number without a leading zero, got 0017, which reads as the octal 15: write 17, or 15"},
				{[]string{"-" + name + "=07"}, "-" + name + ": want a whole number without a leading zero, got 07: write 7"},
				{[]string{"-" + name, "00"}, "-" + name + ": want a whole number without a leading zero, got 00: write 0"},
				{[]string{"-" + name, "0x1F"}, "-" + name + ": want a whole number in decimal digits, got 0x1F, which reads as 31: write 31"},
				{[]string{"-" + name, "0o17"}, "-" + name + ": want a whole number in decimal digits, got 0o17, which reads as 15: write 15"},
				{[]string{"-" + name, "0b11"}, "-" + name + ": want a whole number in decimal digits, got 0b11, which reads as 3: write 3"},
				{[]string{"-" + name, "1_000"}, "-" + name + ": want a whole number in decimal digits, got 1_000, which reads as 1000: write 1000"},
			} {
				args := append([]string{c.name}, tt.args...)
				code, out, errs := runCLI(t, args...)
				first, _, _ := strings.Cut(errs, "\n")
				if code != 2 || out != "" || first != "goalkit "+c.name+": "+tt.want {
					t.Errorf("goalkit %s: exit %d\n%s\nwant goalkit %s: %s", strings.Join(args, " "), code, errs, c.name, tt.want)
				}
			}
		}
	}
	// -history, -limit, -seed, -max-body, -checks, -n, -iters…
	if checked < 10 {
		t.Errorf("%d whole-number flags checked, want every one (10 or more)", checked)
	}
}

// Written in decimal digits (a sign or none), a whole-number flag reads as
// the flag package reads it; a flag of another type is not looked at.
func TestWholeFlagsTaken(t *testing.T) {
	for _, args := range [][]string{
		{"-n", "10"}, {"-n=0"}, {"--n", "+7"}, {"-n", "-3"}, {"-u", "18446744073709551615"}, {"-big", "0"},
		{"-s", "010"}, {"-d", "010s"}, {"-v", "-n", "12"}, {"-s", "-n", "-n", "9"},
	} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.Int("n", 1, "")
		fs.Uint64("u", 1, "")
		fs.Int64("big", 1, "")
		fs.String("s", "", "")
		fs.Duration("d", time.Second, "")
		fs.Bool("v", false, "")
		if err := parseFlags(fs, args); err != nil {
			t.Errorf("%q: %v", args, err)
		}
	}
}
