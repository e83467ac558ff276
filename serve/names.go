package serve

// Name is the dashboard's optional Namer: a unit's name from the directory
// (read again at every tick), for the dashboard to show instead of its id.
// Users have no name in a directory: their ids are shown.
func (s *Server) Name(participant string) (string, bool) {
	o := s.org.Load()
	if o == nil {
		return "", false
	}
	for _, u := range o.Units() {
		if u.ID == participant && u.Name != "" {
			return u.Name, true
		}
	}
	return "", false
}
