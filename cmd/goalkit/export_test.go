package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

const (
	exportPlan   = "../../export/internal/sample/plan.yaml"
	exportEvents = "../../export/internal/sample/events.ndjson"
	exportAsOf   = "2025-03-20T18:00:00+03:00"
)

// export runs goalkit export into a file of a new directory and returns
// the file's path, the exit code and stderr.
func export(t *testing.T, name string, args ...string) (string, int, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	code, stdout, stderr := runCLI(t, append([]string{"export", "-plan", exportPlan, "-events", exportEvents, "-as-of", exportAsOf, "-o", out}, args...)...)
	if code == 0 && stdout != "wrote "+out+"\n" {
		t.Errorf("stdout %q", stdout)
	}
	return out, code, stderr
}

func TestExportFormats(t *testing.T) {
	path, code, errs := export(t, "report.xlsx", "-format", "xlsx")
	if code != 0 {
		t.Fatalf("xlsx: exit %d: %s", code, errs)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := "Report|План выручки на месяц|Выручка компании|20 звонков в месяц|Scorecards|Bonuses|Leaderboards|Cascades|Values"
	if got := strings.Join(f.GetSheetList(), "|"); got != want {
		t.Errorf("sheets %s, want %s", got, want)
	}
	if v, _ := f.GetCellValue("План выручки на месяц", "E2"); v != "144,001.50 ₽" {
		t.Errorf("anna's revenue %q, want 144,001.50 ₽", v)
	}

	for _, args := range [][]string{{}, {"-participant", "anna"}, {"-goal", "revenue_plan", "-period", "2025-03"}} {
		path, code, errs := export(t, "report.pdf", append([]string{"-format", "pdf"}, args...)...)
		if code != 0 {
			t.Fatalf("pdf %q: exit %d: %s", args, code, errs)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(data), []byte("%%EOF")) {
			t.Errorf("pdf %q is not a whole PDF file", args)
		}
	}

	path, code, errs = export(t, "burnup.svg", "-format", "svg", "-goal", "revenue_plan", "-participant", "vera")
	if code != 0 {
		t.Fatalf("svg: exit %d: %s", code, errs)
	}
	svg, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("План выручки на месяц, vera, 2025-03")) {
		t.Errorf("the SVG has no chart titled with the goal:\n%.300s", svg)
	}
	for _, args := range [][]string{{"-chart", "leaderboard"}, {"-leaderboard", "top_revenue"}, {"-goal", "company_revenue", "-chart", "daily"}} {
		path, code, errs := export(t, "chart.png", append([]string{"-format", "png"}, args...)...)
		if code != 0 {
			t.Fatalf("png %q: exit %d: %s", args, code, errs)
		}
		r, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = png.Decode(r)
		r.Close()
		if err != nil {
			t.Errorf("png %q: %v", args, err)
		}
	}
}

func TestExportErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-format", "xlsx", "-participant", "anna"}, 2, "-participant does not apply to xlsx"},
		{[]string{"-format", "xlsx", "-leaderboard", "top_revenue", "-goal", "revenue_plan"}, 2, "-goal and -leaderboard do not apply to xlsx"},
		{[]string{"-format", "docx"}, 2, "-format must be xlsx, pdf, svg or png"},
		{[]string{"-format", "png", "-chart", "pie"}, 2, `-chart must be burnup, daily or leaderboard, got "pie"`},
		{[]string{"-format", "png", "-chart", "daily"}, 2, "-chart daily needs -goal"},
		{[]string{"-format", "pdf", "-goal", "revenue_plan", "-participant", "anna"}, 2, "-goal and -participant exclude each other"},
		{[]string{"-format", "svg", "-goal", "revenue_plan"}, 2, `goal "revenue_plan" has several participants in 2025-03: name one with -participant (anna, boris or vera)`},
		{[]string{"-format", "svg", "-goal", "revenue_plan", "-participant", "nobody"}, 1, `goal "revenue_plan" has no row for "nobody" in 2025-03`},
		{[]string{"-format", "pdf", "-participant", "nobody"}, 1, `"nobody" has no scorecard and no goal`},
		{[]string{"-format", "png", "-leaderboard", "best"}, 1, `the report has no leaderboard "best" (it has sales_total or top_revenue)`},
		{[]string{"-format", "png", "-period", "2025-02"}, 1, `the report has no leaderboard for 2025-02 (its leaderboards have 2025-03)`},
		{[]string{"-format", "png", "-leaderboard", "top_revenue", "-period", "2025-02"}, 1, `the report has no leaderboard "top_revenue" for 2025-02 (it has 2025-03)`},
		{[]string{"-format", "svg", "-goal", "revenue"}, 1, `the report has no rows of goal "revenue" (it has revenue_plan, company_revenue or calls_plan)`},
		{[]string{"-format", "svg", "-goal", "revenue_plan", "-period", "2025-02"}, 1, `the report has no rows of goal "revenue_plan" for 2025-02 (it has 2025-03)`},
	} {
		path, code, errs := export(t, "out", c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%q: exit %d, %s; want exit %d and %q", c.args, code, errs, c.code, c.want)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%q: the failed export left %s", c.args, path)
		}
		if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*")); len(left) > 0 {
			t.Errorf("%q: the failed export left %q", c.args, left)
		}
	}
	code, _, errs := runCLI(t, "export", "-plan", exportPlan, "-events", exportEvents, "-format", "xlsx")
	if code != 2 || !strings.Contains(errs, "-o is required") {
		t.Errorf("without -o: exit %d, %s", code, errs)
	}
	if _, code, errs := export(t, "report.txt"); code != 2 || !strings.Contains(errs, "-format is needed: -o ") {
		t.Errorf("-o report.txt without -format: exit %d, %s", code, errs)
	}
}

// TestExportFormatFromName: without -format, the extension of -o says it.
func TestExportFormatFromName(t *testing.T) {
	for name, magic := range map[string]string{"report.XLSX": "PK", "summary.pdf": "%PDF-", "board.svg": "<svg", "board.png": "\x89PNG"} {
		path, code, errs := export(t, name)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errs)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data[:min(len(data), 200)], []byte(magic)) {
			t.Errorf("%s does not start as a %s file: %q", name, filepath.Ext(name), data[:min(len(data), 16)])
		}
	}
}

// TestExportChartBegunPeriod: without -period, a goal's chart and a
// leaderboard are of the last period that has begun by the report's
// instant, not of a later one of the report with nothing yet; a later
// period named for a goal's chart is refused with what to name instead.
func TestExportChartBegunPeriod(t *testing.T) {
	const plan, events, dir = "../../examples/serve/plan.yaml", "../../examples/serve/events.ndjson", "../../examples/serve/directory.json"
	out := filepath.Join(t.TempDir(), "burnup.svg")
	// The report runs to May; the instant is 20 March.
	args := []string{"export", "-plan", plan, "-events", events, "-directory", dir, "-as-of", "2025-03-20T12:00:00Z", "-o", out, "-goal", "revenue_user", "-participant", "n1"}
	code, _, errs := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	svg, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte("Revenue per person, n1, 2025-03")) {
		t.Errorf("the chart is not of March:\n%.300s", svg)
	}
	board := filepath.Join(t.TempDir(), "board.svg")
	code, _, errs = runCLI(t, "export", "-plan", plan, "-events", events, "-directory", dir, "-as-of", "2025-03-20T12:00:00Z", "-o", board)
	if code != 0 {
		t.Fatalf("leaderboard: exit %d: %s", code, errs)
	}
	if svg, err := os.ReadFile(board); err != nil || !bytes.Contains(svg, []byte("sales_total, 2025-03")) {
		t.Errorf("the leaderboard is not of March (%v):\n%.300s", err, svg)
	}
	code, _, errs = runCLI(t, append(args, "-period", "2025-04")...)
	if want := `goal "revenue_user" has no day of 2025-04 up to the report's instant to draw: name a period that has begun (2025-03)`; code != 1 || !strings.Contains(errs, want) {
		t.Errorf("April: exit %d, %s; want exit 1 and %q", code, errs, want)
	}
}

// TestExportLeaderboardName: a leaderboard chart is titled by the board's
// name when it has one, as the documents name it.
func TestExportLeaderboardName(t *testing.T) {
	src, err := os.ReadFile("../../examples/serve/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	named := strings.Replace(string(src), "{id: sales_total, scorecard: sales}", "{id: sales_total, name: Продажи за месяц, scorecard: sales}", 1)
	if named == string(src) {
		t.Fatal("the example plan has no leaderboard sales_total to name")
	}
	dir := t.TempDir()
	plan, out := filepath.Join(dir, "plan.yaml"), filepath.Join(dir, "board.svg")
	if err := os.WriteFile(plan, []byte(named), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "export", "-plan", plan, "-events", "../../examples/serve/events.ndjson", "-directory", "../../examples/serve/directory.json", "-as-of", "2025-03-20T12:00:00Z", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if svg, err := os.ReadFile(out); err != nil || !bytes.Contains(svg, []byte(">Продажи за месяц, 2025-03<")) {
		t.Errorf("the chart is not titled by the board's name (%v):\n%.400s", err, svg)
	}
}

// The flags that do not apply to a workbook are named all, in one order:
// the same command line gets the same error. The first found in a map was
// named, another from run to run.
func TestExportXlsxFlagsNamedInOneOrder(t *testing.T) {
	args := []string{"-format", "xlsx", "-leaderboard", "b", "-chart", "c", "-goal", "g", "-period", "p", "-participant", "a"}
	want := "goalkit export: -participant, -period, -goal, -chart and -leaderboard do not apply to xlsx: the workbook holds the whole report\n"
	for range 20 {
		if _, code, errs := export(t, "out", args...); code != 2 || errs != want {
			t.Fatalf("exit %d, %q; want exit 2 and %q", code, errs, want)
		}
	}
}
