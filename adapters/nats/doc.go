// Package nats runs goalkit's partitioned live tracking (package scaleout)
// on NATS JetStream.
//
// A Tenant is one plan's share of a JetStream cluster, under names built
// from the tenant's name:
//
//	stream GOALKIT_<tenant>_EVENTS   subjects goalkit.<tenant>.events.<partition>
//	stream GOALKIT_<tenant>_STATE    subjects goalkit.<tenant>.state.<partition>
//	bucket goalkit_<tenant>_parts    a key p<partition> per partition, and meta.partitions
//	bucket goalkit_<tenant>_ledger   a key per emitted notification
//	bucket goalkit_<tenant>_leases   a key p<partition> per leased partition
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
// its partition to another cannot commit beside it. The buckets hold the
// parts (scaleout.PartStore, compare-and-set on the revision), the
// notification ledger (create-if-absent) and the workers' leases
// (scaleout.Leases, lapsing after the bucket's TTL).
//
// Tenants cannot read each other's events or results when each has NATS
// credentials that allow only its own names (docs/scale-out.md).
package nats
