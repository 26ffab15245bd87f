// Package web is HRX's HTTP interface: pages, forms, the JSON API and health checks.
package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/breakdown"
	"hrx/internal/config"
	"hrx/internal/db"
	"hrx/internal/figures"
	"hrx/internal/imports"
	"hrx/internal/notify"
	"hrx/internal/reference"
	"hrx/internal/report"
	"hrx/internal/sso"
	"hrx/internal/targets"
	"hrx/internal/users"
)

// Server holds what the handlers need; its methods are the handlers.
type Server struct {
	cfg      config.Config
	db       *db.DB
	log      *slog.Logger
	users    *users.Store
	figures  *figures.Store
	targets  *targets.Store
	ref      *reference.Store
	audit    *audit.Store
	imports  *imports.Store
	approval *approval.Store
	report   *report.Service
	bkdown   *breakdown.Service
	notify   *notify.Service // notifications, e-mail and reminders; approval tells it of each move
	sso      *sso.Service    // single sign-on; nil when HRX_OIDC_ISSUER is not set
	render   *Renderer
	static   *Static
	metrics  *metrics
	proxies  []*net.IPNet // whose X-Forwarded-For and X-Forwarded-Proto are believed
	cache    versionCache
	answers  answers       // the cached endpoints' whole answers (pagecache.go)
	ids      atomic.Uint64 // the last request id given (requestID)
	memo     struct {
		sync.Mutex
		rep *report.Report
		at  time.Time
	}
	setupDone atomic.Bool // an account exists: see setupPending
}

// New builds a Server on an open, migrated database.
func New(cfg config.Config, d *db.DB, log *slog.Logger) (*Server, error) {
	r, err := NewRenderer(cfg.Dev)
	if err != nil {
		return nil, err
	}
	st, err := NewStatic()
	if err != nil {
		return nil, err
	}
	proxies, err := config.ParseNets("HRX_TRUSTED_PROXIES", cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	fs := figures.NewStore(d)
	s := &Server{
		cfg: cfg, db: d, log: log,
		users:    users.NewStore(d),
		figures:  fs,
		targets:  targets.NewStore(d),
		ref:      reference.NewStore(d),
		audit:    audit.NewStore(d),
		imports:  imports.NewStore(d),
		approval: approval.NewStore(d, fs),
		render:   r,
		static:   st,
		proxies:  proxies,
	}
	s.users.SessionIdle, s.users.SessionMax = cfg.SessionIdle, cfg.SessionMax
	s.cache.maxBytes = cacheBytes
	s.report = report.NewService(d, s.figures, s.targets, s.ref, s.approval)
	s.bkdown = breakdown.NewService(d, s.figures, s.approval)
	if s.notify, err = notify.New(d, cfg, log, notify.Options{}); err != nil {
		return nil, err
	}
	s.approval.SetNotifier(s.notify)
	if cfg.OIDC.Enabled() {
		if s.sso, err = sso.New(cfg.OIDC, cfg.PublicBaseURL(), d); err != nil {
			return nil, err
		}
	}
	s.seedIDs()
	if s.metrics, err = newMetrics(s); err != nil {
		return nil, err
	}
	return s, nil
}

// Warm reads, once at start-up, what the first visitor of a public page
// would otherwise wait for: the published figures' breakdowns, which sum
// every published figure (about 1.5 s at a million figures). Later changes
// read only the months they touch. A failure is logged; the pages read it
// again when asked.
func (s *Server) Warm(ctx context.Context) {
	t0 := time.Now()
	if _, err := s.bkdown.Current(ctx); err != nil {
		if ctx.Err() == nil {
			s.log.Warn("reading the breakdowns at start-up", "err", err)
		}
		return
	}
	s.log.Info("breakdowns read", "ms", time.Since(t0).Milliseconds())
}

// Users is the account store, for the command line's first-run setup.
func (s *Server) Users() *users.Store { return s.users }

// Handler returns the HTTP handler with every route.
func (s *Server) Handler() http.Handler {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Renderer = s.render
	e.IPExtractor = ipExtractor(s.proxies)
	s.routes(e)
	s.metrics.setRoutes(e.Routes())
	return e
}

// secure reports whether the request arrived over HTTPS: directly, through a
// trusted proxy that says so, or on a site configured on HTTPS.
func (s *Server) secure(c echo.Context) bool {
	return c.IsTLS() || s.https() || s.fromProxy(c) && strings.EqualFold(c.Request().Header.Get("X-Forwarded-Proto"), "https")
}

// baseURL is the address other sites and printed links use to reach this
// server: the configured one, never the request's Host header, which the
// client chooses and which would otherwise end up in cached public answers.
func (s *Server) baseURL() string { return s.cfg.PublicBaseURL() }

// TemplateNames lists the page templates, for the test that renders each one.
func (s *Server) TemplateNames() []string { return s.render.Names() }
