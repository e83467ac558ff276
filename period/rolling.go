package period

import (
	"time"

	"github.com/rickb777/date/v2"
)

// Rolling returns the window of the last days whole local days up to and
// including the date of t: [d-days+1, d+1) where d is c.Date(t). Its grain
// is Days(days), so Next and Prev move it by whole windows. Rolling returns
// the zero Period if days is not in 1..[MaxDays].
func (c *Calendar) Rolling(days int, t time.Time) Period {
	if days < 1 || days > MaxDays {
		return Period{}
	}
	d := c.Date(t)
	return Period{Grain: Days(days), Start: d - date.Date(days) + 1, End: d + 1}
}
