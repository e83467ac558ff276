// Package natstest starts NATS servers with JetStream inside a test
// process: one, or a cluster of several, for the tests of hosts and of
// package nats.
package natstest

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Cluster is a JetStream cluster of servers in the test process.
type Cluster struct {
	Servers []*server.Server
}

// Start starts a JetStream cluster of n servers (n = 1: a single server)
// on local ports, with their data in temporary directories, and waits
// until JetStream has a leader. The servers shut down when the test ends.
//
// The servers of a cluster are given their route ports, chosen free
// before they start; a port can be taken in between by any process on the
// machine (another test's connection), and its server then never listens
// for routes. Start then starts the cluster again on other ports, up to
// startTries times.
func Start(tb testing.TB, n int) *Cluster {
	tb.Helper()
	for try := 1; ; try++ {
		c, err := start(tb, n)
		if err == nil {
			if err := Ready(c.URL(), n, 30*time.Second); err != nil {
				tb.Fatal(err)
			}
			return c
		}
		c.shutdown()
		if n == 1 || try == startTries {
			tb.Fatal(err)
		}
	}
}

// startTries is how many times Start starts a cluster whose servers do not
// all become ready.
const startTries = 3

// start starts the servers of a cluster of n and waits until each listens.
func start(tb testing.TB, n int) (*Cluster, error) {
	ports := make([]int, n)
	for i := range ports {
		ports[i] = freePort(tb)
	}
	c := &Cluster{}
	for i := range n {
		opts := &server.Options{ServerName: fmt.Sprintf("n%d", i+1), Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true,
			JetStream: true, StoreDir: tb.TempDir()}
		if n > 1 {
			opts.Cluster = server.ClusterOpts{Name: "goalkit", Host: "127.0.0.1", Port: ports[i]}
			for j, p := range ports {
				if j != i {
					opts.Routes = append(opts.Routes, &url.URL{Scheme: "nats", Host: fmt.Sprintf("127.0.0.1:%d", p)})
				}
			}
		}
		s, err := server.NewServer(opts)
		if err != nil {
			tb.Fatal(err)
		}
		go s.Start()
		c.Servers = append(c.Servers, s)
		tb.Cleanup(func() {
			s.Shutdown()
			s.WaitForShutdown()
		})
	}
	for _, s := range c.Servers {
		if !s.ReadyForConnections(30 * time.Second) {
			return c, fmt.Errorf("server %s not ready", s.Name())
		}
	}
	return c, nil
}

// shutdown shuts every server down.
func (c *Cluster) shutdown() {
	for i := range c.Servers {
		c.Kill(i)
	}
}

// URL returns the client URLs of the servers still running, comma
// separated, as nats.Connect takes them.
func (c *Cluster) URL() string {
	var urls []string
	for _, s := range c.Servers {
		if s.Running() {
			urls = append(urls, s.ClientURL())
		}
	}
	return strings.Join(urls, ",")
}

// Kill shuts server i down.
func (c *Cluster) Kill(i int) {
	c.Servers[i].Shutdown()
	c.Servers[i].WaitForShutdown()
}

// Ready waits until the JetStream of the servers at url places a stream
// of the given replicas: its meta group has a leader and knows enough
// servers. It leaves that stream, natstest_ready (subject
// natstest.ready), in place.
func Ready(url string, replicas int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	nc, err := natsgo.Connect(url, natsgo.RetryOnFailedConnect(true), natsgo.MaxReconnects(-1), natsgo.ReconnectWait(100*time.Millisecond))
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		// The probe stream stays: the server removes the directories a
		// deleted stream leaves empty after it answers, so a stream created
		// right after the delete could find its account's directory gone
		// under it ("could not create storage directory").
		_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: "natstest_ready", Subjects: []string{"natstest.ready"}, Replicas: replicas})
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("JetStream does not place a stream of %d replicas: %w", replicas, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort(tb testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
