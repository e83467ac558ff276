package exampletest_test

import "testing"

// TestScaleOutPageNamesFlags checks that docs/scale-out.md names every
// flag of goalkit publish and goalkit worker: a flag added to either
// without a word on the page fails here.
func TestScaleOutPageNamesFlags(t *testing.T) {
	on := namedFlags(string(repoFile(t, "docs", "scale-out.md")))
	for _, command := range []string{"publish", "worker"} {
		flags := commandFlags(t, "scaleout.go", command)
		if len(flags) < 5 {
			t.Fatalf("%d flags of goalkit %s found (%v), want at least 5", len(flags), command, flags)
		}
		for _, f := range flags {
			if !on[f] {
				t.Errorf("docs/scale-out.md does not name goalkit %s's flag -%s", command, f)
			}
		}
	}
}
