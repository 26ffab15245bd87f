package web

import (
	"errors"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
)

// errorPage is the data of the error page.
type errorPage struct {
	Page
	Status  int
	Message string
}

// statusOf is the HTTP status of each kind of refusal.
var statusOf = map[apperr.Kind]int{
	apperr.Invalid:   http.StatusUnprocessableEntity,
	apperr.NotFound:  http.StatusNotFound,
	apperr.Conflict:  http.StatusConflict,
	apperr.Forbidden: http.StatusForbidden,
	apperr.Locked:    http.StatusConflict,
	apperr.TooLarge:  http.StatusRequestEntityTooLarge,
	apperr.Busy:      http.StatusServiceUnavailable,
}

// answerOf is the status and the message of an error: a refusal's own, an
// Echo error's, or, for anything else, a failure on our side with the
// request's reference.
func answerOf(err error, c echo.Context) (int, i18n.Msg) {
	if k := apperr.KindOf(err); k != apperr.Internal {
		var e *apperr.Error
		if k == apperr.Busy && errors.As(err, &e) {
			c.Response().Header().Set("Retry-After", strconv.Itoa(max(1, int(e.RetryAfter/time.Second))))
		}
		return statusOf[k], apperr.MsgOf(err)
	}
	var he *echo.HTTPError
	if errors.As(err, &he) && he.Code != http.StatusInternalServerError {
		switch m := he.Message.(type) {
		case i18n.Msg:
			return he.Code, m
		case string:
			if he.Code == http.StatusNotFound && m == "Not Found" {
				return he.Code, i18n.M("error.not_found")
			}
			if m != http.StatusText(he.Code) {
				// The JSON API's parameter errors, which are English for programs.
				return he.Code, i18n.Text(m)
			}
		}
		return he.Code, i18n.M("errorpage.title.general", "status", he.Code)
	}
	return http.StatusInternalServerError, i18n.M("error.internal", "ref", reqID(c))
}

// handleError is the one place errors become responses: JSON for the API,
// a note inside a widget, a page otherwise; each in the reader's language
// (the API's in English, for programs).
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	s.requestID(c) // in the answer, and in the log line that follows
	status, msg := answerOf(err, c)
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "id", reqID(c), "path", c.Request().URL.Path, "err", err)
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	if strings.HasPrefix(c.Request().URL.Path, "/embed/") {
		// Inside someone else's page: a small note, not the site's error page.
		l := s.localeOf(c)
		c.Response().Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		c.HTML(status, `<!DOCTYPE html><html lang="`+l.Code()+`"><meta charset="utf-8"><title>HRX</title><p style="font:14px system-ui,sans-serif;color:#555">`+
			html.EscapeString(l.Tr(i18n.M("widget.unavailable", "reason", msg)))+`</p></html>`)
		return
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") || c.Request().URL.Path == "/oembed" || !strings.Contains(c.Request().Header.Get("Accept"), "html") && strings.Contains(c.Request().Header.Get("Accept"), "json") {
		c.JSON(status, map[string]any{"error": msg.String(), "status": status})
		return
	}
	if c.Get("locale") == nil {
		c.Set("locale", s.localeOf(c))
	}
	pageHeadersOnly(c)
	p := errorPage{Page: s.page(c, ""), Status: status}
	p.Title, p.Message = errorTitle(p.L, status), p.L.Tr(msg)
	if rerr := c.Render(status, "error", p); rerr != nil {
		s.log.Error("rendering error page", "err", rerr)
		c.String(status, p.Message)
	}
}

func pageHeadersOnly(c echo.Context) {
	h := c.Response().Header()
	if h.Get("Content-Security-Policy") == "" {
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
	}
}
