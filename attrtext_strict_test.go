package goalkit_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

// ParseAttr reads AttrText's text strictly (docs/dashboard.md: a bool's
// by.NAME is `true` or `false`): none of the other spellings
// strconv.ParseBool takes.
func TestParseAttrBoolIsStrict(t *testing.T) {
	for _, s := range []string{"1", "t", "T", "TRUE", "True", "0", "f", "F", "FALSE", "False"} {
		if v, err := goalkit.ParseAttr(kpi.AttrBool, s); err == nil {
			t.Errorf("ParseAttr(bool, %q) = %v, want an error (AttrText writes only true and false)", s, v)
		}
	}
}

// AttrText writes a time in RFC 3339, whose offset has no seconds: a time
// in a zone whose offset has seconds (a local mean time, as the tz
// database gives for dates before standard time: Europe/Moscow was
// +02:30:17 until 1880) is written in UTC, and ParseAttr reads back the
// same instant (its wall clock with the offset cut to the minute would be
// 17 s off).
func TestAttrTextKeepsTheInstantOfASecondsOffset(t *testing.T) {
	at := time.Date(1870, 3, 1, 12, 0, 0, 0, time.FixedZone("LMT", 2*3600+30*60+17))
	got, err := goalkit.ParseAttr(kpi.AttrTime, goalkit.AttrText(at))
	if err != nil {
		t.Fatal(err)
	}
	if !got.(time.Time).Equal(at) {
		t.Errorf("%v → %q → %v: another instant", at, goalkit.AttrText(at), got)
	}
}

// A time in a zone whose offset is a day or more (time.FixedZone takes
// any) is written in UTC too: RFC 3339 offsets are under 24 hours, and
// ParseAttr could not read "+25:00" back.
func TestAttrTextKeepsTheInstantOfADayLongOffset(t *testing.T) {
	for _, off := range []int{25 * 3600, -(99*3600 + 59*60), 24 * 3600, 23*3600 + 59*60} {
		at := time.Date(2025, 3, 1, 12, 0, 0, 5, time.FixedZone("", off))
		got, err := goalkit.ParseAttr(kpi.AttrTime, goalkit.AttrText(at))
		if err != nil {
			t.Errorf("offset %d s: %q does not read back: %v", off, goalkit.AttrText(at), err)
			continue
		}
		if !got.(time.Time).Equal(at) {
			t.Errorf("offset %d s: %v → %q → %v: another instant", off, at, goalkit.AttrText(at), got)
		}
	}
}
