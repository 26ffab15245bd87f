package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"image"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
)

// getDownload gets path with the If-None-Match header inm (when not empty).
func getDownload(t *testing.T, e *env, path, inm string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	if inm != "" {
		req.Header.Set("If-None-Match", inm)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// TestChartDownloads: every chart of a public target downloads as CSV,
// XLSX, SVG and PNG, with its content type, a file name, an ETag that
// answers 304, and the chart's own numbers.
func TestChartDownloads(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	types := map[string]string{"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "svg": "image/svg+xml", "png": "image/png"}
	for _, chart := range []string{"cumulative", "monthly", "split"} {
		for ext, ctype := range types {
			path := "/targets/skilled-workers/charts/" + chart + "." + ext
			resp, body := getDownload(t, e, path, "")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
			}
			if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, ctype) {
				t.Errorf("%s: content type %q", path, got)
			}
			if got := resp.Header.Get("Content-Disposition"); !strings.Contains(got, `filename="hrx-skilled-workers-`+chart+"."+ext+`"`) {
				t.Errorf("%s: %q", path, got)
			}
			tag := resp.Header.Get("ETag")
			if tag == "" {
				t.Fatalf("%s: no ETag", path)
			}
			if again, _ := getDownload(t, e, path, tag); again.StatusCode != http.StatusNotModified {
				t.Errorf("%s with its ETag: %d", path, again.StatusCode)
			}
			switch ext {
			case "csv":
				if !bytes.HasPrefix(body, []byte("\uFEFF")) {
					t.Errorf("%s: no BOM", path)
				}
				if _, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll(); err != nil {
					t.Errorf("%s: %v", path, err)
				}
			case "xlsx":
				if _, err := zip.NewReader(bytes.NewReader(body), int64(len(body))); err != nil {
					t.Errorf("%s: not a workbook: %v", path, err)
				}
			case "svg":
				if len(body) >= 16<<10 {
					t.Errorf("%s: %d bytes", path, len(body))
				}
				mustContain(t, string(body), `xmlns="http://www.w3.org/2000/svg"`, `width="800"`,
					"Source: HRX, India–Japan human resource exchange", "As of October 2025")
			case "png":
				img, err := png.Decode(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				if img.Bounds() != image.Rect(0, 0, 800, 500) {
					t.Errorf("%s: %v", path, img.Bounds())
				}
			}
		}
	}

	// The chart's own numbers: skilled personnel from India to Japan.
	_, body := getDownload(t, e, "/targets/skilled-workers/charts/monthly.csv", "")
	rows, _ := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	want := [][]string{{"2025-09", "400", "0", "0", "0", "400"}, {"2025-10", "0", "0", "200", "0", "200"}}
	if len(rows) != 3 || strings.Join(rows[1], ",") != strings.Join(want[0], ",") || strings.Join(rows[2], ",") != strings.Join(want[1], ",") {
		t.Errorf("monthly numbers: %q", rows)
	}
	_, body = getDownload(t, e, "/targets/skilled-workers/charts/cumulative.csv", "")
	rows, _ = csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if len(rows) < 3 || rows[0][0] != "Month" || rows[1][0] != "2025-09" || rows[1][1] != "400" || rows[2][1] != "600" {
		t.Errorf("cumulative numbers: %q", rows[:min(3, len(rows))])
	}
	_, body = getDownload(t, e, "/targets/total-exchange/charts/split.csv?lang=ja", "")
	mustContain(t, string(body), "方向コード", "IN-JP,インドから日本,700\r\nJP-IN,日本からインド,800")

	for _, path := range []string{"/targets/nope/charts/cumulative.csv", "/targets/skilled-workers/charts/pie.svg",
		"/targets/skilled-workers/charts/cumulative.gif", "/targets/skilled-workers/charts/cumulative"} {
		if resp, _ := getDownload(t, e, path, ""); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
}

// TestChartDownloadLinks: the public dashboard and a target's page offer
// each chart's downloads in the page's language, and every page links the
// exports, the data package and the API.
func TestChartDownloadLinks(t *testing.T) {
	e := newEnv(t)
	knownData(e)
	b := e.browser()
	_, body := b.get("/targets/skilled-workers?lang=en")
	mustContain(t, body, "Download:", `href="/targets/skilled-workers/charts/cumulative.csv"`, `href="/targets/skilled-workers/charts/monthly.xlsx"`,
		`href="/targets/skilled-workers/charts/split.png"`, `href="/targets/skilled-workers/charts/cumulative.svg"`,
		`href="/export/figures.csv"`, `href="/export/figures.xlsx"`, `href="/datapackage.json"`, `href="/api/v1/openapi.json"`)
	_, body = b.get("/?lang=ja")
	mustContain(t, body, "ダウンロード：", `href="/targets/total-exchange/charts/cumulative.png?lang=ja"`, "公表済みの全数値（CSV）")
	_, body = b.get("/targets/skilled-workers?lang=hi")
	mustContain(t, body, "डाउनलोड करें:", `href="/targets/skilled-workers/charts/monthly.csv?lang=hi"`, "डेटा पैकेज")
	_, body = b.get("/login")
	mustContain(t, body, `href="/datapackage.json"`)
}
