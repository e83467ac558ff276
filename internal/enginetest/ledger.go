package enginetest

import "github.com/goalkit/goalkit/kpi"

// LedgerData returns the data of a ledger key the tracker committed, and
// whether it did (kpi.Tracker.LedgerRange, stopped at the key).
func LedgerData(tr *kpi.Tracker, key string) (data []byte, ok bool) {
	tr.LedgerRange(func(k string, d []byte) bool {
		if k == key {
			data, ok = d, true
		}
		return !ok
	})
	return data, ok
}
