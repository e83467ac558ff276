// Package browsertest starts the headless chromium that the browser tests
// of goalkit's web modules (the dashboard, the service) drive with chromedp,
// and keeps their screenshots. It is for tests only: nothing in the
// dashboard itself imports it.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium returns the path of the browser; without one the test is
// skipped, unless GOALKIT_CI=1 says the browser tests must run.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("GOALKIT_CI") == "1" {
		t.Fatal("chromium is not installed (GOALKIT_CI=1: the browser tests must run)")
	}
	t.Skip("chromium is not installed")
	return ""
}

// Tab starts a headless chromium with a profile of its own, without the
// background connections a closed network refuses, and returns the context
// of its tab; everything stops when the test ends, or after 90 seconds.
func Tab(t testing.TB) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Chromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// Artifacts is where a test writes its screenshots: a directory named by
// the test under $GOALKIT_ARTIFACTS when that is set (kept), else under a
// temporary directory (logged).
func Artifacts(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("GOALKIT_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(dir, t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}
