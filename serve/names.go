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

// UserNamer is what a Directory may also have: the names of people, by
// user id (adapters/memory's directory reads them from a directory file's
// "users"; the directory of a host's CRM would ask it).
type UserNamer interface {
	UserName(id string) (string, bool)
}

// Name is the dashboard's optional Namer: a unit's name from the directory
// (read again at every tick), and a person's (goal.User) from the
// directory's UserName where it has one, for the dashboard to show instead
// of ids. A unit and a person of one id are two participants (Bitrix24's
// department 1 and user 1): each kind is named from its own list, and a
// person the directory does not name is shown by id. The units' names are
// read once per reading of the directory: a page asks for every
// participant it shows, and each call copied every unit.
func (s *Server) Name(kind goal.ParticipantKind, id string) (string, bool) {
	if kind == goal.User {
		if un, ok := s.cfg.Directory.(UserNamer); ok {
			return un.UserName(id)
		}
		return "", false
	}
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
