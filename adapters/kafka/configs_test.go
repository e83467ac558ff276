package kafka_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	gkkafka "github.com/goalkit/goalkit/adapters/kafka"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// clusterClient starts a cluster of three brokers (cluster) and returns
// the options that reach it with a client of them, closed when t ends.
func clusterClient(t *testing.T) ([]kgo.Opt, *kgo.Client) {
	t.Helper()
	opts := cluster(t)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return opts, cl
}

// keeping returns the settings of a topic of 3 replicas that keeps every
// record, with the setting k set to v (none where k is "").
func keeping(k, v string) map[string]string {
	m := map[string]string{"cleanup.policy": "delete", "retention.ms": "-1", "retention.bytes": "-1", "unclean.leader.election.enable": "false", "min.insync.replicas": "2"}
	if k != "" {
		m[k] = v
	}
	return m
}

// makeTopic makes a topic of partitions partitions with configs, as an
// operator (or an earlier tool) would before Create, of the brokers'
// default replicas (3).
func makeTopic(ctx context.Context, t *testing.T, cl *kgo.Client, topic string, partitions int32, configs map[string]string) {
	t.Helper()
	makeTopicOf(ctx, t, cl, topic, partitions, -1, configs)
}

// makeTopicOf makes a topic as makeTopic does, of replicas replicas.
func makeTopicOf(ctx context.Context, t *testing.T, cl *kgo.Client, topic string, partitions int32, replicas int16, configs map[string]string) {
	t.Helper()
	req := kmsg.NewPtrCreateTopicsRequest()
	rt := kmsg.NewCreateTopicsRequestTopic()
	rt.Topic, rt.NumPartitions, rt.ReplicationFactor = topic, partitions, replicas
	for k, v := range configs {
		c := kmsg.NewCreateTopicsRequestTopicConfig()
		c.Name, c.Value = k, kmsg.StringPtr(v)
		rt.Configs = append(rt.Configs, c)
	}
	req.Topics = append(req.Topics, rt)
	ask(ctx, t, cl, topic, req, func(r *kmsg.CreateTopicsResponse) int16 { return r.Topics[0].ErrorCode })
}

// ask sends req to the brokers of cl and returns their answer, failing t
// where the request fails or the answer's code about topic is an error.
func ask[R kmsg.Response](ctx context.Context, t *testing.T, cl *kgo.Client, topic string, req kmsg.Request, code func(R) int16) R {
	t.Helper()
	resp, err := cl.Request(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	r := resp.(R)
	if err := kerr.ErrorForCode(code(r)); err != nil {
		t.Fatalf("topic %s: %v", topic, err)
	}
	return r
}

// topicConfigs reads the values of a topic's cleanup.policy,
// retention.ms, retention.bytes, unclean.leader.election.enable and
// min.insync.replicas.
func topicConfigs(ctx context.Context, t *testing.T, cl *kgo.Client, topic string) map[string]string {
	t.Helper()
	req := kmsg.NewPtrDescribeConfigsRequest()
	rr := kmsg.NewDescribeConfigsRequestResource()
	rr.ResourceType, rr.ResourceName = kmsg.ConfigResourceTypeTopic, topic
	rr.ConfigNames = []string{"cleanup.policy", "retention.ms", "retention.bytes", "unclean.leader.election.enable", "min.insync.replicas"}
	req.Resources = append(req.Resources, rr)
	resp := ask(ctx, t, cl, topic, req, func(r *kmsg.DescribeConfigsResponse) int16 { return r.Resources[0].ErrorCode })
	got := map[string]string{}
	for _, c := range resp.Resources[0].Configs {
		if c.Value != nil {
			got[c.Name] = *c.Value
		}
	}
	return got
}

// Create refuses an existing topic that deletes records (compacted, with
// a retention by age or size, or letting a replica out of sync become
// leader), naming the topic, each such setting, its value and what to
// set, and leaves the topic as it was. It took such a topic as it was,
// and the workers found records gone (or never saw them) past the
// offsets their stores committed; it took unclean leader elections
// without a look. A topic that keeps every record is taken, and one
// Create makes keeps every record.
func TestCreateRefusesATopicThatDeletesRecords(t *testing.T) {
	opts, cl := clusterClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	keep, with := keeping("", ""), keeping
	const how = " (each reads on from the offset its store committed): "
	const unclean = " (a failover to a replica out of sync drops the records the brokers acknowledged that it lacks)"
	const alone = " (with 3 replicas of each partition, the brokers acknowledge a record one of them holds alone, and lose it with that broker)"
	for _, tc := range []struct {
		tenant  string
		configs map[string]string
		want    string // "": taken
	}{
		{"compacted", with("cleanup.policy", "compact"),
			`tenant compacted: topic goalkit-compacted-events may lose records the workers need` + how + `cleanup.policy is "compact", not delete; set cleanup.policy=delete on the topic (kafka-configs --alter --entity-type topics --entity-name goalkit-compacted-events --add-config cleanup.policy=delete)`},
		{"both", with("cleanup.policy", "compact,delete"),
			`tenant both: topic goalkit-both-events may lose records the workers need` + how + `cleanup.policy is "compact,delete", not delete; set cleanup.policy=delete on the topic (kafka-configs --alter --entity-type topics --entity-name goalkit-both-events --add-config cleanup.policy=delete)`},
		{"aged", with("retention.ms", "86400000"),
			`tenant aged: topic goalkit-aged-events may lose records the workers need` + how + `retention.ms is "86400000", not -1; set retention.ms=-1 on the topic (kafka-configs --alter --entity-type topics --entity-name goalkit-aged-events --add-config retention.ms=-1)`},
		{"sized", with("retention.bytes", "1073741824"),
			`tenant sized: topic goalkit-sized-events may lose records the workers need` + how + `retention.bytes is "1073741824", not -1; set retention.bytes=-1 on the topic (kafka-configs --alter --entity-type topics --entity-name goalkit-sized-events --add-config retention.bytes=-1)`},
		// A failover to a replica out of sync drops acknowledged records.
		{"unclean", with("unclean.leader.election.enable", "true"),
			`tenant unclean: topic goalkit-unclean-events may lose records the workers need` + how + `unclean.leader.election.enable is "true", not false` + unclean + `; set unclean.leader.election.enable=false on the topic (kafka-configs --alter --entity-type topics --entity-name goalkit-unclean-events --add-config unclean.leader.election.enable=false)`},
		{"unclean-caps", with("unclean.leader.election.enable", "TRUE"),
			`tenant unclean-caps: topic goalkit-unclean-caps-events may lose records the workers need` + how + `unclean.leader.election.enable is "TRUE", not false` + unclean + `; set unclean.leader.election.enable=false on the topic (kafka-configs --alter --entity-type topics --entity-name goalkit-unclean-caps-events --add-config unclean.leader.election.enable=false)`},
		// Kafka reads a boolean in any case.
		{"clean-caps", with("unclean.leader.election.enable", "False"), ""},
		// Made without settings: the brokers' default retention of a week;
		// these brokers do not say the election setting (Kafka's do).
		{"plain", nil,
			`tenant plain: topic goalkit-plain-events may lose records the workers need` + how + `min.insync.replicas is "1", not 2 or more` + alone + `, retention.ms is "604800000", not -1, unclean.leader.election.enable is not said by the brokers, not false` + unclean + `; set min.insync.replicas=2 and retention.ms=-1 and unclean.leader.election.enable=false on the topic (kafka-configs --alter --entity-type topics --entity-name goalkit-plain-events --add-config min.insync.replicas=2,retention.ms=-1,unclean.leader.election.enable=false)`},
		{"all", map[string]string{"cleanup.policy": "compact", "retention.ms": "1000", "retention.bytes": "0", "unclean.leader.election.enable": "true", "min.insync.replicas": "1"},
			`tenant all: topic goalkit-all-events may lose records the workers need` + how + `cleanup.policy is "compact", not delete, min.insync.replicas is "1", not 2 or more` + alone + `, retention.bytes is "0", not -1, retention.ms is "1000", not -1, unclean.leader.election.enable is "true", not false` + unclean + `; set cleanup.policy=delete and min.insync.replicas=2 and retention.bytes=-1 and retention.ms=-1 and unclean.leader.election.enable=false on the topic (kafka-configs --alter --entity-type topics --entity-name goalkit-all-events --add-config cleanup.policy=delete,min.insync.replicas=2,retention.bytes=-1,retention.ms=-1,unclean.leader.election.enable=false)`},
		// 3 replicas, a record acknowledged that one broker holds alone.
		{"alone", with("min.insync.replicas", "1"),
			`tenant alone: topic goalkit-alone-events may lose records the workers need` + how + `min.insync.replicas is "1", not 2 or more` + alone + `; set min.insync.replicas=2 on the topic (kafka-configs --alter --entity-type topics --entity-name goalkit-alone-events --add-config min.insync.replicas=2)`},
		{"insync-all", with("min.insync.replicas", "3"), ""},
		{"kept", keep, ""},
		// Any negative retention is none, as Kafka reads it.
		{"negative", with("retention.bytes", "-5"), ""},
	} {
		t.Run(tc.tenant, func(t *testing.T) {
			topic := gkkafka.Topic(tc.tenant)
			makeTopic(ctx, t, cl, topic, 2, tc.configs)
			before := topicConfigs(ctx, t, cl, topic)
			tn, err := gkkafka.Create(ctx, gkkafka.Config{Tenant: tc.tenant, Partitions: 2}, opts...)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("a topic that keeps every record: %v", err)
				}
				tn.Close()
				return
			}
			if err == nil {
				tn.Close()
				t.Fatalf("taken; want %s", tc.want)
			}
			if err.Error() != tc.want {
				t.Fatalf("got  %v\nwant %s", err, tc.want)
			}
			if after := topicConfigs(ctx, t, cl, topic); len(after) != len(before) || after["cleanup.policy"] != before["cleanup.policy"] ||
				after["retention.ms"] != before["retention.ms"] || after["retention.bytes"] != before["retention.bytes"] ||
				after["unclean.leader.election.enable"] != before["unclean.leader.election.enable"] || after["min.insync.replicas"] != before["min.insync.replicas"] {
				t.Fatalf("the topic's settings were %v, are %v after Create", before, after)
			}
		})
	}
	// Made by Create: every record kept, and a record acknowledged once
	// 2 of its 3 replicas (the brokers' default) hold it.
	create(t, opts, "fresh", 1)
	if got := topicConfigs(ctx, t, cl, gkkafka.Topic("fresh")); len(got) != 5 || got["cleanup.policy"] != "delete" || got["retention.ms"] != "-1" || got["retention.bytes"] != "-1" ||
		got["unclean.leader.election.enable"] != "false" || got["min.insync.replicas"] != "2" {
		t.Fatalf("a topic Create made has %v", got)
	}
}

// A topic of 1 replica (a development broker) or 2 is taken with a
// min.insync.replicas of 1 (2 would stop every write of a topic of 2
// while one broker is down), by Create, and by Open; Create makes such a
// topic with the brokers' min.insync.replicas, 1 here. One of 3 replicas
// or more is made with 2, and refused by Open once set to 1, naming the
// setting, its value and what to set: it was taken, and the brokers
// acknowledged records one of them held alone, lost with that broker.
func TestMinInsyncReplicas(t *testing.T) {
	opts, cl := clusterClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	opened := func(tenant string) {
		t.Helper()
		tn, err := gkkafka.Open(ctx, tenant, opts...)
		if err != nil {
			t.Fatalf("%s: %v", tenant, err)
		}
		tn.Close()
	}
	for _, replicas := range []int16{1, 2} {
		tenant := fmt.Sprint("made", replicas)
		makeTopicOf(ctx, t, cl, gkkafka.Topic(tenant), 1, replicas, keeping("min.insync.replicas", "1"))
		create(t, opts, tenant, 1)
		opened(tenant)
		tenant = fmt.Sprint("created", replicas)
		tn, err := gkkafka.Create(ctx, gkkafka.Config{Tenant: tenant, Partitions: 1, Replicas: int(replicas)}, opts...)
		if err != nil {
			t.Fatalf("%s: %v", tenant, err)
		}
		tn.Close()
		if got := topicConfigs(ctx, t, cl, gkkafka.Topic(tenant))["min.insync.replicas"]; got != "1" {
			t.Fatalf("%s: made with min.insync.replicas %q, want the brokers' 1", tenant, got)
		}
		opened(tenant)
	}
	tn, err := gkkafka.Create(ctx, gkkafka.Config{Tenant: "three", Partitions: 2, Replicas: 3}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	tn.Close()
	if got := topicConfigs(ctx, t, cl, gkkafka.Topic("three"))["min.insync.replicas"]; got != "2" {
		t.Fatalf("three: made with min.insync.replicas %q, want 2", got)
	}
	opened("three")
	alterTopic(ctx, t, opts, gkkafka.Topic("three"), map[string]string{"min.insync.replicas": "1"})
	tn, err = gkkafka.Open(ctx, "three", opts...)
	want := `tenant three: topic goalkit-three-events may lose records the workers need (each reads on from the offset its store committed): min.insync.replicas is "1", not 2 or more (with 3 replicas of each partition, the brokers acknowledge a record one of them holds alone, and lose it with that broker); set min.insync.replicas=2 on the topic (kafka-configs --alter --entity-type topics --entity-name goalkit-three-events --add-config min.insync.replicas=2)`
	if err == nil {
		tn.Close()
		t.Fatalf("opened; want %s", want)
	}
	if err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
}

// A topic whose settings the brokers do not let Create read is refused
// with the brokers' error, naming the topic: Create cannot tell whether
// it keeps every record.
func TestCreateRefusesATopicWhoseSettingsItCannotRead(t *testing.T) {
	c, opts := oneBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	create(t, opts, "secret", 1)
	refuseDescribe(c, kerr.TopicAuthorizationFailed, -1)
	_, err := gkkafka.Create(ctx, gkkafka.Config{Tenant: "secret", Partitions: 1}, opts...)
	want := "tenant secret: topic goalkit-secret-events: reading its configuration: " + kerr.TopicAuthorizationFailed.Error()
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
}

// refuseDescribe makes the brokers of c answer the DescribeConfigs
// requests with code's error, times times (-1: every one).
func refuseDescribe(c *kfake.Cluster, code *kerr.Error, times int) {
	var n atomic.Int32
	c.ControlKey(int16(kmsg.DescribeConfigs), func(r kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		if times >= 0 && int(n.Add(1)) > times {
			return nil, nil, false // the broker answers
		}
		req := r.(*kmsg.DescribeConfigsRequest)
		resp := req.ResponseKind().(*kmsg.DescribeConfigsResponse)
		for _, rr := range req.Resources {
			x := kmsg.NewDescribeConfigsResponseResource()
			x.ResourceType, x.ResourceName, x.ErrorCode = rr.ResourceType, rr.ResourceName, code.Code
			resp.Resources = append(resp.Resources, x)
		}
		return resp, nil, true
	})
}

// A topic another Create has just made, which the broker asked about its
// settings does not know yet (UNKNOWN_TOPIC_OR_PARTITION), is asked about
// again, as its metadata is: Create takes it.
func TestCreateAsksAgainAboutATopicJustMade(t *testing.T) {
	c, opts := oneBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	create(t, opts, "race", 1)
	refuseDescribe(c, kerr.UnknownTopicOrPartition, 2)
	tn, err := gkkafka.Create(ctx, gkkafka.Config{Tenant: "race", Partitions: 1}, opts...)
	if err != nil {
		t.Fatalf("a topic the broker learnt of late: %v", err)
	}
	tn.Close()
}
