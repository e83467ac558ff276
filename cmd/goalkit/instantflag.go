package main

import (
	"flag"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/isodate"
)

// instantFlag is the value of a flag that takes an RFC 3339 instant, such
// as -as-of. parseFlags reads it once the flags are parsed, so that a
// command sees only instants and refuses a bad one before it reads anything.
type instantFlag struct {
	name, text string
	t          time.Time
}

// defineInstant defines the flag name as an instantFlag.
func defineInstant(fs *flag.FlagSet, name, usage string) *instantFlag {
	v := new(instantFlag)
	v.define(fs, name, usage)
	return v
}

// define defines the flag name with v as its value. The help names the
// value by the usage's first "instant" (-as-of instant).
func (v *instantFlag) define(fs *flag.FlagSet, name, usage string) {
	v.name = name
	fs.Var(v, name, strings.Replace(usage, "instant", "`instant`", 1))
}

func (v *instantFlag) String() string { return v.text }

// Set keeps the text: check reads it.
func (v *instantFlag) Set(text string) error {
	v.text = text
	return nil
}

// check reads the text given as an instant.
func (v *instantFlag) check() error {
	if v.text == "" {
		return nil
	}
	t, err := isodate.ParseInstant(v.text)
	if err != nil {
		return usagef("-%s %w", v.name, err)
	}
	// The zero time is what the library reads as no instant given: every
	// report refuses it, and a command that took it would fail with the
	// library's words, not the flag's.
	if t.IsZero() {
		return usagef("-%s %q is the zero time (0001-01-01T00:00:00Z), which is no instant", v.name, v.text)
	}
	v.t = t
	return nil
}

// given reports whether the flag was set.
func (v *instantFlag) given() bool { return v.text != "" }

// or is the instant given, or def when the flag was not set.
func (v *instantFlag) or(def time.Time) time.Time {
	if v.given() {
		return v.t
	}
	return def
}
