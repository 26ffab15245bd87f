// Command benchdash measures how fast the dashboard (/) and the public API
// (/api/v1/targets) answer over a large number of figure rows, when the data
// changed just before each request and when it did not, against a static asset
// served by the same process in the same run.
//
// It creates and migrates a fresh database (SQLite in a temporary directory
// unless -database names a file or a postgres:// URL), generates -rows figures
// broken down by sector and region, starts the real HTTP handler on a loopback
// httptest.Server and times sequential GETs with a plain http.Client.
//
//	go run ./scripts/benchdash -rows 1000000 -n 50
//
// The goal it checks: median under 50 ms when the data changed just before,
// under 5 ms when it did not.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"gorm.io/gorm"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/config"
	"hrx/internal/dataversion"
	"hrx/internal/db"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/report"
	"hrx/internal/targets"
	"hrx/internal/users"
	"hrx/internal/web"
)

// Limits from the issue.
const (
	changedLimit   = 50 * time.Millisecond
	unchangedLimit = 5 * time.Millisecond
	// The scenario planner's page and API: under 200 ms when the report is
	// rebuilt, under 50 ms when it is cached.
	planChangedLimit   = 200 * time.Millisecond
	planUnchangedLimit = 50 * time.Millisecond
	planPath           = "/targets/total-exchange/plan"
)

// The cell the "changed just before" runs edit through the month grid: it holds
// one plain figure only, so the grid may change it.
const (
	benchMonth     = "2026-10"
	benchDirection = reference.IndiaToJapan
	benchCategory  = "other"
)

// Months of generated data.
var (
	firstMonth = month.New(2024, 9)
	lastMonth  = month.New(2026, 10)
)

type options struct {
	database   string
	rows       int
	n          int
	insert     string
	batch      int
	reuse      bool
	cpuProfile string
	breakdown  bool
}

func main() {
	var o options
	flag.StringVar(&o.database, "database", "", "SQLite file or postgres:// URL (default: a new SQLite file in a temporary directory)")
	flag.IntVar(&o.rows, "rows", 1_000_000, "figure rows to generate")
	flag.IntVar(&o.n, "n", 50, "timed requests per measurement")
	flag.StringVar(&o.insert, "insert", "store", "how to insert the rows: store (figures.Store.Insert, GORM CreateInBatches) or raw (multi-row INSERTs in one transaction)")
	flag.IntVar(&o.batch, "batch", 500, "rows per INSERT statement with -insert raw")
	flag.BoolVar(&o.reuse, "reuse", false, "with -database: use the figures already there instead of refusing a database that has some")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of each measurement to this path plus .page-changed, .api-changed, .page-unchanged, .api-unchanged, .static")
	flag.BoolVar(&o.breakdown, "breakdown", true, "also time the parts of a request without HTTP (data version query, report build)")
	flag.Parse()
	if flag.NArg() > 0 {
		fail(fmt.Errorf("unexpected argument %q", flag.Arg(0)))
	}
	if o.rows < 1 || o.n < 1 || o.batch < 1 {
		fail(errors.New("-rows, -n and -batch must be 1 or more"))
	}
	if o.insert != "raw" && o.insert != "store" {
		fail(fmt.Errorf("-insert must be raw or store, not %q", o.insert))
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
	fmt.Fprintln(os.Stderr, "benchdash:", err)
	os.Exit(1)
}

// run reports whether every median is within its limit.
func run(ctx context.Context, o options, out io.Writer) (bool, error) {
	dsn := o.database
	if dsn == "" {
		dir, err := os.MkdirTemp("", "hrx-benchdash-")
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
	fmt.Fprintf(out, "HRX dashboard benchmark  %s %s/%s GOMAXPROCS=%d  database: %s (%s)\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), d.Dialect, displayDSN(dsn, o.database == ""))

	fs := figures.NewStore(d)
	var existing int64
	if err := d.R.WithContext(ctx).Raw("SELECT COUNT(*) FROM figures").Scan(&existing).Error; err != nil {
		return false, err
	}
	switch {
	case existing > 0 && !o.reuse:
		return false, fmt.Errorf("the database already holds %d figures; give a new one, or -reuse to measure over them", existing)
	case existing > 0:
		fmt.Fprintf(out, "reusing %d figures already in the database\n", existing)
	default:
		rows, err := generate(ctx, d, o.rows)
		if err != nil {
			return false, err
		}
		t0 := time.Now()
		if o.insert == "store" {
			err = fs.Insert(ctx, audit.System("benchdash"), rows, "benchmark data")
		} else {
			err = insertRaw(ctx, d, rows, o.batch)
		}
		if err != nil {
			return false, fmt.Errorf("inserting figures: %w", err)
		}
		el := time.Since(t0)
		fmt.Fprintf(out, "inserted %d figures (%s..%s, both directions, every category) with -insert %s in %s: %.0f rows/s\n",
			len(rows), firstMonth, lastMonth, o.insert, el.Round(time.Millisecond), float64(len(rows))/el.Seconds())
		if d.Dialect == db.SQLite {
			fmt.Fprintf(out, "database file: %s\n", fileSize(dsn))
		}
		// The public sees published months only: publish them all, then reopen
		// the month the benchmark changes, as a revision in progress would be.
		t0 = time.Now()
		ap := approval.NewStore(d, figures.NewStore(d))
		if _, err := ap.PublishRange(ctx, audit.System("benchdash"), firstMonth, lastMonth, approval.RangeOptions{Comment: "benchmark data", SingleApprover: true, ConfirmFlags: "benchmark data"}); err != nil {
			return false, err
		}
		if _, err := ap.Do(ctx, audit.System("benchdash"), users.Admin, benchMonth, approval.Reopen, "benchmark changes"); err != nil {
			return false, err
		}
		fmt.Fprintf(out, "published %s..%s and reopened %s in %s\n", firstMonth, lastMonth, benchMonth, time.Since(t0).Round(time.Millisecond))
	}
	var totals int64
	if err := d.R.WithContext(ctx).Raw("SELECT COUNT(*) FROM month_totals").Scan(&totals).Error; err != nil {
		return false, err
	}
	fmt.Fprintf(out, "month_totals rows: %d\n", totals)

	cfg := config.Defaults()
	// Measure the rebuild after every change: no grace period on the data version.
	cfg.VersionTTL = 0
	cfg.DatabaseURL = dsn
	srv, err := web.New(cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return false, err
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	client := &http.Client{Timeout: time.Minute}
	b := bench{ctx: ctx, client: client, base: ts.URL, fs: fs}

	// First requests: templates, connection pools and the first report.
	page, first, err := b.get("/")
	if err != nil {
		return false, err
	}
	css := regexp.MustCompile(`<link rel="stylesheet" href="(/static/app\.[^"]+\.css)">`).FindSubmatch(page)
	if css == nil {
		return false, errors.New(`no <link rel="stylesheet" href="/static/app.….css"> on /`)
	}
	cssURL := string(css[1])
	_, firstAPI, err := b.get("/api/v1/targets")
	if err != nil {
		return false, err
	}
	if _, _, err := b.get(cssURL); err != nil {
		return false, err
	}
	fmt.Fprintf(out, "first requests (cold): / %s ms, /api/v1/targets %s ms; / is %d bytes\n\n", ms(first), ms(firstAPI), len(page))

	type result struct {
		name  string
		limit time.Duration
		s     stats
		bytes int
	}
	var results []result
	measure := func(name, slug, path string, limit time.Duration, changed bool) error {
		if o.cpuProfile != "" {
			f, err := os.Create(o.cpuProfile + "." + slug)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			defer pprof.StopCPUProfile()
		}
		ds := make([]time.Duration, 0, o.n)
		size, etag := 0, b.etag
		for i := 0; i < o.n; i++ {
			if changed {
				if err := b.change(); err != nil {
					return err
				}
			}
			body, d, err := b.get(path)
			if err != nil {
				return err
			}
			ds, size = append(ds, d), len(body)
			// The API's ETag carries the data version: it must move on every change.
			if changed && b.etag != "" {
				if b.etag == etag {
					return fmt.Errorf("ETag %s did not change after the data changed", etag)
				}
				etag = b.etag
			}
		}
		results = append(results, result{name, limit, summarize(ds), size})
		return nil
	}
	steps := []struct {
		name, slug, path string
		limit            time.Duration
		changed          bool
	}{
		{"/ (data changed just before)", "page-changed", "/", changedLimit, true},
		{"/api/v1/targets (data changed just before)", "api-changed", "/api/v1/targets", changedLimit, true},
		{"/ (unchanged)", "page-unchanged", "/", unchangedLimit, false},
		{"/api/v1/targets (unchanged)", "api-unchanged", "/api/v1/targets", unchangedLimit, false},
		// The scenario planner: a published target's page and API, the
		// report rebuilt after a change (uncached) or not (cached).
		{"plan page (data changed just before)", "plan-changed", planPath + "?mode=growth&growth=2", planChangedLimit, true},
		{"plan API (data changed just before)", "plan-api-changed", "/api/v1" + planPath + "?growth=2", planChangedLimit, true},
		{"plan page (unchanged)", "plan-unchanged", planPath + "?mode=growth&growth=2", planUnchangedLimit, false},
		{"plan API (unchanged)", "plan-api-unchanged", "/api/v1" + planPath + "?growth=2", planUnchangedLimit, false},
		{"static " + cssURL, "static", cssURL, 0, false},
	}
	for _, s := range steps {
		if err := measure(s.name, s.slug, s.path, s.limit, s.changed); err != nil {
			return false, fmt.Errorf("%s: %w", s.name, err)
		}
	}

	static := results[len(results)-1].s.median
	fmt.Fprintf(out, "%d sequential requests each, times in ms (change = SaveGrid of %s %s %s before each GET, not timed)\n", o.n, benchMonth, benchDirection, benchCategory)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "request\tmedian\tp90\tmax\tbytes\t× static\tlimit\tresult\t")
	pass := true
	for _, r := range results {
		limit, verdict := "", ""
		if r.limit > 0 {
			limit = "< " + ms(r.limit)
			verdict = "PASS"
			if r.s.median >= r.limit {
				verdict, pass = "FAIL", false
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t\n", r.name, ms(r.s.median), ms(r.s.p90), ms(r.s.max), r.bytes, ratio(r.s.median, static), limit, verdict)
	}
	tw.Flush()
	fmt.Fprintln(out)
	for _, r := range results[:len(results)-1] {
		fmt.Fprintf(out, "ratio %-45s median / static median = %s\n", r.name, ratio(r.s.median, static))
	}
	if pass {
		fmt.Fprintln(out, "\nPASS: every median is within its limit")
	} else {
		fmt.Fprintln(out, "\nFAIL: some median is over its limit")
	}

	if o.breakdown {
		if err := breakdown(ctx, o.n, d, &b, out); err != nil {
			return pass, err
		}
	}
	return pass, nil
}

// breakdown times the parts of a dashboard request without HTTP.
func breakdown(ctx context.Context, n int, d *db.DB, b *bench, out io.Writer) error {
	svc := report.NewService(d, b.fs, targets.NewStore(d), reference.NewStore(d), approval.NewStore(d, b.fs))
	var ver, change, build, cached, totals []time.Duration
	for i := 0; i < n; i++ {
		t0 := time.Now()
		if _, err := dataversion.Current(ctx, d); err != nil {
			return err
		}
		ver = append(ver, time.Since(t0))
	}
	for i := 0; i < n; i++ {
		t0 := time.Now()
		if err := b.change(); err != nil {
			return err
		}
		change = append(change, time.Since(t0))
		t0 = time.Now()
		if _, err := svc.Current(ctx, figures.Public); err != nil {
			return err
		}
		build = append(build, time.Since(t0))
		t0 = time.Now()
		if _, err := svc.Current(ctx, figures.Public); err != nil {
			return err
		}
		cached = append(cached, time.Since(t0))
		t0 = time.Now()
		if _, err := b.fs.Totals(ctx, figures.Public); err != nil {
			return err
		}
		totals = append(totals, time.Since(t0))
	}
	fmt.Fprintf(out, "\nbreakdown without HTTP (%d each, ms)\n", n)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "step\tmedian\tp90\tmax\t")
	for _, r := range []struct {
		name string
		ds   []time.Duration
	}{
		{"the change itself (Store.Grid + Store.SaveGrid)", change},
		{"dataversion.Current", ver},
		{"report.Service.Current, data changed (rebuild)", build},
		{"report.Service.Current, unchanged (cached)", cached},
		{"figures.Store.Totals (month_totals)", totals},
	} {
		s := summarize(r.ds)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", r.name, ms(s.median), ms(s.p90), ms(s.max))
	}
	return tw.Flush()
}

// bench makes the requests and the changes.
type bench struct {
	ctx    context.Context
	client *http.Client
	base   string
	fs     *figures.Store
	flip   bool
	etag   string // of the last response
}

// get fetches a path, reads the whole body and times it all.
func (b *bench) get(path string) ([]byte, time.Duration, error) {
	t0 := time.Now()
	resp, err := b.client.Get(b.base + path)
	if err != nil {
		return nil, 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	el := time.Since(t0)
	b.etag = resp.Header.Get("ETag")
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("GET %s: %s: %.300s", path, resp.Status, body)
	}
	return body, el, nil
}

// change moves the count of the bench cell up or down by one through the month grid,
// which refreshes the month's totals and bumps the data version.
func (b *bench) change() error {
	g, err := b.fs.Grid(b.ctx, benchMonth)
	if err != nil {
		return err
	}
	c := g.Cell(benchDirection, benchCategory)
	if c.Plain == nil || !c.Editable() {
		return fmt.Errorf("cell %s %s %s is not a single plain figure", benchMonth, benchDirection, benchCategory)
	}
	v := c.Plain.Count + 1
	if b.flip {
		v = c.Plain.Count - 1
	}
	b.flip = !b.flip
	n, err := b.fs.SaveGrid(b.ctx, audit.System("benchdash"), benchMonth, []figures.CellInput{{Direction: benchDirection, Category: benchCategory, Value: &v, Version: c.Version()}})
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("SaveGrid changed %d figures, want 1", n)
	}
	return nil
}

// generate makes n figures with unique six-part keys: every month from firstMonth
// to lastMonth, both directions and every category, broken down over many
// (sector, origin, destination) combinations. The bench cell holds one plain figure.
func generate(ctx context.Context, d *db.DB, n int) ([]figures.Figure, error) {
	ref := reference.NewStore(d)
	cats, err := ref.Categories(ctx)
	if err != nil {
		return nil, err
	}
	secs, err := ref.Sectors(ctx)
	if err != nil {
		return nil, err
	}
	regs, err := ref.Regions(ctx)
	if err != nil {
		return nil, err
	}
	var sectors, in, jp []string
	for _, s := range secs {
		sectors = append(sectors, s.Code)
	}
	for _, r := range regs {
		if r.Country == "IN" {
			in = append(in, r.Code)
		} else {
			jp = append(jp, r.Code)
		}
	}
	if len(cats) == 0 || len(sectors) == 0 || len(in) == 0 || len(jp) == 0 {
		return nil, errors.New("the reference lists are empty; was the database migrated?")
	}
	months := month.Range(firstMonth, lastMonth)
	dirs := []string{reference.IndiaToJapan, reference.JapanToIndia}
	cells := len(months) * len(dirs) * len(cats)
	combos := len(sectors) * len(in) * len(jp)
	// The bench cell takes one row; the others share the rest.
	perCell, extra := (n-1)/(cells-1), (n-1)%(cells-1)
	if perCell+1 > combos {
		return nil, fmt.Errorf("%d rows need more than the %d (sector, origin, destination) combinations per cell", n, combos)
	}
	// stride is coprime with combos, so k*stride mod combos visits distinct combinations.
	stride := 7919
	for gcd(stride, combos) != 1 {
		stride += 2
	}
	rows := make([]figures.Figure, 0, n)
	cell := 0
	for _, m := range months {
		ms := m.String()
		for _, dir := range dirs {
			origins, dests := in, jp
			if dir == reference.JapanToIndia {
				origins, dests = jp, in
			}
			for _, c := range cats {
				if ms == benchMonth && dir == benchDirection && c.Code == benchCategory {
					rows = append(rows, figures.Figure{Month: ms, Direction: dir, Category: c.Code, Count: 100, Status: figures.Final, Source: "benchdash"})
					continue
				}
				k := perCell
				if cell < extra {
					k++
				}
				cell++
				for i := 0; i < k; i++ {
					x := (i * stride) % combos
					s := x % len(sectors)
					x /= len(sectors)
					o := x % len(origins)
					x /= len(origins)
					rows = append(rows, figures.Figure{Month: ms, Direction: dir, Category: c.Code,
						Sector: sectors[s], Origin: origins[o], Destination: dests[x],
						Count: int64(1 + (i*31+cell*17)%40), Status: figures.Final, Source: "benchdash"})
				}
			}
		}
	}
	return rows, nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// insertRaw writes the rows with multi-row INSERT statements in one transaction,
// then fills month_totals and bumps the data version, as figures.Store.Insert does.
func insertRaw(ctx context.Context, d *db.DB, rows []figures.Figure, batch int) error {
	return d.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		w := figures.NewBatch(tx, time.Now().UTC(), batch)
		for _, f := range rows {
			if err := w.Add(f); err != nil {
				return err
			}
		}
		if err := w.Flush(); err != nil {
			return err
		}
		var months []string
		for _, m := range month.Range(firstMonth, lastMonth) {
			months = append(months, m.String())
		}
		if err := figures.RefreshTotals(tx, months); err != nil {
			return err
		}
		if err := audit.Record(tx, audit.System("benchdash"), audit.Change{Action: "insert", Entity: "figures",
			Key: firstMonth.String() + ".." + lastMonth.String(), After: map[string]any{"rows": len(rows)}, Reason: "benchmark data"}); err != nil {
			return err
		}
		return dataversion.Bump(tx)
	})
}

type stats struct{ median, p90, max time.Duration }

func summarize(ds []time.Duration) stats {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	p90 := s[max(0, (9*n+9)/10-1)] // nearest rank
	return stats{med, p90, s[n-1]}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f", float64(d)/float64(time.Millisecond)) }

func ratio(a, b time.Duration) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f×", float64(a)/float64(b))
}

func fileSize(path string) string {
	var total int64
	for _, p := range []string{path, path + "-wal"} {
		if st, err := os.Stat(p); err == nil {
			total += st.Size()
		}
	}
	return fmt.Sprintf("%.1f MB (with WAL)", float64(total)/1e6)
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
