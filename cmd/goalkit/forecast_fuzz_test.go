package main

import (
	"slices"
	"strings"
	"testing"
)

// FuzzParsePoints: -at never panics, and what it accepts is inside the
// period.
func FuzzParsePoints(f *testing.F) {
	for _, s := range []string{"25%,50%,75%", "0.5", "0%", "100%", "x", "1e-3", "NaN", "50%%", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := parsePoints(s)
		if err != nil {
			return
		}
		for _, p := range ps {
			if !(p > 0 && p < 1) {
				t.Fatalf("%q gave %v", s, p)
			}
		}
	})
}

// FuzzParseChangeSpec: -explain-change never panics, and each item it
// accepts names an indicator and two periods, no colon survives, no field
// has a space around it, and no change is given twice.
func FuzzParseChangeSpec(f *testing.F) {
	for _, s := range []string{"revenue:2025-02:2025-03:source", "a:b:c", "a:b", "a:b:c:d:e", ",", "::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := parseChangeSpec(s)
		if err != nil {
			return
		}
		for i, c := range cs {
			if c.indicator == "" || c.from == "" || c.to == "" || strings.Contains(c.indicator+c.from+c.to+c.by, ":") {
				t.Fatalf("%q gave %+v", s, c)
			}
			for _, f := range []string{c.indicator, c.from, c.to, c.by} {
				if f != strings.TrimSpace(f) {
					t.Fatalf("%q gave %+v: a field with spaces around it", s, c)
				}
			}
			if slices.Contains(cs[:i], c) {
				t.Fatalf("%q gave %+v twice", s, c)
			}
		}
	})
}
