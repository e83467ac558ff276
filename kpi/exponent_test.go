package kpi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// returnsWithin runs fn in a child process of the test binary (the test
// named run, with env, KEY=VALUE, in its environment) and fails the test
// when it has not returned after d, killing the child: these tests show
// work that does not end, and leave nothing running. In the child it runs
// fn and reports whether fn returned an error.
func returnsWithin(t *testing.T, d time.Duration, run, env, what string, fn func() error) error {
	t.Helper()
	if key, val, _ := strings.Cut(env, "="); os.Getenv(key) == val {
		if err := fn(); err != nil {
			fmt.Println("CHILD-ERROR", err)
		}
		return errChild
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+run+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Errorf("%s did not return in %s", what, d)
		return errStuck
	}
	if i := bytes.Index(out, []byte("CHILD-ERROR ")); i >= 0 {
		line, _, _ := bytes.Cut(out[i+len("CHILD-ERROR "):], []byte("\n"))
		return errors.New(string(line))
	}
	if err != nil {
		t.Fatalf("%s: %v\n%s", what, err, out)
	}
	return nil
}

var errStuck, errChild = errors.New("stuck"), errors.New("in the child")

// An event version whose amount or decimal attribute has a huge exponent
// (1e400000000: a valid decimal.Decimal) is refused by Validate's words,
// as adapters/eventfile and adapters/mapping refuse an exponent past 1000
// in text: a table codes a decimal by its digits, and 10^400000000 computed
// under the tracker's write lock would keep Apply from ever returning (and
// the tracker stuck for every writer and reader after it). A host's Go code
// that builds decimals, or a decoded snapshot, reaches this; the work runs
// in a child process so that a regression cannot hang the test run.
func TestApplyHugeExponentReturns(t *testing.T) {
	ctx := context.Background()
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	set, err := Compile([]IndicatorDef{{ID: "won", Kinds: []string{"won"}, Aggregate: "sum", Value: "amount"}}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	huge := decimal.New(1, 400000000)
	at := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	for i, e := range []Event{
		{ID: "1", Kind: "won", Actor: "u", Time: at, Attrs: map[string]any{"x": huge}},
		{ID: "2", Kind: "won", Actor: "u", Time: at, Amount: decimal.NewNullDecimal(huge)},
	} {
		child := "GOALKIT_HUGE_EXPONENT_EVENT"
		if v := os.Getenv(child); v != "" && v != fmt.Sprint(i+1) {
			continue
		}
		tr, err := set.Track(ctx, Request{Calendar: cal, Periods: []period.Period{cal.Containing(period.Month, date.New(2025, 1, 1))}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = returnsWithin(t, 5*time.Second, "TestApplyHugeExponentReturns", fmt.Sprintf("%s=%d", child, i+1), "Apply of event "+e.ID, func() error { return tr.Apply(ctx, e) })
		if err == errChild {
			return
		}
		if err == nil {
			t.Errorf("event %s with 1e400000000 applied; want a refusal", e.ID)
		}
	}
}

// The snapshot decoder refuses a decimal of an exponent past Validate's
// bound as corrupt: FuzzReadSnapshot found the snapshot below, whose
// decimal value has the exponent 808464432 and kept the decoder busy for
// good when any exponent in int32's range was read.
func TestReadSnapshotHugeExponentReturns(t *testing.T) {
	cal, err := period.LoadCalendar("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	set, err := Compile([]IndicatorDef{{ID: "won", Kinds: []string{"won"}, Aggregate: "count"}}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	jan := cal.Containing(period.Month, date.New(2025, 1, 1))
	req := Request{Calendar: cal, Periods: []period.Period{jan}}
	data := []byte("goalkit\x00tracker\n\x01\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x0000000000\x01\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00000000000\x02\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00000\x04\x00\x00\x00\x00\x00\x00\x000000\x02\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x0000\x02\x00\x00\x00\x00\x00\x00\x0001\x01\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00000\x05\x00\x00\x00\x00\x00\x00\x00\x06\x00\x00\x00\x00\x00\x00\x00000000\x01\x00\x00\x00\x00\x00\x00\x000\x02\x00\x00\x00\x00\x00\x00\x0000\x02\x00\x00\x00\x00\x00\x00\x0001\x01\x00\x00\x00\x00\x00\x00\x001\x05\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00s2\x00\x00\x00\x00\x00\x00\x0000000000000000000000000000000000000000000000000000t000000000000\x00\x00\x00\x0000\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00000\x03\x00\x00\x00\x00\x00\x00\x000000000\x00\x00\x00\x00d0000\x00\x00\x00\x00\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00")
	err = returnsWithin(t, 5*time.Second, "TestReadSnapshotHugeExponentReturns", "GOALKIT_HUGE_EXPONENT_SNAPSHOT=1", "readSnapshot", func() error {
		_, err := readSnapshot(bytes.NewReader(data), set, &req, false)
		return err
	})
	if err == nil {
		t.Error("the snapshot decoded; want it refused as corrupt")
	}
}

// Validate's words for an exponent past the bound name the event and the
// field, as the event files' parsers do; the bound itself passes.
func TestValidateRefusesHugeExponents(t *testing.T) {
	at := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		e    Event
		want string
	}{
		{Event{ID: "1", Kind: "won", Time: at, Amount: decimal.NewNullDecimal(decimal.New(1, 400000000))}, `event "1": amount exponent 400000000 is outside ±1000`},
		{Event{ID: "2", Kind: "won", Time: at, Amount: decimal.NewNullDecimal(decimal.New(1, -1001))}, `event "2": amount exponent -1001 is outside ±1000`},
		{Event{ID: "3", Kind: "won", Time: at, Attrs: map[string]any{"a": "x", "b": decimal.New(5, 1001)}}, `event "3": attribute "b": exponent 1001 is outside ±1000`},
		{Event{ID: "4", Kind: "won", Time: at, Amount: decimal.NewNullDecimal(decimal.New(1, -1000)), Attrs: map[string]any{"b": decimal.New(5, 1000)}}, ""},
	} {
		err := c.e.Validate()
		if got := fmt.Sprint(err); c.want == "" && err != nil || c.want != "" && got != c.want {
			t.Errorf("event %s: %v, want %q", c.e.ID, err, c.want)
		}
	}
}

// A percentile's p built in Go whose exponent is past what a plan file's
// reader takes (±10000) is refused by Compile itself, first and alone, at
// its path: checking p = 10^1000000000 (or 10^-1000000000) against 1
// rescaled 1 to a billion digits and Compile never returned. The largest
// exponents a plan file may write compile (and are refused as not between
// 0 and 1, or accepted, as any p).
func TestCompileRefusesHugeExponents(t *testing.T) {
	num := func(exp int32) *decimal.Decimal { d := decimal.New(1, exp); return &d }
	defs := func(a, b *decimal.Decimal) []IndicatorDef {
		return []IndicatorDef{
			{ID: "a", Kinds: []string{"won"}, Aggregate: Percentile, Value: "amount", P: a},
			{ID: "b", Kinds: []string{"won"}, Aggregate: Percentile, Value: "amount", P: b},
			{ID: "bad id"}, // refused first: not named
		}
	}
	err := returnsWithin(t, 5*time.Second, "TestCompileRefusesHugeExponents", "GOALKIT_HUGE_EXPONENT_COMPILE=1", "Compile", func() error {
		_, err := Compile(defs(num(1000000000), num(-1000000000)), Env{Path: "plan.indicators"})
		if err != nil {
			return errors.New(strings.ReplaceAll(err.Error(), "\n", " | ")) // the child reports one line
		}
		return nil
	})
	if err == errChild {
		return
	}
	want := "plan.indicators[0].p: the number's exponent 1000000000 is out of range: at most ±10000 | " +
		"plan.indicators[1].p: the number's exponent -1000000000 is out of range: at most ±10000"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want\n%s", err, want)
	}
	_, err = Compile(defs(num(10000), num(-10000))[:2], Env{})
	if want := "indicators[0].p: p 1" + strings.Repeat("0", 10000) + " is not between 0 and 1 (0.9: the 90th percentile)"; err == nil || err.Error() != want {
		t.Errorf("at the bounds: got %.200v, want p of indicators[0] alone refused as past 1", err)
	}
}
