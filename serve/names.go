package serve

import (
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
)

// unitNames are the names of the units of one reading of the directory,
// by id.
type unitNames struct {
	org  *org.Org
	byID map[string]string
}

// Name is the dashboard's optional Namer: a unit's name from the directory
// (read again at every tick), for the dashboard to show instead of its id.
// Users have no name in a directory: a person (kind goal.User) is shown by
// id, even where a unit has the same id (Bitrix24's department 1 and user
// 1: the unit's rows are named, the person's are not). The names are read
// once per reading of the directory: a page asks for every participant it
// shows, and each call copied every unit.
func (s *Server) Name(kind goal.ParticipantKind, id string) (string, bool) {
	if kind != goal.Team {
		return "", false
	}
	o := s.org.Load()
	if o == nil {
		return "", false
	}
	names := s.names.Load()
	if names == nil || names.org != o {
		names = &unitNames{org: o, byID: map[string]string{}}
		for _, u := range o.Units() {
			if u.Name != "" {
				names.byID[u.ID] = u.Name
			}
		}
		s.names.Store(names)
	}
	name, ok := names.byID[id]
	return name, ok
}
