package serve

import "github.com/goalkit/goalkit/org"

// unitNames are the names of the units of one reading of the directory,
// by id.
type unitNames struct {
	org  *org.Org
	byID map[string]string
}

// Name is the dashboard's optional Namer: a unit's name from the directory
// (read again at every tick), for the dashboard to show instead of its id.
// Users have no name in a directory: their ids are shown. A unit whose id
// is also an actor's (Bitrix24's department 1 and user 1) is not named
// either: the row of that id is the actor's, which the dashboard would show
// under the unit's name (the last report's values say which ids are both).
// The names are read once per reading of the directory: a page asks for
// every participant it shows, and each call copied every unit.
func (s *Server) Name(participant string) (string, bool) {
	o := s.org.Load()
	if o == nil {
		return "", false
	}
	if shared := s.shared.Load(); shared != nil && (*shared)[participant] {
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
	name, ok := names.byID[participant]
	return name, ok
}
