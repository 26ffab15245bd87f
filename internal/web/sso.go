package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/sso"
	"hrx/internal/users"
)

// ssoCookie binds a sign-in at the provider to the browser that started it.
const ssoCookie = "hrx_oidc"

// ssoForm is the "Sign in with …" button's form.
type ssoForm struct {
	Next string `form:"next"`
}

// ssoStart sends the browser to the provider (a form post, so that another
// site cannot start a sign-in in someone's browser).
func (s *Server) ssoStart(c echo.Context) error {
	if s.sso == nil {
		return apperr.ErrNotFound
	}
	var f ssoForm
	if err := decode(c, &f); err != nil {
		return err
	}
	cookie, to, err := s.sso.Begin(c.Request().Context(), safeNext(f.Next))
	if err != nil {
		s.logSSO(c, "single sign-on could not start", err)
		return err
	}
	s.setCookie(c, ssoCookie, cookie, int(sso.LoginLifetime/time.Second))
	return c.Redirect(http.StatusSeeOther, to)
}

// ssoCallback finishes a sign-in the provider sends back: the same session
// as a password sign-in, or a page saying why not.
func (s *Server) ssoCallback(c echo.Context) error {
	if s.sso == nil {
		return apperr.ErrNotFound
	}
	cookie := s.cookie(c, ssoCookie)
	s.clearCookie(c, ssoCookie)
	q := c.QueryParams()
	ctx := c.Request().Context()
	res, err := s.sso.Finish(ctx, cookie, sso.Callback{State: q.Get("state"), Code: q.Get("code"), Error: q.Get("error"), ErrorDesc: q.Get("error_description")})
	if err != nil {
		s.logSSO(c, "single sign-on refused", err)
		return err
	}
	u, err := s.users.SignInExternal(ctx, res.Person, s.sso.Admit(res.Person), c.RealIP())
	if err != nil {
		s.logSSO(c, "single sign-on refused", err)
		return err
	}
	if err := s.beginSession(c, u, res.IDToken); err != nil {
		return err
	}
	s.flash(c, i18n.M("auth.signed_in", "email", u.Email))
	return c.Redirect(http.StatusSeeOther, safeNext(res.Next))
}

// logSSO writes why a single sign-on failed, with the cause a refusal
// carries (an audience or signature that did not match), for the operator;
// the person reads the refusal's own words.
func (s *Server) logSSO(c echo.Context, what string, err error) {
	args := []any{"id", reqID(c), "client", c.RealIP(), "err", err}
	if cause := errors.Unwrap(err); cause != nil {
		args = append(args, "cause", cause)
	}
	s.log.Warn(what, args...)
}

// grantAccessForm is one access request's row at /admin/users.
type grantAccessForm struct {
	Role string `form:"role"`
}

// grantAccess makes the account an access request asked for.
func (s *Server) grantAccess(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return apperr.ErrNotFound
	}
	var f grantAccessForm
	if err := decode(c, &f); err != nil {
		return err
	}
	u, err := s.users.GrantAccess(c.Request().Context(), currentUser(c).Actor(), id, users.Role(f.Role))
	var v *apperr.ValidationError
	if errors.As(err, &v) {
		p, err := s.usersPageData(c)
		if err != nil {
			return err
		}
		p.Errors = v
		return c.Render(http.StatusUnprocessableEntity, "users", p)
	}
	if err != nil {
		return err
	}
	s.flash(c, i18n.M("sso.granted", "email", u.Email, "role", u.Role.Name()))
	return c.Redirect(http.StatusSeeOther, "/admin/users")
}

// dismissAccess removes an access request.
func (s *Server) dismissAccess(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return apperr.ErrNotFound
	}
	r, err := s.users.DismissAccess(c.Request().Context(), currentUser(c).Actor(), id)
	if err != nil {
		return err
	}
	s.flash(c, i18n.M("sso.dismissed", "email", r.Email))
	return c.Redirect(http.StatusSeeOther, "/admin/users")
}
