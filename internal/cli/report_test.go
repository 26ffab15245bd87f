package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"hrx/internal/db/dbtest"
)

// demoDatabase is a migrated database with the demonstration data as it was
// on 1 December 2026: every month up to September 2026 published.
func demoDatabase(t *testing.T) string {
	t.Helper()
	dsn := dbtest.DSN(t)
	run(t, dsn, "", false, "migrate")
	var out bytes.Buffer
	if err := loadDemo(context.Background(), open(t, dsn), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), &out, demoOptions{publish: true}); err != nil {
		t.Fatal(err)
	}
	return dsn
}

func TestReportRefusals(t *testing.T) {
	dsn := demoDatabase(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", "--html", "x.html"}, 2, "needs --year"},
		{[]string{"report", "--year", "2026"}, 2, "needs --pdf FILE or --html FILE"},
		{[]string{"report", "--year", "2026", "--lang", "fr", "--html", "x.html"}, 2, "--lang must be en, ja or hi"},
		{[]string{"report", "--year", "2031", "--html", filepath.Join(t.TempDir(), "x.html")}, 1, "there is no report for 2031"},
	} {
		code, _, errOut := run(t, dsn, "", false, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
	// Without a browser on the PATH, --pdf says what to install.
	t.Setenv("PATH", t.TempDir())
	code, _, errOut := run(t, dsn, "", false, "report", "--year", "2026", "--pdf", filepath.Join(t.TempDir(), "r.pdf"))
	if code != 1 || !strings.Contains(errOut, "apt-get install chromium fonts-noto-cjk fonts-noto-core") {
		t.Errorf("no Chromium: exit %d, %q", code, errOut)
	}
}

func TestReportHTML(t *testing.T) {
	dsn := demoDatabase(t)
	out := filepath.Join(t.TempDir(), "r.html")
	code, stdout, errOut := run(t, dsn, "", false, "report", "--year", "2026", "--lang", "hi", "--html", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<html lang="hi">`, "वार्षिक समीक्षा 2025–26", "सितंबर 2025 – अगस्त 2026"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the HTML lacks %q", want)
		}
	}
	if !strings.Contains(stdout, "Wrote the 2026 report (hi)") {
		t.Errorf("stdout %q", stdout)
	}
}

// TestReportPDF prints the report in Japanese and Hindi through headless
// Chromium and reads the PDF back: A4 pages, a sensible number of them, and
// the title in the text layer (which needs the Noto CJK and Devanagari
// fonts: .ci/run installs them). It skips without Chromium or pdftotext.
func TestReportPDF(t *testing.T) {
	if findChromium() == "" {
		t.Skip("no Chromium on the PATH")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("no pdftotext (poppler-utils)")
	}
	dsn := demoDatabase(t)
	for _, tc := range []struct{ lang, title, page string }{
		{"ja", "年次レビュー 2025–26年度", "1/%dページ"},
		{"hi", "वार्षिक समीक्षा 2025–26", "पृष्ठ1/%d"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report.pdf")
			code, _, errOut := run(t, dsn, "", false, "report", "--year", "2026", "--lang", tc.lang, "--pdf", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", b[:min(len(b), 16)])
			}
			txt, err := exec.Command("pdftotext", "-layout", out, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			// pdftotext ends every page with a form feed.
			pages := strings.Count(string(txt), "\f")
			if pages < 3 || pages > 20 {
				t.Errorf("%d pages; want 3 to 20", pages)
			}
			text := strings.Join(strings.Fields(string(txt)), " ")
			if !strings.Contains(text, tc.title) {
				t.Errorf("the text layer lacks the title %q:\n%.600s", tc.title, text)
			}
			// The footer's "Page 1 of n" (pdftotext drops some of its spaces).
			if page := fmt.Sprintf(tc.page, pages); !strings.Contains(strings.ReplaceAll(text, " ", ""), page) {
				t.Errorf("the footer's page number %q is not in the text", page)
			}
			// The pages are A4: 595 × 842 points, which pdfinfo names.
			info, err := exec.Command("pdfinfo", out).Output()
			if err == nil && !regexp.MustCompile(`Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)`).Match(info) {
				t.Errorf("not A4: %s", info)
			}
		})
	}
}
