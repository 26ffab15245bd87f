package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"hrx/internal/config"
	"hrx/internal/imports"
	"hrx/internal/logbuf"
	"hrx/internal/users"
	"hrx/internal/web"
)

var serveCommand = &command{
	name:    "serve",
	summary: "run the web app (the default command); migrates first",
	about: "Runs the web app: brings the database's schema up to date, then serves the pages, widgets and API until " +
		"SIGTERM or Ctrl-C, finishing the requests in progress. On the first start, with no users yet, it prints a one-time " +
		"link to create the first administrator. With --demo it serves the separate demonstration database " + config.DemoDatabase +
		", filled with the invented demonstration data set (published up to the latest two months) and a demo sign-in; " +
		"--database and HRX_DATABASE_URL are not used then, and it says so when one is given.",
	examples: []string{
		"hrx serve --addr :8081 --base-url https://hrx.example.gov.in",
		"hrx serve --demo   # the demonstration database " + config.DemoDatabase + ", sign-in demo@example.org / hrx-demo-password",
	},
	env: func() []string {
		var all []string
		for _, e := range envVars {
			all = append(all, e.name)
		}
		return all
	}(),
	setup: func(fs *flag.FlagSet, env Env) runFunc {
		cfg, envErr := config.FromEnv(env.Getenv)
		cfg.Flags(fs)
		return func(ctx context.Context, pos []string) error {
			if envErr != nil {
				return envErr
			}
			if len(pos) > 0 {
				return fmt.Errorf("unexpected argument %q", pos[0])
			}
			ignored := demoIgnores(cfg, fs, env.Getenv)
			cfg.Finish()
			return serve(ctx, env, cfg, ignored)
		}
	},
}

// demoIgnores names the database that --demo leaves aside, if one was given
// (by --database or HRX_DATABASE_URL), its password hidden; "" when none was.
func demoIgnores(cfg config.Config, fs *flag.FlagSet, getenv func(string) string) string {
	if !cfg.Demo {
		return ""
	}
	given := strings.TrimSpace(getenv("HRX_DATABASE_URL")) != ""
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "database" })
	if !given {
		return ""
	}
	return redact(cfg.DatabaseURL)
}

// redact hides the password of a database URL.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}

func serve(ctx context.Context, env Env, cfg config.Config, ignored string) error {
	// Log lines are written in batches: no request waits for its line to be written.
	lw := logbuf.New(env.Stderr)
	defer lw.Close()
	log := newLogger(cfg, lw)
	if ignored != "" {
		log.Warn("--demo serves the demonstration database "+config.DemoDatabase+"; the database given by --database or HRX_DATABASE_URL is not used", "not_used", ignored)
	}
	d, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.Close()

	srv, err := web.New(cfg, d, log)
	if err != nil {
		return err
	}
	srv.CountDroppedLogs(lw.Dropped)
	if cfg.Demo {
		if err := loadDemo(ctx, d, time.Now(), env.Stdout, demoOptions{publish: true}); err != nil {
			return err
		}
		if err := ensureDemoUser(ctx, srv.Users(), env.Stdout); err != nil {
			return err
		}
	}
	if tok, err := srv.Users().NewSetupToken(ctx); err == nil {
		fmt.Fprintf(env.Stdout, "\nNo users yet. Open this link to create the first administrator (it works once, for 24 hours):\n\n  %s/setup?token=%s\n\n", cfg.PublicBaseURL(), tok)
	} else if !errors.Is(err, users.ErrSetupDone) {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return listenError(cfg.Addr, err)
	}
	// Requests do not end when the server is told to stop: they get
	// cfg.ShutdownTimeout to finish (an upload being applied), and only then
	// is their context cancelled, which rolls back their transactions.
	reqCtx, cancelRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRequests()
	var inflight sync.WaitGroup
	hs := &http.Server{
		Handler:           tracked(srv.Handler(), &inflight),
		BaseContext:       func(net.Listener) context.Context { return reqCtx },
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads can be large
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	go sweepSessions(ctx, srv.Users(), log)
	go srv.Warm(ctx)
	go imports.NewStore(d).PurgeStaleEvery(ctx, time.Hour, log)
	if err := startJobs(ctx, cfg, srv.Notify(), log); err != nil {
		return err
	}
	defer stopJobs(srv.Notify(), log)
	log.Info("HRX is listening", "addr", ln.Addr().String(), "url", cfg.PublicBaseURL(), "database", d.Dialect)
	if cfg.BaseURL == "" {
		log.Warn("HRX_BASE_URL is not set: widgets, oEmbed, the API and printed links name " + cfg.PublicBaseURL() +
			"; set HRX_BASE_URL (or --base-url) to the address the public uses, e.g. https://hrx.example.gov.in")
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in progress", "timeout", cfg.ShutdownTimeout.String())
	if err := shutdown(hs, &inflight, cancelRequests, cfg.ShutdownTimeout, log); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// tracked counts the requests being handled in inflight.
func tracked(h http.Handler, inflight *sync.WaitGroup) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inflight.Add(1)
		defer inflight.Done()
		h.ServeHTTP(w, r)
	})
}

// shutdown stops taking requests and waits up to timeout for those in
// progress. Those still running then are cancelled: each upload, apply or
// save runs in one transaction on the request's context, so a cancelled one
// rolls back and leaves nothing. It returns once every handler has returned
// (waiting at most a little longer), so the database is closed after them.
func shutdown(hs *http.Server, inflight *sync.WaitGroup, cancelRequests context.CancelFunc, timeout time.Duration, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := hs.Shutdown(ctx)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if err != nil {
		log.Warn("requests still in progress after the shutdown timeout: cancelling them; their changes roll back", "timeout", timeout.String())
		cancelRequests()
		hs.Close()
	}
	done := make(chan struct{})
	go func() { inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(handlersGrace):
		log.Warn("requests still running after being cancelled; stopping without them", "waited", handlersGrace.String())
	}
	return nil
}

// handlersGrace is how long shutdown waits for cancelled requests to return.
const handlersGrace = 30 * time.Second

// sweepSessions deletes expired sessions and stale sign-in counters every
// ten minutes until ctx ends.
func sweepSessions(ctx context.Context, us *users.Store, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if err := us.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
			log.Warn("deleting expired sessions", "err", err)
		}
		if _, err := us.PurgeThrottle(ctx); err != nil && ctx.Err() == nil {
			log.Warn("purging sign-in counters", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// listenError says in plain words why the server cannot listen, and which
// setting chooses the address.
func listenError(addr string, err error) error {
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return fmt.Errorf("%s is already in use by another program (perhaps another hrx). Stop that program, or choose another address with HRX_ADDR or --addr, for example --addr :8081", addr)
	case errors.Is(err, syscall.EACCES):
		return fmt.Errorf("not allowed to listen on %s: ports below 1024 need extra rights. Choose another address with HRX_ADDR or --addr, for example --addr :8080", addr)
	}
	return fmt.Errorf("cannot listen on %s (set HRX_ADDR or --addr): %w", addr, err)
}
