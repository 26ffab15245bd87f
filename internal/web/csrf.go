package web

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"hrx/internal/i18n"
	"hrx/internal/users"
)

// csrfHeader carries the token for requests made by scripts.
const csrfHeader = "X-CSRF-Token"

// csrf checks the token of every form post. The token is derived from the
// session, so it changes at every sign-in and is worth nothing without the
// session's cookie; before sign-in (the sign-in and set-up forms) it is
// derived from a random cookie of its own. Nothing is stored on the server.
func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		want := s.csrfToken(c)
		c.Set("csrf", want)
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		got := c.Request().Header.Get(csrfHeader)
		if got == "" {
			var err error
			if got, err = formToken(c); err != nil {
				if isTooLarge(err) {
					return s.tooLarge(c.Request())
				}
				got = ""
			}
		}
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return echo.NewHTTPError(http.StatusForbidden, i18n.M("error.csrf"))
		}
		return next(c)
	}
}

// csrfToken is the token this request's forms carry.
func (s *Server) csrfToken(c echo.Context) string {
	if tok, _ := c.Get("session_token").(string); tok != "" {
		return deriveToken("session", tok)
	}
	name := s.cookieName(csrfCookie)
	if ck, err := c.Cookie(name); err == nil && len(ck.Value) == 43 {
		return deriveToken("visitor", ck.Value)
	}
	v := users.NewToken()
	s.setCookie(c, csrfCookie, v, 0)
	// Later reads of the cookie in this request see the new value.
	c.Request().AddCookie(&http.Cookie{Name: name, Value: v})
	return deriveToken("visitor", v)
}

// renewVisitorToken replaces the visitor cookie at sign-in and sign-out, so
// that a token seen before cannot be used after.
func (s *Server) renewVisitorToken(c echo.Context) {
	s.setCookie(c, csrfCookie, users.NewToken(), 0)
}

// deriveToken turns a secret cookie value into the form token that goes with
// it. A hash, so that the page never shows the cookie's value itself.
func deriveToken(kind, secret string) string {
	h := sha256.Sum256([]byte("hrx csrf " + kind + "\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// formToken reads the token from the form. For a file upload it reads only the
// first part, which the upload form puts first, and leaves the body as it was
// for the handler: a request without the token is refused before its file is
// read, let alone written to a temporary file.
func formToken(c echo.Context) (string, error) {
	r := c.Request()
	mt, params, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if mt != echo.MIMEMultipartForm {
		// The form's body only: a token in the address would end up in logs.
		if err := r.ParseForm(); err != nil {
			return "", err
		}
		return r.PostForm.Get(csrfField), nil
	}
	var seen bytes.Buffer
	mr := multipart.NewReader(io.TeeReader(r.Body, &seen), params["boundary"])
	p, err := mr.NextPart()
	if err != nil {
		return "", err
	}
	defer p.Close()
	if p.FormName() != csrfField {
		return "", nil
	}
	v, err := io.ReadAll(io.LimitReader(p, 128))
	if err != nil {
		return "", err
	}
	// Put back what was read: the multipart reader buffers ahead, and all of
	// it went through seen.
	r.Body = readCloser{io.MultiReader(bytes.NewReader(seen.Bytes()), r.Body), r.Body}
	return strings.TrimSpace(string(v)), nil
}

type readCloser struct {
	io.Reader
	io.Closer
}
