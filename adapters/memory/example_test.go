package memory_test

import (
	"context"
	"errors"
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

// Import applies a stream of versions, such as the lines of a file, all or
// nothing: if the producer fails, the store keeps none of them.
func ExampleStore_Import() {
	s := memory.New(time.UTC)
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	versions := []kpi.Event{
		{ID: "c1", Kind: "call", Actor: "anna", Time: at},
		{ID: "c2", Kind: "call", Actor: "boris", Time: at},
		{ID: "c1", Deleted: true},
		{ID: "c3", Kind: "meeting", Actor: "anna", Time: at},
	}
	produce := func(fail error) func(add func(*kpi.Event) error) error {
		return func(add func(*kpi.Event) error) error {
			for i := range versions {
				if err := add(&versions[i]); err != nil {
					return err
				}
			}
			return fail
		}
	}
	err := s.Import(context.Background(), produce(errors.New("the source broke off")))
	fmt.Println(err, s.Len())
	err = s.Import(context.Background(), produce(nil))
	fmt.Println(err, s.Len())
	// Output:
	// the source broke off 0
	// <nil> 2
}
