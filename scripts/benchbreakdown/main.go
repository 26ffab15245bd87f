// Command benchbreakdown times the public breakdown pages (/breakdown and a
// target's /targets/{slug}/breakdown) over a database of published figures,
// such as the one scripts/benchapi builds:
//
//	go run ./scripts/benchapi -figures 1000000 -database /tmp/bench.db
//	go run ./scripts/benchbreakdown -database /tmp/bench.db
//
// It starts the real handler (web.New) on a loopback httptest.Server and
// measures, in this order: the first request after start (the figures summed
// by sector, origin and destination for the data version, then the page),
// requests for periods and directions not asked before (the page computed
// from that summary and rendered), and the same requests again (answered
// from the page cache), then the first request after the latest month is
// reopened and published again (that month's sums read again, the page
// computed). It also gives the size of each tile map. The database is
// changed by that publication.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"time"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/users"
	"hrx/internal/web"
)

func main() {
	dsn := flag.String("database", "", "SQLite file or postgres:// URL holding published figures (required)")
	goalCached := flag.Duration("cached", 50*time.Millisecond, "the most a cached page may take")
	goalUncached := flag.Duration("uncached", 200*time.Millisecond, "the most a page not asked before may take")
	flag.Parse()
	if *dsn == "" {
		fmt.Fprintln(os.Stderr, "benchbreakdown: -database is required")
		os.Exit(2)
	}
	if err := run(context.Background(), *dsn, *goalCached, *goalUncached); err != nil {
		fmt.Fprintln(os.Stderr, "benchbreakdown:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dsn string, goalCached, goalUncached time.Duration) error {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return err
	}
	var n int64
	if err := d.R.WithContext(ctx).Raw("SELECT COUNT(*) FROM published_figures").Scan(&n).Error; err != nil {
		return err
	}
	fmt.Printf("breakdown pages over %d published figures (%s)\n", n, d.Dialect)
	cfg := config.Defaults()
	cfg.DatabaseURL = dsn
	srv, err := web.New(cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	get := func(path string) (time.Duration, []byte, error) {
		t0 := time.Now()
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		took := time.Since(t0)
		if resp.StatusCode != http.StatusOK {
			return took, body, fmt.Errorf("%s: status %d", path, resp.StatusCode)
		}
		return took, body, err
	}

	took, body, err := get("/breakdown")
	if err != nil {
		return err
	}
	fmt.Printf("first request (sums for the data version + page): %.1f ms, %d bytes\n", ms(took), len(body))
	maps := regexp.MustCompile(`(?s)<svg[^>]*hrx-tilegrid.*?</svg>`).FindAll(body, -1)
	for i, m := range maps {
		fmt.Printf("tile map %d: %d bytes\n", i+1, len(m))
	}

	paths := []string{"/breakdown?direction=IN-JP", "/breakdown?direction=JP-IN"}
	for _, lang := range []string{"en", "ja", "hi"} {
		paths = append(paths, "/breakdown?lang="+lang+"&from=2025-01&to=2025-12")
	}
	for _, p := range [][2]string{{"2024-09", "2024-12"}, {"2025-01", "2025-06"}, {"2025-07", "2025-12"}, {"2026-01", "2026-06"}, {"2025-03", "2026-02"}} {
		paths = append(paths, "/breakdown?from="+p[0]+"&to="+p[1]+"&direction=IN-JP")
	}
	paths = append(paths, "/targets/total-exchange/breakdown", "/targets/skilled-workers/breakdown")

	ok := true
	for _, pass := range []struct {
		name string
		goal time.Duration
	}{{"not asked before", goalUncached}, {"cached", goalCached}} {
		var times []time.Duration
		for _, p := range paths {
			took, _, err := get(p)
			if err != nil {
				return err
			}
			times = append(times, took)
		}
		slices.Sort(times)
		worst := times[len(times)-1]
		fmt.Printf("%-17s %d pages: median %.1f ms, max %.1f ms (goal %s)\n", pass.name, len(paths), ms(times[len(times)/2]), ms(worst), pass.goal)
		ok = ok && worst < pass.goal
	}

	// A publication: the latest month reopened and published again. The
	// breakdowns read that month again, not all of them.
	var last string
	if err := d.R.WithContext(ctx).Raw("SELECT MAX(month) FROM published_figures").Scan(&last).Error; err != nil {
		return err
	}
	m, err := month.Parse(last)
	if err != nil {
		return err
	}
	ap := approval.NewStore(d, figures.NewStore(d))
	actor := audit.System("benchbreakdown")
	if _, err := ap.Do(ctx, actor, users.Admin, last, approval.Reopen, "benchmark: publish again"); err != nil {
		return err
	}
	if _, err := ap.PublishRange(ctx, actor, m, m, approval.RangeOptions{Comment: "benchmark", SingleApprover: true, ConfirmFlags: "benchmark data"}); err != nil {
		return err
	}
	took, _, err = get("/breakdown?direction=IN-JP")
	if err != nil {
		return err
	}
	fmt.Printf("first request after %s was published again: %.1f ms (goal %s)\n", last, ms(took), goalUncached)
	ok = ok && took < goalUncached
	if !ok {
		return fmt.Errorf("a page took longer than its goal")
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
