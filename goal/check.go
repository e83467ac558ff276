package goal

import (
	"context"
	"errors"
	"fmt"
)

// Check reports what Evaluate would refuse in req whatever its instant: an
// empty range [From, To), a period that cannot be enumerated, goals that
// name teams when req has no Org, and teams the Org does not have. Only the goals with an instance in the range count, as in Evaluate.
// A live tracker calls it once, when it starts, so that no later tick fails
// for a reason known from the start. It returns every problem found, joined.
func (s *Set) Check(ctx context.Context, req Request) error {
	if req.To <= req.From {
		return fmt.Errorf("goal: request to (%s) must be after from (%s)", req.To, req.From)
	}
	var errs []error
	for _, g := range s.goals {
		ps, err := g.Instances(s.cal, req.From, req.To)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s.period: %w", g.path, err))
			continue
		}
		teams := g.def.Participants.Teams
		if len(ps) == 0 || len(teams) == 0 {
			continue
		}
		if req.Org == nil {
			errs = append(errs, fmt.Errorf("%s.participants.teams: %w", g.path, ErrNoDirectory))
			continue
		}
		for _, t := range teams {
			if !req.Org.Has(t) {
				errs = append(errs, fmt.Errorf("%s.participants.teams: team %q is not in the directory", g.path, t))
			}
		}
	}
	return errors.Join(errs...)
}
