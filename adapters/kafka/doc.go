// Package kafka runs goalkit's partitioned log (scaleout.Log) on Apache
// Kafka, with the franz-go client.
//
// A Tenant is one plan's topic, goalkit-<tenant>-events (the tenant's name
// checked by scaleout.CheckTenant: letters, digits, '-' and '_', so that no
// two tenants share a topic; a new tenant's in lower case,
// scaleout.CheckNewTenant, so that no two differ only in case), with one Kafka partition per scaleout
// partition. A record is a Kafka record in the partition scaleout.Records
// chose (set explicitly: the producer's partitioner is not used), keyed by
// its event's ID, with the record's ID in the goalkit-id header. Never
// add partitions to a tenant's topic: Kafka allows it, and an event's
// later versions would then go to another partition than its earlier ones
// (see Config.Partitions).
//
// Offsets: a scaleout offset is the Kafka offset plus 1. Kafka numbers a
// partition's records from 0 and scaleout from 1 (0 meaning "none"), so the
// first record of a partition is Kafka offset 0, scaleout offset 1; End is
// the partition's last stable offset (its high watermark, the Kafka
// offset of its next record, which is the scaleout offset of its last
// one, where no transaction is open); Open(p, from) starts at Kafka
// offset from-1. The topic is created with deletion by age and size
// turned off, without compaction and without unclean leader elections
// (unclean.leader.election.enable=false: a replica out of sync made
// leader drops the acknowledged records it lacks), and, where it has 3
// replicas or more, a min.insync.replicas of 2 at least (with 1, the
// brokers acknowledge to the producer, acks=all, a record one of them
// holds alone), and the producer
// writes no transactions, so a partition's offsets have no gaps but those
// of another producer's transactions: their markers and the records of
// the transactions it aborted, which a cursor reads past without
// returning them (scaleout.SkippingCursor); one that finds records
// missing (a topic compacted after Open checked it) fails there, naming
// the partition and the offsets gone. A cursor reads committed records
// only: an open transaction holds back the records from its first on
// until it commits or aborts, and End is the last stable offset. Create
// refuses a topic that exists with settings that delete records (a
// cleanup.policy with compact, a retention.ms or retention.bytes of 0 or
// more: -1 turns it off, unclean.leader.election.enable other than false,
// any of them not said by the brokers, a min.insync.replicas under 2 of a
// topic of 3 replicas or more), naming each and what to set, and
// changes nothing on it; Open refuses such a topic alike (one changed
// since it was created), except that a principal the brokers do not let
// read the settings opens the tenant unchecked (Tenant.Unchecked says
// why, and the logger of the options, kgo.WithLogger, at warn level).
//
// Duplicates: the producer is idempotent (Kafka numbers each producer's
// batches per partition), so the broker drops what the client's own
// retries send twice. Kafka has no deduplication by record ID beyond that:
// a second Append of the same records (a publish run twice, an Append
// retried after it returned an error) stores them again. Workers drop such
// copies by their versions (scaleout, "Order of versions"), so the merged
// report is unchanged; the log is longer.
//
// A partition is read by a client of its own assigned to that one
// partition (no consumer group, no committed offsets): as on NATS, the
// position of record is the offset a worker commits to its store with
// each batch, and Cursor.Ack does nothing.
//
// The workers' stores, parts and notification ledger are not kept in
// Kafka: give a worker any kpi.TrackStore and scaleout.PartStore (those of
// adapters/nats, a database's, or the in-memory ones in one process).
package kafka
