package deliver_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/deliver"
)

// TestAnswerEchoingTheSecret checks that a receiver (or a proxy before it)
// whose error page quotes the request's URL does not put the channel's
// secret into the error, which the outbox keeps and the log shows: not the
// whole secret, and not the part of it before the error's cut at 200
// characters.
func TestAnswerEchoingTheSecret(t *testing.T) {
	const token = "123456:SECRETtokenSECRETtoken"
	for pad := 0; pad < 200; pad += 4 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, "<html><body>"+strings.Repeat("x", pad)+" upstream failed for POST http://"+r.Host+r.URL.RequestURI()+" and "+r.URL.Path+"</body></html>")
		}))
		hook, err := deliver.NewWebhook(srv.URL+"/hook/"+token+"?key="+token, testSecret, nil)
		if err != nil {
			t.Fatal(err)
		}
		for name, ch := range map[string]deliver.Channel{
			"telegram": deliver.NewTelegram(srv.URL, token, nil),
			"slack":    deliver.NewSlack(srv.URL+"/services/T0/B0/"+token, nil),
			"webhook":  hook,
		} {
			err := ch.Send(context.Background(), testMessage())
			if err == nil {
				t.Fatalf("%s: sent", name)
			}
			for _, part := range []string{token, token[:12], "SECRET"} {
				if strings.Contains(err.Error(), part) {
					t.Errorf("%s, %d bytes before: the error shows %q: %v", name, pad, part, err)
					break
				}
			}
		}
		srv.Close()
	}
}
