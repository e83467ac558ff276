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

// TestBenchTrackRetainedPositive: the heap a tracker retains per event is
// never negative. The heap before the tracker was read after one
// collection, which left the evaluation's pooled arrays (sync.Pool's
// victims) counted, and the heap after it, two collections later, without
// them: a small workload printed -500 bytes retained per event.
func TestBenchTrackRetainedPositive(t *testing.T) {
	for _, n := range []string{"1000", "10000"} {
		code, out, errs := runCLI(t, "bench", "-n", n, "-iters", "3", "-format", "json")
		if code != 0 {
			t.Fatalf("-n %s: exit %d: %s", n, code, errs)
		}
		var m map[string]float64
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		if got := m["track_bytes_per_event"]; got <= 0 {
			t.Errorf("-n %s: the tracker retains %v bytes per event, want more than 0", n, got)
		}
	}
}
