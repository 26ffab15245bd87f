// Command benchapi measures the public figures API (GET /api/v1/figures) over
// many published figures: the first page of several groupings and the page
// after it through its next link, every grouping once, a walk through all the
// pages of the finest grouping, the process's peak memory while it serves, and
// a query stopped by the server's time limit.
//
// It creates and migrates a database (a new SQLite file in a temporary
// directory unless -database names a file or a postgres:// URL), writes
// -figures figures with multi-row INSERTs in one transaction, publishes every
// month, and starts the real handler (web.New) on a loopback httptest.Server.
//
//	go run ./scripts/benchapi -figures 1000000
//	go run ./scripts/benchapi -figures 1000000 -database 'postgres://postgres@127.0.0.1:5432/bench?sslmode=disable'
//
// The goal it checks: every first page in under -goal (1 s), whatever the grouping.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/figures"
	"hrx/internal/reference"
	"hrx/internal/web"
)

type options struct {
	database string
	figures  int
	n        int
	reuse    bool
	goal     time.Duration
	limit    time.Duration
}

// queries are the first pages measured n times each: groupings with few and
// with many groups, read in order from an index or not, and with filters.
var queries = []string{
	"group_by=month",
	"group_by=month,direction,category",
	"group_by=sector",
	"group_by=origin,destination",
	"group_by=month,destination",
	"group_by=direction,sector,origin,destination",
	"group_by=category,sector,origin,destination",
	"group_by=month,direction,category,sector,origin,destination",
	"group_by=destination,origin,sector,category,direction,month",
	"direction=" + reference.JapanToIndia + "&group_by=month,direction,destination",
	"sector=it_software&group_by=origin,destination",
	"from=2025-03&to=2025-08&group_by=origin",
	"origin=IN-KA&group_by=month,direction,category,sector,origin,destination",
}

func main() {
	var o options
	flag.StringVar(&o.database, "database", "", "SQLite file or postgres:// URL (default: a new SQLite file in a temporary directory)")
	flag.IntVar(&o.figures, "figures", 1_000_000, "published figures to generate")
	flag.IntVar(&o.n, "n", 5, "timed requests of each first page")
	flag.BoolVar(&o.reuse, "reuse", false, "with -database: measure over the figures already there")
	flag.DurationVar(&o.goal, "goal", time.Second, "the most a first page may take")
	flag.DurationVar(&o.limit, "timeout", 50*time.Millisecond, "the query time limit of the server that shows a stopped query")
	flag.Parse()
	if flag.NArg() > 0 {
		fail(fmt.Errorf("unexpected argument %q", flag.Arg(0)))
	}
	if o.figures < 1 || o.n < 1 {
		fail(errors.New("-figures and -n must be 1 or more"))
	}
	start := time.Now()
	pass, err := run(context.Background(), o, os.Stdout)
	if err != nil {
		fail(err)
	}
	fmt.Printf("\nwhole run: %s\n", time.Since(start).Round(10*time.Millisecond))
	if !pass {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchapi:", err)
	os.Exit(1)
}

// run reports whether every first page came within the goal.
func run(ctx context.Context, o options, out io.Writer) (bool, error) {
	dsn := o.database
	if dsn == "" {
		dir, err := os.MkdirTemp("", "hrx-benchapi-")
		if err != nil {
			return false, err
		}
		defer os.RemoveAll(dir)
		dsn = filepath.Join(dir, "bench.db")
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return false, err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return false, err
	}
	fmt.Fprintf(out, "HRX figures API benchmark  %s %s/%s GOMAXPROCS=%d  database: %s (%s)\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), d.Dialect, displayDSN(dsn, o.database == ""))

	var existing int64
	if err := d.R.WithContext(ctx).Raw("SELECT COUNT(*) FROM published_figures").Scan(&existing).Error; err != nil {
		return false, err
	}
	switch {
	case existing > 0 && !o.reuse:
		return false, fmt.Errorf("the database already holds %d published figures; give a new one, or -reuse to measure over them", existing)
	case existing > 0:
		fmt.Fprintf(out, "reusing %d published figures already in the database\n", existing)
	default:
		write, publish, err := fill(ctx, d, o.figures)
		if err != nil {
			return false, err
		}
		fmt.Fprintf(out, "wrote %d figures (%s..%s) in %s; published every month (copied to published_figures) in %s\n",
			o.figures, firstMonth, lastMonth, write.Round(10*time.Millisecond), publish.Round(10*time.Millisecond))
		if d.Dialect == db.Postgres {
			// After a bulk load autovacuum gathers statistics and marks pages
			// all-visible (which index-only scans need) within a minute or so;
			// measure that steady state, not the minute before it.
			t0 := time.Now()
			if err := d.W.WithContext(ctx).Exec("VACUUM ANALYZE published_figures").Error; err != nil {
				return false, err
			}
			fmt.Fprintf(out, "VACUUM ANALYZE published_figures: %s\n", time.Since(t0).Round(10*time.Millisecond))
		}
	}
	if d.Dialect == db.SQLite {
		fmt.Fprintf(out, "database file: %s\n", fileSize(dsn))
	}

	cfg := config.Defaults()
	cfg.DatabaseURL = dsn
	srv, err := web.New(cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return false, err
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	c := client{http: &http.Client{Timeout: 5 * time.Minute}, base: ts.URL}

	// Measure the serving alone: what filling the database took is given back first.
	runtime.GC()
	debug.FreeOSMemory()
	resetPeak()
	mem := startSampler()

	pass := true
	fmt.Fprintf(out, "\nfirst page (limit %d, the default), %d requests each, then the next page once through its link; times in ms\n", 1000, o.n)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "query\tmedian\tmax\trows\tbytes\ttotal\tpage 2\tpage 2 bytes\t")
	for _, q := range queries {
		var times []time.Duration
		var first page
		for i := 0; i < o.n; i++ {
			p, err := c.get("/api/v1/figures?" + q)
			if err != nil {
				return false, err
			}
			times, first = append(times, p.took), p
		}
		slices.Sort(times)
		med, worst := times[len(times)/2], times[len(times)-1]
		if worst >= o.goal {
			pass = false
		}
		second := "-"
		secondBytes := "-"
		if first.Next != nil {
			p, err := c.get(*first.Next)
			if err != nil {
				return false, err
			}
			second, secondBytes = ms(p.took), fmt.Sprint(p.bytes)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\t\n", q, ms(med), ms(worst), len(first.Rows), first.bytes, first.Total, second, secondBytes)
	}
	tw.Flush()

	// Every grouping once: "any group_by" means all 63.
	type timed struct {
		query string
		took  time.Duration
	}
	var every []timed
	for mask := 1; mask < 1<<len(figures.GroupColumns); mask++ {
		var cols []string
		for i, c := range figures.GroupColumns {
			if mask&(1<<i) != 0 {
				cols = append(cols, c)
			}
		}
		q := "group_by=" + strings.Join(cols, ",")
		p, err := c.get("/api/v1/figures?" + q)
		if err != nil {
			return false, err
		}
		every = append(every, timed{q, p.took})
		if p.took >= o.goal {
			pass = false
		}
	}
	slices.SortFunc(every, func(a, b timed) int { return int(b.took - a.took) })
	fmt.Fprintf(out, "\nevery grouping (%d), first page once: slowest %s ms (%s), median %s ms; the next slowest:", len(every), ms(every[0].took), every[0].query, ms(every[len(every)/2].took))
	for _, e := range every[1:5] {
		fmt.Fprintf(out, " %s ms (%s);", ms(e.took), strings.TrimPrefix(e.query, "group_by="))
	}
	fmt.Fprintln(out)

	// Every page of the finest grouping: page N costs what page 1 does.
	var pages []time.Duration
	var rows, bytes int
	var total int64
	path := "/api/v1/figures?group_by=month,direction,category,sector,origin,destination&limit=10000"
	for path != "" {
		p, err := c.get(path)
		if err != nil {
			return false, err
		}
		if total != 0 && p.Total != total {
			return false, fmt.Errorf("page %d: total %d, the first page said %d", len(pages)+1, p.Total, total)
		}
		pages, rows, bytes, total = append(pages, p.took), rows+len(p.Rows), bytes+p.bytes, p.Total
		path = ""
		if p.Next != nil {
			path = *p.Next
		}
	}
	sorted := slices.Clone(pages)
	slices.Sort(sorted)
	var sum time.Duration
	for _, t := range pages {
		sum += t
	}
	fmt.Fprintf(out, "\nwalking all six columns with limit=10000: %d pages, %d rows, %.1f MB in %s; page 1 %s ms, page 2 %s ms, page %d %s ms, last %s ms, median %s ms, slowest %s ms\n",
		len(pages), rows, float64(bytes)/1e6, sum.Round(time.Millisecond), ms(pages[0]), ms(pages[min(1, len(pages)-1)]),
		len(pages)/2+1, ms(pages[len(pages)/2]), ms(pages[len(pages)-1]), ms(sorted[len(sorted)/2]), ms(sorted[len(sorted)-1]))
	if int64(rows) != existing && existing > 0 || existing == 0 && rows != o.figures {
		return false, fmt.Errorf("the walk gave %d rows, not one per figure", rows)
	}

	heap := mem.stop()
	fmt.Fprintf(out, "\npeak memory while serving all of the above: %s resident (VmHWM, SQLite's page caches included), Go heap in use at most %.0f MB\n", vmHWM(), float64(heap)/1e6)

	if err := stopped(ctx, o, d, cfg, out); err != nil {
		return false, err
	}

	if pass {
		fmt.Fprintf(out, "\nPASS: every first page within %s\n", o.goal)
	} else {
		fmt.Fprintf(out, "\nFAIL: some first page took %s or more\n", o.goal)
	}
	return pass, nil
}

// stopped shows a query past the time limit: a second server with a short
// QueryTimeout answers the slowest groupings 503, and on PostgreSQL no
// statement is left running on the server.
func stopped(ctx context.Context, o options, d *db.DB, cfg config.Config, out io.Writer) error {
	cfg.QueryTimeout = o.limit
	srv, err := web.New(cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	fmt.Fprintf(out, "\nwith HRX_QUERY_TIMEOUT=%s:\n", o.limit)
	for _, q := range []string{"group_by=direction,category,destination", "direction=" + reference.JapanToIndia + "&group_by=month,direction,destination"} {
		t0 := time.Now()
		resp, err := http.Get(ts.URL + "/api/v1/figures?" + q)
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		took := time.Since(t0)
		fmt.Fprintf(out, "  %s: %d in %s ms, Retry-After %q", q, resp.StatusCode, ms(took), resp.Header.Get("Retry-After"))
		if resp.StatusCode != http.StatusServiceUnavailable {
			fmt.Fprintf(out, " (finished within the limit: %.80s)", body)
		}
		if d.Dialect == db.Postgres {
			time.Sleep(200 * time.Millisecond)
			var running int64
			if err := d.R.WithContext(ctx).Raw(`SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active'
				AND query LIKE '%AS people FROM published_figures%' AND pid <> pg_backend_pid()`).Scan(&running).Error; err != nil {
				return err
			}
			fmt.Fprintf(out, "; statements still running on the server 200 ms later: %d", running)
		}
		fmt.Fprintln(out)
	}
	return nil
}

// client makes the timed requests.
type client struct {
	http *http.Client
	base string
}

// page is one answer of the API, with how long it took and its size.
type page struct {
	Rows  []json.RawMessage
	Total int64
	Next  *string
	took  time.Duration
	bytes int
}

// get fetches a path, reads the whole body and times it all.
func (c client) get(path string) (page, error) {
	t0 := time.Now()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		return page{}, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(t0)
	if err != nil {
		return page{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return page{}, fmt.Errorf("GET %s: %s: %.300s", path, resp.Status, body)
	}
	var p page
	if err := json.Unmarshal(body, &p); err != nil {
		return page{}, fmt.Errorf("GET %s: %w", path, err)
	}
	p.took, p.bytes = took, len(body)
	return p, nil
}

// sampler records the most heap in use while it runs.
type sampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	max  uint64
}

func startSampler() *sampler {
	s := &sampler{done: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			s.max = max(s.max, m.HeapInuse)
			select {
			case <-s.done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return s
}

func (s *sampler) stop() uint64 {
	close(s.done)
	s.wg.Wait()
	return s.max
}

// resetPeak starts the process's peak resident size (VmHWM) again from now,
// so that it measures the serving, not the loading (Linux only; elsewhere a no-op).
func resetPeak() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// vmHWM is the process's peak resident memory, from /proc.
func vmHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

func fileSize(path string) string {
	var total int64
	for _, p := range []string{path, path + "-wal"} {
		if st, err := os.Stat(p); err == nil {
			total += st.Size()
		}
	}
	return fmt.Sprintf("%.0f MB (with WAL)", float64(total)/1e6)
}

// displayDSN hides a PostgreSQL password.
func displayDSN(dsn string, temp bool) string {
	if temp {
		return "new file in a temporary directory"
	}
	if i := strings.Index(dsn, "@"); i >= 0 && strings.Contains(dsn, "://") {
		return dsn[:strings.Index(dsn, "://")+3] + "…" + dsn[i:]
	}
	return dsn
}
