package web_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/config"
)

// The cached public endpoints, as bench-widgets.sh loads them.
var cachedEndpoints = []string{
	"/embed/skilled-workers?style=card",
	"/embed/skilled-workers.svg?style=card",
	"/oembed?url=http%3A%2F%2Flocalhost%2Ftargets%2Fskilled-workers",
	"/api/v1/targets/skilled-workers",
}

// TestCachedEndpointsSpeed serves each cached endpoint through the whole
// handler (middleware, logging, metrics, headers) without the network, beside
// a bare Echo handler answering the same bytes, and prints both rates and
// allocations. It runs when HRX_BENCH_WIDGETS=1:
//
//	HRX_BENCH_WIDGETS=1 go test -run CachedEndpointsSpeed -v -cpuprofile cpu.out ./internal/web
func TestCachedEndpointsSpeed(t *testing.T) {
	if os.Getenv("HRX_BENCH_WIDGETS") != "1" {
		t.Skip("HRX_BENCH_WIDGETS=1 runs it")
	}
	e := newEnvWith(t, func(c *config.Config) { c.VersionTTL = time.Second }) // as hrx serve has it
	knownData(e)
	h := e.web.Handler()
	for _, path := range cachedEndpoints {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", path, rec.Code)
		}
		body, ctype := rec.Body.Bytes(), rec.Header().Get("Content-Type")
		bare := echo.New()
		bare.GET(httptest.NewRequest(http.MethodGet, path, nil).URL.Path, func(c echo.Context) error { return c.Blob(http.StatusOK, ctype, body) })
		var ns [2]float64
		for i, s := range []http.Handler{h, bare} {
			r := testing.Benchmark(func(b *testing.B) {
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					req := httptest.NewRequest(http.MethodGet, path, nil)
					req.RemoteAddr = "192.0.2.1:1234"
					w := &discard{h: http.Header{}}
					for pb.Next() {
						clear(w.h)
						s.ServeHTTP(w, req)
					}
				})
			})
			ns[i] = float64(r.NsPerOp())
			t.Logf("%-5s %-45s %8d ns/op %5d allocs/op %6d B/op", []string{"hrx", "bare"}[i], path, r.NsPerOp(), r.AllocsPerOp(), r.AllocedBytesPerOp())
		}
		t.Logf("      hrx takes %.1f× the bare handler's time", ns[0]/ns[1])
	}
}

// discard is a ResponseWriter that keeps nothing but its headers' map.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}
