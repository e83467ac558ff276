package exampletest_test

import "testing"

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
