package serve

// Name is the dashboard's optional Namer: a unit's name from the directory
// (read again at every tick), for the dashboard to show instead of its id.
// Users have no name in a directory: their ids are shown. A unit whose id
// is also an actor's (Bitrix24's department 1 and user 1) is not named
// either: the row of that id is the actor's, which the dashboard would show
// under the unit's name (the last report's values say which ids are both).
func (s *Server) Name(participant string) (string, bool) {
	o := s.org.Load()
	if o == nil {
		return "", false
	}
	if shared := s.shared.Load(); shared != nil && (*shared)[participant] {
		return "", false
	}
	for _, u := range o.Units() {
		if u.ID == participant && u.Name != "" {
			return u.Name, true
		}
	}
	return "", false
}
