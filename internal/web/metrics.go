package web

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"hrx/internal/apperr"
	"hrx/internal/config"
	"hrx/internal/dataversion"
	"hrx/internal/db"
	"hrx/internal/i18n"
	"hrx/internal/imports"
	"hrx/internal/notify"
)

// metrics is what /metrics reports, in a registry of the Server's own (tests
// build many servers in one process; the client's default registry is global).
type metrics struct {
	reg      *prometheus.Registry
	handler  http.Handler
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
	// routes holds each route's observers, made once when the routes are
	// known (setRoutes), so that a request finds its histogram without
	// building a label map: the key is the route's template, never its URL.
	routes atomic.Pointer[map[routeKey]*routeObservers]
	other  *routeObservers // a path or method no route has (404, 405)
	allow  []*net.IPNet    // HRX_METRICS_ALLOW; nil: loopback only (unless a token is set)
	token  []byte          // HRX_METRICS_TOKEN
}

// routeKey is a route: its method and template (c.Path()).
type routeKey struct{ method, path string }

// routeObservers are one route's histograms, curried by route and method,
// one per status code seen, added as codes appear (copy on write).
type routeObservers struct {
	vec   prometheus.ObserverVec
	mu    sync.Mutex
	codes atomic.Pointer[[]codeObserver]
}

type codeObserver struct {
	code int
	obs  prometheus.Observer
}

// observer is the histogram of one status code of the route.
func (r *routeObservers) observer(code int) prometheus.Observer {
	if list := r.codes.Load(); list != nil {
		for _, c := range *list {
			if c.code == code {
				return c.obs
			}
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var list []codeObserver
	if old := r.codes.Load(); old != nil {
		for _, c := range *old {
			if c.code == code {
				return c.obs
			}
		}
		list = append(list, *old...)
	}
	o := r.vec.WithLabelValues(strconv.Itoa(code))
	list = append(list, codeObserver{code, o})
	r.codes.Store(&list)
	return o
}

// newMetrics registers every collector of a Server: requests, the database
// pools, the answer caches, imports, jobs and e-mails, the data version, the
// Go runtime and the process.
func newMetrics(s *Server) (*metrics, error) {
	allow, err := config.ParseNets("HRX_METRICS_ALLOW", s.cfg.Metrics.Allow)
	if err != nil {
		return nil, err
	}
	m := &metrics{reg: prometheus.NewRegistry(), allow: allow, token: []byte(s.cfg.Metrics.Token)}
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "hrx_http_request_duration_seconds",
		Help:    "Time to answer HTTP requests, by route template, method and status code.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "method", "code"})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{Name: "hrx_http_requests_in_flight", Help: "HTTP requests being answered now."})
	m.other = &routeObservers{vec: m.duration.MustCurryWith(prometheus.Labels{"route": "other", "method": "other"})}
	m.reg.MustRegister(m.duration, m.inFlight,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "hrx_cache_hits_total", Help: "Public answers (widgets, pages, API) served from memory."},
			func() float64 { return float64(s.cache.hits.Load() + s.answers.hits.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "hrx_cache_misses_total", Help: "Public answers built because memory had none for the data version."},
			func() float64 { return float64(s.cache.misses.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "hrx_cache_bytes", Help: "Bytes of the answers kept in memory for the current data version."},
			func() float64 { return float64(s.cache.size()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "hrx_cache_entries", Help: "Answers kept in memory for the current data version."},
			func() float64 { return float64(s.cache.count()) }),
		&dbCollector{s: s},
	)
	for name, pool := range pools(s.db) {
		m.reg.MustRegister(collectors.NewDBStatsCollector(pool, name))
	}
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError, ErrorLog: promLog{s}})
	return m, nil
}

// pools are the database's connection pools by name: on SQLite the writer's
// (one connection) and the readers'; on PostgreSQL the one pool.
func pools(d *db.DB) map[string]*sql.DB {
	out := map[string]*sql.DB{}
	w, errW := d.W.DB()
	r, errR := d.R.DB()
	switch {
	case d.Dialect == db.Postgres && errW == nil:
		out["postgres"] = w
	case errW == nil && errR == nil:
		out["sqlite_writer"], out["sqlite_readers"] = w, r
	}
	return out
}

// setRoutes makes each route's observers once the routes are known.
func (m *metrics) setRoutes(routes []*echo.Route) {
	table := make(map[routeKey]*routeObservers, len(routes))
	for _, r := range routes {
		k := routeKey{r.Method, r.Path}
		if _, ok := table[k]; !ok {
			table[k] = &routeObservers{vec: m.duration.MustCurryWith(prometheus.Labels{"route": r.Path, "method": r.Method})}
		}
	}
	m.routes.Store(&table)
}

// observe counts one answered request under its route's template.
func (m *metrics) observe(method, path string, code int, d time.Duration) {
	r := m.other
	if t := m.routes.Load(); t != nil {
		if o, ok := (*t)[routeKey{method, path}]; ok {
			r = o
		}
	}
	r.observer(code).Observe(d.Seconds())
}

// metricsHandler serves /metrics to those allowed (allowedMetrics).
func (s *Server) metricsHandler(c echo.Context) error {
	if err := s.allowedMetrics(c); err != nil {
		return err
	}
	s.metrics.handler.ServeHTTP(c.Response(), c.Request())
	return nil
}

// allowedMetrics refuses a client outside HRX_METRICS_ALLOW (by the address
// the trusted-proxy rule finds, as the logs show it) or without the bearer
// token HRX_METRICS_TOKEN. With neither set, only loopback clients may read.
func (s *Server) allowedMetrics(c echo.Context) error {
	m := s.metrics
	ip := net.ParseIP(c.RealIP())
	switch {
	case len(m.allow) > 0:
		if !inNets(ip, m.allow) {
			return apperr.New(apperr.Forbidden, "metrics.address", "address", c.RealIP())
		}
	case len(m.token) == 0:
		if ip == nil || !ip.IsLoopback() {
			return apperr.New(apperr.Forbidden, "metrics.loopback", "address", c.RealIP())
		}
	}
	if len(m.token) > 0 {
		got, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), m.token) != 1 {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			return echo.NewHTTPError(http.StatusUnauthorized, i18n.M("metrics.token"))
		}
	}
	return nil
}

func inNets(ip net.IP, nets []*net.IPNet) bool {
	for _, n := range nets {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// dbCollector reads, at each scrape, what only the database knows and every
// process shares: the data version, imports and their rows by outcome, jobs
// by kind and state, and e-mails by outcome. It is unchecked (describes
// nothing ahead), as its label values come from the database.
type dbCollector struct{ s *Server }

var (
	descDataVersion = prometheus.NewDesc("hrx_data_version", "The version of the figures, moved on by every change.", nil, nil)
	descImports     = prometheus.NewDesc("hrx_imports", "Uploads kept, by outcome: applied, reverted, refused (errors in the file), preview, staging, expired.", []string{"outcome"}, nil)
	descImportRows  = prometheus.NewDesc("hrx_import_rows", "Rows of the uploads kept, by the import's outcome and what each row was.", []string{"outcome", "kind"}, nil)
	descJobs        = prometheus.NewDesc("hrx_jobs", "Background jobs in the job table, by kind and state (finished ones stay a day).", []string{"kind", "state"}, nil)
	descEmails      = prometheus.NewDesc("hrx_emails", "Notification e-mails by outcome: queued, retrying, sent, failed, skipped.", []string{"outcome"}, nil)
	descScrapeError = prometheus.NewDesc("hrx_metrics_database_errors", "1 when a database read for these metrics failed at this scrape.", []string{"what"}, nil)
)

// The outcomes always reported, 0 when none.
var (
	importOutcomes = []string{imports.Applied, imports.Reverted, imports.Refused, imports.Preview, imports.Staging, imports.Expired}
	emailOutcomes  = []string{notify.EmailQueued, notify.EmailRetrying, notify.EmailSent, notify.EmailFailed, notify.EmailSkipped}
)

func (d *dbCollector) Describe(chan<- *prometheus.Desc) {}

func (d *dbCollector) Collect(ch chan<- prometheus.Metric) {
	s := d.s
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	failed := func(what string, err error) {
		s.log.Warn("reading metrics from the database", "what", what, "err", err)
		ch <- prometheus.MustNewConstMetric(descScrapeError, prometheus.GaugeValue, 1, what)
	}
	if v, err := dataversion.Current(ctx, s.db); err == nil {
		ch <- prometheus.MustNewConstMetric(descDataVersion, prometheus.GaugeValue, float64(v))
	} else {
		failed("data_version", err)
	}
	if tallies, err := s.imports.Tallies(ctx); err == nil {
		// Every outcome, 0 when none: a series that appears only later
		// makes rate() and alerts miss their first increase.
		by := map[string]imports.Tally{}
		for _, t := range tallies {
			by[t.Outcome] = t
		}
		for _, o := range importOutcomes {
			t := by[o]
			ch <- prometheus.MustNewConstMetric(descImports, prometheus.GaugeValue, float64(t.Imports), o)
			for _, k := range []struct {
				kind string
				n    int64
			}{{"all", t.RowCount}, {"new", t.NewCount}, {"changed", t.ChangedCount}, {"unchanged", t.UnchangedCount},
				{"removed", t.RemovedCount}, {"error", t.ErrorCount}} {
				ch <- prometheus.MustNewConstMetric(descImportRows, prometheus.GaugeValue, float64(k.n), o, k.kind)
			}
		}
	} else {
		failed("imports", err)
	}
	jobs, emails, err := s.notify.Tallies(ctx)
	if err != nil {
		failed("jobs", err)
		return
	}
	for _, j := range jobs {
		ch <- prometheus.MustNewConstMetric(descJobs, prometheus.GaugeValue, float64(j.Jobs), j.Kind, j.State)
	}
	sent := map[string]int64{}
	for _, e := range emails {
		sent[e.Outcome] = e.Emails
	}
	for _, o := range emailOutcomes {
		ch <- prometheus.MustNewConstMetric(descEmails, prometheus.GaugeValue, float64(sent[o]), o)
	}
}

// promLog writes the metrics handler's errors to the server's log.
type promLog struct{ s *Server }

func (l promLog) Println(v ...any) { l.s.log.Warn("serving /metrics", "err", v) }

// CountDroppedLogs reports, as hrx_log_lines_dropped_total, the log lines the
// server's log writer dropped because its output fell behind (logbuf).
func (s *Server) CountDroppedLogs(dropped func() int64) {
	s.metrics.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "hrx_log_lines_dropped_total",
		Help: "Log lines dropped because the log's output fell more than 8 MB behind."}, func() float64 { return float64(dropped()) }))
}
