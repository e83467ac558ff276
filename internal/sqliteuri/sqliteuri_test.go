package sqliteuri

import (
	"net/url"
	"testing"
)

func TestFile(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"/var/lib/goalkit/events.db", "file:///var/lib/goalkit/events.db"},
		// A path joined onto "/": the same file, and no authority.
		{"//var/lib/events.db", "file:////var/lib/events.db"},
		{"events.db", "file:events.db"},
		{"data/events.db", "file:data/events.db"},
		// Characters a URI reserves name the file, escaped by hand here.
		{"/d/a b#c?d%20e;f.db", "file:///d/a%20b%23c%3Fd%2520e;f.db"},
		{"/d/отчёт.db", "file:///d/%D0%BE%D1%82%D1%87%D1%91%D1%82.db"},
	} {
		if got := File(c.path); got != c.want {
			t.Errorf("File(%q) = %q, want %q", c.path, got, c.want)
		}
	}
}

// An absolute path reads back from its URI whole, with an empty authority,
// whatever its characters.
func FuzzFileAbsolute(f *testing.F) {
	for _, p := range []string{"/a.db", "//a.db", "///a", "/a b#c?d%20e;f.db", "/%zz", "/a/../b"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if len(p) == 0 || p[0] != '/' {
			p = "/" + p
		}
		u, err := url.Parse(File(p))
		if err != nil {
			t.Fatalf("%q: %v", File(p), err)
		}
		if u.Scheme != "file" || u.Host != "" || u.User != nil || u.Path != p || u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("%q reads back as scheme %q, host %q, path %q, query %q, fragment %q", File(p), u.Scheme, u.Host, u.Path, u.RawQuery, u.Fragment)
		}
	})
}
