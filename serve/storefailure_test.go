package serve

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// downStore is a memory TrackStore whose commits fail, with words that
// name the database, while down is set.
type downStore struct {
	*memory.TrackStore
	down atomic.Bool
}

const dbWords = "dial tcp db.internal:5432: user goalkit_rw: connection refused"

func (s *downStore) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	if s.down.Load() {
		return &dbError{}
	}
	return s.TrackStore.Commit(ctx, b)
}

type dbError struct{}

func (*dbError) Error() string { return dbWords }

// A batch the store fails to commit is answered 503, to be sent again,
// without the store's words (they go to the log), and nothing of it is
// applied; sent again once the store is back, it is applied whole (a
// refused batch is told from it in kpi: TestTrackerTellsAStoreFailureFromARefusal).
func TestEventsWhenTheStoreFails(t *testing.T) {
	f, store := downFixture(t, nil)
	at := testNow.Add(-time.Hour)
	body := ndjson(t, []kpi.Event{
		{ID: "e1", Kind: "deal_won", Time: at, Actor: "anna"},
		{ID: "e2", Kind: "deal_won", Time: at, Actor: "boris"},
	})
	store.down.Store(true)
	sendAgain(t, f, f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", body))
	if n := f.tr.Indicators().Len(); n != 0 {
		t.Fatalf("%d events applied after the store failed, want 0", n)
	}
	store.down.Store(false)
	w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", body)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"applied":2`) {
		t.Fatalf("sent again: %d %s, want both applied", w.Code, w.Body)
	}
}

// A close the store fails to commit is answered 503, to be sent again,
// without the store's words (they go to the log), as a batch of events
// is; sent again once the store is back, it closes the period.
func TestCloseWhenTheStoreFails(t *testing.T) {
	f, store := downFixture(t, func(c *Config) { c.Now = func() time.Time { return time.Date(2025, 4, 2, 9, 0, 0, 0, time.UTC) } })
	f.post(deal("d1", "n1", "120000", day(3, 10)))
	store.down.Store(true)
	sendAgain(t, f, f.do("POST", "/api/v1/goals/revenue_user/close?period=2025-03", writerToken, "", nil))
	store.down.Store(false)
	if w := f.do("POST", "/api/v1/goals/revenue_user/close?period=2025-03", writerToken, "", nil); w.Code != 200 || !strings.Contains(w.Body.String(), `"records":[{`) {
		t.Fatalf("sent again: %d %s, want the period closed", w.Code, w.Body)
	}
}

// downFixture is a server of the test plan on a downStore, with the config
// as edit leaves it.
func downFixture(t *testing.T, edit func(*Config)) (*fixture, *downStore) {
	t.Helper()
	dir := goalkittest.ReadDirectory(t, "testdata/directory.json")
	store := &downStore{TrackStore: memory.NewTrackStore()}
	return trackFixture(t, goalkittest.ReadPlan(t, "testdata/plan.yaml"), dir, store, store.TrackStore, edit), store
}

// sendAgain checks the answer to a write the store failed to commit: 503
// asking to send it again, without the store's words, which the log has.
func sendAgain(t *testing.T, f *fixture, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code != 503 || strings.Contains(w.Body.String(), "db.internal") || strings.Contains(w.Body.String(), "goalkit_rw") ||
		!strings.Contains(w.Body.String(), "send it again") {
		t.Fatalf("store down: %d %s, want 503 asking to send it again, without the store's words", w.Code, w.Body)
	}
	if !strings.Contains(f.logs.String(), "db.internal:5432") {
		t.Errorf("the log has not the store's error:\n%s", f.logs)
	}
}
