// Package benchpages is what the public pages' benchmarks (scripts/benchannual,
// scripts/benchbreakdown) share: HRX's real handler (web.New) on a loopback
// httptest.Server over a database of published figures, a timed GET, and two
// passes over a list of pages, first not asked before, then from the cache,
// each against its goal.
package benchpages

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"slices"
	"time"

	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/web"
)

// Server is HRX serving a database of published figures on loopback.
type Server struct {
	DB      *db.DB
	Web     *web.Server
	Figures int64 // published figures in the database
	ts      *httptest.Server
}

// Open opens and migrates the database at dsn, counts its published
// figures, and starts the handler.
func Open(ctx context.Context, dsn string) (*Server, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	s := &Server{DB: d}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if err := d.R.WithContext(ctx).Raw("SELECT COUNT(*) FROM published_figures").Scan(&s.Figures).Error; err != nil {
		d.Close()
		return nil, err
	}
	cfg := config.Defaults()
	cfg.DatabaseURL = dsn
	if s.Web, err = web.New(cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		d.Close()
		return nil, err
	}
	s.ts = httptest.NewServer(s.Web.Handler())
	return s, nil
}

// Close stops the handler and closes the database.
func (s *Server) Close() {
	s.ts.Close()
	s.DB.Close()
}

// Get asks for path and returns how long the whole answer took and its body;
// an answer other than 200 is an error.
func (s *Server) Get(path string) (time.Duration, []byte, error) {
	t0 := time.Now()
	resp, err := http.Get(s.ts.URL + path)
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

// Passes asks for every path twice: first not asked before, then again
// (from the page cache). It prints each pass's median and slowest answer
// and the size of the first page, and reports whether every answer was
// faster than its pass's goal. With profile set, it writes a CPU profile of
// the first pass there (go tool pprof reads it).
func (s *Server) Passes(what string, paths []string, goalUncached, goalCached time.Duration, profile string) (bool, error) {
	ok := true
	for _, pass := range []struct {
		name    string
		goal    time.Duration
		profile string
	}{{"not asked before", goalUncached, profile}, {"cached", goalCached, ""}} {
		if pass.profile != "" {
			f, err := os.Create(pass.profile)
			if err != nil {
				return false, err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return false, err
			}
		}
		var times []time.Duration
		for _, p := range paths {
			took, body, err := s.Get(p)
			if err != nil {
				return false, err
			}
			if pass.name == "cached" && p == paths[0] {
				fmt.Printf("%s: %d bytes\n", p, len(body))
			}
			times = append(times, took)
		}
		if pass.profile != "" {
			pprof.StopCPUProfile()
		}
		slices.Sort(times)
		worst := times[len(times)-1]
		fmt.Printf("%-17s %d %s: median %.1f ms, max %.1f ms (goal %s)\n", pass.name, len(paths), what, Ms(times[len(times)/2]), Ms(worst), pass.goal)
		ok = ok && worst < pass.goal
	}
	return ok, nil
}

// Ms is d in milliseconds.
func Ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
