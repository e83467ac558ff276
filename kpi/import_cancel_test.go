package kpi_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// Once ctx is cancelled, Table.Import's add refuses versions with ctx's
// error; a host's function that skips each refused version and returns
// nil gets ctx's error back, and the table keeps nothing of the import,
// into an empty table as into one that holds events. (The import once
// returned nil and kept every version but the one refused: add looked at
// ctx only every 4096 versions, and only that one was refused.)
func TestImportPastACancelKeepsNothing(t *testing.T) {
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const versions = 10000 // past the versions add takes between looks at ctx
	for _, held := range []int{0, 3} {
		for _, cancelAt := range []int{0, 1, 4095, 4096, 8000} {
			t.Run(fmt.Sprintf("held %d, cancel at %d", held, cancelAt), func(t *testing.T) {
				tab := kpi.NewTable(time.UTC)
				for i := range held {
					if err := tab.Apply(&kpi.Event{ID: fmt.Sprint("held", i), Kind: "deal", Time: at, Actor: "u"}); err != nil {
						t.Fatal(err)
					}
				}
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				refused, ownErr := 0, 0
				err := tab.Import(ctx, func(add func(*kpi.Event) error) error {
					for i := range versions {
						if i == cancelAt {
							cancel()
						}
						if err := add(&kpi.Event{ID: fmt.Sprint("e", i), Kind: "deal", Time: at, Actor: "u"}); err != nil {
							if !errors.Is(err, context.Canceled) {
								ownErr++
							}
							refused++ // skipped: the host goes on
						}
					}
					return nil
				})
				if !errors.Is(err, context.Canceled) {
					t.Errorf("Import past a cancel: %v, want %v", err, context.Canceled)
				}
				if refused == 0 || ownErr != 0 {
					t.Errorf("add refused %d versions, %d not for the cancel; want some, all for it", refused, ownErr)
				}
				if n := tab.Len(); n != held {
					t.Errorf("the table holds %d events after the cancelled import, want the %d before it", n, held)
				}
				if _, ok := tab.Get(fmt.Sprint("e", versions-1)); ok {
					t.Errorf("the table holds the import's last version")
				}
			})
		}
	}
}
