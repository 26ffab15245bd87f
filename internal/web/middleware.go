package web

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/users"
)

// Cookie names, before the __Host- prefix they carry over HTTPS (see cookieName).
const (
	sessionCookie = "hrx_session"
	langCookie    = "hrx_lang"
	flashCookie   = "hrx_flash"
	csrfCookie    = "hrx_csrf"
	csrfField     = "_csrf"
)

// cookieName is a cookie's name as sent: over HTTPS with the __Host- prefix,
// which makes browsers refuse the cookie unless it is Secure, for the whole
// site and for this host only, so that no other subdomain can set it.
func (s *Server) cookieName(name string) string {
	if s.https() {
		return "__Host-" + name
	}
	return name
}

// https reports whether the site's configured address is on HTTPS.
func (s *Server) https() bool { return strings.HasPrefix(s.cfg.BaseURL, "https://") }

// setCookie sets one of the site's cookies (maxAge 0: until the browser closes;
// below 0: delete it now).
func (s *Server) setCookie(c echo.Context, name, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: s.cookieName(name), Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
}

// cookie returns the value of one of the site's cookies, or "".
func (s *Server) cookie(c echo.Context, name string) string {
	if ck, err := c.Cookie(s.cookieName(name)); err == nil {
		return ck.Value
	}
	return ""
}

// front is the one middleware every request passes through. Echo wraps each
// middleware anew for every request, so the steps are plain functions
// called in turn rather than a chain of four: the request id, the headers
// every answer carries, the body limit, then routing and the handler, and
// last the request's count in /metrics and its log line.
//
// It runs before routing (Echo's Pre), so a refused body is counted and
// logged too; once next has returned, the route is known.
func (s *Server) front(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		s.metrics.inFlight.Inc()
		if r := c.Request(); !quiet(r.URL.Path) || r.Header[echo.HeaderXRequestID] != nil {
			s.requestID(c)
		}
		s.secureHeaders(c)
		err := s.limitBody(c)
		if err == nil {
			err = next(c)
		}
		if err != nil {
			c.Error(err)
		}
		s.metrics.inFlight.Dec()
		s.observe(c, time.Since(start))
		return nil
	}
}

// requestID is the request's id, sent back in X-Request-Id and written in
// its log lines: the client's own when it sends a sensible one, else the
// next of the process's ids, which start at a random number (processes that
// share a database do not repeat each other's). It is given when the request
// starts; a quiet request without an id of its own gets one only if it fails
// (handleError): a quiet success is not logged, so an id would lead nowhere.
func (s *Server) requestID(c echo.Context) string {
	if id := reqID(c); id != "" {
		return id
	}
	id := c.Request().Header.Get(echo.HeaderXRequestID)
	if id == "" || len(id) > 64 {
		var b [8]byte
		var h [16]byte
		binary.BigEndian.PutUint64(b[:], s.ids.Add(1))
		hex.Encode(h[:], b[:])
		id = string(h[:])
	}
	c.Response().Header()[echo.HeaderXRequestID] = []string{id}
	return id
}

// reqID is the id requestID gave the request ("" if none yet), kept in the
// answer's headers rather than in the context's store, which would be made
// for every request just for it.
func reqID(c echo.Context) string {
	if v := c.Response().Header()[echo.HeaderXRequestID]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// quiet reports whether a request is one of those served by the thousand
// to other sites' readers, from answers kept per data version or from
// files: the widgets and their script, oEmbed, the targets API (not the
// plans), the static files and /healthz. Their successes are counted in
// /metrics, not logged.
func quiet(path string) bool {
	switch {
	case path == "/healthz", path == "/embed.js", path == "/oembed", path == "/api/v1/targets":
		return true
	case strings.HasPrefix(path, "/api/v1/targets/"):
		return !strings.Contains(path[len("/api/v1/targets/"):], "/")
	}
	return strings.HasPrefix(path, "/embed/") || strings.HasPrefix(path, "/static/")
}

// observe counts a request for /metrics (under its route's template) and
// logs it, unless it is a quiet success.
func (s *Server) observe(c echo.Context, d time.Duration) {
	status := c.Response().Status
	r := c.Request()
	s.metrics.observe(r.Method, c.Path(), status, d)
	if status < 400 && quiet(r.URL.Path) {
		return
	}
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("id", s.requestID(c)), slog.String("client", c.RealIP()),
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", status),
		slog.Float64("ms", float64(d.Microseconds())/1000), slog.Int64("bytes", c.Response().Size))
}

// Header values set on every answer of their kind, made once: assigning a
// ready slice to a canonical key allocates nothing, where Header.Set would.
var (
	hdrAnyOrigin = []string{"*"}
	hdrNosniff   = []string{"nosniff"}
	hdrReferrer  = []string{"strict-origin-when-cross-origin"}
	hdrPageCSP   = []string{"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"}
	hdrDeny      = []string{"DENY"}
	hdrNoStore   = []string{"no-store"}
	hdrHSTS      = []string{"max-age=31536000"}
)

// seedIDs starts the process's request ids at a random number.
func (s *Server) seedIDs() {
	var seed [8]byte
	rand.Read(seed[:])
	s.ids.Store(binary.BigEndian.Uint64(seed[:]))
}

// pageHeaders sets the security headers of HTML pages: no inline scripts, no framing.
func (s *Server) pageHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h["Content-Security-Policy"] = hdrPageCSP
		h["Referrer-Policy"] = hdrReferrer
		h["X-Frame-Options"] = hdrDeny
		h["Cache-Control"] = hdrNoStore
		return next(c)
	}
}

// apiHeaders lets any site read the public API.
func (s *Server) apiHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header()["Access-Control-Allow-Origin"] = hdrAnyOrigin
		return next(c)
	}
}

// language picks the reader's locale: ?lang=, then the cookie, then
// Accept-Language. A page opened with ?lang= (a shared link, a widget's "see
// the details") remembers the language as the menu does, so the next click
// is in it too.
func (s *Server) language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		l := s.localeOf(c)
		c.Set("locale", l)
		if q, ok := i18n.Parse(c.QueryParam("lang")); ok && c.Request().Method == http.MethodGet && c.Path() != "/language" && s.cookie(c, langCookie) != q.Code() {
			s.setCookie(c, langCookie, q.Code(), 365*24*3600)
		}
		return next(c)
	}
}

func (s *Server) localeOf(c echo.Context) i18n.Locale {
	if l, ok := i18n.Parse(c.QueryParam("lang")); ok {
		return l
	}
	if l, ok := i18n.Parse(s.cookie(c, langCookie)); ok {
		return l
	}
	return i18n.FromAcceptLanguage(c.Request().Header.Get("Accept-Language"))
}

// setLanguage remembers the reader's choice of language and goes back.
func (s *Server) setLanguage(c echo.Context) error {
	l, ok := i18n.Parse(c.QueryParam("lang"))
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, i18n.M("error.language"))
	}
	s.setCookie(c, langCookie, l.Code(), 365*24*3600)
	return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
}

// session loads the signed-in user, if any.
func (s *Server) session(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if tok := s.cookie(c, sessionCookie); tok != "" {
			u, err := s.users.SessionUser(c.Request().Context(), tok)
			switch {
			case err == nil:
				c.Set("user", &u)
				c.Set("session_token", tok)
			case errors.Is(err, apperr.ErrNotFound):
				s.clearCookie(c, sessionCookie)
			default:
				return err
			}
		}
		return next(c)
	}
}

// currentUser is the signed-in user, nil for a visitor.
func currentUser(c echo.Context) *users.User {
	u, _ := c.Get("user").(*users.User)
	return u
}

// require sends visitors to sign in and refuses users without the role.
func (s *Server) require(role users.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			if u == nil {
				next := c.Request().URL.RequestURI()
				if c.Request().Method != http.MethodGet {
					next = c.Request().URL.Path
				}
				return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
			}
			if !u.Can(role) {
				return echo.NewHTTPError(http.StatusForbidden, i18n.M("error.role", "role", u.Role.Name(), "needed", role.Name()))
			}
			return next(c)
		}
	}
}

// safeNext keeps redirects on this site: it returns next when it is a path of
// this site and "/" otherwise. Browsers forgive a lot in a Location header (a
// backslash for a slash, tabs and newlines dropped), so anything that is not
// plainly a local path is refused rather than cleaned.
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || next[0] != '/' || strings.HasPrefix(next, "//") {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' || r >= 0x80 && r <= 0x9f {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}

func (s *Server) clearCookie(c echo.Context, name string) { s.setCookie(c, name, "", -1) }

// flash leaves a confirmation for the next page, written in the reader's
// language now: the same person reads it a moment later.
func (s *Server) flash(c echo.Context, m i18n.Msg) {
	s.setCookie(c, flashCookie, url.QueryEscape(s.reader(c).Tr(m)), 60)
}

// reader is the locale of the person making the request: their language,
// and the time zone they chose on /account when they are signed in.
func (s *Server) reader(c echo.Context) i18n.Locale {
	l, ok := c.Get("locale").(i18n.Locale)
	if !ok || l.Lang == "" {
		l = s.localeOf(c)
	}
	if u := currentUser(c); u != nil {
		if z, ok := u.Zone(); ok {
			l = l.InZone(z)
		}
	}
	return l
}

// page builds the shared page data for a request, taking the flash message.
func (s *Server) page(c echo.Context, title string) Page {
	p := Page{Title: title, User: currentUser(c), Path: c.Request().URL.Path, static: s.static}
	p.L = s.reader(c)
	p.Work = s.workNav(c, p.User, p.L)
	p.CSRF, _ = c.Get("csrf").(string)
	if v := s.cookie(c, flashCookie); v != "" {
		p.Flash, _ = url.QueryUnescape(v)
		s.clearCookie(c, flashCookie)
	}
	p.Unread = s.unreadOf(c)
	return p
}
