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
	"os"
	"regexp"
	"time"

	"hrx/scripts/benchpages"
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
	srv, err := benchpages.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Printf("annual reports over %d published figures (%s)\n", srv.Figures, srv.DB.Dialect)
	t0 := time.Now()
	srv.Web.Warm(ctx)
	fmt.Printf("start-up: the breakdowns' sums read in %.0f ms (hrx serve does this before the first visitor)\n", benchpages.Ms(time.Since(t0)))

	took, body, err := srv.Get("/reports")
	if err != nil {
		return err
	}
	fmt.Printf("/reports: %.1f ms\n", benchpages.Ms(took))
	var paths []string
	for _, m := range regexp.MustCompile(`href="(/reports/\d{4})"`).FindAllSubmatch(body, -1) {
		for _, lang := range []string{"en", "ja", "hi"} {
			paths = append(paths, string(m[1])+"?lang="+lang)
		}
	}
	if len(paths) == 0 {
		return fmt.Errorf("/reports lists no year")
	}
	ok, err := srv.Passes("reports", paths, goalUncached, goalCached, profile)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("a report took longer than its goal")
	}
	return nil
}
