package dashboard

import "github.com/goalkit/goalkit/org"

// Namer is an optional capability of a Data: the name to show for a
// participant (a user's full name, a unit's name) instead of its id.
// The dashboard asks it wherever it shows a participant or the actor of
// an event; addresses keep the id. false (or a Data without it): the id
// is shown.
type Namer interface {
	Name(participant string) (string, bool)
}

// participantText is how a participant is shown: "Company" (in the
// viewer's language) for everyone, else its name from the Data's Namer,
// else its id.
func (q *request) participantText(p string) string {
	if p == org.Everyone {
		return q.l.T("company")
	}
	if n, ok := q.h.data.(Namer); ok {
		if s, ok := n.Name(p); ok && s != "" {
			return s
		}
	}
	return p
}
