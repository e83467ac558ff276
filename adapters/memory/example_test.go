package memory_test

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// The store keeps the live version of every event: a correction replaces,
// a retraction removes, and a duplicate changes nothing.
func ExampleStore_Apply() {
	s := memory.New(time.UTC)
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	err := s.Apply(
		kpi.Event{ID: "c1", Kind: "call", Actor: "anna", Time: at},
		kpi.Event{ID: "c1", Kind: "call", Actor: "anna", Time: at}, // duplicate
		kpi.Event{ID: "c2", Kind: "call", Actor: "anna", Time: at},
		kpi.Event{ID: "c2", Kind: "meeting", Actor: "boris", Time: at}, // correction
		kpi.Event{ID: "c3", Kind: "call", Actor: "anna", Time: at},
		kpi.Event{ID: "c3", Deleted: true}, // retraction
	)
	if err != nil {
		panic(err)
	}
	e, _ := s.Get("c2")
	fmt.Println(s.Len(), e.Kind, e.Actor)
	// Output: 2 meeting boris
}
