package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http/httptest"
	"strings"
	"testing"
)

// The digest of the empty token is what `printf %s "$TOKEN" | sha256sum`
// gives when the variable is unset: a tokens file that holds it is refused,
// and a request whose bearer token is empty (or only white space) is
// unauthenticated whatever the file holds.
func TestEmptyToken(t *testing.T) {
	sum := sha256.Sum256(nil)
	empty := hex.EncodeToString(sum[:])
	_, err := ParseTokenFile("t.yaml", []byte("tokens:\n  - {sha256: "+empty+", role: admin}\n"))
	if want := "t.yaml:2: sha256 is the digest of an empty token"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("the empty token's digest: %v, want %s…", err, want)
	}
	tf := &TokenFile{Tokens: []Token{{Name: "empty", Identity: Identity{Role: Admin, Viewer: adminViewer}, digest: sum}}}
	for _, h := range []string{"Bearer ", "Bearer  ", "Bearer \t", "bearer    "} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", h)
		if id, err := tf.Authenticate(r); err != ErrUnauthenticated {
			t.Errorf("Authorization %q: %+v %v, want unauthenticated", h, id, err)
		}
	}
}
