package kafka

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/scaleout"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Config says how Create lays a tenant out.
type Config struct {
	// Tenant names the plan's topic (scaleout.CheckTenant).
	Tenant string
	// Partitions is the number of partitions (1 to 2147483647). It is fixed
	// when the topic is created: never add partitions to a tenant's topic
	// (Kafka lets an operator do it), since scaleout.Partition would then
	// put an event's later versions in another partition than its earlier
	// ones, and the merged report would count both. Open takes the count
	// the topic has, with nothing to check it against.
	Partitions int
	// Replicas is the topic's replication factor (0: the brokers'
	// default; at most 32767). A topic of 3 or more is made with a
	// min.insync.replicas of 2 at least, so that a record the brokers
	// acknowledged outlives the loss of one of them; Open refuses one
	// changed to less.
	Replicas int
}

// Tenant is one plan's topic. It implements scaleout.Log. Close it when
// done.
type Tenant struct {
	opts  []kgo.Opt
	cl    *kgo.Client
	name  string
	topic string
	parts int
	// replicas is the smallest replication factor of the topic's
	// partitions, as the brokers' metadata said it when the tenant was
	// opened (0: not said).
	replicas int
	// unchecked is the error of reading the topic's settings that Open
	// took as not fatal (Unchecked), or nil.
	unchecked error
}

// Topic returns the name of a tenant's topic.
func Topic(tenant string) string { return "goalkit-" + tenant + "-events" }

// topicConfigs keep every record: no deletion by age or size, no
// compaction (which would leave gaps in the offsets), and no election of
// a leader out of sync (which drops the records the brokers acknowledged
// that it lacks).
var topicConfigs = map[string]string{"cleanup.policy": "delete", "retention.ms": "-1", "retention.bytes": "-1",
	uncleanElection: "false"}

// uncleanElection is the setting that lets a replica out of sync become a
// partition's leader when no other is left: a failover then drops the
// acknowledged records it lacks.
const uncleanElection = "unclean.leader.election.enable"

// minInsync is the setting of how many in-sync replicas must hold a
// record before the brokers acknowledge it to a producer that asks every
// in-sync replica (acks=all, the tenant's): with 1, a record one broker
// holds alone is acknowledged, and lost with that broker.
const minInsync = "min.insync.replicas"

// insyncNeeded is the least min.insync.replicas a topic of rf replicas
// must have (0: any). Where it has 3 or more, 2, so that every record the
// brokers acknowledged outlives the loss of any one of them; a topic of 1
// replica (a development broker) takes any, and so does one of 2, where 2
// would stop every write while either broker is down.
func insyncNeeded(rf int) int {
	if rf >= 3 {
		return 2
	}
	return 0
}

// keepsAll reports whether a topic whose setting name has value v keeps
// every record as far as that setting goes (value nil: the brokers did
// not say). A cleanup.policy without compact deletes only by age and
// size; a negative retention (Kafka's -1) deletes by neither; unclean
// leader elections must be off (Kafka reads a boolean in any case).
func keepsAll(name string, v *string) bool {
	if v == nil {
		return false
	}
	switch name {
	case "cleanup.policy":
		return !slices.Contains(strings.Split(strings.ReplaceAll(*v, " ", ""), ","), "compact")
	case uncleanElection:
		return strings.EqualFold(strings.TrimSpace(*v), "false")
	}
	n, err := strconv.ParseInt(*v, 10, 64)
	return err == nil && n < 0
}

// checkConfigs reads the configuration of the tenant's existing topic and
// returns an error, naming each setting that would delete records, unless
// the topic keeps every record (topicConfigs) and, with 3 replicas or
// more, acknowledges only records 2 of them hold (insyncNeeded). It
// changes nothing. Create checks an existing topic with it, and Open
// every topic.
func (t *Tenant) checkConfigs(ctx context.Context) error {
	names := slices.Sorted(slices.Values(append(slices.Collect(maps.Keys(topicConfigs)), minInsync)))
	req := kmsg.NewPtrDescribeConfigsRequest()
	rr := kmsg.NewDescribeConfigsRequestResource()
	rr.ResourceType, rr.ResourceName, rr.ConfigNames = kmsg.ConfigResourceTypeTopic, t.topic, names
	req.Resources = append(req.Resources, rr)
	// A topic another Create has just made may be unknown to the broker
	// asked for a moment.
	var resp *kmsg.DescribeConfigsResponse
	err := untilKnown(ctx, 10*time.Second, func() (err error) {
		resp, err = req.RequestWith(ctx, t.cl)
		if err == nil {
			err = topicErr(resp.Resources, func(x kmsg.DescribeConfigsResponseResource) int16 { return x.ErrorCode })
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("tenant %s: topic %s: reading its configuration: %w", t.name, t.topic, err)
	}
	got := map[string]*string{}
	for _, c := range resp.Resources[0].Configs {
		got[c.Name] = c.Value
	}
	var bad, set []string
	for _, name := range names {
		v := got[name]
		value := "not said by the brokers"
		if v != nil {
			value = strconv.Quote(*v)
		}
		if name == minInsync {
			need := insyncNeeded(t.replicas)
			if n, err := strconv.Atoi(strings.TrimSpace(deref(v))); need == 0 || err == nil && n >= need {
				continue
			}
			bad = append(bad, fmt.Sprintf("%s is %s, not %d or more (with %d replicas of each partition, the brokers acknowledge a record one of them holds alone, and lose it with that broker)", name, value, need, t.replicas))
			set = append(set, fmt.Sprintf("%s=%d", name, need))
			continue
		}
		if keepsAll(name, v) {
			continue
		}
		why := ""
		if name == uncleanElection {
			why = " (a failover to a replica out of sync drops the records the brokers acknowledged that it lacks)"
		}
		bad = append(bad, fmt.Sprintf("%s is %s, not %s%s", name, value, topicConfigs[name], why))
		set = append(set, name+"="+topicConfigs[name])
	}
	if bad == nil {
		return nil
	}
	return fmt.Errorf("tenant %s: topic %s may lose records the workers need (each reads on from the offset its store committed): %s; set %s on the topic (kafka-configs --alter --entity-type topics --entity-name %s --add-config %s)",
		t.name, t.topic, strings.Join(bad, ", "), strings.Join(set, " and "), t.topic, strings.Join(set, ","))
}

// deref is the text v points to, or "" where it is nil.
func deref(v *string) string {
	if v == nil {
		return ""
	}
	return *v
}

// Create creates a tenant's topic unless it exists; the number of
// partitions of an existing tenant cannot change. The topic it creates
// keeps every record (cleanup.policy=delete, retention.ms=-1,
// retention.bytes=-1, unclean.leader.election.enable=false) and, where
// it has 3 replicas or more (Replicas, or the brokers' default), has a
// min.insync.replicas of 2 at least (the brokers' default where it is
// more); an existing topic that may delete some (compacted, with a
// retention by age or size, letting a replica out of sync become leader,
// or of 3 replicas or more acknowledging a record one broker holds) is
// refused, naming each such setting and what to set, and left as it is. A new tenant's name is
// in lower case (scaleout.CheckNewTenant), so that no two tenants' topics
// differ only in case; a tenant whose topic exists is taken as it is
// spelled. opts say how to reach
// the brokers (kgo.SeedBrokers, TLS, SASL); every client the tenant makes
// is made with them.
func Create(ctx context.Context, cfg Config, opts ...kgo.Opt) (*Tenant, error) {
	if err := scaleout.CheckTenant(cfg.Tenant); err != nil {
		return nil, err
	}
	if cfg.Partitions < 1 {
		return nil, fmt.Errorf("tenant %s: partitions must be at least 1", cfg.Tenant)
	}
	// Kafka's numbers of partitions and replicas are 32 and 16 bits.
	if cfg.Partitions > math.MaxInt32 {
		return nil, fmt.Errorf("tenant %s: partitions must be at most %d, not %d", cfg.Tenant, math.MaxInt32, cfg.Partitions)
	}
	if cfg.Replicas < 0 || cfg.Replicas > math.MaxInt16 {
		return nil, fmt.Errorf("tenant %s: replicas must be 0 (the brokers' default) to %d, not %d", cfg.Tenant, math.MaxInt16, cfg.Replicas)
	}
	t, err := newTenant(cfg.Tenant, opts)
	if err != nil {
		return nil, err
	}
	// A tenant of an earlier release may have capitals in its name; a new
	// one may not (scaleout.CheckNewTenant).
	if err := scaleout.CheckNewTenant(cfg.Tenant); err != nil {
		if lerr := t.load(ctx, 0); lerr != nil {
			t.Close()
			if errors.Is(lerr, kerr.UnknownTopicOrPartition) {
				return nil, err
			}
			return nil, lerr
		}
	}
	req := kmsg.NewPtrCreateTopicsRequest()
	req.TimeoutMillis = 30000
	rt := kmsg.NewCreateTopicsRequestTopic()
	rt.Topic, rt.NumPartitions, rt.ReplicationFactor = t.topic, int32(cfg.Partitions), -1
	if cfg.Replicas > 0 {
		rt.ReplicationFactor = int16(cfg.Replicas)
	}
	for k, v := range topicConfigs {
		c := kmsg.NewCreateTopicsRequestTopicConfig()
		c.Name, c.Value = k, kmsg.StringPtr(v)
		rt.Configs = append(rt.Configs, c)
	}
	req.Topics = append(req.Topics, rt)
	// The brokers say first, without making it, how many replicas the
	// topic gets and the min.insync.replicas it would have.
	req.ValidateOnly = true
	resp, err := req.RequestWith(ctx, t.cl)
	if err == nil {
		err = topicErr(resp.Topics, func(x kmsg.CreateTopicsResponseTopic) int16 { return x.ErrorCode })
	}
	if err == nil {
		if need := insyncFor(resp.Topics[0], cfg.Replicas); need > 0 {
			c := kmsg.NewCreateTopicsRequestTopicConfig()
			c.Name, c.Value = minInsync, kmsg.StringPtr(strconv.Itoa(need))
			req.Topics[0].Configs = append(req.Topics[0].Configs, c)
		}
		req.ValidateOnly = false
		resp, err = req.RequestWith(ctx, t.cl)
		if err == nil {
			err = topicErr(resp.Topics, func(x kmsg.CreateTopicsResponseTopic) int16 { return x.ErrorCode })
		}
	}
	existed := errors.Is(err, kerr.TopicAlreadyExists)
	if err != nil && !existed {
		t.Close()
		return nil, fmt.Errorf("tenant %s: topic %s: %w", t.name, t.topic, err)
	}
	if err := t.load(ctx, 10*time.Second); err != nil {
		t.Close()
		return nil, err
	}
	if t.parts != cfg.Partitions {
		t.Close()
		return nil, fmt.Errorf("tenant %s has %d partitions, not %d", t.name, t.parts, cfg.Partitions)
	}
	// An existing topic made by hand, or changed since, may delete
	// records; the one made above has topicConfigs.
	if existed {
		if err := t.checkConfigs(ctx); err != nil {
			t.Close()
			return nil, err
		}
	}
	return t, nil
}

// insyncFor returns the min.insync.replicas to make a topic with, as the
// brokers' answer to the validation of its creation says it (v) would be
// made, asked for replicas replicas (0: the brokers' default): the least
// it needs (insyncNeeded) where the brokers would give it less, or do not
// say, else 0 (theirs). Brokers before Kafka 2.4 say neither the
// replicas nor the settings: the replicas asked are taken, and Kafka's
// default of 1.
func insyncFor(v kmsg.CreateTopicsResponseTopic, replicas int) int {
	rf := replicas
	if v.ReplicationFactor > 0 {
		rf = int(v.ReplicationFactor)
	}
	need := insyncNeeded(rf)
	for _, c := range v.Configs {
		if c.Name == minInsync {
			if n, err := strconv.Atoi(strings.TrimSpace(deref(c.Value))); err == nil && n >= need {
				return 0
			}
		}
	}
	return need
}

// Open opens a tenant whose topic exists, and checks its settings as
// Create checks an existing topic's: a topic changed since it was created
// (a retention set by an operator) is refused, naming each setting and
// what to set. A worker's principal may lack the right to read the
// settings (DESCRIBE_CONFIGS on the topic): the brokers' authorization
// error does not fail Open, which opens the tenant unchecked, says so at
// warn level to the logger of opts (kgo.WithLogger), and keeps the error
// for Unchecked. Any other failure to read them fails Open.
func Open(ctx context.Context, tenant string, opts ...kgo.Opt) (*Tenant, error) {
	if err := scaleout.CheckTenant(tenant); err != nil {
		return nil, err
	}
	t, err := newTenant(tenant, opts)
	if err != nil {
		return nil, err
	}
	if err := t.load(ctx, 0); err != nil {
		t.Close()
		return nil, err
	}
	if err := t.checkConfigs(ctx); err != nil {
		if !errors.Is(err, kerr.TopicAuthorizationFailed) && !errors.Is(err, kerr.ClusterAuthorizationFailed) {
			t.Close()
			return nil, err
		}
		t.unchecked = err
		if l, ok := t.cl.OptValue(kgo.WithLogger).(kgo.Logger); ok && l.Level() >= kgo.LogLevelWarn {
			l.Log(kgo.LogLevelWarn, "goalkit tenant opened without checking that its topic keeps every record", "tenant", t.name, "topic", t.topic, "err", err)
		}
	}
	return t, nil
}

// Unchecked returns the error that kept Open from reading the topic's
// settings (the brokers did not let the principal read them), or nil
// where they were checked: a tenant whose settings were not checked may
// be one whose topic may lose records the workers need. A tenant of Create
// returns nil.
func (t *Tenant) Unchecked() error { return t.unchecked }

// newTenant makes the tenant's producer: idempotent (the client's
// default, with acknowledgements from every in-sync replica), writing to
// the partition each record names.
func newTenant(name string, opts []kgo.Opt) (*Tenant, error) {
	t := &Tenant{opts: opts, name: name, topic: Topic(name)}
	var err error
	t.cl, err = kgo.NewClient(append(opts[:len(opts):len(opts)],
		kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.RequiredAcks(kgo.AllISRAcks()))...)
	if err != nil {
		return nil, fmt.Errorf("tenant %s: %w", name, err)
	}
	return t, nil
}

// metadata reads the brokers' metadata of the tenant's topic.
func (t *Tenant) metadata(ctx context.Context) (kmsg.MetadataResponseTopic, error) {
	req := kmsg.NewPtrMetadataRequest()
	rt := kmsg.NewMetadataRequestTopic()
	rt.Topic = kmsg.StringPtr(t.topic)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, t.cl)
	if err == nil {
		err = topicErr(resp.Topics, func(x kmsg.MetadataResponseTopic) int16 { return x.ErrorCode })
	}
	if err != nil {
		return kmsg.MetadataResponseTopic{}, err
	}
	return resp.Topics[0], nil
}

// load reads the number of partitions of the topic, waiting up to wait
// for a topic just created to appear in the brokers' metadata.
func (t *Tenant) load(ctx context.Context, wait time.Duration) error {
	var topic kmsg.MetadataResponseTopic
	err := untilKnown(ctx, wait, func() (err error) {
		topic, err = t.metadata(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("tenant %s: topic %s: %w", t.name, t.topic, err)
	}
	if t.parts = len(topic.Partitions); t.parts < 1 {
		return fmt.Errorf("tenant %s: topic %s has no partitions", t.name, t.topic)
	}
	t.replicas = len(topic.Partitions[0].Replicas)
	for _, mp := range topic.Partitions {
		t.replicas = min(t.replicas, len(mp.Replicas))
	}
	return nil
}

// untilKnown calls ask until it returns other than the error of a topic
// unknown, or wait has passed: a broker may learn of a topic just created
// after another.
func untilKnown(ctx context.Context, wait time.Duration, ask func() error) error {
	deadline := time.Now().Add(wait)
	for {
		err := ask()
		if !errors.Is(err, kerr.UnknownTopicOrPartition) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// topicErr is the error of an answer about the one topic a request named:
// an answer about another number of topics, or the topic's error code.
func topicErr[T any](topics []T, code func(T) int16) error {
	if len(topics) != 1 {
		return fmt.Errorf("%d topics in the answer", len(topics))
	}
	return kerr.ErrorForCode(code(topics[0]))
}

// Name returns the tenant's name.
func (t *Tenant) Name() string { return t.name }

// Close closes the tenant's producer, after the records it holds are sent
// (those of an Append under way: it waits up to ten seconds for them).
func (t *Tenant) Close() {
	// The client's Close fails what it has not sent yet.
	ctx, cancel := context.WithTimeout(context.Background(), closeFlush)
	defer cancel()
	_ = t.cl.Flush(ctx) // what is not sent by then fails with the Close
	t.cl.Close()
}

// closeFlush bounds the wait of Close for the records under way.
const closeFlush = 10 * time.Second
