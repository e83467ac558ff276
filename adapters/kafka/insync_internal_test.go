package kafka

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// The min.insync.replicas a new topic is made with: 2 where it gets 3
// replicas or more and the brokers would give it less (or do not say),
// else the brokers' own (0); the replicas asked where the brokers do not
// say theirs.
func TestInsyncFor(t *testing.T) {
	for _, tc := range []struct {
		rf       int16  // the brokers' answer (0: not said)
		insync   string // the brokers' answer ("": not said)
		replicas int    // asked (0: the brokers' default)
		want     int
	}{
		{3, "1", 0, 2}, {3, "", 0, 2}, {3, "2", 0, 0}, {5, "3", 0, 0}, {3, "x", 3, 2},
		{1, "1", 0, 0}, {2, "1", 2, 0}, {0, "", 3, 2}, {0, "", 2, 0}, {0, "", 0, 0},
	} {
		v := kmsg.NewCreateTopicsResponseTopic()
		v.ReplicationFactor = tc.rf
		if tc.insync != "" {
			c := kmsg.NewCreateTopicsResponseTopicConfig()
			c.Name, c.Value = "min.insync.replicas", kmsg.StringPtr(tc.insync)
			v.Configs = append(v.Configs, c)
		}
		if got := insyncFor(v, tc.replicas); got != tc.want {
			t.Errorf("replicas %d (asked %d), min.insync.replicas %q: %d, want %d", tc.rf, tc.replicas, tc.insync, got, tc.want)
		}
	}
}
