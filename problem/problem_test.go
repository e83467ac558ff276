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
