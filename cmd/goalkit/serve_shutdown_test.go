package main

import (
	"bufio"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// A shutdown during a delivery: goalkit serve -channels returned while
// the delivery loop was still in an attempt, and the deferred closes (the
// outbox, the tracker, the database) ran under it. It returns only after
// the attempt has returned. The SMTP server here holds its answer to EHLO
// until released, and an email attempt's conversation is bounded by its
// timeout, not by the shutdown, so the attempt outlives the shutdown's
// start.
func TestServeShutdownWaitsForDelivery(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	entered := make(chan struct{})
	release := make(chan struct{})
	var releaseOnce sync.Once
	releaseAll := func() { releaseOnce.Do(func() { close(release) }) }
	// A failed test's serve ends at its cleanup, after its attempt.
	t.Cleanup(releaseAll)
	var once sync.Once
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				// The greeting, then the client's EHLO: the attempt is
				// past its dial, which a shutdown cancels, and waits for
				// the answer, which only its timeout bounds.
				c.Write([]byte("220 smtp.example.com\r\n"))
				if _, err := bufio.NewReader(c).ReadString('\n'); err != nil {
					return
				}
				once.Do(func() { close(entered) })
				<-release
				c.Write([]byte("421 closing\r\n"))
			}()
		}
	}()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "deliver.yaml")
	writeTestFile(t, cfg, "channels: [{name: mail, type: email, smtp: \""+l.Addr().String()+"\", from: goals@example.com, security: none}]\n"+
		"recipients:\n  - {user: anna, email: anna@example.com}\n  - {user: boris, email: boris@example.com}\n")
	stop := serveNotifyEvents(t, dir, cfg)
	select {
	case <-entered:
	case <-time.After(20 * time.Second):
		releaseAll()
		t.Fatal("no delivery attempt began")
	}
	type result struct {
		code int
		errs string
	}
	done := make(chan result, 1)
	go func() {
		code, errs := stop()
		done <- result{code, errs}
	}()
	select {
	case r := <-done:
		releaseAll()
		t.Fatalf("serve returned (exit %d) while a delivery attempt was under way: %s", r.code, r.errs)
	case <-time.After(500 * time.Millisecond):
	}
	releaseAll()
	select {
	case r := <-done:
		if r.code != 0 {
			t.Fatalf("serve exited %d: %s", r.code, r.errs)
		}
		if strings.Contains(r.errs, "level=ERROR") {
			t.Errorf("an error at shutdown: %s", r.errs)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not return after the attempt returned")
	}
}
