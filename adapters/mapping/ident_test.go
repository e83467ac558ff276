package mapping

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/kpi"
)

// An actor, or a key whose text goes into event ids, with a control
// character is a bad row, as in an event file: named beside the table's
// other bad rows, whatever the store, and never handed to one that does not
// check it itself.
func TestLoadCSVIdentifierControlCharacters(t *testing.T) {
	m := compileFile(t, "deals.yaml")
	for _, tc := range []struct{ name, table, want string }{
		{"actor", dealsHeader + "A,Moses\tFrase,p,c,Won,2016-10-20,2017-03-01,1\nB,a,p,c,Won,2016-10-20,2017-13-01,1\n",
			"deals.csv:2: rule \"deal.created\": actor column \"sales_agent\" is \"Moses\\tFrase\", which has a control character (U+0009)\n" +
				"deals.csv:3: column \"close_date\": not a date \"2017-13-01\": months are 01 to 12"},
		{"actor C1", dealsHeader + "A,a\u009b2J,p,c,Engaging,2016-10-20,,\n",
			`deals.csv:2: rule "deal.created": actor column "sales_agent" is "a\u009b2J", which has a control character (U+009B)`},
		{"key", dealsHeader + "\"A\nB\",a,p,c,Won,2016-10-20,2017-03-01,1\nC,a,p,c,Won,2016-10-20,2017-13-01,1\n",
			"deals.csv:2: column \"opportunity_id\": key \"A\\nB\" has a control character (U+000A)\n" +
				"deals.csv:4: column \"close_date\": not a date \"2017-13-01\": months are 01 to 12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			host := eventfile.StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
				return fn(func(e *kpi.Event) error {
					got = append(got, e.ID)
					return nil
				})
			})
			err := m.LoadCSV(context.Background(), host, strings.NewReader(tc.table), "deals.csv", Options{})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got\n%v\nwant\n%s", err, tc.want)
			}
			rec := &recorder{}
			err = m.LoadCSV(context.Background(), rec, strings.NewReader(tc.table), "deals.csv", Options{})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("into a store that checks: got\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
}
