// Package safefile writes a command's output file (goalkit export's -o,
// the Bitrix24 command's -o and -state) so that the name the user gave
// never holds a torn file: the data goes to a new file beside the target,
// reaches the disk, and only then takes the target's name.
package safefile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
)

// Write runs fn on a new file beside path, which replaces path only when fn
// succeeded, after its data reached the disk (and the directory's entry
// after the rename, where the platform allows). The file has the mode the
// old one had, else the one os.Create gives (0666 less the umask): a file
// the user shared with a group stays shared after the next run.
//
// A symbolic link is followed, so that the file it points to is replaced
// and the link stays; what is neither a file nor a directory (a named pipe,
// a terminal, /dev/null) is written in place, and the standard output's own
// file (-o /dev/stdout, /dev/fd/1) through stdout, as the shell opened it
// (appended to under >>): renaming a file over them would replace the
// link, the pipe or the device with a file. A nil stdout writes such a
// path in place too.
//
// Every error names path, never the temporary file nor the target of a
// link, which the user never gave: "writing PATH: no space left on
// device".
func Write(path string, stdout io.Writer, fn func(io.Writer) error) error {
	fail := func(err error) error { return fmt.Errorf("writing %s: %w", path, unwrapPath(err)) }
	if fi, err := os.Stat(path); err == nil {
		switch {
		case stdout != nil && sameAsStdout(fi):
			return buffered(stdout, fn)
		case fi.IsDir():
			return fmt.Errorf("writing %s: it is a directory", path)
		case !fi.Mode().IsRegular():
			return inPlace(path, fn, fail)
		}
	}
	target, err := followLinks(path)
	if err != nil {
		return fail(err)
	}
	tmp, err := createBeside(target)
	if err != nil {
		return fail(err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := buffered(namedWriter{tmp, fail}, fn); err != nil {
		return err
	}
	// The data on disk before the name: a crash after the rename must not
	// leave an empty or torn file under the final name.
	if err := fsync(tmp); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if fi, err := os.Stat(target); err == nil && fi.Mode().IsRegular() {
		if err := os.Chmod(tmp.Name(), fi.Mode().Perm()); err != nil {
			return fail(err)
		}
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fail(err)
	}
	ok = true
	// The rename on disk, in the directory of the file the links lead to:
	// a file written after this one (a state that counts on it) is never
	// on disk without it.
	if err := syncDir(filepath.Dir(target)); err != nil {
		return fail(err)
	}
	return nil
}

// inPlace writes what is not a file (a named pipe, a terminal) as it is:
// there is nothing beside it to rename into its place.
func inPlace(path string, fn func(io.Writer) error, fail func(error) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fail(err)
	}
	if err := buffered(namedWriter{f, fail}, fn); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	return nil
}

// buffered runs fn on w through a buffer.
func buffered(w io.Writer, fn func(io.Writer) error) error {
	bw := bufio.NewWriter(w)
	if err := fn(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// namedWriter writes to a file, its errors (a full disk) made by name: the
// path the user gave rather than the temporary file's.
type namedWriter struct {
	f    *os.File
	name func(error) error
}

func (w namedWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		err = w.name(err)
	}
	return n, err
}

// unwrapPath is the error of a file operation without the name it was
// made on.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// sameAsStdout reports whether fi is the file the process's standard
// output writes to.
func sameAsStdout(fi os.FileInfo) bool {
	out, err := os.Stdout.Stat()
	return err == nil && os.SameFile(fi, out)
}

// followLinks returns the path that path's symbolic links lead to, the
// last of which may not exist yet.
func followLinks(path string) (string, error) {
	for range 40 {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		to, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(path), to)
		}
		path = to
	}
	return "", errors.New("too many levels of symbolic links")
}

// fsync flushes a file or a directory to stable storage; tests watch it.
var fsync = (*os.File).Sync

// openDir opens a directory to flush it; tests replace it.
var openDir = os.Open

// syncDir flushes the directory's entries (a rename into it) to stable
// storage where the platform allows: Windows cannot open a directory for
// it, a directory the user may write into but not read (-wx) cannot be
// opened, and some file systems refuse an fsync of a directory (EINVAL);
// none of those is an error, the file being in place.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := openDir(dir)
	if errors.Is(err, fs.ErrPermission) {
		return nil
	}
	if err != nil {
		return err
	}
	defer d.Close()
	if err := fsync(d); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}

// createBeside creates a new file beside path (".NAME.RANDOM.tmp"), as
// os.CreateTemp does, but with the mode os.Create gives rather than 0600.
func createBeside(path string) (*os.File, error) {
	prefix := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".")
	for {
		name := prefix + strconv.FormatUint(rand.Uint64(), 36) + ".tmp"
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
}
