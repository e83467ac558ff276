package testenv

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Flawed shows that a conformance suite catches implementations that each
// break one of its rules. The suite must fail on them, so the test runs
// itself again in a child process with the variable env set: there
// Flawed returns true, and the test runs the suite on each flawed
// implementation as a subtest named after its flaw. In the parent it
// returns false once it has read the child's verbose output and failed t
// for each flaw whose subtest passed, logging the subtests that caught the
// others. args are more flags of the child (rapid's, say).
func Flawed(t *testing.T, env string, flaws []string, args ...string) bool {
	t.Helper()
	if os.Getenv(env) != "" {
		return true
	}
	if testing.Short() {
		t.Skip("runs the suites in a child process")
	}
	name := t.Name()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^" + name + "$", "-test.v", "-test.count=1"}, args...)...)
	cmd.Env = append(os.Environ(), env+"=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the suites passed every flawed implementation:\n%s", out)
	}
	// A flaw is caught when its test fails; the subtests that failed with
	// it say which rule caught it.
	failed := map[string][]string{}
	for _, m := range regexp.MustCompile(`--- FAIL: `+regexp.QuoteMeta(name)+`/([^/ ]+)(/\S+)? `).FindAllStringSubmatch(string(out), -1) {
		caught := failed[m[1]]
		if sub, _, _ := strings.Cut(strings.TrimPrefix(m[2], "/"), "/"); sub != "" && !slices.Contains(caught, sub) {
			caught = append(caught, sub)
		}
		failed[m[1]] = caught
	}
	for _, flaw := range flaws {
		if caught, ok := failed[flaw]; !ok {
			t.Errorf("the suite passed an implementation that %s", strings.ReplaceAll(flaw, "_", " "))
		} else {
			t.Logf("%s: caught by %s", flaw, strings.Join(caught, ", "))
		}
	}
	if t.Failed() {
		t.Logf("the child's output:\n%s", out)
	}
	return false
}
