package web

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
)

// errorPage is the data of the error page.
type errorPage struct {
	Page
	Status  int
	Message string
}

// handleError is the one place errors become responses: JSON for the API, a page otherwise.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "Something went wrong on our side. Try again; if it keeps happening, tell the administrator and quote this reference: "+fmt.Sprint(c.Get("request_id"))
	var he *echo.HTTPError
	var ve *apperr.ValidationError
	var ce *apperr.ConflictError
	var be *apperr.BusyError
	switch {
	case errors.As(err, &he):
		status = he.Code
		if m, ok := he.Message.(string); ok && status < 500 {
			msg = m
		} else if status < 500 {
			msg = http.StatusText(status)
		}
		if status == http.StatusNotFound && msg == "Not Found" {
			msg = "There is no page at this address. Check it, or start again from the dashboard."
		}
	case errors.Is(err, apperr.ErrNotFound):
		status, msg = http.StatusNotFound, "There is no page at this address. Check it, or start again from the dashboard."
	case errors.Is(err, apperr.ErrForbidden):
		status, msg = http.StatusForbidden, "You do not have permission to do this."
	case errors.As(err, &ve):
		status, msg = http.StatusUnprocessableEntity, ve.Error()
	case errors.As(err, &ce):
		status, msg = http.StatusConflict, ce.Message
	case errors.As(err, &be):
		status, msg = http.StatusServiceUnavailable, be.Message
		secs := int(be.RetryAfter / time.Second)
		if secs < 1 {
			secs = 60
		}
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	}
	if status >= 500 && be == nil {
		s.log.Error("request failed", "id", c.Get("request_id"), "path", c.Request().URL.Path, "err", err)
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	if strings.HasPrefix(c.Request().URL.Path, "/embed/") {
		// Inside someone else's page: a small note, not the site's error page.
		c.Response().Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		c.HTML(status, `<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>HRX widget</title><p style="font:14px system-ui,sans-serif;color:#555">This widget is not available: `+html.EscapeString(msg)+`</p></html>`)
		return
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") || c.Request().URL.Path == "/oembed" || !strings.Contains(c.Request().Header.Get("Accept"), "html") && strings.Contains(c.Request().Header.Get("Accept"), "json") {
		c.JSON(status, map[string]any{"error": msg, "status": status})
		return
	}
	if c.Get("locale") == nil {
		c.Set("locale", s.localeOf(c))
	}
	pageHeadersOnly(c)
	p := errorPage{Page: s.page(c, http.StatusText(status)), Status: status, Message: msg}
	if rerr := c.Render(status, "error", p); rerr != nil {
		s.log.Error("rendering error page", "err", rerr)
		c.String(status, msg)
	}
}

func pageHeadersOnly(c echo.Context) {
	h := c.Response().Header()
	if h.Get("Content-Security-Policy") == "" {
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
	}
}
