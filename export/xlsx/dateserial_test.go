package xlsx

import (
	"testing"
	"time"
)

// Excel's 1900 date system shows days from 1900-03-01 (serial 61) to
// 9999-12-31 (serial 2958465) as they are; the others stay text.
func TestDateSerialBounds(t *testing.T) {
	for _, c := range []struct {
		day    time.Time
		serial int64
		ok     bool
	}{
		{time.Date(1900, 2, 28, 0, 0, 0, 0, time.UTC), 0, false},
		{time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), 61, true},
		{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), 25569, true},
		{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), 45717, true},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), 2958465, true},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), 0, false},
	} {
		if s, ok := dateSerial(c.day); s != c.serial || ok != c.ok {
			t.Errorf("dateSerial(%s) = %d, %t, want %d, %t", c.day.Format(time.DateOnly), s, ok, c.serial, c.ok)
		}
	}
}
