package eventfile

import (
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// TestCodedByCodes loads files whose values repeat, so that most lines are
// coded by the codes their values already have (eventCoded), among lines
// that must go the general way: deleted versions, corrections, values new
// to a chunk, amounts that are not plain digits, bad lines, versions the
// store refuses. Each load is compared with loading the file one version
// at a time (sameInBatches).
func TestCodedByCodes(t *testing.T) {
	headers := []string{
		"id,kind,time,actor,amount,currency,deleted,source,pipeline",
		"id,kind,time,actor,source,pipeline",
		"pipeline,actor,time,kind,id,amount,currency",
		"id,kind,time,actor,amount,currency,deleted,source,pipeline,price,ok,at",
	}
	// The good values of each column ("" for id: a fresh one), the first
	// two the likeliest, and bad ones.
	good := map[string][]string{
		"id":       {"", "", "7", "x-1"},
		"kind":     {"call", "deal_won"},
		"time":     {"2025-01-01T10:00:00Z", "2025-03-01T10:00:00+03:00", "2025-01-01T10:00:01.5Z"},
		"actor":    {"898", "u1", "7", "0898", "70000"},
		"amount":   {"", "12.50", "1e3", "99999999999999999", "1234567890123456789", "-5", "0.001"},
		"currency": {"", "RUB", "EUR"},
		"deleted":  {"", "false", "true"},
		"source":   {"web", "referral", "é", "a,b"},
		"pipeline": {"1", "2", ""},
		"price":    {"", "1.5"},
		"ok":       {"", "true"},
		"at":       {"", "2025-01-01T00:00:00Z"},
	}
	bad := map[string][]string{
		"id": {"", "a\x01b"}, "kind": {""}, "time": {"2025-13-01T10:00:00Z", ""}, "actor": {"*", ""},
		"amount": {"x"}, "currency": {"rub"}, "deleted": {"x"}, "source": {"\xff"}, "pipeline": {"x"},
		"price": {"x"}, "ok": {"no"}, "at": {"x"},
	}
	rapid.Check(t, func(t *rapid.T) {
		header := rapid.SampledFrom(headers).Draw(t, "header")
		cols := strings.Split(header, ",")
		// The value most lines of the file have in each column.
		common := make(map[string]string)
		for _, c := range cols {
			common[c] = rapid.SampledFrom(good[c][:2]).Draw(t, "common "+c)
		}
		var b strings.Builder
		b.WriteString(header + "\n")
		for i := range rapid.IntRange(0, 60).Draw(t, "lines") {
			fields := make([]string, len(cols))
			for k, c := range cols {
				fields[k] = common[c]
				if rapid.IntRange(0, 7).Draw(t, "odd") == 0 {
					fields[k] = rapid.SampledFrom(good[c]).Draw(t, c)
				}
				if c == "id" && fields[k] == "" {
					fields[k] = strconv.Itoa(i + 100)
				}
				if strings.ContainsAny(fields[k], ",\"") {
					fields[k] = `"` + strings.ReplaceAll(fields[k], `"`, `""`) + `"`
				}
			}
			switch rapid.IntRange(0, 40).Draw(t, "bad") {
			case 0:
				fields = fields[1:]
			case 1:
				fields = append(fields, "")
			case 2:
				k := rapid.IntRange(0, len(cols)-1).Draw(t, "bad column")
				fields[k] = rapid.SampledFrom(bad[cols[k]]).Draw(t, "bad "+cols[k])
			}
			b.WriteString(strings.Join(fields, ",") + "\n")
		}
		opt := typedOpt
		opt.Format = CSV
		sameInBatches(t, []byte(b.String()), "f", opt)
	})
}
