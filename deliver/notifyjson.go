package deliver

import (
	"encoding/json"
	"fmt"

	"github.com/goalkit/goalkit/goal"
)

// decodeNotification reads a notification from its JSON form (the tracker's
// ledger holds them as goal.Notification's MarshalJSON writes them).
func decodeNotification(data []byte) (goal.Notification, error) {
	var n goal.Notification
	if err := json.Unmarshal(data, &n); err != nil {
		return goal.Notification{}, fmt.Errorf("notification: %w", err)
	}
	return n, nil
}
