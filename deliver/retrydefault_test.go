package deliver_test

import (
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
)

// A file's retry that gives only its base or only its max takes the
// other's default bent to it, as New does with a configuration built in
// Go: a default max no less than the base, a default base no more than
// the max. A base of 2h alone was refused ("max (1h0m0s) is less than
// base (2h0m0s)", of a max the file never wrote), and so was a max of 10s
// alone, both of which Go took.
func TestRetryOneBoundGiven(t *testing.T) {
	for _, c := range []struct {
		yaml string
		want deliver.Retry
	}{
		{"{base: 2h}", deliver.Retry{Attempts: deliver.DefaultAttempts, Base: 2 * time.Hour, Max: 2 * time.Hour}},
		{"{max: 10s}", deliver.Retry{Attempts: deliver.DefaultAttempts, Base: 10 * time.Second, Max: 10 * time.Second}},
		{"{base: 1m}", deliver.Retry{Attempts: deliver.DefaultAttempts, Base: time.Minute, Max: deliver.DefaultMax}},
		{"{max: 2h}", deliver.Retry{Attempts: deliver.DefaultAttempts, Base: deliver.DefaultBase, Max: 2 * time.Hour}},
		{"{attempts: 3}", deliver.Retry{Attempts: 3, Base: deliver.DefaultBase, Max: deliver.DefaultMax}},
	} {
		src := "retry: " + c.yaml + "\nchannels:\n  - {name: x, type: webhook, url: \"http://h/\", secret_env: S}\nrecipients:\n  - {user: anna, channels: [x]}\n"
		cfg, err := deliver.ParseConfig("d.yaml", []byte(src))
		if err != nil {
			t.Errorf("%s: %v", c.yaml, err)
			continue
		}
		if cfg.Retry != c.want {
			t.Errorf("%s: %+v, want %+v", c.yaml, cfg.Retry, c.want)
		}
	}
	// Both given, the max below the base, is refused still.
	_, err := deliver.ParseConfig("d.yaml", []byte("retry: {base: 1h, max: 1m}\nchannels: []\nrecipients: []\n"))
	if err == nil || !strings.Contains(err.Error(), "d.yaml:1: retry: max (1m0s) is less than base (1h0m0s)") {
		t.Errorf("max below base: %v", err)
	}
}
