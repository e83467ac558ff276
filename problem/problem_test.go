package problem_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/problem"
)

func TestComparePaths(t *testing.T) {
	paths := []string{"indicators[10].where", "goals[0]", "indicators[2].id", "indicators[2]", "indicators", "a.b"}
	slices.SortFunc(paths, problem.ComparePaths)
	want := []string{"a.b", "goals[0]", "indicators", "indicators[2]", "indicators[2].id", "indicators[10].where"}
	if !slices.Equal(paths, want) {
		t.Fatalf("got %q, want %q", paths, want)
	}
}

func TestListErr(t *testing.T) {
	var ps problem.List
	if ps.Err() != nil {
		t.Fatal("an empty list has no error")
	}
	cause := errors.New("bad zone")
	ps.Add("indicators[10].id", problem.Duplicate, "id won is defined twice")
	ps.AddErr("timezone", problem.Invalid, cause)
	ps.Add("indicators[2].where", problem.Unknown, `unknown name "sorce"`)
	err := ps.Err()
	want := "indicators[2].where: unknown name \"sorce\"\nindicators[10].id: id won is defined twice\ntimezone: bad zone"
	if err.Error() != want {
		t.Fatalf("got\n%s\nwant\n%s", err, want)
	}
	if !errors.Is(err, cause) {
		t.Error("errors.Is does not find the cause")
	}
	var pr *problem.Problem
	if !errors.As(err, &pr) || pr.Code != problem.Unknown {
		t.Errorf("errors.As: %v", pr)
	}
	var outer problem.List
	outer.Merge(err)
	outer.Merge(errors.New("plain"))
	if outer.Len() != 4 {
		t.Errorf("merged %d problems, want 4", outer.Len())
	}
}

func Example() {
	var ps problem.List
	ps.Add("report.grain", problem.Required, "report.grain is required")
	err := ps.Err()
	var ce *problem.Error
	if errors.As(err, &ce) {
		for _, p := range ce.Problems {
			fmt.Println(p.Code, p.Path)
		}
	}
	// Output: required report.grain
}

// TestPathEscaped: a path may hold a key from a plan file; String and Error
// print it escaped as terminal text (a line break, an escape sequence or a
// bidi override shown as a Go escape), once, while Path keeps the key.
func TestPathEscaped(t *testing.T) {
	tests := []struct {
		path, want string
	}{
		{"cascade.weights.a\nb", `cascade.weights.a\nb: bad`},
		{"cascade.weights.\x1b[31mred", `cascade.weights.\x1b[31mred: bad`},
		{"cascade.weights.\u202egpj", `cascade.weights.\u202egpj: bad`},
		{`cascade.weights.a\nb`, `cascade.weights.a\nb: bad`}, // escaped already: unchanged
		{"goals[0].name", "goals[0].name: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			p := problem.Problem{Path: tt.path, Code: problem.Invalid, Msg: "bad"}
			if got := p.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			if got := p.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			p.Where, p.Severity = "plan.yaml:3", problem.SevWarning
			if got, want := p.String(), "plan.yaml:3: warning: "+tt.want; got != want {
				t.Errorf("String() = %q, want %q", got, want)
			}
			if p.Path != tt.path {
				t.Errorf("Path = %q, want it kept as %q", p.Path, tt.path)
			}
		})
	}
}

// TestMergeKeepsPaths: a *Error's problems come over with their own paths
// and codes, any other error as one problem without a path, invalid.
func TestMergeKeepsPaths(t *testing.T) {
	var inner problem.List
	inner.Add("goals[1].target", problem.Required, "target is required")
	inner.Add("goals[0].id", problem.Duplicate, "id a is defined twice")
	var ps problem.List
	ps.Add("report.grain", problem.Invalid, "bad grain")
	ps.Merge(inner.Err())
	ps.Merge(errors.New("plain"))
	ps.Merge(nil)
	got := pathCodeMsgs(t, ps.Err())
	want := []string{"|invalid|plain", "goals[0].id|duplicate|id a is defined twice", "goals[1].target|required|target is required", "report.grain|invalid|bad grain"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestSortDropsRepeats: Sort orders by path, errors before warnings, then
// by message, and keeps one problem of each path and message, the first in
// that order, wherever the repeats fall.
func TestSortDropsRepeats(t *testing.T) {
	in := []problem.Problem{
		{Path: "goals[0]", Severity: problem.SevWarning, Msg: "a"},
		{Path: "goals[0]", Severity: problem.SevError, Msg: "b"},
		{Path: "goals[10]", Msg: "x"},
		{Path: "goals[0]", Severity: problem.SevError, Msg: "a"},
		{Path: "goals[2]", Msg: "x"},
		{Path: "goals[10]", Msg: "x"},
		{Path: "goals[0]", Severity: problem.SevWarning, Msg: "c"},
	}
	var got []string
	for _, p := range problem.Sort(in) {
		got = append(got, p.String())
	}
	want := []string{"error: goals[0]: a", "error: goals[0]: b", "warning: goals[0]: c", "goals[2]: x", "goals[10]: x"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestMergeKeepsWrappersWords: an error that wraps a *Error keeps its own
// words. Words before the inner error go before each problem's message, the
// problem keeping its path and code; words after it, or an inner error
// beside another (errors.Join), make one problem of the whole text. Merge
// kept the inner problems alone and lost what the wrapper said.
func TestMergeKeepsWrappersWords(t *testing.T) {
	var inner problem.List
	inner.Add("goals[0].id", problem.Duplicate, "id a is defined twice")
	inner.Add("goals[1].target", problem.Required, "target is required")
	ie := inner.Err()
	cases := []struct {
		name string
		err  error
		want []string
	}{
		{"prefix", fmt.Errorf("loading sales.yaml: %w", ie), []string{
			"goals[0].id|duplicate|loading sales.yaml: id a is defined twice",
			"goals[1].target|required|loading sales.yaml: target is required"}},
		{"no words", fmt.Errorf("%w", ie), []string{
			"goals[0].id|duplicate|id a is defined twice",
			"goals[1].target|required|target is required"}},
		{"suffix", fmt.Errorf("%w (while loading)", ie), []string{
			"|invalid|goals[0].id: id a is defined twice\ngoals[1].target: target is required (while loading)"}},
		{"joined", errors.Join(errors.New("the file is locked"), ie), []string{
			"|invalid|the file is locked\ngoals[0].id: id a is defined twice\ngoals[1].target: target is required"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ps problem.List
			ps.Merge(c.err)
			got := pathCodeMsgs(t, ps.Err())
			if !slices.Equal(got, c.want) {
				t.Errorf("got %q\nwant %q", got, c.want)
			}
		})
	}
	// The inner error's problems are not changed.
	if m := ie.(*problem.Error).Problems[0].Msg; m != "id a is defined twice" {
		t.Errorf("inner problem changed: %q", m)
	}
}

// TestAddErrNil: AddErr with a nil error records nothing; it panicked.
func TestAddErrNil(t *testing.T) {
	var ps problem.List
	ps.AddErr("goals[0]", problem.Invalid, nil)
	if ps.Len() != 0 || ps.Err() != nil {
		t.Errorf("got %d problems, %v", ps.Len(), ps.Err())
	}
}

// pathCodeMsgs is each problem of err, a *problem.Error, as path|code|msg.
func pathCodeMsgs(t *testing.T, err error) []string {
	t.Helper()
	var ce *problem.Error
	if !errors.As(err, &ce) {
		t.Fatal("not a *problem.Error")
	}
	var got []string
	for _, p := range ce.Problems {
		got = append(got, fmt.Sprintf("%s|%s|%s", p.Path, p.Code, p.Msg))
	}
	return got
}
