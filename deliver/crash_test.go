package deliver_test

import (
	"context"
	"fmt"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// childEnv names the directory of a delivering child process.
const childEnv = "GOALKIT_DELIVER_CHILD"

// crashConfig delivers to a webhook and by email, retrying quickly.
func crashConfig(hook, smtpAddr string) string {
	return `
outbox: outbox.db
retry: {attempts: 20, base: 50ms, max: 200ms}
channels:
  - {name: hook, type: webhook, url: "` + hook + `", secret_env: HOOK_SECRET}
  - {name: mail, type: email, smtp: "` + smtpAddr + `", from: goals@example.com, security: none}
recipients:
  - {user: anna, email: anna@example.com, channels: [hook, mail], language: ru}
  - {user: boris, email: boris@example.com, channels: [hook, mail]}
  - {user: olga, email: olga@example.com, channels: [hook, mail]}
`
}

// deliverChild is the delivering process: it tracks the sales events,
// ticks at the end of March and delivers until nothing is left due.
func deliverChild(t *testing.T, dir string) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg, err := deliver.ReadConfig(filepath.Join(dir, "deliver.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tr := track(t, plan, salesEvents()...)
	d, err := deliver.Open(ctx, plan, tr, cfg, deliver.ChannelOptions{}, deliver.WithDirectory(directory(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Tick(ctx, march(31, 12)); err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := d.Deliver(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
		pending, _ := d.Outbox().Entries(ctx, deliver.Pending)
		sending, _ := d.Outbox().Entries(ctx, deliver.Sending)
		if len(pending)+len(sending) == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The delivering process is killed with SIGKILL twice while a receiver
// holds a message (once a webhook, once an email), so the outbox records
// an attempt begun and never finished; each restart sends that message
// again under the same webhook-id or Message-ID, and the receivers, which
// keep an id once, end with every message exactly once.
func TestCrashMidDelivery(t *testing.T) {
	if dir := os.Getenv(childEnv); dir != "" {
		deliverChild(t, dir)
		return
	}
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL")
	}
	dir := t.TempDir()
	rcv := newReceiver(t)
	s := newSink(t)
	hold := make(chan struct{}) // closed when the child is dead
	killNow := make(chan string, 2)
	rcv.setFail(func(n int) int {
		if n == 3 {
			killNow <- "webhook"
			<-hold
		}
		return 0
	})
	if err := os.WriteFile(filepath.Join(dir, "deliver.yaml"), []byte(crashConfig(rcv.srv.URL, s.addr)), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashMidDelivery$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+dir, "HOOK_SECRET="+testSecret)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	kill := func(cmd *exec.Cmd, what string) {
		select {
		case got := <-killNow:
			if got != what {
				t.Fatalf("killed during %s, want %s", got, what)
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("the child never reached the %s to kill it at", what)
		}
		if err := cmd.Process.Kill(); err != nil { // SIGKILL
			t.Fatal(err)
		}
		cmd.Wait()
	}
	inAttempt := func() []string {
		ob := openOutbox(t, dir)
		defer ob.Close()
		es, err := ob.Entries(context.Background(), deliver.Sending)
		if err != nil {
			t.Fatal(err)
		}

		var out []string
		for _, e := range es {
			out = append(out, e.Message.Channel+" "+e.Message.ID)
		}
		return out
	}

	cmd := run()
	kill(cmd, "webhook")
	// The receiver took the third webhook and its sender died before
	// hearing so: the outbox has it in an attempt.
	close(hold)
	if got := inAttempt(); len(got) != 1 || got[0][:5] != "hook " {
		t.Fatalf("after the first kill, in an attempt: %v", got)
	}
	hold2 := make(chan struct{})
	s.mu.Lock()
	base := s.accepted
	s.taken = func(n int) {
		if n == base+1 {
			killNow <- "email"
			<-hold2
		}
	}
	s.mu.Unlock()
	cmd = run()
	kill(cmd, "email")
	close(hold2)
	// The email in an attempt (and the webhook of the first kill too,
	// when the second run had not come to it yet).
	if got := inAttempt(); !slices.ContainsFunc(got, func(s string) bool { return s[:5] == "mail " }) {
		t.Fatalf("after the second kill, in an attempt: %v", got)
	}
	cmd = run()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the last run: %v", err)
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the last run did not finish")
	}

	wantKeys := salesKeys
	if got := rcv.keys(); !slices.Equal(got, wantKeys) {
		t.Errorf("webhooks received:\n%v\nwant:\n%v", got, wantKeys)
	}
	if n, bad := rcv.counts(); n != len(wantKeys)+1 || bad != 0 {
		t.Errorf("%d webhook requests (%d bad), want %d: one sent twice", n, bad, len(wantKeys)+1)
	}
	var mails []string
	for id, data := range s.messages() {
		m, err := mail.ReadMessage(bytesReader(data))
		if err != nil {
			t.Fatal(err)
		}
		mails = append(mails, fmt.Sprintf("%s %s", m.Header.Get("To"), id))
	}
	s.mu.Lock()
	accepted := s.accepted
	s.mu.Unlock()
	if len(mails) != len(wantKeys) || accepted != len(wantKeys)+1 {
		t.Errorf("%d distinct emails, %d accepted; want %d and %d: %v", len(mails), accepted, len(wantKeys), len(wantKeys)+1, mails)
	}
}
