package serve

import (
	"reflect"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

// The document's Explanation lists every member kpi.Explanation writes:
// with additionalProperties false, an explanation of a breakdown cell, a
// window, a cohort or a prev() input (by, from, cohort, back) was an
// answer the document refused.
func TestOpenAPIExplanationHasEveryMember(t *testing.T) {
	doc, _ := apiDoc(t)
	schema := doc.Components.Schemas["Explanation"].Value
	typ := reflect.TypeFor[kpi.Explanation]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if _, ok := schema.Properties[name]; !ok {
			t.Errorf("kpi.Explanation's %q is not in the document's Explanation", name)
		}
	}
}
