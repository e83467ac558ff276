// Package nats runs goalkit's partitioned live tracking (package scaleout)
// on NATS JetStream.
//
// A Tenant is one plan's share of a JetStream cluster, under names built
// from the tenant's name (a new tenant's in lower case,
// scaleout.CheckNewTenant, so that no two tenants' names differ only in
// case):
//
//	stream GOALKIT_<tenant>_EVENTS   subjects goalkit.<tenant>.events.<partition>
//	stream GOALKIT_<tenant>_STATE    subjects goalkit.<tenant>.state.<partition>
//	bucket goalkit_<tenant>_parts    a key p<partition> per partition, meta.partitions,
//	                                 and snapshot.p<partition> per partition with a snapshot
//	bucket goalkit_<tenant>_ledger   a key per emitted notification
//	bucket goalkit_<tenant>_leases   a key p<partition> per leased partition
//	object store goalkit_<tenant>_snapshots   the partitions' latest snapshots
//
// The events stream is the scaleout.Log: a record is a message on its
// partition's subject, with the record's ID as its Nats-Msg-Id, so the
// server drops a second publish of it within the stream's duplicate
// window; a record's offset is its stream sequence, and a partition is read
// with an ordered consumer (checked for gaps by the client, restarted from
// the last message delivered). The state stream
// holds each partition's kpi.TrackStore: every committed batch is one
// message, published with the sequence the worker last saw on its
// subject as Nats-Expected-Last-Subject-Sequence, so a worker that lost
// its partition to another cannot commit beside it.
//
// A partition's store is a kpi.TrackSnapshotter, so a restarted worker
// reads its tracker's latest snapshot and only the batches committed
// after it. A snapshot is an object of the tenant's object store (stored
// in messages of 512 KiB as the tracker writes it, its SHA-256 checked on
// read), under a new name each time; it becomes the latest when the
// partition's record in the parts bucket (snapshot.p<partition>: the
// object, the batches it covers and the stream sequence of the last) is
// replaced, compare-and-set, and the previous one is removed then. A
// failed write removes its object and leaves the record, so the previous
// snapshot stays the latest; commits do not wait for a snapshot. The
// object store suits snapshots of hundreds of MB: its Put streams the
// chunks and removes them if the write fails; the record, one small
// message replaced on its revision, is what makes a snapshot the latest all
// at once, which the object store's own description of an object (published
// before its chunks are all acknowledged) would not.
//
// Batches are numbered in commit order from 1, the messages of the
// partition's subject. Tenant.Prune, only when called, purges the batches
// the latest snapshot covers from the state stream (all but the subject's
// last message, on whose sequence commits are fenced), after recording in
// the partition's record how many it pruned and the sequence of the last,
// and storing their ledger keys (objects beside the snapshot, a few, each
// at least twice as large as the next, so that the keys written over all
// prunes grow as n·log n rather than every prune writing every key): the
// batches left keep their numbers after a restart, a pruned key is still
// refused, and Load then returns the batches after the pruned ones. A
// tenant created by an earlier release has no object store: its stores
// keep no snapshots until Create is called again, which adds it. A
// partition's store is a scaleout.Pruner whose Prune is Tenant.Prune of
// its partition: a scaleout.Worker with SnapshotEvery snapshots and prunes
// the partitions it holds.
//
// The buckets hold the parts (scaleout.PartStore, compare-and-set on the
// revision), the notification ledger (create-if-absent) and the workers'
// leases (scaleout.Leases, lapsing after the bucket's TTL). They are read
// from their streams' leaders: a bucket's direct gets, which any replica
// answers, may tell a value that a compare-and-set has replaced. Create
// adds what a tenant lacks and changes nothing of what it has.
//
// Tenants cannot read each other's events or results when each has NATS
// credentials that allow only its own names (docs/scale-out.md).
package nats
