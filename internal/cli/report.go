package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"hrx/internal/config"
	"hrx/internal/i18n"
	"hrx/internal/web"
)

var reportCommand = &command{
	name:     "report",
	required: []string{"year"},
	summary:  "print the annual review report of a programme year to PDF (or HTML)",
	about: "Renders the annual review report of the programme year ending in --year (2026: September 2025 to August 2026; " +
		"a year in progress is reported so far) from the database's published figures, in --lang, the page /reports/YEAR " +
		"shows. --pdf prints it on A4 through headless Chromium with page numbers in the footer: it needs Chromium or " +
		"Google Chrome, and for Japanese and Hindi the Noto CJK and Noto Devanagari fonts (Debian: apt-get install chromium " +
		"fonts-noto-cjk fonts-noto-core; the Docker image has them). --html writes the page as served, its style sheets linked.",
	examples: []string{
		"hrx report --year 2026 --lang ja --pdf report.pdf   # the 2025–26 report in Japanese on A4",
		"hrx report --year 2026 --html report.html           # the page in English, without Chromium",
	},
	env: dbEnv,
	setup: func(fs *flag.FlagSet, env Env) runFunc {
		year := fs.Int("year", 0, "the programme year, named by the `YEAR` it ends in (2026: September 2025 – August 2026)")
		lang := fs.String("lang", "en", "the report's language: `en`, ja or hi")
		pdf := fs.String("pdf", "", "write the report as an A4 PDF to `FILE` (needs Chromium)")
		out := fs.String("html", "", "write the report's HTML page to `FILE`")
		dbURL := databaseFlag(fs)
		return func(ctx context.Context, pos []string) error {
			return reportCmd(ctx, env, pos, reportOptions{year: *year, lang: *lang, pdf: *pdf, html: *out, dbURL: *dbURL})
		}
	},
}

type reportOptions struct {
	year            int
	lang, pdf, html string
	dbURL           string
}

// chromiumNames are the browsers hrx report --pdf looks for on the PATH.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// findChromium is the first browser of chromiumNames on the PATH, "" when none is.
func findChromium() string {
	for _, n := range chromiumNames {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// reportCmd is hrx report: the page /reports/YEAR rendered by an in-process
// server on loopback, written as HTML or printed to PDF by headless Chromium.
func reportCmd(ctx context.Context, env Env, pos []string, o reportOptions) error {
	if len(pos) > 0 {
		return usageError{msg: fmt.Sprintf("hrx report takes no arguments; got %q", pos[0]), helpFor: "report"}
	}
	if o.year < 1900 || o.year > 9999 {
		return usageError{msg: "hrx report needs --year, the year the programme year ends in, such as 2026", helpFor: "report"}
	}
	loc, ok := i18n.Parse(o.lang)
	if !ok {
		return usageError{msg: fmt.Sprintf("--lang must be en, ja or hi; got %q", o.lang), helpFor: "report"}
	}
	if o.pdf == "" && o.html == "" {
		return usageError{msg: "hrx report needs --pdf FILE or --html FILE (or both)", helpFor: "report"}
	}
	browser := ""
	if o.pdf != "" {
		if browser = findChromium(); browser == "" {
			return errors.New("hrx report --pdf needs Chromium or Google Chrome, and none was found on the PATH (" +
				strings.Join(chromiumNames, ", ") + "). Install it with the fonts the report's languages need, e.g. on Debian " +
				"or Ubuntu: apt-get install chromium fonts-noto-cjk fonts-noto-core; or write the page with --html instead")
		}
	}

	cfg, err := config.Parse("hrx report", dbArgs(o.dbURL), env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	// The page's errors, not its requests: a report is one request.
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.Close()
	srv, err := web.New(cfg, d, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	url := "http://" + ln.Addr().String() + "/reports/" + strconv.Itoa(o.year) + "?lang=" + string(loc.Lang)

	body, err := fetchReport(ctx, url, o.year)
	if err != nil {
		return err
	}
	if o.html != "" {
		if err := os.WriteFile(o.html, body, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Wrote the %d report (%s) to %s\n", o.year, loc.Lang, o.html)
	}
	if o.pdf != "" {
		pdf, err := printPDF(ctx, browser, url, loc)
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.pdf, pdf, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Wrote the %d report (%s) to %s: %d bytes\n", o.year, loc.Lang, o.pdf, len(pdf))
	}
	return nil
}

// fetchReport reads the page, saying plainly when the year has no report.
func fetchReport(ctx context.Context, url string, year int) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return body, nil
	case http.StatusNotFound:
		return nil, fmt.Errorf("there is no report for %d: the database has no published figures in the programme year ending in %d", year, year)
	}
	return nil, fmt.Errorf("rendering the report: HTTP %d", resp.StatusCode)
}

// printPDF prints the page at url on A4 through headless Chromium at
// browser, with the page's title and "Page n of m" in the footer
// (Chromium ignores the @page margin boxes that would otherwise hold them).
func printPDF(ctx context.Context, browser, url string, loc i18n.Locale) ([]byte, error) {
	dir, err := os.MkdirTemp("", "hrx-report-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(dir))
	// Generous: a busy machine takes a minute or more to start Chromium and lay out the pages.
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	pageWords := html.EscapeString(loc.Tr(i18n.M("annual.pdf.page", "page", "\x00", "pages", "\x01")))
	pageWords = strings.NewReplacer("\x00", `<span class="pageNumber"></span>`, "\x01", `<span class="totalPages"></span>`).Replace(pageWords)
	footer := `<div style="font-size:8pt;width:100%;margin:0 14mm;display:flex;justify-content:space-between;color:#374151;` +
		`font-family:'Noto Sans','Noto Sans CJK JP','Noto Sans Devanagari',sans-serif"><span class="title"></span><span>` +
		pageWords + `</span></div>`
	if err := chromedp.Do(bctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
		return nil, fmt.Errorf("opening the report in %s: %w", browser, err)
	}
	// A4, with the bottom margin the footer needs; @page size A4 agrees.
	pdf, err := chromedp.Run(bctx, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFMargins(0.6, 0.55, 0.7, 0.55),
		chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground(), chromedp.PDFOutlineAndTagged(),
		chromedp.PDFHeaderTemplate(`<span></span>`), chromedp.PDFFooterTemplate(footer)))
	if err != nil {
		return nil, fmt.Errorf("printing the report with %s: %w", browser, err)
	}
	return pdf, nil
}
