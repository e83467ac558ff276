// Package poppler runs poppler-utils' pdftotext, pdffonts and pdftoppm on
// the PDF files of the tests. A test that needs them is skipped when they
// are missing, unless GOALKIT_CI=1 is set (as CI does): then it fails.
package poppler

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/internal/testenv"
)

// run runs a program on a PDF file written to a temporary directory, with
// the arguments args makes of the file's path.
func run(t testing.TB, pdf []byte, name string, args func(file string) []string) []byte {
	t.Helper()
	path := testenv.Program(t, name)
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	cmd := exec.Command(path, args(file)...)
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, errs.String())
	}
	if errs.Len() > 0 {
		t.Fatalf("%s complains: %s", name, errs.String())
	}
	return out.Bytes()
}

// Text is the text of a PDF as pdftotext -layout reads it: the pages
// separated by form feeds.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	return string(run(t, pdf, "pdftotext", func(file string) []string { return []string{"-layout", "-enc", "UTF-8", file, "-"} }))
}

// Font is a font of a PDF as pdffonts lists it.
type Font struct {
	Name, Type                  string
	Embedded, Subset, ToUnicode bool
}

// Fonts lists the fonts of a PDF.
func Fonts(t testing.TB, pdf []byte) []Font {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(run(t, pdf, "pdffonts", func(file string) []string { return []string{file} }))), "\n")
	var fonts []Font
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name, type (one or more words), encoding, emb, sub, uni, object, generation
		if len(f) < 7 {
			t.Fatalf("pdffonts: cannot read %q", l)
		}
		n := len(f)
		fonts = append(fonts, Font{Name: f[0], Type: strings.Join(f[1:n-6], " "), Embedded: f[n-5] == "yes", Subset: f[n-4] == "yes", ToUnicode: f[n-3] == "yes"})
	}
	return fonts
}

// Pages renders every page of a PDF as a PNG image at dpi dots per inch
// into dir, and returns the files' paths in page order.
func Pages(t testing.TB, pdf []byte, dpi int, dir string) []string {
	t.Helper()
	run(t, pdf, "pdftoppm", func(file string) []string {
		return []string{"-r", strconv.Itoa(dpi), "-png", file, filepath.Join(dir, "page")}
	})
	files, err := filepath.Glob(filepath.Join(dir, "page*.png"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}
