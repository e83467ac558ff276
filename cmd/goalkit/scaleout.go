package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/adapters/eventfile"
	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// natsUsage describes the URL of -nats and of -source nats://.
const natsUsage = "the NATS servers and tenant: nats://HOST:PORT[,nats://HOST:PORT…][/TENANT] (tenant default: default); credentials as nats://USER:PASSWORD@… or a creds file in $NATS_CREDS"

// defaultTenant is the tenant of a URL without a path.
const defaultTenant = "default"

// defaultPartitions is the number of partitions of a tenant publish
// creates without -stream-partitions.
const defaultPartitions = 3

// isNATS reports whether a -source names a NATS tenant.
func isNATS(spec string) bool { return strings.HasPrefix(spec, "nats://") }

// connectNATS connects to the servers of spec and returns the tenant its
// path names (its streams must exist unless create is given). Errors never
// repeat spec, which may hold a password.
func connectNATS(ctx context.Context, spec string, create *gknats.Config) (*gknats.Tenant, func(), error) {
	servers, tenant, err := splitNATS(spec)
	if err != nil {
		return nil, nil, err
	}
	opts := []natsgo.Option{natsgo.Name("goalkit"), natsgo.MaxReconnects(-1)}
	if creds := os.Getenv("NATS_CREDS"); creds != "" {
		opts = append(opts, natsgo.UserCredentials(creds))
	}
	nc, err := natsgo.Connect(servers, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to NATS: %w", redact(err, spec))
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	t, err := gknats.Open(ctx, js, tenant)
	if create != nil {
		// Create makes a new tenant's streams and buckets, adds what an
		// existing one lacks (the snapshots bucket of a tenant made before
		// snapshots existed) and refuses another count of partitions.
		cfg := *create
		cfg.Tenant = tenant
		if cfg.Partitions == 0 {
			cfg.Partitions = defaultPartitions
			if err == nil {
				cfg.Partitions = t.Partitions()
			}
		}
		t, err = gknats.Create(ctx, js, cfg)
	}
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return t, func() { _ = nc.Drain() }, nil
}

// splitNATS splits spec into the server list nats.Connect takes and the
// tenant named by the path of its last URL.
func splitNATS(spec string) (servers, tenant string, err error) {
	tenant = defaultTenant
	parts := strings.Split(spec, ",")
	for i, p := range parts {
		u, err := url.Parse(p)
		if err != nil || u.Scheme != "nats" || u.Host == "" {
			return "", "", usagef("NATS URL %d of %d: want nats://HOST:PORT", i+1, len(parts))
		}
		if path := strings.Trim(u.Path, "/"); path != "" {
			if i != len(parts)-1 {
				return "", "", usagef("NATS URL %d of %d: only the last URL names the tenant", i+1, len(parts))
			}
			tenant = path
			u.Path = ""
			parts[i] = u.String()
		}
	}
	if err := scaleout.CheckTenant(tenant); err != nil {
		return "", "", usagef("%v", err)
	}
	return strings.Join(parts, ","), tenant, nil
}

// redact removes the passwords of spec's URLs from an error, in every form
// the error may repeat one: decoded, as written in spec (percent-encoded,
// "p%40ss"), and escaped again as a parsed URL writes it. A user without a
// password is a token to NATS, and is removed too.
func redact(err error, spec string) error {
	msg := err.Error()
	for _, p := range strings.Split(spec, ",") {
		for _, s := range natsSecrets(p) {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	return errors.New(msg)
}

// natsSecrets returns the forms of the password (or, without one, the token)
// of the URL p, longest first so that a form inside another is not masked
// first and leaves the rest of the longer one.
func natsSecrets(p string) []string {
	raw := strings.TrimPrefix(p, "nats://")
	if end := strings.IndexAny(raw, "/?#"); end >= 0 {
		raw = raw[:end] // the authority
	}
	at := strings.LastIndex(raw, "@")
	if at < 0 {
		return nil
	}
	raw = raw[:at] // the userinfo as written
	if _, pw, ok := strings.Cut(raw, ":"); ok {
		raw = pw
	}
	forms := []string{raw}
	if dec, err := url.PathUnescape(raw); err == nil {
		forms = append(forms, dec, url.PathEscape(dec), url.QueryEscape(dec))
		if u := url.UserPassword("", dec).String(); len(u) > 1 {
			forms = append(forms, u[1:])
		}
	}
	if u, err := url.Parse(p); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			forms = append(forms, pw)
		} else {
			forms = append(forms, u.User.Username(), u.User.String())
		}
	}
	forms = slices.DeleteFunc(forms, func(s string) bool { return s == "" })
	slices.SortFunc(forms, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(forms)
}

func runPublish(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("publish", stderr)
	spec := fs.String("nats", "", natsUsage)
	planPath := fs.String("plan", "", "plan file (YAML or JSON) whose attributes section types the file's attributes")
	eventsPath := fs.String("events", "", "event file (NDJSON or CSV): versions in order")
	parts := fs.Int("stream-partitions", 0, "partitions of the tenant's stream, when this publish creates it (0: an existing tenant's, else 3); an existing tenant must have as many")
	replicas := fs.Int("replicas", 1, "servers that keep each of the tenant's streams and buckets, when this publish creates them")
	leaseTTL := fs.Duration("lease-ttl", 10*time.Second, "how long a worker's lease of a partition lasts unless kept, when this publish creates the tenant")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *spec == "" || *planPath == "" || *eventsPath == "" {
		return usagef("-nats, -plan and -events are required")
	}
	// Refused before anything is read or connected: the tenant's Config
	// takes 0 for its defaults and a negative count fails, after the
	// connection, without naming the flag.
	switch {
	case *parts < 0:
		return usagef("-stream-partitions must be at least 1 (0: the tenant's, else 3), got %d", *parts)
	case *replicas < 1:
		return usagef("-replicas must be at least 1, got %d", *replicas)
	case *leaseTTL <= 0:
		return usagef("-lease-ttl must be positive, got %s", *leaseTTL)
	}
	def, _, err := compilePlan(*planPath)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(*eventsPath)
	if err != nil {
		return err
	}
	var events []kpi.Event
	if err := eventfile.Load(ctx, collectInto(&events), bytes.NewReader(data), *eventsPath, eventfile.Options{Attributes: def.Attributes}); err != nil {
		return err
	}
	t, closeNC, err := connectNATS(ctx, *spec, &gknats.Config{Partitions: *parts, Replicas: *replicas, LeaseTTL: *leaseTTL})
	if err != nil {
		return err
	}
	defer closeNC()
	// The batch is named by the file's content: publishing the same file
	// again is dropped by the server (within its duplicate window).
	sum := sha256.Sum256(data)
	recs, err := scaleout.Records("file:"+hex.EncodeToString(sum[:]), time.Now(), events, t.Partitions())
	if err != nil {
		return err
	}
	// A failure (a server went away) is retried for a while with the
	// records the server did not acknowledge: it drops those it has.
	added, dups := 0, 0
	for deadline, rest := time.Now().Add(time.Minute), recs; ; {
		a, d, err := t.AppendCount(ctx, rest)
		added, dups, rest = added+a, dups+d, rest[a+d:]
		if err == nil {
			break
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			return err
		}
		fmt.Fprintf(stderr, "goalkit publish: %v; retrying\n", err)
		time.Sleep(time.Second)
	}
	fmt.Fprintf(stdout, "published %d event versions from %s to tenant %s (%d partitions): %d new, %d already in the stream (dropped as duplicates within its duplicate window)\n",
		len(events), *eventsPath, t.Name(), t.Partitions(), added, dups)
	return nil
}

// workerRun runs a worker (a test sees the worker the flags made).
var workerRun = (*scaleout.Worker).Run

func runWorker(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("worker", stderr)
	spec := fs.String("nats", "", natsUsage)
	planPath := fs.String("plan", "", "plan file (YAML or JSON)")
	assign := fs.String("partitions", "0/1", "this worker's share i/n: the partitions p with p mod n = i")
	drainFlag := fs.Bool("drain", false, "stop once the partitions are consumed up to their end at start")
	dirPath := fs.String("directory", "", "the organisation as JSON (when the plan's goals name teams)")
	batch := fs.Int("batch", 500, "most events committed in one batch")
	holder := fs.String("leases", "", "take the leases of free partitions (of -partitions) as this worker name, keep them, and take those of workers that stopped; not with -drain")
	maxParts := fs.Int("max-partitions", 0, "with -leases, the most partitions this worker holds (0: no limit)")
	snapshotEvery := fs.Duration("snapshot-every", 10*time.Minute, "how often each partition's state is written as a snapshot (and once at the end of -drain), after which the batches it covers are pruned from the state stream, so that a restart reads it and the batches after it; 0: never")
	storeWait := fs.Duration("store-wait", time.Minute, "with -leases, how long after this worker took a partition's lease its store may refuse a start of it: a start made later that the store refuses (in use, or fenced at its commit) fails the worker, naming the partition (a writer outside the leases holds or writes the store); give more than a worker that lost its lease takes to stop")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	storeWaitGiven := false
	fs.Visit(func(f *flag.Flag) { storeWaitGiven = storeWaitGiven || f.Name == "store-wait" })
	if *holder != "" && *drainFlag {
		return usagef("-leases and -drain exclude each other")
	}
	if *spec == "" || *planPath == "" {
		return usagef("-nats and -plan are required")
	}
	if err := snapshotEveryProblem(*snapshotEvery); err != nil {
		return err
	}
	// The worker takes a batch of 0 or less for 500, and a negative
	// -max-partitions for no limit: a number given must be one.
	if *batch < 1 {
		return usagef("-batch must be at least 1, got %d", *batch)
	}
	if *maxParts < 0 {
		return usagef("-max-partitions must be at least 0 (0: no limit), got %d", *maxParts)
	}
	if *maxParts > 0 && *holder == "" {
		return usagef("-max-partitions goes with -leases: without it the worker holds the partitions of -partitions")
	}
	// The worker takes a StoreWait of 0 or less for a minute.
	if *storeWait <= 0 {
		return usagef("-store-wait must be more than 0, got %s", *storeWait)
	}
	if storeWaitGiven && *holder == "" {
		return usagef("-store-wait goes with -leases: a worker on a static share of -partitions waits for no store")
	}
	a, err := scaleout.ParseAssignment(*assign)
	if err != nil {
		return usagef("-partitions: %v", err)
	}
	_, plan, err := compilePlan(*planPath)
	if err != nil {
		return err
	}
	opts, err := withDirectory(*dirPath)
	if err != nil {
		return err
	}
	t, closeNC, err := connectNATS(ctx, *spec, nil)
	if err != nil {
		return err
	}
	defer closeNC()
	owned := a.Owned(t.Partitions())
	if *holder == "" && len(owned) == 0 {
		// More workers than partitions: this one would stop at once,
		// having done nothing, as if it had consumed its share.
		return fmt.Errorf("worker %s owns no partition: tenant %s has %d, so at most %d workers share it (-partitions i/%d)",
			*assign, t.Name(), t.Partitions(), t.Partitions(), t.Partitions())
	}
	w := &scaleout.Worker{Plan: plan, Options: opts, Log: t, Store: t.Store, Parts: t.Parts(), Partitions: owned,
		Batch: *batch, PartEvery: time.Second, Drain: *drainFlag, SnapshotEvery: *snapshotEvery}
	if *holder != "" {
		w.Leases, w.Holder, w.MaxPartitions, w.StoreWait = t.Leases(), *holder, *maxParts, *storeWait
		// The name the leases hold (the one given, this process's token
		// and the worker's), for an operator to match with the lease store.
		fmt.Fprintf(stderr, "worker %s of tenant %s: leases of partitions %v, held as %s\n", *holder, t.Name(), owned, w.LeaseHolder())
	} else {
		fmt.Fprintf(stderr, "worker %s of tenant %s: partitions %v\n", *assign, t.Name(), owned)
	}
	start := time.Now()
	if err := workerRun(w, ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "worker %s of tenant %s: partitions %v done in %s\n", *assign, t.Name(), owned, time.Since(start).Round(time.Millisecond))
	return nil
}

// openNATSSource is the merged state of a tenant's workers as a source.
func openNATSSource(ctx context.Context, spec string) (kpi.Source, func() error, error) {
	t, closeNC, err := connectNATS(ctx, spec, nil)
	if err != nil {
		return nil, nil, err
	}
	return t.Source(), func() error { closeNC(); return nil }, nil
}
