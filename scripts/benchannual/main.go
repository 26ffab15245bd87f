// Command benchannual times the annual review report (/reports/{year}) over
// a database of published figures, such as the one scripts/benchapi builds:
//
//	go run ./scripts/benchapi -figures 1000000 -database /tmp/bench.db
//	go run ./scripts/benchannual -database /tmp/bench.db
//
// It starts the real handler (web.New) on a loopback httptest.Server, reads
// the breakdowns' sums once as hrx serve does at start-up (Warm), and
// measures each year's report in English, Japanese and Hindi: first when
// not asked before (the year summed, the completeness and the audit log
// read, the page rendered), then again (from the page cache), and the list
// of reports. -cpuprofile FILE writes a CPU profile of the reports not
// asked before.
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
	"runtime/pprof"
	"slices"
	"time"

	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/web"
)

func main() {
	dsn := flag.String("database", "", "SQLite file or postgres:// URL holding published figures (required)")
	goalCached := flag.Duration("cached", 50*time.Millisecond, "the most a cached report may take")
	goalUncached := flag.Duration("uncached", 200*time.Millisecond, "the most a report not asked before may take")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the reports not asked before to this file (go tool pprof reads it)")
	flag.Parse()
	if *dsn == "" {
		fmt.Fprintln(os.Stderr, "benchannual: -database is required")
		os.Exit(2)
	}
	if err := run(context.Background(), *dsn, *goalCached, *goalUncached, *profile); err != nil {
		fmt.Fprintln(os.Stderr, "benchannual:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dsn string, goalCached, goalUncached time.Duration, profile string) error {
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
	fmt.Printf("annual reports over %d published figures (%s)\n", n, d.Dialect)
	cfg := config.Defaults()
	cfg.DatabaseURL = dsn
	srv, err := web.New(cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	t0 := time.Now()
	srv.Warm(ctx)
	fmt.Printf("start-up: the breakdowns' sums read in %.0f ms (hrx serve does this before the first visitor)\n", ms(time.Since(t0)))
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

	took, body, err := get("/reports")
	if err != nil {
		return err
	}
	fmt.Printf("/reports: %.1f ms\n", ms(took))
	var paths []string
	for _, m := range regexp.MustCompile(`href="(/reports/\d{4})"`).FindAllSubmatch(body, -1) {
		for _, lang := range []string{"en", "ja", "hi"} {
			paths = append(paths, string(m[1])+"?lang="+lang)
		}
	}
	if len(paths) == 0 {
		return fmt.Errorf("/reports lists no year")
	}
	ok := true
	for _, pass := range []struct {
		name string
		goal time.Duration
	}{{"not asked before", goalUncached}, {"cached", goalCached}} {
		var times []time.Duration
		if profile != "" && pass.name == "not asked before" {
			f, err := os.Create(profile)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
		}
		for _, p := range paths {
			took, body, err := get(p)
			if err != nil {
				return err
			}
			if pass.name == "cached" && p == paths[0] {
				fmt.Printf("%s: %d bytes\n", p, len(body))
			}
			times = append(times, took)
		}
		if profile != "" && pass.name == "not asked before" {
			pprof.StopCPUProfile()
		}
		slices.Sort(times)
		worst := times[len(times)-1]
		fmt.Printf("%-17s %d reports: median %.1f ms, max %.1f ms (goal %s)\n", pass.name, len(paths), ms(times[len(times)/2]), ms(worst), pass.goal)
		ok = ok && worst < pass.goal
	}
	if !ok {
		return fmt.Errorf("a report took longer than its goal")
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
