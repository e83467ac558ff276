package goalkit

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// AttrText is an attribute's value as the report writes it (the by.NAME
// columns of CSV, the breakdowns of JSON and the table, an explanation's
// heading): a string as it is, an integer in decimal, a decimal exactly,
// a bool as true or false, a time in RFC 3339 with its offset (in UTC
// when the offset has seconds or is a day or more, which RFC 3339 cannot
// write) and nanoseconds, and "" for none. ParseAttr reads it back.
func AttrText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case decimal.Decimal:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if _, off := x.Zone(); off%60 != 0 || off <= -24*3600 || off >= 24*3600 {
			// RFC 3339 offsets have no seconds (a local mean time's have)
			// and fewer than 24 hours (a time.FixedZone may have more):
			// such a time is written in UTC, so that it reads back as the
			// same instant.
			x = x.UTC()
		}
		return x.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

// ParseAttr reads an attribute's value of type t from AttrText's text,
// strictly, as the typed value kpi.Row.By holds and Cell.By takes: an
// int64, a decimal.Decimal, a bool or a time.Time; a string when t is
// kpi.AttrString or undeclared (zero).
func ParseAttr(t kpi.AttrType, s string) (any, error) {
	switch t {
	case kpi.AttrInt:
		if strings.HasPrefix(s, "+") {
			return nil, fmt.Errorf("%q: an integer is written without a plus sign", s)
		}
		return strconv.ParseInt(s, 10, 64)
	case kpi.AttrDecimal:
		return decimal.NewFromString(s)
	case kpi.AttrBool:
		switch s {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("%q: a bool is true or false", s)
	case kpi.AttrTime:
		return time.Parse(time.RFC3339Nano, s)
	}
	return s, nil
}
