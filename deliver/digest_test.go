package deliver_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// digestConfig sends digests to a channel "box": daily at 09:00 to anna
// (Moscow, Russian) and boris (New York), weekly on Mondays to olga.
const digestConfig = `
channels: [{name: box, type: webhook, url: "http://unused", secret_env: S}]
recipients:
  - {user: anna, language: ru, timezone: Europe/Moscow, daily: "09:00", channels: [box]}
  - {user: boris, timezone: America/New_York, daily: "09:00", channels: [box]}
  - {user: olga, name: Ольга, timezone: Europe/Moscow, weekly: "monday 09:00", channels: [box]}
`

// Daily digests go out at the recipient's local hour, in their time zone
// (New York crosses into summer time on 9 March 2025), once a local day
// whatever the rate of ticks; the weekly one on its day; each holds only
// the rows its recipient may see.
func TestDigestSchedule(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := parseConfig(t, digestConfig)
	var got []deliver.Message
	box := deliver.ChannelFunc(func(_ context.Context, m deliver.Message) error {
		got = append(got, m)
		return nil
	})
	tr := track(t, plan, salesEvents()...)
	d, err := deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()), map[string]deliver.Channel{"box": box}, deliver.WithDirectory(directory(t)))
	if err != nil {
		t.Fatal(err)
	}
	rendered := 0
	for at := time.Date(2025, 3, 7, 20, 0, 0, 0, time.UTC); at.Before(time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC)); at = at.Add(20 * time.Minute) {
		res, err := d.Tick(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		rendered += res.Digests
		if _, err := d.Deliver(ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	slices.SortStableFunc(got, func(a, b deliver.Message) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.To.User, b.To.User)
	})
	var lines []string
	for _, m := range got {
		if m.Digest == nil {
			continue
		}
		var rows []string
		for _, r := range m.Digest.Rows {
			rows = append(rows, fmt.Sprintf("%s %s/%s", r.Goal, r.Participant, r.Actual.Decimal))
		}
		lines = append(lines, fmt.Sprintf("%s %s %s %s [%s]", m.Created.Format("01-02 15:04"), m.To.User, m.Kind, m.Digest.Date, strings.Join(rows, ", ")))
	}
	// 09:00 in Moscow is 06:00 UTC; in New York 14:00 UTC before 9 March
	// and 13:00 UTC from then on. 10 March is a Monday. The first tick
	// (7 March, 20:00 UTC) is within a day of both 7 March digests: they
	// go out late.
	want := []string{
		"03-07 20:00 anna digest_daily 2025-03-07 [sales anna/800000]",
		"03-07 20:00 boris digest_daily 2025-03-07 [sales boris/0]",
		"03-08 06:00 anna digest_daily 2025-03-08 [sales anna/800000]",
		"03-08 14:00 boris digest_daily 2025-03-08 [sales boris/0]",
		"03-09 06:00 anna digest_daily 2025-03-09 [sales anna/800000]",
		"03-09 13:00 boris digest_daily 2025-03-09 [sales boris/0]",
		"03-10 06:00 anna digest_daily 2025-03-10 [sales anna/800000]",
		"03-10 06:00 olga digest_weekly 2025-03-10 [sales anna/800000, sales boris/0]",
		"03-10 13:00 boris digest_daily 2025-03-10 [sales boris/0]",
	}
	sameLines(t, "digests", lines, want)
	if rendered != len(want) {
		t.Errorf("ticks rendered %d digests, want %d", rendered, len(want))
	}
}

// A dispatcher that was down at a digest's time sends it at its first tick
// within a day, and skips it after: 9 and 10 March are skipped.
func TestDigestLate(t *testing.T) {
	got := dailyDigestsAt(t, march(8, 8), march(9, 8), march(11, 10), march(11, 11))
	want := []string{"digest_daily/anna/2025-03-07", "digest_daily/anna/2025-03-08", "digest_daily/anna/2025-03-11"}
	sameLines(t, "digests", got, want)
}

// A tick back in time (a clock stepped back two days) routes nothing of
// the days before the last tick: the digest of 9 March, an hour late at
// the second tick, is not sent after that of 11 March.
func TestDigestTickBackInTime(t *testing.T) {
	got := dailyDigestsAt(t, march(11, 10), march(9, 10))
	sameLines(t, "digests", got, []string{"digest_daily/anna/2025-03-11"})
}

// dailyDigestsAt ticks and delivers a dispatcher of anna's daily digest at
// 09:00 Moscow time at each instant in turn, and returns the keys of the
// digests delivered.
func dailyDigestsAt(t *testing.T, ats ...time.Time) []string {
	t.Helper()
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := parseConfig(t, `
channels: [{name: box, type: webhook, url: "http://unused", secret_env: S}]
recipients: [{user: anna, timezone: Europe/Moscow, daily: "09:00", channels: [box]}]
`)
	var got []string
	box := deliver.ChannelFunc(func(_ context.Context, m deliver.Message) error {
		if m.Digest != nil {
			got = append(got, m.Key)
		}
		return nil
	})
	tr := track(t, plan, salesEvents()...)
	d, _ := deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()), map[string]deliver.Channel{"box": box})
	for _, at := range ats {
		tickDeliver(t, d, at)
	}
	return got
}

// TestDigestZoneOfConfigBuiltInGo checks that a configuration a host
// builds in Go, not parsed from a file, schedules a recipient's digests in
// the recipient's TimeZone: at 10:00 in Moscow (07:00 UTC) on 8 March the
// 09:00 digest due is that of 8 March, not the one of 7 March that 09:00
// UTC would give. An unknown zone is refused by New.
func TestDigestZoneOfConfigBuiltInGo(t *testing.T) {
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := &deliver.Config{
		Retry:      deliver.Retry{Attempts: 3, Base: time.Second, Max: time.Minute},
		Channels:   []deliver.ChannelConfig{{Name: "box", Type: deliver.TypeWebhook, URL: "http://unused", SecretEnv: "S"}},
		Recipients: []deliver.Recipient{{User: "anna", TimeZone: "Europe/Moscow", Daily: &deliver.Schedule{Hour: 9}, Channels: []string{"box"}}},
	}
	var got []string
	box := deliver.ChannelFunc(func(_ context.Context, m deliver.Message) error {
		if m.Digest != nil {
			got = append(got, m.Key+" "+m.Digest.Date)
		}
		return nil
	})
	tr := track(t, plan, salesEvents()...)
	d, err := deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()), map[string]deliver.Channel{"box": box})
	if err != nil {
		t.Fatal(err)
	}
	tickDeliver(t, d, march(8, 10))
	sameLines(t, "digests", got, []string{"digest_daily/anna/2025-03-08 2025-03-08"})

	cfg.Recipients[0].TimeZone = "Europe/Atlantis"
	_, err = deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()), map[string]deliver.Channel{"box": box})
	if want := `recipients[0] (anna): unknown time zone "Europe/Atlantis" (an IANA name such as Europe/Moscow)`; err == nil || err.Error() != want {
		t.Errorf("unknown zone: %v, want %s", err, want)
	}
}

// TestZeroRetryOfConfigBuiltInGo checks that a configuration built in Go
// with no Retry gets the documented defaults (DefaultAttempts, DefaultBase,
// DefaultMax): a digest whose first attempt fails is sent at a later
// attempt, not moved to the dead letters at once.
func TestZeroRetryOfConfigBuiltInGo(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := &deliver.Config{
		Channels:   []deliver.ChannelConfig{{Name: "box", Type: deliver.TypeWebhook, URL: "http://unused", SecretEnv: "S"}},
		Recipients: []deliver.Recipient{{User: "anna", TimeZone: "Europe/Moscow", Daily: &deliver.Schedule{Hour: 9}, Channels: []string{"box"}}},
	}
	attempts := 0
	box := deliver.ChannelFunc(func(_ context.Context, m deliver.Message) error {
		if m.Digest == nil {
			return nil
		}
		attempts++
		if attempts == 1 {
			return errors.New("the receiver is down")
		}
		return nil
	})
	d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, openOutbox(t, t.TempDir()), map[string]deliver.Channel{"box": box})
	if err != nil {
		t.Fatal(err)
	}
	at := march(8, 10)
	if _, err := d.Tick(ctx, at); err != nil {
		t.Fatal(err)
	}
	var sent, dead int
	for _, now := range []time.Time{at, at.Add(deliver.DefaultBase)} {
		res, err := d.Deliver(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		sent, dead = sent+res.Sent, dead+res.Dead
	}
	if attempts != 2 || dead != 0 {
		t.Errorf("%d attempts, %d sent, %d dead; want the digest sent at its second attempt", attempts, sent, dead)
	}
}

// A digest at a time that a jump skips goes out at the end of the jump,
// dated the day it was for, and the day after's at its own time.
//
// Havana springs forward from 00:00 to 01:00 on Sunday 9 March 2025: its
// midnight digest goes out at the first instant of that day, 01:00 local,
// dated that day; it is not taken for the day before's, already sent, and
// lost. The weekly digest of that Sunday is dated the Sunday.
//
// Nuuk springs forward from 23:00 to 00:00 on Saturday 29 March 2025: its
// 23:30 digest goes out at 00:30 on 30 March, dated 29 March; it is not
// taken for 30 March's, which then went out 23 hours early while 29
// March's was lost.
func TestDigestTimeSkipped(t *testing.T) {
	for _, tc := range []struct {
		name, recipient string
		from, to        time.Time
		want            []string
	}{{
		// Midnight in Havana is 05:00 UTC in standard time (-05:00); 9
		// March starts at 01:00 -04:00, 05:00 UTC; 10 March at 04:00 UTC.
		// The first tick is within a day of 7 March's digest.
		name:      "midnight",
		recipient: `{user: anna, timezone: America/Havana, daily: "00:00", weekly: "sunday 00:00", channels: [box]}`,
		from:      time.Date(2025, 3, 7, 20, 0, 0, 0, time.UTC), to: time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC),
		want: []string{
			"03-07 20:00 digest_daily/anna/2025-03-07 2025-03-07",
			"03-08 05:00 digest_daily/anna/2025-03-08 2025-03-08",
			"03-09 05:00 digest_daily/anna/2025-03-09 2025-03-09",
			"03-09 05:00 digest_weekly/anna/2025-03-09 2025-03-09",
			"03-10 04:00 digest_daily/anna/2025-03-10 2025-03-10",
		},
	}, {
		// 23:30 in Nuuk is 01:30 UTC the next day at -02:00, and 00:30 UTC
		// at -01:00 (from 30 March 01:00 UTC). 29 March's 23:30 does not
		// exist: read at -02:00 it is 30 March 01:30 UTC, 00:30 local. The
		// first tick is within a day of 27 March's digest. The goal ends
		// with March in Moscow, before 31 March's digest.
		name:      "late evening",
		recipient: `{user: boris, timezone: America/Nuuk, daily: "23:30", weekly: "saturday 23:30", channels: [box]}`,
		from:      time.Date(2025, 3, 28, 12, 0, 0, 0, time.UTC), to: time.Date(2025, 4, 1, 1, 0, 0, 0, time.UTC),
		want: []string{
			"03-28 12:00 digest_daily/boris/2025-03-27 2025-03-27",
			"03-29 01:30 digest_daily/boris/2025-03-28 2025-03-28",
			"03-30 01:30 digest_daily/boris/2025-03-29 2025-03-29",
			"03-30 01:30 digest_weekly/boris/2025-03-29 2025-03-29",
			"03-31 00:30 digest_daily/boris/2025-03-30 2025-03-30",
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := digestsSent(t, `
channels: [{name: box, type: webhook, url: "http://unused", secret_env: S}]
recipients: [`+tc.recipient+`]
`, tc.from, tc.to, 10*time.Minute)
			sameLines(t, "digests", got, tc.want)
		})
	}
}

// digestsSent ticks and delivers the sales events' tracker under the
// configuration every step from from until to, and returns the digests
// sent, sorted: each as the instant of its tick in UTC, its key and its
// date.
func digestsSent(t *testing.T, config string, from, to time.Time, step time.Duration) []string {
	t.Helper()
	plan := goalkittest.CompilePlan(t, testPlan)
	var got []string
	box := deliver.ChannelFunc(func(_ context.Context, m deliver.Message) error {
		if m.Digest != nil {
			got = append(got, m.Created.UTC().Format("01-02 15:04")+" "+m.Key+" "+m.Digest.Date)
		}
		return nil
	})
	d, err := deliver.New(plan, track(t, plan, salesEvents()...), parseConfig(t, config), openOutbox(t, t.TempDir()), map[string]deliver.Channel{"box": box})
	if err != nil {
		t.Fatal(err)
	}
	for at := from; at.Before(to); at = at.Add(step) {
		tickDeliver(t, d, at)
	}
	slices.Sort(got)
	return got
}
