package rest

import (
	"encoding/json"
	"testing"
)

// A bad row is named with its id whether the method writes the member ID
// (the CRM's lists) or id (tasks.task.list, whose members are camelCase):
// a task's bad status said "row 55: status: …" without the task's id.
func TestBadRowNamedByItsID(t *testing.T) {
	rows := []json.RawMessage{
		json.RawMessage(`{"id": "7", "title": "call", "status": "2"}`),
		json.RawMessage(`{"id": "1042", "title": "call", "status": "two"}`),
	}
	_, err := DecodeRows[Task](rows, 54)
	if err == nil {
		t.Fatal("a task of status \"two\" decoded")
	}
	const want = `row 55 (ID 1042): status: want an integer, got "two"`
	if got := err.Error(); got != want {
		t.Fatalf("error %q, want %q", got, want)
	}
}
