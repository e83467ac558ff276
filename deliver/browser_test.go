package deliver_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/testenv"
)

// renderEmail does what a mail reader does with an email's HTML: it reads
// the parts back (mime/multipart), resolves each cid: reference to the
// related part of that Content-ID, and shows the page, here in headless
// chromium, captured as a PNG of the width. It returns the capture.
func renderEmail(t *testing.T, browser, dir, name string, data []byte, width, height int) image.Image {
	t.Helper()
	htmlText, _, imgs := inlineImages(t, data) // each cid: has its part
	refs := imagesOf(htmlText)
	page := filepath.Join(dir, name+".html")
	for i, ref := range refs {
		file := fmt.Sprintf("%s-image%d.png", name, i+1)
		if err := os.WriteFile(filepath.Join(dir, file), imgs[i].data, 0o644); err != nil {
			t.Fatal(err)
		}
		htmlText = strings.ReplaceAll(htmlText, `src="`+ref.src+`"`, `src="`+file+`"`)
	}
	if err := os.WriteFile(page, []byte(htmlText), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, name+".png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--hide-scrollbars", "--force-device-scale-factor=1", "--user-data-dir="+t.TempDir(),
		fmt.Sprintf("--window-size=%d,%d", width, height), "--screenshot="+shot, "file://"+page)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// lineColor returns the commonest saturated colour of a chart: its first
// series' line.
func lineColor(t *testing.T, data []byte) color.NRGBA {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[color.NRGBA]int{}
	var best color.NRGBA
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if c.A == 255 && max(c.R, c.G, c.B)-min(c.R, c.G, c.B) > 60 {
				counts[c]++
				if counts[c] > counts[best] {
					best = c
				}
			}
		}
	}
	if counts[best] == 0 {
		t.Fatal("the chart has no coloured pixel")
	}
	return best
}

// count returns how many pixels of the image have the colour.
func count(img image.Image, c color.NRGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA) == c {
				n++
			}
		}
	}
	return n
}

// The HTML of an email notification and of a digest, with their charts
// resolved by Content-ID as a mail reader does, rendered by chromium: the
// captures show every chart whole (as many pixels of the charts' line
// colour as the charts themselves have). The captures are kept for a
// person to look at.
func TestEmailChartBrowser(t *testing.T) {
	browser := testenv.Chromium(t)
	dir := testenv.Artifacts(t)
	notify, _ := chartWorld(t, testPlan, salesEvents(), chartConfig, march(20, 15))
	digest, _ := chartWorld(t, teamPlan, teamEvents(), `
channels: [{name: mail, type: email, smtp: "SMTP", from: goals@example.com, security: none}]
recipients: [{user: dina, admin: true, email: dina@example.com, daily: "09:00", timezone: Europe/Moscow, kinds: [digest_daily]}]
`, march(19, 15))
	for _, tc := range []struct {
		name   string
		email  []byte
		charts int
	}{
		{"achieved-en", emailsTo(t, notify, "anna@example.com")[1].data, 1},
		{"milestone-ru", emailsTo(t, notify, "olga@example.com")[0].data, 1},
		{"digest-en", emailsTo(t, digest, "dina@example.com")[0].data, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, imgs := inlineImages(t, tc.email)
			if len(imgs) != tc.charts {
				t.Fatalf("%d charts, want %d", len(imgs), tc.charts)
			}
			shot := renderEmail(t, browser, dir, tc.name, tc.email, 800, 700+320*tc.charts)
			c := lineColor(t, imgs[0].data)
			want := 0
			for _, img := range imgs {
				want += count(decodePNG(t, img.data), c)
			}
			if got := count(shot, c); got < want {
				t.Errorf("the capture has %d pixels of the line colour %v, the charts %d: a chart is missing or cut", got, c, want)
			}
		})
	}
}

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}
