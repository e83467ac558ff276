package defcheck

import (
	"errors"
	"testing"

	"github.com/goalkit/goalkit/problem"
)

func TestID(t *testing.T) {
	for _, c := range []struct {
		id   string
		ok   bool
		code problem.Code
		msg  string
	}{
		{"sales_q1", true, "", ""},
		{"a", true, "", ""},
		{"", false, problem.Required, "id is required"},
		{"Sales", false, problem.Invalid, `id "Sales" must match [a-z][a-z0-9_]*`},
		{"1st", false, problem.Invalid, `id "1st" must match [a-z][a-z0-9_]*`},
		{"a-b", false, problem.Invalid, `id "a-b" must match [a-z][a-z0-9_]*`},
	} {
		var ps problem.List
		if got := ID(&ps, "goals[2].id", c.id); got != c.ok {
			t.Errorf("ID(%q) = %v, want %v", c.id, got, c.ok)
		}
		checkOne(t, &ps, "goals[2].id", c.code, c.msg)
	}
}

type level string

func TestOneOf(t *testing.T) {
	for _, c := range []struct {
		path    string
		v       level
		allowed []level
		ok      bool
		msg     string
	}{
		{"boards[0].level", "", []level{"people", "departments"}, true, ""},
		{"boards[0].level", "departments", []level{"people", "departments"}, true, ""},
		{"boards[0].level", "teams", []level{"people", "departments"}, false, `level must be people or departments, got "teams"`},
		{"goals[1].close.corrections", "keep", []level{"freeze", "restate"}, false, `corrections must be freeze or restate, got "keep"`},
		{"goals[0].forecast", "x", []level{"workdays", "calendar", "seasonal", "probabilistic"}, false,
			`forecast must be workdays, calendar, seasonal or probabilistic, got "x"`},
		{"direction", "up", []level{"higher", "lower"}, false, `direction must be higher or lower, got "up"`},
		{"x.mode", "each", []level{"each"}, true, ""},
		{"x.mode", "shared", []level{"each"}, false, `mode must be each, got "shared"`},
		// Letter case counts: the values are the file's words.
		{"x.mode", "Each", []level{"each"}, false, `mode must be each, got "Each"`},
	} {
		var ps problem.List
		if got := OneOf(&ps, c.path, c.v, c.allowed...); got != c.ok {
			t.Errorf("OneOf(%s, %q) = %v, want %v", c.path, c.v, got, c.ok)
		}
		checkOne(t, &ps, c.path, problem.Invalid, c.msg)
	}
}

// checkOne checks that ps holds nothing when msg is empty, else exactly
// one problem at path with code and msg.
func checkOne(t *testing.T, ps *problem.List, path string, code problem.Code, msg string) {
	t.Helper()
	err := ps.Err()
	if msg == "" {
		if err != nil {
			t.Errorf("%s: unexpected %v", path, err)
		}
		return
	}
	var pe *problem.Error
	if !errors.As(err, &pe) || len(pe.Problems) != 1 {
		t.Fatalf("%s: want one problem %q, got %v", path, msg, err)
	}
	p := pe.Problems[0]
	if p.Path != path || p.Code != code || p.Msg != msg {
		t.Errorf("%s: got %s %s %q, want %s %s %q", path, p.Path, p.Code, p.Msg, path, code, msg)
	}
}
