// Package scaleouttest checks implementations of scaleout.Log: TestLog
// runs the same checks over any log, the in-memory one, NATS JetStream's
// and Kafka's alike, from the records a log keeps to workers whose merged
// report must equal a batch evaluation after a worker is killed mid-stream
// and every event is published twice. SameAsBatch, EventuallySameAsBatch
// (for workers that run on) and SameReport make the same comparison for a
// log's own tests: a merged or a restarted tracker's report against a
// batch evaluation, by their JSON. Crashing and WaitHeld serve the checks
// of scaleout.Leases: a holder that dies with its leases, and waiting for
// a holder to take them all. ReadOn reads a cursor on across its errors,
// and Shown writes the records read, for a log's tests of what a cursor
// returns around an error.
package scaleouttest
