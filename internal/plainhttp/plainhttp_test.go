package plainhttp

import (
	"net/url"
	"testing"
)

func TestInClear(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want bool
	}{
		{"http://example.com/hook", true},
		{"HTTP://example.com/hook", true},
		{"http://10.0.0.1:8080/", true},
		{"http://[2001:db8::1]/", true},
		{"http://localhost:8080/", false},
		{"http://LocalHost/", false},
		{"http://127.0.0.1/", false},
		{"http://127.9.9.9/", false},
		{"http://[::1]:80/", false},
		{"https://example.com/hook", false},
		{"ftp://example.com/", false},
	} {
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := InClear(u); got != tc.want {
			t.Errorf("InClear(%s) = %v, want %v", tc.url, got, tc.want)
		}
	}
}
