package goalkit_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

// ParseAttr is documented to read AttrText's text strictly, and
// docs/dashboard.md says a bool's by.NAME is `true`/`false`; it reads
// with strconv.ParseBool, which also takes 1, t, T, TRUE, True, 0, f, F,
// FALSE and False. A strict read accepts only what AttrText writes:
// compare with "true" and "false".
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
// +02:30:17 until 1880) is written with its wall clock but an offset cut
// to the minute, and ParseAttr reads back another instant (here 17 s
// later). The attribute's text then names a value the events do not
// hold. Writing such a time in UTC (or with a numeric offset rounded
// together with the clock) would keep the instant.
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
