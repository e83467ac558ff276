// Package defcheck holds the checks of a definition's fields that the
// compilers of indicators, goals, cascades and scoring share, so that each field's
// problem reads the same in every section of a plan.
package defcheck

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/goalkit/goalkit/problem"
)

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// ValidID reports whether s is a valid identifier of a plan (an indicator,
// a goal, an attribute…): [a-z][a-z0-9_]*.
func ValidID(s string) bool { return idPattern.MatchString(s) }

// ID reports at path an id that is missing or does not match
// [a-z][a-z0-9_]*, and returns whether the id is well formed.
func ID(ps *problem.List, path, id string) bool {
	switch {
	case id == "":
		ps.Add(path, problem.Required, "id is required")
	case !ValidID(id):
		ps.Add(path, problem.Invalid, fmt.Sprintf("id %q must match [a-z][a-z0-9_]*", id))
	default:
		return true
	}
	return false
}

// OneOf checks an enumerated field: v passes when it is empty (the
// section's default) or one of allowed; otherwise it reports at path
// "<field> must be a, b or c, got "v"", the field being path's last
// element. It returns whether v passed.
func OneOf[T ~string](ps *problem.List, path string, v T, allowed ...T) bool {
	if v == "" {
		return true
	}
	words := make([]string, len(allowed))
	for i, a := range allowed {
		if v == a {
			return true
		}
		words[i] = string(a)
	}
	field := path[strings.LastIndexByte(path, '.')+1:]
	ps.Add(path, problem.Invalid, fmt.Sprintf("%s must be %s, got %q", field, orList(words), v))
	return false
}

// orList writes words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
