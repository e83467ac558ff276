package deliver_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// A host that parses a file and then sets a recipient's time zone in Go
// (from its own user settings, say) gets the zone it set: Location and
// the dispatcher kept the zone the file had named, so the digests came at
// the file's local hour and an unknown zone set afterwards was taken
// unchecked; a zone cleared read as the file's, not as UTC.
func TestParsedRecipientZoneChangedInGo(t *testing.T) {
	const src = `channels:
  - {name: box, type: webhook, url: "http://127.0.0.1:1/x", secret_env: S}
recipients:
  - {user: anna, timezone: Europe/Moscow, daily: "09:00", kinds: [digest_daily], channels: [box]}
`
	for _, c := range []struct{ zone, want string }{{"Asia/Tokyo", "Asia/Tokyo"}, {"", "UTC"}, {"Europe/Moscow", "Europe/Moscow"}} {
		cfg := parseConfig(t, src)
		cfg.Recipients[0].TimeZone = c.zone
		if got := cfg.Recipients[0].Location().String(); got != c.want {
			t.Errorf("Location with TimeZone %q: %s, want %s", c.zone, got, c.want)
		}
	}

	plan := goalkittest.CompilePlan(t, testPlan)
	tr := track(t, plan, salesEvents()...)
	var got []string
	box := deliver.ChannelFunc(func(_ context.Context, m deliver.Message) error {
		if m.Digest != nil {
			got = append(got, m.Key+" "+m.Digest.Date)
		}
		return nil
	})
	// 2025-03-08 07:00 UTC: 10:00 in Moscow (the digest of the 8th's
	// 09:00 due), 07:00 in UTC (the last due is the 7th's).
	cfg := parseConfig(t, src)
	cfg.Recipients[0].TimeZone = ""
	d, err := deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()), map[string]deliver.Channel{"box": box})
	if err != nil {
		t.Fatal(err)
	}
	tickDeliver(t, d, time.Date(2025, 3, 8, 7, 0, 0, 0, time.UTC))
	sameLines(t, "digests at 07:00 UTC", got, []string{"digest_daily/anna/2025-03-07 2025-03-07"})

	cfg = parseConfig(t, src)
	cfg.Recipients[0].TimeZone = "Europe/Atlantis"
	_, err = deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()), map[string]deliver.Channel{"box": box})
	if want := `recipients[0] (anna): unknown time zone "Europe/Atlantis" (an IANA name such as Europe/Moscow)`; err == nil || err.Error() != want {
		t.Errorf("an unknown zone set after parsing: %v, want %s", err, want)
	}
}
