// Package delivertest holds the conformance suite that every
// implementation of deliver.Outbox runs: deliver's SQLite outbox runs it,
// and so can a host that keeps the outbox in its own store:
//
//	func TestOutbox(t *testing.T) {
//		delivertest.TestOutbox(t, func(t *testing.T) deliver.Outbox {
//			o := myoutbox.Open(t.TempDir())
//			t.Cleanup(func() { o.Close() })
//			return o
//		})
//	}
//
// The suite checks the contract the dispatcher relies on: a message is
// stored once by its ID and routed keys once, atomically with it; Due
// returns what is due, earliest first, pending ones and ones whose attempt
// never reported; the states move only pending → sending → sent, pending or
// dead, and dead → pending by Requeue; an outbox that reads by channel
// (deliver.ChannelDue) leaves out, and counts, the skipped channels' due
// messages; every field of a message comes back
// as it was stored, and instants as they were given, the Unix epoch and
// before it included (a sent-at of the epoch is no zero time). Durability across a crash is the implementation's to
// prove (deliver's SIGKILL test does it for SQLite).
package delivertest
