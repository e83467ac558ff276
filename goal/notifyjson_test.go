package goal_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A notification reads back as it was written, exactly; a field that cannot
// be read is named with the key.
func TestNotificationJSONRoundTrip(t *testing.T) {
	n := goal.Notification{Key: "at_risk/sales/anna/2025-03/", Kind: goal.NotifyAtRisk, Goal: "sales", Participant: "anna",
		Period: "2025-03", PeriodStart: date.New(2025, 3, 1), PeriodEnd: date.New(2025, 4, 1),
		At: time.Date(2025, 3, 20, 9, 30, 0, 123, time.UTC), Status: goal.AtRisk,
		Actual: decimal.NewNullDecimal(decimal.RequireFromString("150000.50")), Target: decimal.NewNullDecimal(decimal.RequireFromString("500000")),
		DaysLeft: 11, Message: "anna: 30 % of 500 000"}
	data, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	var back goal.Notification
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Actual.Decimal.Equal(n.Actual.Decimal) || !back.Target.Decimal.Equal(n.Target.Decimal) {
		t.Fatalf("numbers: %v %v", back.Actual, back.Target)
	}
	back.Actual, back.Target = n.Actual, n.Target // equal decimals, maybe not the same representation
	if !reflect.DeepEqual(back, n) {
		t.Fatalf("read back %+v\nwrote %+v", back, n)
	}
	for _, tc := range []struct{ in, want string }{
		{`{"kind":"at_risk"}`, "no key"},
		{`{"key":"k","period_start":"2025-03-01","period_end":"2025-04-01","actual":"1e3"}`, `k: actual: want a decimal, got "1e3"`},
		{`{"key":"k","period_start":"2025-13-01","period_end":"2025-04-01"}`, "k: period_start:"},
		{`{"key":"k","period_start":"2025-03-01","period_end":"2025-04-01","at":"yesterday"}`, "k: at:"},
	} {
		var got goal.Notification
		if err := json.Unmarshal([]byte(tc.in), &got); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.in, err, tc.want)
		}
	}
}
