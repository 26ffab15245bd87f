package web

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"hrx/internal/dataversion"

	"github.com/labstack/echo/v4"
)

// healthz answers while the process is alive.
func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// readyz answers 200 when the database is reachable and its schema is current.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "database unreachable"})
	}
	ok, err := s.db.SchemaCurrent(ctx)
	if err != nil || !ok {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "database schema is not current; run hrx migrate"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// metrics counts requests for /metrics in Prometheus' text format.
type metrics struct {
	byClass  [6]atomic.Int64 // index: status/100
	totalDur atomic.Int64    // microseconds
}

func newMetrics() *metrics { return &metrics{} }

func (m *metrics) observe(status int, d time.Duration) {
	if i := status / 100; i >= 1 && i <= 5 {
		m.byClass[i].Add(1)
	}
	m.totalDur.Add(d.Microseconds())
}

func (s *Server) metricsHandler(c echo.Context) error {
	w := c.Response()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	fmt.Fprintln(w, "# HELP hrx_http_requests_total HTTP requests answered, by status class.")
	fmt.Fprintln(w, "# TYPE hrx_http_requests_total counter")
	var n int64
	for i := 1; i <= 5; i++ {
		v := s.metrics.byClass[i].Load()
		n += v
		fmt.Fprintf(w, "hrx_http_requests_total{code=\"%dxx\"} %d\n", i, v)
	}
	fmt.Fprintln(w, "# HELP hrx_http_request_seconds_total Time spent answering HTTP requests.")
	fmt.Fprintln(w, "# TYPE hrx_http_request_seconds_total counter")
	fmt.Fprintf(w, "hrx_http_request_seconds_total %g\n", float64(s.metrics.totalDur.Load())/1e6)
	if v, err := dataversion.Current(c.Request().Context(), s.db); err == nil {
		fmt.Fprintln(w, "# HELP hrx_data_version The version of the figures, moved on by every change.")
		fmt.Fprintln(w, "# TYPE hrx_data_version gauge")
		fmt.Fprintf(w, "hrx_data_version %d\n", v)
	}
	return nil
}

func (s *Server) favicon(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, s.static.URL("favicon.svg"))
}
