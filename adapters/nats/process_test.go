package nats_test

import (
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/internal/testenv"
	natsgo "github.com/nats-io/nats.go"
)

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestProcesses runs the scale-out on a cluster of three nats-server
// processes, workers in this process, and kills one server with SIGKILL
// between two publishes.
func TestProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three nats-server processes")
	}
	bin := testenv.Program(t, "nats-server")
	procs, urls := startProcesses(t, bin)
	nc, err := natsgo.Connect(strings.Join(urls, ","), natsgo.MaxReconnects(-1), natsgo.ReconnectWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	e := connectConn(t, nc, 3)
	plan := goalkittest.CompilePlan(t, planYAML)
	tn := e.tenant(t, "procs", 3)
	events := workload(t, 2000)
	half := len(events) / 2
	start := time.Now()
	publish(t, tn, "1", events[:half])
	t.Logf("published in %s", time.Since(start))
	drain(t, plan, tn, all(3)...)
	t.Logf("drained in %s", time.Since(start))
	if err := procs[1].Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = procs[1].Wait()
	publish(t, tn, "2", events[half:])
	t.Logf("published in %s", time.Since(start))
	drain(t, plan, tn, all(2)...)
	t.Logf("drained in %s", time.Since(start))
	sameAsBatch(t, plan, tn, goalkittest.Final(events))
}

// startProcesses starts a cluster of three nats-server processes on ports
// chosen free before they start and waits until JetStream places a stream
// on all three. A port can be taken in between by any process on the
// machine (another test's connection), and its server then does not
// start: the cluster is started again on other ports, up to three times.
func startProcesses(t *testing.T, bin string) (procs []*exec.Cmd, urls []string) {
	for try := 1; ; try++ {
		procs, urls = nil, nil
		var client, cluster [3]int
		for i := range 3 {
			client[i], cluster[i] = freePort(t), freePort(t)
		}
		for i := range 3 {
			var routes []string
			for j := range 3 {
				if j != i {
					routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", cluster[j]))
				}
			}
			cmd := exec.Command(bin, "-js", "-sd", filepath.Join(t.TempDir(), "js"), "-a", "127.0.0.1", "-p", fmt.Sprint(client[i]),
				"-n", fmt.Sprintf("p%d", i+1), "--cluster_name", "goalkit", "-cluster", fmt.Sprintf("nats://127.0.0.1:%d", cluster[i]),
				"-routes", strings.Join(routes, ","))
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
			})
			procs = append(procs, cmd)
			urls = append(urls, fmt.Sprintf("nats://127.0.0.1:%d", client[i]))
		}
		err := natstest.Ready(strings.Join(urls, ","), 3, 30*time.Second)
		if err == nil {
			return procs, urls
		}
		if try == 3 {
			t.Fatal(err)
		}
		for _, cmd := range procs {
			_ = cmd.Process.Kill()
		}
	}
}
