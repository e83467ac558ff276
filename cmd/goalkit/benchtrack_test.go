package main

import (
	"encoding/json"
	"testing"
)

// TestBenchTrackCores checks that -track-cores reaches live tracking, whose
// figures still equal a batch evaluation (bench fails otherwise).
func TestBenchTrackCores(t *testing.T) {
	for _, cores := range []string{"1", "2"} {
		code, out, errs := runCLI(t, "bench", "-n", "20000", "-iters", "1", "-format", "json", "-track-cores", cores)
		if code != 0 {
			t.Fatalf("-track-cores %s: exit %d: %s", cores, code, errs)
		}
		var m map[string]float64
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		if got := m["track_cores"]; got != map[string]float64{"1": 1, "2": 2}[cores] || m["track_versions"] <= 20000 {
			t.Errorf("-track-cores %s: %s", cores, out)
		}
	}
}
