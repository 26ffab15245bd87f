package cli

import (
	"context"
	"log/slog"
	"time"

	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/notify"
)

// startJobs runs the background jobs (e-mails, reminders, digests) of the
// notifications service, saying in the log whether e-mail goes out.
func startJobs(ctx context.Context, cfg config.Config, n *notify.Service, log *slog.Logger) error {
	if cfg.Mail.Enabled() {
		log.Info("e-mail is on", "smtp", cfg.Mail.String(), "from", cfg.Mail.From)
	} else {
		log.Info("e-mail is off: HRX_SMTP_URL is not set, so notifications stay in-app; " +
			"set HRX_SMTP_URL (e.g. smtp://user:password@mail.example.gov:587) and HRX_MAIL_FROM to send them, and try it with hrx mail test you@example.gov")
	}
	return n.Start(ctx)
}

// stopJobs lets the jobs in progress finish, up to 10 seconds.
func stopJobs(n *notify.Service, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := n.Stop(ctx); err != nil {
		log.Warn("stopping the background jobs", "err", err)
	}
}

// newNotifier is the notifications service for a command that moves months
// (hrx month): it queues the e-mails in the move's transaction, and the jobs
// of a running hrx serve send them.
func newNotifier(env Env, d *db.DB, dbURL string) (*notify.Service, error) {
	cfg, err := config.Parse("hrx", dbArgs(dbURL), env.Getenv, env.Stderr)
	if err != nil {
		return nil, err
	}
	return notify.New(d, cfg, slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), notify.Options{NoPeriodic: true})
}
