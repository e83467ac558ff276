package b24cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A state file is one JSON object, as the command writes it. One that is
// empty, null or holds more after the object is damaged and refused,
// naming the file: an empty one failed with a bare "EOF", and null or a
// second object after the first were taken, the first for the watermark
// and null for a full sync, without a word.
func TestReadStateDamaged(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, body, want string }{
		{"empty", "", "want a JSON object"},
		{"blank", " \n", "want a JSON object"},
		{"null", "null\n", "want a JSON object"},
		{"two objects", `{"elapsed_id": 5}` + "\n" + `{"elapsed_id": 7}` + "\n", "data after the JSON object"},
		{"trailing text", `{"elapsed_id": 5} x`, "data after the JSON object"},
		// A damaged id listing is named with the file it was read from;
		// the sync named only the listing.
		{"damaged deal listing", `{"deal_ids": "1-3,x"}`, "watermark deal_ids: "},
		{"damaged lead listing", `{"deal_ids": "1-3", "lead_ids": "5,4"}`, "watermark lead_ids: "},
		{"damaged activity listing", `{"activity_ids": "0"}`, "watermark activity_ids: "},
		// A negative counter, which no run writes, is refused and named:
		// it was taken as none and the scan it counts skipped.
		{"negative deal history", `{"deal_history": -1}`, "watermark deal_history: -1 is negative"},
		{"negative lead history", `{"deal_history": 4, "lead_history": -7}`, "watermark lead_history: -7 is negative"},
		{"negative elapsed id", `{"elapsed_id": -2}`, "watermark elapsed_id: -2 is negative"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".json")
		if err := os.WriteFile(path, []byte(tc.body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := readState(path)
		if err == nil || !strings.Contains(err.Error(), "state file "+path+": ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error naming the file: %s", tc.name, err, tc.want)
		}
	}
	// A state saved by a Windows editor, with a byte order mark or as
	// UTF-16 (PowerShell's Out-File), reads as the same state; it was
	// refused as not a JSON object.
	state := "{\n  \"elapsed_id\": 5,\n  \"deal_ids\": \"1-3,7\"\n}\n"
	utf16le := []byte{0xff, 0xfe}
	for _, r := range state {
		utf16le = append(utf16le, byte(r), 0)
	}
	for name, body := range map[string][]byte{"bom": append([]byte("\xef\xbb\xbf"), state...), "utf16": utf16le} {
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
		if wm, err := readState(path); err != nil || wm.ElapsedID != 5 || wm.DealIDs != "1-3,7" {
			t.Errorf("%s: got %+v, %v", name, wm, err)
		}
	}
	// What writeState writes reads back.
	path := filepath.Join(dir, "ok.json")
	if err := os.WriteFile(path, []byte("{\n  \"elapsed_id\": 5,\n  \"deal_ids\": \"1-3,7\",\n  \"lead_ids\": \"-\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if wm, err := readState(path); err != nil || wm.ElapsedID != 5 || wm.DealIDs != "1-3,7" {
		t.Errorf("got %+v, %v", wm, err)
	}
}
