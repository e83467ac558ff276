package planfile

import (
	"reflect"
	"testing"
)

func TestKey(t *testing.T) {
	type def struct {
		ID      string `json:"id"`
		Target  string `json:"target,omitempty"`
		Name    string
		Skipped string `json:"-"`
		hidden  string
		Opts    string `json:",omitempty"`
	}
	_ = def{hidden: "a field no key sets"}
	var got []string
	for _, f := range reflect.VisibleFields(reflect.TypeFor[def]()) {
		if k, ok := Key(f); ok {
			got = append(got, k)
		}
	}
	if want := []string{"id", "target", "Name", "Opts"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("keys %v, want %v", got, want)
	}
}
