package kindof

import (
	"testing"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
)

func TestNode(t *testing.T) {
	for k, want := range map[cascade.Kind]goal.ParticipantKind{
		cascade.UnitKind: goal.Team, cascade.Company: goal.Company, cascade.UserKind: goal.User,
	} {
		if got := Node(k); got != want {
			t.Errorf("Node(%s) = %s, want %s", k, got, want)
		}
	}
}
