package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/users"
)

const (
	sessionCookie = "hrx_session"
	langCookie    = "hrx_lang"
	flashCookie   = "hrx_flash"
	csrfField     = "_csrf"
)

// requestID gives every request an id, sent back in X-Request-Id and written in its log lines.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if id == "" || len(id) > 64 {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		c.Set("request_id", id)
		return next(c)
	}
}

// observe logs each request and counts it for /metrics.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		d := time.Since(start)
		s.metrics.observe(status, d)
		p := c.Request().URL.Path
		// Widgets and static files are served by the thousand to other sites' readers:
		// their successes are counted, not logged.
		if status >= 400 || p != "/healthz" && !strings.HasPrefix(p, "/static/") && !strings.HasPrefix(p, "/embed") {
			s.log.Info("request", "id", c.Get("request_id"), "method", c.Request().Method, "path", p,
				"status", status, "ms", float64(d.Microseconds())/1000, "bytes", c.Response().Size)
		}
		return nil
	}
}

// pageHeaders sets the security headers of HTML pages: no inline scripts, no framing.
func (s *Server) pageHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		return next(c)
	}
}

// apiHeaders lets any site read the public API.
func (s *Server) apiHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("X-Content-Type-Options", "nosniff")
		return next(c)
	}
}

// language picks the reader's locale: ?lang=, then the cookie, then Accept-Language.
func (s *Server) language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Set("locale", s.localeOf(c))
		return next(c)
	}
}

func (s *Server) localeOf(c echo.Context) i18n.Locale {
	if l, ok := i18n.Parse(c.QueryParam("lang")); ok {
		return l
	}
	if ck, err := c.Cookie(langCookie); err == nil {
		if l, ok := i18n.Parse(ck.Value); ok {
			return l
		}
	}
	return i18n.FromAcceptLanguage(c.Request().Header.Get("Accept-Language"))
}

// setLanguage remembers the reader's choice of language and goes back.
func (s *Server) setLanguage(c echo.Context) error {
	l, ok := i18n.Parse(c.QueryParam("lang"))
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose a language: en, ja or hi")
	}
	c.SetCookie(&http.Cookie{Name: langCookie, Value: l.Code(), Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
	return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
}

// csrf checks a token on every form post (Echo's double-submit cookie).
func (s *Server) csrf() echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:" + csrfField + ",header:X-CSRF-Token",
		CookieName:     "hrx_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteLaxMode,
		CookieSecure:   strings.HasPrefix(s.cfg.BaseURL, "https://"),
		ErrorHandler: func(err error, c echo.Context) error {
			return echo.NewHTTPError(http.StatusForbidden, "This form has expired or did not come from this site. Go back, reload the page and try again.")
		},
	})
}

// session loads the signed-in user, if any.
func (s *Server) session(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			u, err := s.users.SessionUser(c.Request().Context(), ck.Value)
			switch {
			case err == nil:
				c.Set("user", &u)
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
				return echo.NewHTTPError(http.StatusForbidden, "Your role ("+string(u.Role)+") cannot do this; it needs the "+string(role)+" role or higher. Ask an administrator if you need it.")
			}
			return next(c)
		}
	}
}

// safeNext keeps redirects on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) clearCookie(c echo.Context, name string) {
	c.SetCookie(&http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
}

// setFlash leaves a confirmation for the next page.
func (s *Server) setFlash(c echo.Context, msg string) {
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
}

// page builds the shared page data for a request, taking the flash message.
func (s *Server) page(c echo.Context, title string) Page {
	p := Page{Title: title, User: currentUser(c), Path: c.Request().URL.Path, static: s.static}
	p.L, _ = c.Get("locale").(i18n.Locale)
	if p.L.Lang == "" {
		p.L = i18n.New(i18n.EN, "")
	}
	p.CSRF, _ = c.Get("csrf").(string)
	if ck, err := c.Cookie(flashCookie); err == nil && ck.Value != "" {
		p.Flash, _ = url.QueryUnescape(ck.Value)
		s.clearCookie(c, flashCookie)
	}
	return p
}
