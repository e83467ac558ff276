// Command modproxy writes a Go module proxy into a directory, in the layout
// that GOPROXY=file://DIR reads, holding every module of this repository's
// go.work at its release version. Each module's zip is made the way the go
// command makes it from a tagged commit: the files git tracks in the module's
// directory (as they are in the working tree), less nested modules, vendored
// packages and symbolic links, with the repository's LICENSE added to a
// module in a subdirectory that has none; and it is refused, like the go
// command refuses it, for a bad file name, a case-insensitive name collision
// or a size over the limits.
//
//	go run ./scripts/modproxy -o DIR [-version vX.Y.Z]
//
// The release version is the one at which the modules require one another;
// they must all agree, and -version, if given, must be it. modproxy also
// refuses what would break a consumer: a replace or exclude directive in a
// published go.mod, a toolchain line, a go line that differs from go.work's,
// and a module of the repository that go.work does not use.
//
// It prints one line per module written, "PATH VERSION". It is a tool of
// this repository (scripts/consumer-test.sh runs it), not part of goalkit's
// API, and uses only the standard library and the git and go commands.
package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/version"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The limits of golang.org/x/mod/zip, which the go command enforces.
const (
	maxZipFile = 500 << 20 // total uncompressed size of a module's files
	maxGoMod   = 16 << 20
	maxLICENSE = 16 << 20
)

func main() {
	out := flag.String("o", "", "the proxy `directory` to write (created if missing)")
	want := flag.String("version", "", "the release `version` the modules must require one another at")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: modproxy -o DIR [-version vX.Y.Z]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*out, *want, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "modproxy:", err)
		os.Exit(1)
	}
}

// problems collects every problem found, so that one run reports them all.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	sort.Strings(p)
	return errors.New(strings.Join(p, "\n  "))
}

// module is one module of the workspace.
type module struct {
	dir  string // slash path relative to the repository root; "." for the root
	path string
	mod  goMod
	data []byte // the go.mod file
}

// goMod is the part of `go mod edit -json` that modproxy reads.
type goMod struct {
	Module    struct{ Path string }
	Go        string
	Toolchain string
	Require   []struct{ Path, Version string }
	Exclude   []struct{ Path, Version string }
	Replace   []struct {
		Old, New struct{ Path, Version string }
	}
}

// goWork is the part of `go work edit -json` that modproxy reads.
type goWork struct {
	Go        string
	Toolchain string
	Use       []struct{ DiskPath string }
}

func run(out, want string, stdout io.Writer) error {
	root, err := command("", "git", "rev-parse", "--show-toplevel")
	if err != nil {
		return err
	}
	root = strings.TrimSpace(root)
	tracked, err := trackedFiles(root)
	if err != nil {
		return err
	}
	mods, vers, err := loadWorkspace(root, tracked, want)
	if err != nil {
		return err
	}
	when, err := commitTime(root)
	if err != nil {
		return err
	}
	for _, m := range mods {
		if err := publish(root, out, m, vers, when, tracked); err != nil {
			return fmt.Errorf("%s: %w", m.path, err)
		}
		fmt.Fprintln(stdout, m.path, vers)
	}
	return nil
}

// command runs name with args in dir and returns its standard output.
func command(dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(b), nil
}

// trackedFiles lists the files git tracks, as slash paths relative to root.
func trackedFiles(root string) ([]string, error) {
	s, err := command(root, "git", "ls-files", "-z", "--cached")
	if err != nil {
		return nil, err
	}
	var files []string
	for f := range strings.SplitSeq(s, "\x00") {
		if f != "" {
			files = append(files, f)
		}
	}
	sort.Strings(files)
	return files, nil
}

func commitTime(root string) (time.Time, error) {
	s, err := command(root, "git", "log", "-1", "--format=%cI")
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("the commit time: %w", err)
	}
	return t.UTC(), nil
}

var semver = regexp.MustCompile(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$`)

// loadWorkspace reads go.work and the go.mod of every module it uses, checks
// them, and returns the modules and the release version.
func loadWorkspace(root string, tracked []string, want string) ([]module, string, error) {
	var ps problems
	s, err := command(root, "go", "work", "edit", "-json", "go.work")
	if err != nil {
		return nil, "", err
	}
	var w goWork
	if err := json.Unmarshal([]byte(s), &w); err != nil {
		return nil, "", fmt.Errorf("go.work: %w", err)
	}
	if w.Toolchain != "" {
		ps.add("go.work: toolchain %s: a toolchain line makes older go commands download that toolchain; state the minimum in the go line only", w.Toolchain)
	}

	var mods []module
	used := map[string]bool{}
	for _, u := range w.Use {
		dir := path.Clean(filepath.ToSlash(u.DiskPath))
		if path.IsAbs(dir) || dir == ".." || strings.HasPrefix(dir, "../") {
			ps.add("go.work: use %s: not inside the repository", u.DiskPath)
			continue
		}
		used[dir] = true
		file := path.Join(dir, "go.mod")
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
		if err != nil {
			return nil, "", err
		}
		s, err := command(root, "go", "mod", "edit", "-json", filepath.FromSlash(file))
		if err != nil {
			return nil, "", err
		}
		m := module{dir: dir, data: data}
		if err := json.Unmarshal([]byte(s), &m.mod); err != nil {
			return nil, "", fmt.Errorf("%s: %w", file, err)
		}
		m.path = m.mod.Module.Path
		mods = append(mods, m)
	}

	// Every module of the repository is published, so go.work must use it. A
	// go.mod under testdata is a test fixture, not a module of the repository.
	for _, f := range tracked {
		dir, base := path.Split(f)
		dir = strings.TrimSuffix(dir, "/")
		if dir == "" {
			dir = "."
		}
		if base != "go.mod" || used[dir] || hasElem(dir, "testdata") {
			continue
		}
		ps.add("%s: a module of the repository that go.work does not use", f)
	}

	inWork := map[string]bool{}
	for _, m := range mods {
		inWork[m.path] = true
	}
	versions := map[string][]string{} // release version → "FILE: PATH VERSION" of each requirement at it
	for _, m := range mods {
		file := path.Join(m.dir, "go.mod")
		if m.mod.Go != w.Go {
			ps.add("%s: go %s, but go.work says go %s: one Go version for the repository", file, m.mod.Go, w.Go)
		}
		if m.mod.Toolchain != "" {
			ps.add("%s: toolchain %s: a toolchain line makes older go commands download that toolchain", file, m.mod.Toolchain)
		}
		for _, r := range m.mod.Replace {
			ps.add("%s: replace %s: consumers ignore replace directives, and go install PKG@VERSION refuses them; replace in go.work instead", file, r.Old.Path)
		}
		for _, e := range m.mod.Exclude {
			ps.add("%s: exclude %s %s: consumers ignore exclude directives, and go install PKG@VERSION refuses them", file, e.Path, e.Version)
		}
		for _, r := range m.mod.Require {
			if inWork[r.Path] {
				versions[r.Version] = append(versions[r.Version], fmt.Sprintf("%s: %s %s", file, r.Path, r.Version))
			}
		}
	}

	vers := want
	switch {
	case len(versions) > 1:
		var lines []string
		for _, reqs := range versions {
			lines = append(lines, reqs...)
		}
		sort.Slice(lines, func(i, j int) bool { return lineVersion(lines[i])+lines[i] < lineVersion(lines[j])+lines[j] })
		ps.add("the modules require one another at different versions; they are released together, at one version:\n    %s", strings.Join(lines, "\n    "))
	case len(versions) == 1:
		for v := range versions {
			if want != "" && want != v {
				ps.add("-version %s, but the modules require one another at %s", want, v)
			}
			vers = v
		}
	case want == "":
		ps.add("no module requires another, so the release version is unknown: give -version")
	}
	if err := ps.err(); err != nil {
		return nil, "", err
	}
	if !semver.MatchString(vers) {
		return nil, "", fmt.Errorf("release version %q: not a semantic version vMAJOR.MINOR.PATCH", vers)
	}
	if major := semver.FindStringSubmatch(vers)[1]; major != "0" && major != "1" {
		for _, m := range mods {
			if !strings.HasSuffix(m.path, "/v"+major) {
				ps.add("%s: version %s needs the module path to end in /v%s", m.path, vers, major)
			}
		}
	}
	return mods, vers, ps.err()
}

// lineVersion is the version at the end of a "FILE: PATH VERSION" line.
func lineVersion(line string) string { return line[strings.LastIndexByte(line, ' ')+1:] }

// hasElem reports whether the slash path p has an element named elem.
func hasElem(p, elem string) bool {
	for e := range strings.SplitSeq(p, "/") {
		if e == elem {
			return true
		}
	}
	return false
}

// zipFile is one file of a module zip: its name inside the module and where
// its content is.
type zipFile struct {
	name string
	src  string // file on disk
	size int64
}

// moduleFiles applies the go command's rules for a module zip to the files
// git tracks in m's directory.
func moduleFiles(root string, m module, tracked []string) ([]zipFile, error) {
	prefix := ""
	if m.dir != "." {
		prefix = m.dir + "/"
	}
	var rel []string
	for _, f := range tracked {
		if strings.HasPrefix(f, prefix) {
			rel = append(rel, strings.TrimPrefix(f, prefix))
		}
	}
	// Directories with a go.mod of their own hold another module.
	nested := map[string]bool{}
	for _, f := range rel {
		dir, base := path.Split(f)
		if dir != "" && strings.EqualFold(base, "go.mod") {
			nested[dir] = true
		}
	}
	inNested := func(f string) bool {
		for {
			dir, _ := path.Split(f)
			if dir == "" {
				return false
			}
			if nested[dir] {
				return true
			}
			f = dir[:len(dir)-1]
		}
	}

	var ps problems
	var files []zipFile
	seen := map[string]string{} // case-folded name → name, for files and their directories
	var total int64
	haveLICENSE := false
	for _, f := range rel {
		if inNested(f) || vendored(f, m.mod.Go) || f == ".hg_archival.txt" || vcsDir(f) {
			continue
		}
		if err := checkFilePath(f); err != nil {
			ps.add("%s: %v", f, err)
			continue
		}
		if strings.EqualFold(f, "go.mod") && f != "go.mod" {
			ps.add("%s: go.mod file name must be lower case", f)
			continue
		}
		src := filepath.Join(root, filepath.FromSlash(prefix+f))
		info, err := os.Lstat(src)
		if errors.Is(err, os.ErrNotExist) {
			continue // deleted in the working tree: not in the next commit
		}
		if err != nil {
			return nil, err
		}
		if !info.Mode().IsRegular() {
			continue // the go command leaves symbolic links and other non-files out
		}
		if err := collide(seen, f, false); err != nil {
			ps.add("%v", err)
			continue
		}
		if f == "go.mod" && info.Size() > maxGoMod {
			ps.add("go.mod: larger than %d bytes", maxGoMod)
		}
		if f == "LICENSE" {
			haveLICENSE = true
			if info.Size() > maxLICENSE {
				ps.add("LICENSE: larger than %d bytes", maxLICENSE)
			}
		}
		total += info.Size()
		files = append(files, zipFile{name: f, src: src, size: info.Size()})
	}
	// The go command gives a module in a subdirectory without a LICENSE of
	// its own the repository's.
	if !haveLICENSE && m.dir != "." {
		src := filepath.Join(root, "LICENSE")
		if info, err := os.Lstat(src); err == nil && info.Mode().IsRegular() && tracks(tracked, "LICENSE") {
			total += info.Size()
			files = append(files, zipFile{name: "LICENSE", src: src, size: info.Size()})
		}
	}
	if total > maxZipFile {
		ps.add("the module's files total %d bytes; a module zip holds at most %d", total, maxZipFile)
	}
	if _, ok := seen["go.mod"]; !ok {
		ps.add("go.mod: not tracked by git")
	}
	return files, ps.err()
}

func tracks(tracked []string, f string) bool {
	i := sort.SearchStrings(tracked, f)
	return i < len(tracked) && tracked[i] == f
}

// vcsDir reports whether f is inside a version control system's directory,
// which the go command leaves out of a module zip.
func vcsDir(f string) bool {
	dir, _ := path.Split(f)
	for e := range strings.SplitSeq(strings.TrimSuffix(dir, "/"), "/") {
		switch e {
		case ".bzr", ".git", ".hg", ".svn":
			return true
		}
	}
	return false
}

// vendored reports whether f is in a vendored package, which the go command
// leaves out of a module zip (golang.org/x/mod/zip's isVendoredPackage, for
// the go version goVers of the module).
func vendored(f, goVers string) bool {
	modern := version.Compare("go"+goVers, "go1.24") >= 0
	if modern && f == "vendor/modules.txt" {
		return true
	}
	var i int
	if strings.HasPrefix(f, "vendor/") {
		i = len("vendor/")
	} else if j := strings.Index(f, "/vendor/"); j >= 0 {
		if modern {
			i = j + len("/vendor/")
		} else {
			i = len("/vendor/")
		}
	} else {
		return false
	}
	return strings.Contains(f[i:], "/")
}

// collide records f (and its directories) in seen and reports names that
// differ only in case, as module zips must not hold both.
func collide(seen map[string]string, f string, isDir bool) error {
	key := strings.ToLower(f)
	if isDir {
		key += "/"
	}
	if other, ok := seen[key]; ok {
		if other != f {
			return fmt.Errorf("%s: differs only in case from %s", f, other)
		}
		if !isDir {
			return fmt.Errorf("%s: listed twice", f)
		}
		return nil
	}
	seen[key] = f
	if dir := path.Dir(f); dir != "." {
		return collide(seen, dir, true)
	}
	return nil
}

var badWindowsNames = []string{"CON", "PRN", "AUX", "NUL",
	"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
	"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"}

// checkFilePath is golang.org/x/mod/module.CheckFilePath: the names a module
// zip may hold.
func checkFilePath(p string) error {
	if !utf8.ValidString(p) {
		return errors.New("invalid UTF-8 in file name")
	}
	if p == "" || strings.HasSuffix(p, "/") || strings.Contains(p, "//") || path.IsAbs(p) || path.Clean(p) != p {
		return errors.New("not a clean relative file name")
	}
	for elem := range strings.SplitSeq(p, "/") {
		if strings.Count(elem, ".") == len(elem) {
			return fmt.Errorf("invalid path element %q", elem)
		}
		if strings.HasSuffix(elem, ".") {
			return fmt.Errorf("path element %q ends in a dot", elem)
		}
		for _, r := range elem {
			if !fileNameOK(r) {
				return fmt.Errorf("invalid character %q in a file name", r)
			}
		}
		short, _, _ := strings.Cut(elem, ".")
		for _, bad := range badWindowsNames {
			if strings.EqualFold(bad, short) {
				return fmt.Errorf("%q is not a valid file name on Windows", short)
			}
		}
	}
	return nil
}

func fileNameOK(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' ||
			strings.ContainsRune("!#$%&()+,-.=@[]^_{}~ ", r)
	}
	return unicode.IsLetter(r)
}

// escape is golang.org/x/mod/module.EscapePath and EscapeVersion: an upper
// case letter becomes '!' and the letter in lower case.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// publish writes m at vers into the proxy directory out.
func publish(root, out string, m module, vers string, when time.Time, tracked []string) error {
	files, err := moduleFiles(root, m, tracked)
	if err != nil {
		return err
	}
	dir := filepath.Join(out, filepath.FromSlash(escape(m.path)), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	base := filepath.Join(dir, escape(vers))
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{vers, when})
	if err != nil {
		return err
	}
	if err := os.WriteFile(base+".info", info, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(base+".mod", m.data, 0o644); err != nil {
		return err
	}
	if err := writeZip(base+".zip", m.path+"@"+vers+"/", files, when); err != nil {
		return err
	}
	return appendList(filepath.Join(dir, "list"), vers)
}

func writeZip(name, prefix string, files []zipFile, when time.Time) (err error) {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	for _, zf := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: prefix + zf.name, Method: zip.Deflate, Modified: when})
		if err != nil {
			return err
		}
		if err := copyFile(w, zf); err != nil {
			return err
		}
	}
	return zw.Close()
}

// copyFile copies zf's content to w, and fails if the file changed size
// since it was checked.
func copyFile(w io.Writer, zf zipFile) error {
	r, err := os.Open(zf.src)
	if err != nil {
		return err
	}
	defer r.Close()
	n, err := io.Copy(w, io.LimitReader(r, zf.size+1))
	if err != nil {
		return err
	}
	if n != zf.size {
		return fmt.Errorf("%s: changed while being read", zf.name)
	}
	return nil
}

func appendList(name, vers string) error {
	old, err := os.ReadFile(name)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for v := range strings.FieldsSeq(string(old)) {
		if v == vers {
			return nil
		}
	}
	return os.WriteFile(name, append(old, vers+"\n"...), 0o644)
}
