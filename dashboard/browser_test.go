package dashboard_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromium returns the path of the browser the tests drive; without one
// the test is skipped, unless GOALKIT_CI=1 says it must run.
func chromium(t *testing.T) string {
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

// newBrowser starts a headless chromium of its own (a new profile) and
// returns a tab's context, with the viewer's cookie set for the server.
func newBrowser(t *testing.T, server, viewer string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
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
	setCookie := chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: "viewer", Value: viewer, URL: server})
		return err
	})
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), setCookie); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// artifacts is where the browser tests write their screenshots:
// $GOALKIT_ARTIFACTS when set (kept), else a temporary directory (logged).
func artifacts(t *testing.T) string {
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

// screenshot writes the whole page as a PNG at the width.
func screenshot(t *testing.T, ctx context.Context, url string, width, height int64, file string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(width, height),
		chromedp.Navigate(url),
		chromedp.WaitReady("main"),
		chromedp.Sleep(300*time.Millisecond),
	)
	if err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserScreenshots(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	ctx := newBrowser(t, f.server.URL, "admin")
	dir := artifacts(t)
	pages := []struct{ name, path string }{
		{"goals", "/"},
		{"goal", "/goal?goal=revenue_month&participant=anna"},
		{"ranking", "/ranking"},
		{"scorecards", "/scorecards"},
		{"teams", "/teams"},
		{"cascades", "/cascades"},
		{"explain", "/explain?indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01"},
		{"goals-ru", "/?lang=ru"},
		{"goal-ru", "/goal?goal=revenue_month&participant=anna&lang=ru"},
		{"kiosk", "/?kiosk=1&lang=en"},
	}
	for _, p := range pages {
		screenshot(t, ctx, f.server.URL+p.path, 1280, 900, filepath.Join(dir, p.name+"-desktop.png"))
		screenshot(t, ctx, f.server.URL+p.path, 412, 915, filepath.Join(dir, p.name+"-phone.png"))
	}
}
