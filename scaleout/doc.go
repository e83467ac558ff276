// Package scaleout runs live tracking past one machine, on a partitioned
// log that already exists (NATS JetStream, Kafka) rather than on a cluster
// protocol of goalkit's own.
//
// Events are published to a Log whose partition is a hash of the event ID
// (Partition): every version of one event (corrections that change the
// actor, retractions) lands in one partition. Each record carries an
// idempotency ID derived from the batch it was published in and the
// version, so a log that drops duplicate IDs drops a second publish, and
// each version carries a Known instant (its own, or the publish's stamp):
// workers order the versions of one ID by it, so neither a correction that
// overtakes its original nor a retried publish changes the outcome.
//
// Workers (Run) own partitions, keep one kpi.Tracker per partition over a
// durable kpi.TrackStore, and commit each batch of records to the store
// with the position of its last record before they acknowledge it: a
// restarted worker resumes from its store and skips what it had committed,
// so nothing is lost and nothing is counted twice. A version not newer (by
// Known) than one already applied to the same event ID is dropped: an
// older one, a copy, and also another version given the same Known.
// A host that sets Known must give each version of an ID its own instant:
// with a Known of whole seconds, a correction made within the second of
// the version it corrects is lost (Records refuses two such versions in
// one batch; across batches the later is dropped without a word).
// Versions without Known are applied in log order. After a batch, the worker publishes its
// tracker's part (kpi.Tracker.Partial) to a PartStore.
//
// With SnapshotEvery, a worker whose stores keep snapshots
// (kpi.TrackSnapshotter) snapshots each partition now and then, and prunes
// a store that is a Pruner, so that a restarted worker reads the latest
// snapshot and the batches after it rather than every batch. A worker's
// snapshot holds the versions it applied (the newest Known of each ID)
// before the tracker's own, so that a stale copy the log delivers after a
// restart is still dropped; its position is the tracker's closed record.
//
// A worker owns a static share of the partitions (Assignment), or takes
// the Leases of free ones and of those whose holder stopped keeping them.
//
// A Source reads the merged state like any other source: it is a
// kpi.PartialSource, so a plan of indicators only is evaluated from the
// merged parts (teams from merged members, ratios from merged
// components), and it scans the log's current versions for everything
// else. Follow keeps a replica of the log's current events (a tracker in
// memory behind a server, say) as a worker would keep them. Notify decides notifications on the merged state and records each
// in a Ledger with create-if-absent, so each is emitted once across
// workers and restarts.
//
// Several plans (tenants) share one log cluster under names derived from
// CheckTenant-valid tenant names; adapters keep each tenant's records and
// parts apart. MemoryLog, MemoryParts, MemoryLedger and MemoryLeases are the
// in-process implementations; adapters/nats holds those on NATS JetStream.
package scaleout
