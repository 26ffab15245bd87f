package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/labstack/echo/v4"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/config"
	"hrx/internal/db/dbtest"
	"hrx/internal/figures"
	"hrx/internal/logbuf"
	"hrx/internal/month"
	"hrx/internal/web"
)

// BenchmarkCachedAnswers serves each cached public endpoint (widget HTML and
// SVG, oEmbed, the targets API and its list) through the whole server, as
// hrx serve runs it (request logs as JSON through the batching writer,
// metrics, security headers), and the same bytes from a bare Echo handler:
// the floor of issue 15's "at least 0.9×". Each endpoint has a "hrx" and a
// "bare" result; compare their ns/op and allocs/op, measured side by side.
// No network is involved (scripts/bench-widgets.sh measures with wrk).
//
//	go test ./internal/web -run XXX -bench BenchmarkCachedAnswers -benchmem
func BenchmarkCachedAnswers(b *testing.B) {
	ctx := context.Background()
	d := dbtest.New(b)
	fs := figures.NewStore(d)
	if err := fs.Insert(ctx, audit.System("bench"), []figures.Figure{
		{Month: "2025-09", Direction: "IN-JP", Category: "engineer", Count: 300},
		{Month: "2025-09", Direction: "JP-IN", Category: "student", Count: 500},
	}, "bench"); err != nil {
		b.Fatal(err)
	}
	m := month.MustParse("2025-09")
	if _, err := approval.NewStore(d, fs).PublishRange(ctx, audit.System("bench"), m, m, approval.RangeOptions{SingleApprover: true, ConfirmFlags: "bench"}); err != nil {
		b.Fatal(err)
	}
	lw := logbuf.New(io.Discard)
	defer lw.Close()
	cfg := config.Defaults()
	cfg.BaseURL = "http://localhost:8080"
	s, err := web.New(cfg, d, slog.New(slog.NewJSONHandler(lw, nil)))
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	for _, e := range []struct{ name, path string }{
		{"widget-html", "/embed/skilled-workers?style=card"},
		{"widget-svg", "/embed/skilled-workers.svg?style=card"},
		{"oembed", "/oembed?url=" + url.QueryEscape("http://localhost:8080/targets/skilled-workers")},
		{"api-targets", "/api/v1/targets"},
		{"api-target", "/api/v1/targets/skilled-workers"},
	} {
		p := e.path
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, getRequest(p))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", p, rec.Code)
		}
		body, ctype := rec.Body.Bytes(), rec.Header().Get("Content-Type")
		bare := echo.New()
		u, _ := url.Parse(p)
		bare.GET(u.Path, func(c echo.Context) error { return c.Blob(http.StatusOK, ctype, body) })
		for _, side := range []struct {
			name string
			h    http.Handler
		}{{"hrx", h}, {"bare", bare}} {
			b.Run(e.name+"/"+side.name, func(b *testing.B) {
				r := getRequest(p)
				w := &sink{h: http.Header{}}
				b.ReportAllocs()
				for b.Loop() {
					clear(w.h)
					w.n = 0
					side.h.ServeHTTP(w, r)
				}
				if w.n != len(body) {
					b.Fatalf("%d bytes, want %d", w.n, len(body))
				}
			})
		}
	}
}

// getRequest is a GET as the server receives it: from a client address, without a body.
func getRequest(path string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Body = http.NoBody
	r.RemoteAddr = "203.0.113.7:40000"
	return r
}

// sink is a ResponseWriter that keeps nothing but the count of bytes.
type sink struct {
	h http.Header
	n int
}

func (w *sink) Header() http.Header         { return w.h }
func (w *sink) WriteHeader(int)             {}
func (w *sink) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
