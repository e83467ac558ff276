package goalkit_test

import (
	"testing"

	"pgregory.net/rapid"
)

// The ticks of a tracker given WithNotificationsSince at any hour of a
// day, some of them before it, tell of goals whose progress only grows
// what Plan.Evaluate as of the last tick's instant with the same Since
// tells: nothing crossed before Since. Expected to pass; today the first
// tick's baseline, and that of a later tick on Since's day, is the day
// boundary at or before its start (tickSteps), before Since, so a
// milestone or achievement reached between that midnight and Since is
// told (TestTrackerFirstTickSinceInsideADayTellsNothingBefore is one
// case).
func TestTrackerTicksFromSinceInsideADayAsEvaluate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { ticksFromSinceAsEvaluate(t, true) })
}
