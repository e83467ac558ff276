package kafka_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	gkkafka "github.com/goalkit/goalkit/adapters/kafka"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// alterTopic sets configs on a topic, as an operator would with
// kafka-configs --alter.
func alterTopic(ctx context.Context, t *testing.T, opts []kgo.Opt, topic string, configs map[string]string) {
	t.Helper()
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	req := kmsg.NewPtrIncrementalAlterConfigsRequest()
	rr := kmsg.NewIncrementalAlterConfigsRequestResource()
	rr.ResourceType, rr.ResourceName = kmsg.ConfigResourceTypeTopic, topic
	for k, v := range configs {
		c := kmsg.NewIncrementalAlterConfigsRequestResourceConfig()
		c.Name, c.Value, c.Op = k, kmsg.StringPtr(v), kmsg.IncrementalAlterConfigOpSet
		rr.Configs = append(rr.Configs, c)
	}
	req.Resources = append(req.Resources, rr)
	ask(ctx, t, cl, topic, req, func(r *kmsg.IncrementalAlterConfigsResponse) int16 { return r.Resources[0].ErrorCode })
}

// Open checks the topic's settings as Create does: a topic whose
// retention an operator set after Create is refused, naming the setting
// and what to set. Open took it, and its workers found records gone past
// the offsets their stores committed.
func TestOpenRefusesATopicThatDeletesRecords(t *testing.T) {
	opts := cluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	create(t, opts, "kept", 2)
	tn, err := gkkafka.Open(ctx, "kept", opts...)
	if err != nil {
		t.Fatalf("a topic Create made: %v", err)
	}
	if err := tn.Unchecked(); err != nil {
		t.Fatalf("checked, yet Unchecked says %v", err)
	}
	tn.Close()

	create(t, opts, "aged", 2)
	alterTopic(ctx, t, opts, gkkafka.Topic("aged"), map[string]string{"retention.ms": "86400000"})
	tn, err = gkkafka.Open(ctx, "aged", opts...)
	want := `tenant aged: topic goalkit-aged-events may lose records the workers need (each reads on from the offset its store committed): retention.ms is "86400000", not -1; set retention.ms=-1 on the topic (kafka-configs --alter --entity-type topics --entity-name goalkit-aged-events --add-config retention.ms=-1)`
	if err == nil {
		tn.Close()
		t.Fatalf("opened; want %s", want)
	}
	if err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
}

// warnings is a kgo.Logger that keeps the lines logged at warn level.
type warnings struct {
	mu    sync.Mutex
	lines []string
}

func (w *warnings) Level() kgo.LogLevel { return kgo.LogLevelWarn }

func (w *warnings) Log(level kgo.LogLevel, msg string, keyvals ...any) {
	if level != kgo.LogLevelWarn {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines = append(w.lines, fmt.Sprintln(append([]any{msg}, keyvals...)...))
}

func (w *warnings) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.lines, "")
}

// A worker whose principal may not read the topic's settings opens the
// tenant unchecked: Open takes the brokers' authorization error, says it
// at warn level to the client's logger and keeps it for Unchecked. Any
// other error reading the settings fails Open.
func TestOpenWithoutTheRightToReadTheSettings(t *testing.T) {
	c, opts := oneBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	create(t, opts, "secret", 1)
	refuseDescribe(c, kerr.TopicAuthorizationFailed, -1)
	log := new(warnings)
	tn, err := gkkafka.Open(ctx, "secret", append(opts, kgo.WithLogger(log))...)
	if err != nil {
		t.Fatalf("a worker that may not read the settings: %v", err)
	}
	defer tn.Close()
	want := "tenant secret: topic goalkit-secret-events: reading its configuration: " + kerr.TopicAuthorizationFailed.Error()
	if err := tn.Unchecked(); err == nil || err.Error() != want {
		t.Fatalf("Unchecked: got %v\nwant %s", err, want)
	}
	wantLog := "goalkit tenant opened without checking that its topic keeps every record tenant secret topic goalkit-secret-events err " + want + "\n"
	if got := log.String(); !strings.Contains(got, wantLog) {
		t.Fatalf("logged %q\nwant the line %q", got, wantLog)
	}

	c2, opts2 := oneBroker(t)
	create(t, opts2, "broken", 1)
	refuseDescribe(c2, kerr.UnknownServerError, -1)
	tn2, err := gkkafka.Open(ctx, "broken", opts2...)
	want = "tenant broken: topic goalkit-broken-events: reading its configuration: " + kerr.UnknownServerError.Error()
	if err == nil {
		tn2.Close()
		t.Fatalf("opened; want %s", want)
	}
	if err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
}
