package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"hrx/internal/config"
	"hrx/internal/imports"
	"hrx/internal/users"
	"hrx/internal/web"
)

func serve(ctx context.Context, env Env, args []string) error {
	cfg, err := config.Parse("hrx serve", args, env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg, env.Stderr)
	d, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.Close()

	srv, err := web.New(cfg, d, log)
	if err != nil {
		return err
	}
	if cfg.Demo {
		if err := loadDemo(ctx, d, time.Now(), env.Stdout); err != nil {
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
	hs := &http.Server{
		Handler:           srv.Handler(),
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
	log.Info("shutting down: finishing requests in progress")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

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
