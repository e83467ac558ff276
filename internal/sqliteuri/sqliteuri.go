// Package sqliteuri writes the URI by which SQLite opens a file, for the
// SQLite store (adapters/sqlite) and delivery's outbox.
package sqliteuri

import (
	"net/url"
	"strings"
)

// File returns the "file:" URI of the file at path, its query left to the
// caller: the path escaped as a URI's path (a name with "#", "?" or "%" is
// a file of that name), and "file://" with an empty authority before a
// path that starts with "/", so that one that starts with "//" (a path
// joined onto "/", the same file to POSIX) is not read as an authority.
func File(path string) string {
	p := (&url.URL{Path: path}).EscapedPath()
	if strings.HasPrefix(path, "/") {
		return "file://" + p
	}
	return "file:" + p
}
