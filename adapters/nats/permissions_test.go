package nats_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
)

// TestPermissionSubjects reads the subjects docs/scale-out.md tells a host
// to allow each tenant's user, when tenants share an account, and checks
// them as the server matches permissions: together they cover every
// subject the tenant's records, batches, buckets and snapshots go to, and
// none of another tenant's, one whose name starts with the first's
// included. The page gave "$KV.goalkit_<tenant>_>", which the server
// reads as one literal token (a wildcard is a whole token) and so allows
// no bucket at all; read as a prefix, it would have allowed tenant
// acme_x's buckets to acme.
func TestPermissionSubjects(t *testing.T) {
	doc, err := os.ReadFile("../../docs/scale-out.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(doc)), " ")
	_, after, ok := strings.Cut(text, "restrict each user's publish and subscribe permissions to its tenant's subjects (")
	if !ok {
		t.Fatal("docs/scale-out.md no longer tells the permissions of users of one account")
	}
	list, _, _ := strings.Cut(after, ")")
	var allowed []string
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(list, -1) {
		allowed = append(allowed, strings.ReplaceAll(m[1], "<tenant>", "acme"))
	}
	if len(allowed) == 0 {
		t.Fatalf("no subjects in %q", list)
	}
	subjects := func(tenant string) []string {
		return []string{"goalkit." + tenant + ".events.0", "goalkit." + tenant + ".state.11",
			"$KV.goalkit_" + tenant + "_parts.p0", "$KV.goalkit_" + tenant + "_parts.snapshot.p3", "$KV.goalkit_" + tenant + "_parts.meta.partitions",
			"$KV.goalkit_" + tenant + "_ledger.YWNoaWV2ZWQ", "$KV.goalkit_" + tenant + "_leases.p2",
			"$O.goalkit_" + tenant + "_snapshots.C.abc", "$O.goalkit_" + tenant + "_snapshots.M.cDAuc25hcHNob3Q"}
	}
	match := func(subject string) string {
		for _, f := range allowed {
			if server.SubjectMatchesFilter(subject, f) {
				return f
			}
		}
		return ""
	}
	for _, s := range subjects("acme") {
		if match(s) == "" {
			t.Errorf("tenant acme's subject %s is allowed by none of %q", s, allowed)
		}
	}
	for _, other := range []string{"acme_x", "acme-2", "globex"} {
		for _, s := range subjects(other) {
			if f := match(s); f != "" {
				t.Errorf("tenant %s's subject %s is allowed to tenant acme by %s", other, s, f)
			}
		}
	}
}
