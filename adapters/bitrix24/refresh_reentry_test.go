package bitrix24_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
)

// A RefreshFunc that prints the client or its Auth (a log line: "refreshing
// the token of bitrix24 oauth https://…/rest/ (token ***)") refreshes the
// token, and the call goes on. The refresh held the lock that String
// takes, so such a function waited for itself and the call hung for good.
func TestRefreshFuncPrintsClient(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.SetToken("access-1", false)
	var (
		c    *bitrix24.Client
		auth bitrix24.Auth
		line string
	)
	refresh := func(context.Context, bitrix24.Token) (bitrix24.Token, error) {
		line = fmt.Sprintf("refreshing the token of %v (%v)", c, auth)
		srv.SetToken("access-2", true)
		return bitrix24.Token{AccessToken: "access-2", RefreshToken: "refresh-2"}, nil
	}
	auth = bitrix24.OAuth(srv.URL+"/rest/", bitrix24.Token{AccessToken: "access-1", RefreshToken: "refresh-1"}, refresh)
	var err error
	if c, err = bitrix24.New(auth, bitrix24.WithMinInterval(0)); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.NotifyUser(context.Background(), "1", "hello") }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the call hung in the token's refresh")
	}
	if want := "refreshing the token of bitrix24.Client(bitrix24 oauth " + srv.URL + "/rest/ (token ***))"; len(line) < len(want) || line[:len(want)] != want {
		t.Errorf("the refresh printed %q", line)
	}
}
