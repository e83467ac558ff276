package memory_test

import (
	"context"
	"testing"
	"time"
	"unsafe"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// importColumns imports versions with ImportColumnParts, cut into parts
// at cuts (see addByColumn).
func importColumns(s *memory.Store, versions []kpi.Event, names []string, cuts []int, fail error) error {
	return s.ImportColumnParts(context.Background(), func(part func(int, []string) func(*kpi.Event, []any) error) error {
		if err := addByColumn(versions, names, cuts, part); err != nil {
			return err
		}
		return fail
	})
}

// addByColumn adds versions in runs cut at cuts, each started with start,
// their attributes by position under names, through one reused slice of
// values, an Event whose Attrs must not be read and one reused buffer of
// ID bytes, scribbled over after each add, as a file reader hands them
// over.
func addByColumn(versions []kpi.Event, names []string, cuts []int, start func(int, []string) func(*kpi.Event, []any) error) error {
	values := make([]any, len(names))
	junk := map[string]any{"junk": "not an attribute"}
	var id []byte
	for p := range len(cuts) - 1 {
		add := start(cuts[p+1]-cuts[p], names)
		for _, v := range versions[cuts[p]:cuts[p+1]] {
			for k, name := range names {
				values[k] = v.Attrs[name]
			}
			e := v
			e.Attrs = junk
			id = append(id[:0], v.ID...)
			e.ID = unsafe.String(unsafe.SliceData(id), len(id))
			if err := add(&e, values); err != nil {
				return err
			}
			for i := range id {
				id[i] = '#'
			}
		}
	}
	return nil
}

// columnNames are the attribute names of the versions genVersions draws.
var columnNames = []string{"pipeline", "source"}

// ImportColumnParts applies the versions Apply does, however they are cut
// into parts, into an empty store and into one that holds events; when fn
// fails it applies nothing.
func TestImportColumnPartsIsApply(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		importIsApply(t, func(s *memory.Store, versions []kpi.Event, fail error) error {
			return importColumns(s, versions, columnNames, drawCuts(t, len(versions), 5), fail)
		})
	})
}

// A version ImportColumnParts refuses gets the error ImportParts gives for
// the same version with its attributes in Attrs, and nothing is applied.
func TestImportColumnPartsRefuses(t *testing.T) {
	tests := []struct {
		name   string
		attrs  map[string]any
		names  []string
		values int // the number of values handed over (default len(names))
		want   string
	}{
		{"bad value", map[string]any{"weight": 1.5}, []string{"source", "weight"}, 0,
			`event "x": attribute "weight": unsupported value of type float64 (want string, int64, decimal.Decimal, bool or time.Time)`},
		{"bad name", map[string]any{"a\tb": "web"}, []string{"a\tb"}, 0, ""},
		{"empty name", map[string]any{"": "web"}, []string{""}, 0, `event "x" has an attribute without a name`},
		{"named twice", nil, []string{"source", "source"}, 0, `attribute "source" named twice`},
		{"values", nil, []string{"source"}, 2, `event "a": 2 attribute values for 1 names`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := ev("x", "call", "ann", t0)
			bad.Attrs = tt.attrs
			versions := []kpi.Event{ev("a", "call", "ann", t0), bad}
			want := tt.want
			if want == "" {
				// The error of ImportParts for the same versions.
				perr := memory.New(time.UTC).ImportParts(context.Background(), func(part func(int) func(*kpi.Event) error) error {
					return addReusing(part(0), versions)
				})
				if perr == nil {
					t.Fatal("ImportParts took the versions")
				}
				want = perr.Error()
			}
			s := memory.New(time.UTC)
			if err := s.Apply(ev("old", "call", "ann", t0)); err != nil {
				t.Fatal(err)
			}
			err := s.ImportColumnParts(context.Background(), func(part func(int, []string) func(*kpi.Event, []any) error) error {
				add := part(0, tt.names)
				for _, v := range versions {
					values := make([]any, len(tt.names))
					for k, name := range tt.names {
						values[k] = v.Attrs[name]
					}
					if tt.values > 0 {
						values = make([]any, tt.values)
					}
					if err := add(&v, values); err != nil {
						return err
					}
				}
				return nil
			})
			if err == nil || err.Error() != want {
				t.Errorf("error %v, want %s", err, want)
			}
			if _, ok := s.Get("a"); ok || s.Len() != 1 {
				t.Errorf("a refused import left %d events: %v", s.Len(), live(t, s))
			}
		})
	}
}

// ImportColumns applies the versions Apply does, into an empty store (in
// place) and into one that holds events (in parts), with the names given
// again at any version; when fn fails it applies nothing, and the store
// takes later imports.
func TestImportColumnsIsApply(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		importIsApply(t, func(s *memory.Store, versions []kpi.Event, fail error) error {
			cuts := drawCuts(t, len(versions), 3)
			return s.ImportColumns(context.Background(), func(columns func(int, []string) func(*kpi.Event, []any) error) error {
				if err := addByColumn(versions, columnNames, cuts, columns); err != nil {
					return err
				}
				return fail
			})
		})
	})
}

// A refused version leaves an empty store empty, and usable.
func TestImportColumnsRefuses(t *testing.T) {
	s := memory.New(time.UTC)
	bad := ev("x", "call", "ann", t0)
	err := s.ImportColumns(context.Background(), func(columns func(int, []string) func(*kpi.Event, []any) error) error {
		add := columns(2, []string{"weight"})
		a := ev("a", "call", "ann", t0)
		if err := add(&a, []any{int64(1)}); err != nil {
			return err
		}
		return add(&bad, []any{1.5})
	})
	want := `event "x": attribute "weight": unsupported value of type float64 (want string, int64, decimal.Decimal, bool or time.Time)`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	if s.Len() != 0 {
		t.Errorf("%d events after a refused import", s.Len())
	}
	if err := s.Apply(ev("a", "call", "bob", t0)); err != nil || s.Len() != 1 {
		t.Errorf("apply after a refusal: %v, %d events", err, s.Len())
	}
	if got, _ := s.Get("a"); got.Actor != "bob" {
		t.Errorf("a = %+v", got)
	}
}
