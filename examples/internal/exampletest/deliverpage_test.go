package exampletest_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestDeliverPageNamesNotifyFlags checks that docs/deliver.md's section
// on the command line names every flag goalkit notify defines: a flag
// added to the command without a word on the page fails here.
func TestDeliverPageNamesNotifyFlags(t *testing.T) {
	section := docsSection(t, "deliver.md", "Command line")
	flags := commandFlags(t, "notify.go", "notify")
	if len(flags) < 8 {
		t.Fatalf("%d flags of goalkit notify found (%v), want at least 8", len(flags), flags)
	}
	on := namedFlags(section)
	for _, f := range flags {
		if !on[f] {
			t.Errorf("docs/deliver.md's command line does not name goalkit notify's flag -%s", f)
		}
	}
}

// TestDeliverPageGivesRetryBounds checks that docs/deliver.md gives the
// bounds the delivery file's reader (deliver/config.go) puts on
// retry.attempts, as "from LOW to HIGH": a bound changed in the reader
// without the page fails here.
func TestDeliverPageGivesRetryBounds(t *testing.T) {
	src := string(repoFile(t, "deliver", "config.go"))
	m := regexp.MustCompile(`a < (\d+) \|\| a > (\d+)`).FindStringSubmatch(src)
	if m == nil {
		t.Fatal("deliver/config.go bounds no retry.attempts")
	}
	page := strings.Join(strings.Fields(string(repoFile(t, "docs", "deliver.md"))), " ")
	if want := "`retry.attempts` is a whole number from " + m[1] + " to " + m[2]; !strings.Contains(page, want) {
		t.Errorf("docs/deliver.md does not say %q, as the reader bounds it", want)
	}
}

// TestDeliverPageNamesOptions checks that docs/deliver.md names every
// option of a dispatcher (deliver's With… functions): an option added
// without a word on the page fails here.
func TestDeliverPageNamesOptions(t *testing.T) {
	page := string(repoFile(t, "docs", "deliver.md"))
	opts := regexp.MustCompile(`(?m)^func (With[A-Za-z]+)\(`).FindAllStringSubmatch(string(repoFile(t, "deliver", "dispatcher.go")), -1)
	if len(opts) < 5 {
		t.Fatalf("%d options found in deliver/dispatcher.go, want at least 5", len(opts))
	}
	for _, o := range opts {
		if !strings.Contains(page, "deliver."+o[1]) && !strings.Contains(page, "`"+o[1]+"`") {
			t.Errorf("docs/deliver.md does not name deliver.%s", o[1])
		}
	}
}
