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
	"os"
	"regexp"
	"time"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/users"
	"hrx/scripts/benchpages"
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
	srv, err := benchpages.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer srv.Close()
	d := srv.DB
	fmt.Printf("breakdown pages over %d published figures (%s)\n", srv.Figures, d.Dialect)

	took, body, err := srv.Get("/breakdown")
	if err != nil {
		return err
	}
	fmt.Printf("first request (sums for the data version + page): %.1f ms, %d bytes\n", benchpages.Ms(took), len(body))
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

	ok, err := srv.Passes("pages", paths, goalUncached, goalCached, "")
	if err != nil {
		return err
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
	took, _, err = srv.Get("/breakdown?direction=IN-JP")
	if err != nil {
		return err
	}
	fmt.Printf("first request after %s was published again: %.1f ms (goal %s)\n", last, benchpages.Ms(took), goalUncached)
	ok = ok && took < goalUncached
	if !ok {
		return fmt.Errorf("a page took longer than its goal")
	}
	return nil
}
