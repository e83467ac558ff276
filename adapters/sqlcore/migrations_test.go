package sqlcore

import (
	"crypto/sha256"
	"fmt"
	"testing"
)

// TestMigrationsNeverChange holds every released step of the own schema to
// the bytes it was released with: a database migrated by an earlier release
// must have the schema a new one would create. Add a step; never edit one.
func TestMigrationsNeverChange(t *testing.T) {
	released := map[string][]string{
		"sqlite": {
			"3878f342d5df08870522f1d2b3e8be287652d5d8b7f6aebe615f41875e215c8d",
			"77fbd6d487355564123e4ebdc5f93aa50598ca518a53070dcf561ac0b4457b8b",
			"976dcee97b549da5406c8b2a72a52fc58b0862ce7733c0ef8d3665e49ae3bab9",
			"8dc695fb383463c1bf0460fb53cc0a6c3c90354776dc838fbf5abd631a211699",
			"54f7a0f69e6b35da12c8fed449ace93af0de265d92c0bef49350122f6a8f9ee3",
			"e9d3ebf7e88030a5753e2e846ddd9433eb3e4532dfce8a59f507a7af3609c8ea",
			"06239eed54cb0786f7f0fbb189b7cfdc793f04475658c14860a97647e6c8731f",
		},
		"postgres": {
			"29c18ad4afa0d871713c5a7b3cfe6cf78a97fd06088cff5bfe30854e3f01635b",
			"d58b2e934ca1af876d014e70c3c9c321100e6ca88508dd3d0c3fa621a586e95f",
			"1fa136a7c96921329c8b7a32f12df69dfb8d43466e9407e0b21a034b5d686e47",
			"8dc695fb383463c1bf0460fb53cc0a6c3c90354776dc838fbf5abd631a211699",
			"d685001e9aebf5c9f82cb20b041f426a958f2823a0d011fad6747b12e18bd63e",
			"e004ebd5b5532a4b85984a62f8ad48a81aa3460c1ca07701f386135d72cdecf5",
			"e004ebd5b5532a4b85984a62f8ad48a81aa3460c1ca07701f386135d72cdecf5",
		},
	}
	for _, d := range []Dialect{SQLite, Postgres} {
		steps := d.migrations()
		if len(steps) < len(released[d.String()]) {
			t.Fatalf("%s: %d steps, %d released", d, len(steps), len(released[d.String()]))
		}
		for i, want := range released[d.String()] {
			if got := fmt.Sprintf("%x", sha256.Sum256([]byte(steps[i]))); got != want {
				t.Errorf("%s: step %d changed since its release (sha256 %s, released %s)", d, i+1, got, want)
			}
		}
	}
}
