package deliver

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// notificationJSON reads a notification as goal.Notification's MarshalJSON
// writes it (the tracker's ledger holds them so).
type notificationJSON struct {
	Key         string              `json:"key"`
	Kind        goal.NotifyKind     `json:"kind"`
	Goal        string              `json:"goal"`
	Participant string              `json:"participant"`
	Period      string              `json:"period"`
	PeriodStart date.Date           `json:"period_start"`
	PeriodEnd   date.Date           `json:"period_end"`
	At          string              `json:"at"`
	Status      goal.Status         `json:"status"`
	Milestone   string              `json:"milestone"`
	Actual      decimal.NullDecimal `json:"actual"`
	Target      decimal.NullDecimal `json:"target"`
	Forecast    decimal.NullDecimal `json:"forecast"`
	Before      decimal.NullDecimal `json:"before"`
	DaysLeft    int                 `json:"days_left"`
	Message     string              `json:"message"`
}

// decodeNotification reads a notification from its JSON form.
func decodeNotification(data []byte) (goal.Notification, error) {
	var w notificationJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return goal.Notification{}, fmt.Errorf("notification: %w", err)
	}
	at, err := time.Parse(time.RFC3339Nano, w.At)
	if err != nil {
		return goal.Notification{}, fmt.Errorf("notification %q: at: %w", w.Key, err)
	}
	return goal.Notification{Key: w.Key, Kind: w.Kind, Goal: w.Goal, Participant: w.Participant, Period: w.Period,
		PeriodStart: w.PeriodStart, PeriodEnd: w.PeriodEnd, At: at, Status: w.Status, Milestone: w.Milestone,
		Actual: w.Actual, Target: w.Target, Forecast: w.Forecast, Before: w.Before, DaysLeft: w.DaysLeft, Message: w.Message}, nil
}
