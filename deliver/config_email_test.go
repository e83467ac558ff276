package deliver_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/deliver"
)

// An email address of a recipient, or a channel's from, that the email
// channel cannot read is refused at its line, with net/mail's words: two
// addresses, a name without its angle brackets or a doubled "@" were
// taken, and every message to the recipient was a dead letter. Addresses
// with a name, an internationalised domain or an address literal are
// taken.
func TestParseConfigEmailAddresses(t *testing.T) {
	_, err := deliver.ParseConfig("c.yaml", []byte(`
channels:
  - {name: m, type: email, smtp: "mail:25", from: "Goals goals@example.com", security: none}
recipients:
  - {user: a, email: "anna@example.com, bob@example.com"}
  - {user: b, email: "Anna Smith anna@example.com"}
  - {user: c, email: "anna@@example.com"}
  - {user: d, email: "Anna <anna@example.com"}
  - {user: e, email: "Анна <anna@пример.рф>"}
  - {user: f, email: "anna@[192.0.2.1]"}
  - {user: g, email: "anna.example.com"}
`))
	want := `c.yaml:3: channels[0].from: must be an email address, got "Goals goals@example.com" (no angle-addr)
c.yaml:5: recipients[0].email: must be an email address, got "anna@example.com, bob@example.com" (expected single address, got ", bob@example.com")
c.yaml:6: recipients[1].email: must be an email address, got "Anna Smith anna@example.com" (no angle-addr)
c.yaml:7: recipients[2].email: must be an email address, got "anna@@example.com" (missing '@' or angle-addr)
c.yaml:8: recipients[3].email: must be an email address, got "Anna <anna@example.com" (unclosed angle-addr)
c.yaml:11: recipients[6].email: must be an email address, got "anna.example.com"`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	// What the file takes, the channel sends to.
	s := newSink(t)
	mailer, err := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: "goals@example.com", Security: "none"})
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{"Анна <anna@пример.рф>", "anna@[192.0.2.1]"} {
		m := testMessage()
		m.To.Email = to
		m.ID = deliver.MessageID(m.Key, "anna", to)
		if err := mailer.Send(context.Background(), m); err != nil {
			t.Errorf("%s: %v", to, err)
		}
	}
}
