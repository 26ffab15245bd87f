// Command screenshots makes the pictures of the month grid that README.md
// shows, from the demonstration database, in headless Chromium.
//
// It builds ./cmd/hrx, starts `hrx serve --demo` on a free port in a new
// temporary folder (so the demonstration database is new too), signs in as the
// demonstration user, opens the latest open month with figures and saves the
// page down to the end of its grid at 1366 (with the keyboard help open) and
// 390 CSS pixels wide; then, signed out, the public pages:
//
//	web/screenshots/month-grid-1366.png
//	web/screenshots/month-grid-390.png
//	web/screenshots/breakdown-india.png   /breakdown down to the Indian states
//	web/screenshots/plan.png              the planner at +2 % a month
//	web/screenshots/report.png            the annual review report 2025–26: summary and targets
//	web/screenshots/widget-breakdown.png  the breakdown widget, 480 px wide
//
// Run it from the repository root:
//
//	go run ./scripts/screenshots [-out web/screenshots] [-chromium PATH]
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"hrx/internal/browsertest"
)

// The demonstration sign-in that `hrx serve --demo` creates.
const (
	demoEmail    = "demo@example.org"
	demoPassword = "hrx-demo-password"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run() error {
	out := flag.String("out", "web/screenshots", "folder for the pictures")
	chromium := flag.String("chromium", "", "Chromium or Chrome binary (default: chromium in PATH or /usr/bin/chromium)")
	timeout := flag.Duration("timeout", 3*time.Minute, "overall time limit")
	flag.Parse()
	bin := *chromium
	if bin == "" {
		bin = browsertest.ChromiumPath()
	}
	if bin == "" {
		return errors.New("no Chromium found (chromium, chromium-browser, google-chrome in PATH or /usr/bin/chromium); pass -chromium")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	tmp, err := os.MkdirTemp("", "hrx-screenshots-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	base, stop, err := startDemo(ctx, tmp)
	if err != nil {
		return err
	}
	defer stop()

	var browserOut browsertest.LockedBuffer
	opts := browsertest.Options(bin, filepath.Join(tmp, "chromium"), 1366, 900, &browserOut, chromedp.Flag("lang", "en-GB"), chromedp.Flag("hide-scrollbars", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(actx)
	defer cancelTab()
	if err := chromedp.Do(tab,
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), demoEmail),
		chromedp.SendKeys(chromedp.CSS("#password"), demoPassword),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
		chromedp.Navigate(base+"/months?lang=en"),
	); err != nil {
		return fmt.Errorf("sign in as %s: %v\n%s", demoEmail, err, browserOut.String())
	}
	// The newest open month with figures: the grid an editor types in.
	href, err := chromedp.Run(tab, chromedp.Evaluate[string](`(() => {
		for (const tr of document.querySelectorAll("main table tbody tr")) {
			const a = tr.querySelector("a[href^='/months/']");
			if (a && tr.querySelector(".tag-open") && tr.querySelector(".tag-data")) return a.getAttribute("href");
		}
		return "";
	})()`))
	if err != nil || href == "" {
		return fmt.Errorf("no open month on /months (%v)", err)
	}
	for _, w := range []int64{1366, 390} {
		if _, err := chromedp.Call(tab, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: w, Height: 900, DeviceScaleFactor: 1, Mobile: w < 600}); err != nil {
			return err
		}
		if err := chromedp.Do(tab, chromedp.Navigate(base+href), chromedp.WaitVisible(chromedp.CSS("#grid-form"))); err != nil {
			return err
		}
		if w > 1000 { // the wide picture shows the keyboard help open
			if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(() => { const d = document.getElementById("grid-keys"); if (d) d.open = true; return !!d; })()`)); err != nil {
				return err
			}
		}
		png, err := chromedp.Run(tab, shotTo("#grid-form"))
		if err != nil {
			return fmt.Errorf("screenshot at %d px: %w", w, err)
		}
		name := filepath.Join(*out, fmt.Sprintf("month-grid-%d.png", w))
		if err := os.WriteFile(name, png, 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", name)
	}

	// The public pages, as anyone sees them, each down to the end of its first part.
	if _, err := chromedp.Call(tab, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		return err
	}
	for _, p := range []struct {
		name, path, until string
		width             int64
	}{
		{"breakdown-india.png", "/breakdown?lang=en", "section[aria-labelledby=h-india]", 1366},
		{"plan.png", "/targets/skilled-workers/plan?mode=growth&growth=2&lang=en", "main section[aria-labelledby=plan-heading] figure", 1366},
		{"report.png", "/reports/2026?lang=en", "main section[aria-labelledby=h-targets]", 1366},
		{"widget-breakdown.png", "/embed/skilled-workers?style=breakdown&lang=en", "main", 480},
	} {
		if _, err := chromedp.Call(tab, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: p.width, Height: 900, DeviceScaleFactor: 1}); err != nil {
			return err
		}
		path := p.path
		if err := chromedp.Do(tab, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(p.until))); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		png, err := chromedp.Run(tab, shotTo(p.until))
		if err != nil {
			return fmt.Errorf("screenshot of %s: %w", path, err)
		}
		name := filepath.Join(*out, p.name)
		if err := os.WriteFile(name, png, 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", name)
	}
	return nil
}

// shotTo is a picture of the page from its top to the end of the element the selector finds.
func shotTo(selector string) chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		bottom, err := chromedp.Evaluate[float64](`document.querySelector(`+strconv.Quote(selector)+`).getBoundingClientRect().bottom + window.scrollY + 16`)(ctx, t)
		if err != nil {
			return nil, err
		}
		width, err := chromedp.Evaluate[float64](`document.documentElement.clientWidth`)(ctx, t)
		if err != nil {
			return nil, err
		}
		yes := true
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng, CaptureBeyondViewport: &yes,
			Clip: &page.Viewport{X: 0, Y: 0, Width: width, Height: math.Ceil(bottom), Scale: 1}})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}
}

// startDemo builds the binary and runs `hrx serve --demo` in dir on a free port.
func startDemo(ctx context.Context, dir string) (string, func(), error) {
	bin := filepath.Join(dir, "hrx")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/hrx").CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("go build ./cmd/hrx: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "serve", "--demo", "--addr", addr)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HRX_BASE_URL=") && !strings.HasPrefix(kv, "HRX_DATABASE_URL=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var log strings.Builder
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
		}
	}
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, stop, nil
			}
		}
		for len(lines) > 0 {
			log.WriteString(<-lines + "\n")
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			stop()
			return "", nil, fmt.Errorf("hrx serve --demo on %s did not answer /readyz: %v\n%s", addr, err, log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}
