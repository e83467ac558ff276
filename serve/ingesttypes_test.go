package serve

import (
	"slices"
	"testing"
)

// The document listed only application/x-ndjson for the NDJSON of
// postEvents, where bodyFormat takes four more names of it: a client
// generated from the document could not send them, and a reader of it
// did not know they were taken. The document lists every media type the
// server takes, and the server takes every one the document lists.
func TestOpenAPIIngestionMediaTypes(t *testing.T) {
	doc, _ := apiDoc(t)
	op := doc.Paths.Find("/api/v1/events").Post
	var listed []string
	for mt := range op.RequestBody.Value.Content {
		listed = append(listed, mt)
		if _, _, err := bodyFormat(mt, nil); err != nil {
			t.Errorf("the document lists %s, which the server refuses: %v", mt, err)
		}
	}
	slices.Sort(listed)
	taken := append([]string{"application/json", "text/csv"}, ndjsonTypes...)
	slices.Sort(taken)
	if !slices.Equal(listed, taken) {
		t.Errorf("the document lists %v for postEvents; the server takes %v", listed, taken)
	}
}
