package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// A weight of -weights is quoted in a message as the engine's messages
// quote a number: written out up to 40 characters, in scientific form past
// them (-1e-10000 written out is 10,000 characters); the flag's text, a
// key or an item that is not KEY=NUMBER, is cut to 64 bytes. Each message
// was as long as the flag, and a number past the engine's exponents was
// "not KEY=NUMBER".
func TestSplitWeightsMessagesShort(t *testing.T) {
	long := strings.Repeat("k", 100)
	for _, tt := range []struct{ weights, want string }{
		{"north=-1e-10000,south=1", `-weights: the weight of "north" is negative: -1e-10000`},
		{"north=-1E-10000,south=1", `-weights: the weight of "north" is negative: -1e-10000`},
		// 50 digits: the first, 15 more after the point, … and the
		// exponent of the first.
		{"north=-12345678901234567890123456789012345678901234567890,south=1", `-weights: the weight of "north" is negative: -1.234567890123456…e49`},
		{"north=-1.5e9999,south=1", `-weights: the weight of "north" is negative: -1.5e9999`},
		// 33 characters written out: as they are.
		{"north=-1e-30,south=1", `-weights: the weight of "north" is negative: -0.` + strings.Repeat("0", 29) + "1"},
		{"north=-0.25,south=1", `-weights: the weight of "north" is negative: -0.25`},
		{long + "=-1", `-weights: the weight of "` + long[:64] + `…" is negative: -1`},
		{"north=1" + strings.Repeat("x", 10000), `-weights: "north=1` + strings.Repeat("x", 57) + `…" is not KEY=NUMBER`},
		{long + "=1," + long + "=2", `-weights: "` + long[:64] + `…" is given more than once`},
		// A number past what the engine reads is out of range, not "not
		// a number"; text that is no number is not KEY=NUMBER.
		{"north=1e10001,south=1", `-weights: the weight of "north", "1e10001", is out of range: too large an exponent or too many decimal places`},
		{"north=-1E-10001,south=1", `-weights: the weight of "north", "-1E-10001", is out of range: too large an exponent or too many decimal places`},
		{"north=0." + strings.Repeat("0", 20000) + "1,south=1", `-weights: the weight of "north", "0.` + strings.Repeat("0", 62) + `…", is out of range: too large an exponent or too many decimal places`},
		{"north=1e,south=1", `-weights: "north=1e" is not KEY=NUMBER`},
		{"north=0x10,south=1", `-weights: "north=0x10" is not KEY=NUMBER`},
		{"=1e10001,south=1", `-weights: "=1e10001" is not KEY=NUMBER`},
	} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), []string{"split", "-plan", splitRulesPlan, "-directory", splitDirectory, "-goal", "by_capacity", "-weights", tt.weights}, &out, &errOut)
		first, _, _ := strings.Cut(errOut.String(), "\n")
		if code != 2 || out.Len() != 0 || first != "goalkit split: "+tt.want {
			t.Errorf("-weights %.80s: exit %d\nstderr: %.300s\nwant:   goalkit split: %s", tt.weights, code, errOut.String(), tt.want)
		}
	}
}
