package deliver_test

import (
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// New refuses what a dispatcher cannot work without, saying what is
// missing; a nil configuration panicked in New, and a nil plan, tracker
// or outbox was taken and panicked at the first tick.
func TestNewRefusesWhatIsMissing(t *testing.T) {
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := parseConfig(t, webhookConfig("http://127.0.0.1:1/"))
	tr := track(t, plan)
	// A second Compile of the same definition is another plan: New cannot
	// know the two are alike, and its notifications would be of the
	// tracker's plan while the routes read this one's.
	other := goalkittest.CompilePlan(t, testPlan)
	ob := openOutbox(t, t.TempDir())
	chans := map[string]deliver.Channel{"hook": deliver.ChannelFunc(nil)}
	for _, c := range []struct {
		plan *goalkit.Plan
		tr   *goalkit.Tracker
		cfg  *deliver.Config
		ob   deliver.Outbox
		want string
	}{
		{nil, tr, cfg, ob, "deliver: New: no plan given (nil)"},
		{plan, nil, cfg, ob, "deliver: New: no tracker given (nil)"},
		{plan, tr, nil, ob, "deliver: New: no configuration given (nil)"},
		{plan, tr, cfg, nil, "deliver: New: no outbox given (nil)"},
		{nil, nil, nil, nil, "deliver: New: no plan, no tracker, no configuration, no outbox given (nil)"},
		{other, tr, cfg, ob, "deliver: New: the tracker tracks another plan than the one given (start it with this plan's Track)"},
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic: %v", c.want, r)
				}
			}()
			d, err := deliver.New(c.plan, c.tr, c.cfg, c.ob, chans)
			if err == nil || err.Error() != c.want {
				t.Errorf("got %v, %v; want %s", d, err, c.want)
			}
		}()
	}
}
