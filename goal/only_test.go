package goal

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// placesOf finds the subjects of a participant as a scan of every subject
// does, whatever the users, teams and company of an instance (sorted as
// sortSubjects sorts them, a team and a user perhaps of the same id).
func TestPlacesOfIsAScan(t *testing.T) {
	ids := []string{"", "a", "anna", "b", "boris", "sales", "*", "z"}
	rapid.Check(t, func(t *rapid.T) {
		var ss []subject
		type key struct {
			id   string
			kind ParticipantKind
		}
		seen := map[key]bool{}
		for range rapid.IntRange(0, 12).Draw(t, "n") {
			kind := rapid.SampledFrom([]ParticipantKind{User, Team, Company}).Draw(t, "kind")
			sj := subject{id: rapid.SampledFrom(ids).Draw(t, "id"), kind: kind}
			if k := (key{sj.id, sj.kind}); !seen[k] {
				seen[k] = true
				ss = append(ss, sj)
			}
		}
		sortSubjects(ss)
		id := rapid.SampledFrom(ids).Draw(t, "participant")
		var want []int
		for i, sj := range ss {
			if sj.id == id {
				want = append(want, i)
			}
		}
		if got := placesOf(ss, id); !slices.Equal(got, want) {
			t.Fatalf("placesOf(%v, %q) = %v, want %v", ss, id, got, want)
		}
	})
}
