package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"gorm.io/gorm"

	"hrx/internal/bodies"
	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/mail"
)

// Service writes notifications, runs the jobs that e-mail them and send the
// reminders and digests, and reads them back for the pages.
type Service struct {
	db     *db.DB
	bodies *bodies.Store
	base   string       // absolute base URL of the links in e-mails
	sender *mail.Sender // nil: no mail server, notifications stay in-app
	log    *slog.Logger
	river  *river.Client[*sql.Tx]
	// Now is the clock reminders and digests read (Options.Now in tests).
	Now func() time.Time
	// RemindBefore is how many days before the due day the first reminder goes.
	RemindBefore int
}

// Options tune a Service, mostly for tests.
type Options struct {
	// Sender replaces the one built from cfg.Mail (tests with their own certificate).
	Sender *mail.Sender
	// Poll is how often idle workers look for jobs (default one second).
	Poll time.Duration
	// NoPeriodic leaves the reminder and digest schedule out (tests that enqueue them).
	NoPeriodic bool
	// Now replaces the clock (tests); set before the jobs start, never after.
	Now func() time.Time
}

// New returns a Service on d; Start runs its jobs. Without cfg.Mail the
// notifications are only in-app.
//
// River works on database/sql here, on both databases: HRX's transactions are
// GORM's, whose transaction is a *sql.Tx, and River's database/sql drivers
// insert a job in that same transaction (InsertTx), so a notification's
// e-mail job exists if and only if the move that caused it was committed.
// (River's pgx driver would need a pgx.Tx, which GORM does not expose.) On
// SQLite the jobs use the writer's pool of one connection, as River's SQLite
// driver advises; no e-mail is ever sent inside a transaction.
func New(d *db.DB, cfg config.Config, log *slog.Logger, o Options) (*Service, error) {
	s := &Service{db: d, bodies: bodies.NewStore(d), base: cfg.PublicBaseURL(), log: log, sender: o.Sender,
		Now: time.Now, RemindBefore: 3}
	if o.Now != nil {
		s.Now = o.Now
	}
	if cfg.RemindBefore > 0 {
		s.RemindBefore = cfg.RemindBefore
	}
	if s.sender == nil && cfg.Mail.Enabled() {
		s.sender = mail.NewSender(cfg.Mail)
	}
	pool, err := d.W.DB()
	if err != nil {
		return nil, err
	}
	var driver riverdriver.Driver[*sql.Tx]
	if d.Dialect == db.Postgres {
		driver = riverdatabasesql.New(pool)
	} else {
		driver = riversqlite.New(pool)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &sendWorker{s: s})
	river.AddWorker(workers, &remindWorker{s: s})
	river.AddWorker(workers, &digestWorker{s: s})
	rc := &river.Config{
		Workers:  workers,
		Queues:   map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		PollOnly: true,
		// River speaks at info for every start and stop; only its warnings go to HRX's log.
		Logger:                      slog.New(levelHandler{log.Handler(), slog.LevelWarn}),
		FetchPollInterval:           o.Poll,
		FetchCooldown:               o.Poll / 2,
		JobTimeout:                  2 * time.Minute,
		CompletedJobRetentionPeriod: 7 * 24 * time.Hour,
		DiscardedJobRetentionPeriod: 30 * 24 * time.Hour,
	}
	if o.Poll == 0 {
		rc.FetchPollInterval, rc.FetchCooldown = time.Second, 100*time.Millisecond
	}
	if !o.NoPeriodic {
		rc.PeriodicJobs = s.periodic()
	}
	if s.river, err = river.NewClient(driver, rc); err != nil {
		return nil, fmt.Errorf("starting the job engine: %w", err)
	}
	return s, nil
}

// Mail reports whether e-mails are sent (a mail server is configured).
func (s *Service) Mail() bool { return s.sender != nil }

// Start runs the jobs until ctx ends or Stop is called.
func (s *Service) Start(ctx context.Context) error { return s.river.Start(ctx) }

// Stop lets the jobs in progress finish (up to ctx) and stops.
func (s *Service) Stop(ctx context.Context) error {
	err := s.river.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return s.river.StopAndCancel(context.Background())
	}
	return err
}

// sqlTx is the database/sql transaction under a GORM transaction, where River
// inserts its jobs.
func sqlTx(tx *gorm.DB) (*sql.Tx, error) {
	if t, ok := tx.Statement.ConnPool.(*sql.Tx); ok {
		return t, nil
	}
	return nil, errors.New("notify: not inside a database transaction")
}

// levelHandler passes on records at min or above.
type levelHandler struct {
	slog.Handler
	min slog.Level
}

func (h levelHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}
func (h levelHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return levelHandler{h.Handler.WithAttrs(a), h.min}
}
func (h levelHandler) WithGroup(n string) slog.Handler {
	return levelHandler{h.Handler.WithGroup(n), h.min}
}
