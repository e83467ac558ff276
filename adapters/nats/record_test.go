package nats

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeRecord(t *testing.T) {
	for _, tc := range []struct {
		data string
		want snapRecord
		err  string // a part of the error; "" for none
	}{
		{data: `{}`},
		{data: `{"object":"p0.snapshot.a","batches":3,"seq":9}`, want: snapRecord{Object: "p0.snapshot.a", Batches: 3, Seq: 9}},
		{data: `{"object":"p0.snapshot.a"}`, want: snapRecord{Object: "p0.snapshot.a"}},
		{data: `{"object":"o","batches":5,"seq":20,"pruned":3,"pruned_seq":12,"keys":"k"}`,
			want: snapRecord{Object: "o", Batches: 5, Seq: 20, Pruned: 3, PrunedSeq: 12, Keys: "k"}},
		{data: `{"object":"o","batches":5,"seq":20,"pruned":3,"pruned_seq":12,"ledger":[{"name":"a","n":4},{"name":"b","n":1}]}`,
			want: snapRecord{Object: "o", Batches: 5, Seq: 20, Pruned: 3, PrunedSeq: 12, Ledger: []keyObject{{"a", 4}, {"b", 1}}}},
		{data: `{"object":"o","batches":5,"seq":20,"pruned":3,"pruned_seq":12,"ledger":[{"name":"","n":4}]}`, err: "ledger keys' object"},
		{data: `{"object":"o","batches":5,"seq":20,"pruned":3,"pruned_seq":12,"ledger":[{"name":"a","n":0}]}`, err: "ledger keys' object"},
		{data: `{"object":"o","batches":3,"seq":12,"pruned":3,"pruned_seq":12}`,
			want: snapRecord{Object: "o", Batches: 3, Seq: 12, Pruned: 3, PrunedSeq: 12}},
		{data: `{"object":"o","batches":-1,"seq":1}`, err: "negative"},
		{data: `{"batches":2,"seq":4}`, err: "without a snapshot"},
		{data: `{"object":"o","batches":2,"seq":4,"pruned":3,"pruned_seq":5}`, err: "fewer than the 3 pruned"},
		{data: `{"object":"o","batches":3,"seq":4,"pruned":3,"pruned_seq":5}`, err: "end at sequence 4"},
		{data: `{"object":"o","batches":3}`, err: "end at sequence 0"},
		{data: `{"object":"o","seq":3}`, err: "end at sequence 3"},
		{data: `{"object":"o","batches":3,"seq":4,"pruned":2}`, err: "2 batches pruned up to sequence 0"},
		{data: `{"object":"o","batches":3,"seq":4,"pruned_seq":2}`, err: "0 batches pruned up to sequence 2"},
		{data: `{"object":1}`, err: "cannot unmarshal"},
		{data: `{"object":"o"`, err: "unexpected end"},
	} {
		got, err := decodeRecord([]byte(tc.data))
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.data, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: error %v, want one with %q", tc.data, err, tc.err)
		case !reflect.DeepEqual(got, tc.want):
			t.Errorf("%s: %+v, want %+v", tc.data, got, tc.want)
		}
	}
}

// FuzzDecodeRecord checks that what decodeRecord accepts holds together
// and reads back the same once written.
func FuzzDecodeRecord(f *testing.F) {
	for _, s := range []string{`{}`, `{"object":"o","batches":5,"seq":20,"pruned":3,"pruned_seq":12,"keys":"k"}`,
		`{"object":"o","batches":3,"seq":4,"pruned":2}`, `{"batches":-1}`, `{"pruned":1,"pruned_seq":2,"ledger":[{"name":"a","n":2}]}`, `null`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := decodeRecord(data)
		if err != nil {
			return
		}
		if r.Batches < 0 || r.Pruned < 0 || (r.Pruned > 0) != (r.PrunedSeq > 0) {
			t.Fatalf("accepted %+v", r)
		}
		if r.Object != "" {
			if r.Batches < r.Pruned || r.Seq < r.PrunedSeq {
				t.Fatalf("accepted a snapshot before the pruned batches: %+v", r)
			}
			if n, seq := r.anchor(r.Batches); n != r.Batches && n != r.Pruned || seq > r.Seq {
				t.Fatalf("anchor of %+v: %d at %d", r, n, seq)
			}
		} else if r.Batches != 0 || r.Seq != 0 {
			t.Fatalf("accepted batches without a snapshot: %+v", r)
		}
		out, err := json.Marshal(&r)
		if err != nil {
			t.Fatal(err)
		}
		again, err := decodeRecord(out)
		if err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("%+v written as %s reads back as %+v, %v", r, out, again, err)
		}
	})
}
