package planfile

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// share is a value read from its text that takes a number, as a goal's
// milestone does ("25%" or 40).
type share struct {
	pct bool
	v   decimal.Decimal
}

func (s *share) UnmarshalText(b []byte) error {
	num, pct := strings.CutSuffix(string(b), "%")
	v, err := decimal.NewFromString(num)
	if err != nil {
		return fmt.Errorf("share %q is not a number or a percent", b)
	}
	*s = share{pct, v}
	return nil
}

type numbers struct {
	Target decimal.Decimal  `json:"target"`
	Weight *decimal.Decimal `json:"weight"`
	Share  share            `json:"share"`
	Name   string           `json:"name"`
}

// A decimal number, and a value that takes one, is refused where it is a
// whole number written with a leading zero outside quotes (00 too), as a
// whole number is; its fractions (0.010, 010.5), a lone 0 and text in
// quotes keep their reading, and a name (a string) takes 010 as the text it is.
func TestDecodeDecimalLeadingZero(t *testing.T) {
	for _, tt := range []struct{ file, want string }{
		{"target: 010", `f.yaml:1: target: want a number without a leading zero, got 010, which YAML 1.2 reads as 10 and YAML 1.1 as the octal 8: write 10, or 8`},
		{"weight: -007", `f.yaml:1: weight: want a number without a leading zero, got -007: write -7`},
		{"share: 0010", `f.yaml:1: share: want a number without a leading zero, got 0010, which YAML 1.2 reads as 10 and YAML 1.1 as the octal 8: write 10, or 8`},
		{`{"target": 012}`, `f.yaml:1: target: want a number without a leading zero, got 012, which YAML 1.2 reads as 12 and YAML 1.1 as the octal 10: write 12, or 10`},
		{"target: 0x10", `f.yaml:1: target: want a number such as 1234.50, got "0x10" (YAML reads it as 16: write it in decimal digits)`},
		{"share: 0o10", `f.yaml:1: share: share "0o10" is not a number or a percent`},
		{"target: 000", `f.yaml:1: target: want a number without a leading zero, got 000: write 0`},
		{"weight: -00", `f.yaml:1: weight: want a number without a leading zero, got -00: write 0`},
		{`{"target": 00}`, `f.yaml:1: target: want a number without a leading zero, got 00: write 0`},
	} {
		_, err := Decode("f.yaml", []byte(tt.file), &numbers{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("Decode(%q) = %v\nwant %s", tt.file, err, tt.want)
		}
	}
	for _, tt := range []struct{ file, want string }{
		{"target: 0", "0"}, {"target: -0", "0"}, {"target: +0", "0"}, {"target: 0.5", "0.5"}, {"target: 0.010", "0.01"},
		{"target: 010.5", "10.5"}, {"target: -00.25", "-0.25"}, {"target: 0e3", "0"}, {`target: "010"`, "10"},
		{"target: '-007'", "-7"}, {"weight: 010e1", "100"}, {"share: 0.010", "0.01"}, {`share: "010"`, "10"},
		{"share: 010%", "10"}, {"target: 1e3", "1000"}, {"target: 100", "100"},
	} {
		var v numbers
		if _, err := Decode("f.yaml", []byte(tt.file), &v); err != nil {
			t.Errorf("Decode(%q): %v", tt.file, err)
			continue
		}
		got := v.Target
		if v.Weight != nil {
			got = *v.Weight
		}
		if strings.HasPrefix(tt.file, "share") {
			got = v.Share.v
		}
		if got.String() != tt.want {
			t.Errorf("Decode(%q) = %s, want %s", tt.file, got, tt.want)
		}
	}
	var v numbers
	if _, err := Decode("f.yaml", []byte("name: 010"), &v); err != nil || v.Name != "010" {
		t.Errorf("name: 010 read as %q, %v", v.Name, err)
	}
}

// Any whole number written with leading zeros (and a sign or none), zero
// too, is refused on its line with the readings strconv gives its digits,
// in decimal and, where they are octal ones and read otherwise, in octal;
// written without, it reads as strconv reads it. YAML and JSON alike, into a whole
// number or a decimal.
func TestDecodeLeadingZeroProp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		key := rapid.SampledFrom([]string{"count", "tags", "target"}).Draw(t, "key")
		// count is an int: 32 bits on a 32-bit platform, where a number
		// past them is refused for its range before its zeros are read.
		lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
		if key == "count" {
			lo, hi = math.MinInt, math.MaxInt
		}
		n := rapid.OneOf(rapid.Int64Range(lo, hi), rapid.Int64Range(-100, 100)).Draw(t, "n")
		zeros := rapid.IntRange(0, 3).Draw(t, "zeros")
		sign := ""
		switch {
		case n < 0:
			sign = "-"
		default:
			sign = rapid.SampledFrom([]string{"", "+", "-"}).Draw(t, "sign")
		}
		abs := strings.TrimPrefix(strconv.FormatInt(n, 10), "-")
		text := sign + strings.Repeat("0", zeros) + abs
		asJSON := sign != "+" && rapid.Bool().Draw(t, "json")
		value := text
		if key == "tags" {
			value = "[" + text + "]"
		}
		file := "name: x\n" + key + ": " + value + "\n"
		if asJSON {
			file = "{\n  \"name\": \"x\",\n  \"" + key + "\": " + value + "\n}\n"
		}
		var s scalars
		var d numbers
		var err error
		if key == "target" {
			_, err = Decode("f.yaml", []byte(file), &d)
		} else {
			_, err = Decode("f.yaml", []byte(file), &s)
		}
		want, _ := strconv.ParseInt(text, 10, 64)
		if zeros == 0 {
			got := int64(s.Count)
			switch key {
			case "tags":
				if len(s.Tags) == 1 {
					got = s.Tags[0]
				}
			case "target":
				if !d.Target.Equal(decimal.NewFromInt(want)) {
					t.Fatalf("Decode(%q) = %s, %v; want %d", file, d.Target, err, want)
				}
				got = want
			}
			if err != nil || got != want {
				t.Fatalf("Decode(%q) = %d, %v; want %d", file, got, err, want)
			}
			return
		}
		line, path, what := 2, key, "a whole number"
		if asJSON {
			line = 3
		}
		switch key {
		case "tags":
			path = "tags[0]"
		case "target":
			what = "a number"
		}
		msg := fmt.Sprintf("f.yaml:%d: %s: want %s without a leading zero, got %s", line, path, what, text)
		if oct, err := strconv.ParseInt(text, 8, 64); err == nil && oct != want {
			msg += fmt.Sprintf(", which YAML 1.2 reads as %d and YAML 1.1 as the octal %d: write %d, or %d", want, oct, want, oct)
		} else {
			msg += fmt.Sprintf(": write %d", want)
		}
		if err == nil || err.Error() != msg {
			t.Fatalf("Decode(%q) = %v\nwant %s", file, err, msg)
		}
		if asJSON && json.Valid([]byte(file)) {
			t.Fatalf("encoding/json takes %s", file)
		}
	})
}
