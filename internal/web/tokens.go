package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/users"
)

type tokensPage struct {
	Page
	Tokens  []users.APIToken
	Users   []users.User
	NewName string
	UserID  int64
	Created string // the new token, shown once
	For     string
}

func (s *Server) tokensPageData(c echo.Context) (tokensPage, error) {
	ctx := c.Request().Context()
	p := tokensPage{Page: s.titled(c, i18n.M("tokens.title"))}
	var err error
	if p.Tokens, err = s.users.Tokens(ctx); err != nil {
		return p, err
	}
	p.Users, err = s.users.List(ctx)
	return p, err
}

func (s *Server) tokensPage(c echo.Context) error {
	p, err := s.tokensPageData(c)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "tokens", p)
}

// tokenForm is the "Create a token" form.
type tokenForm struct {
	User string `form:"user"`
	Name string `form:"name"`
}

func (s *Server) createToken(c echo.Context) error {
	var f tokenForm
	if err := decode(c, &f); err != nil {
		return err
	}
	uid, _ := strconv.ParseInt(f.User, 10, 64)
	plain, t, err := s.users.CreateToken(c.Request().Context(), currentUser(c).Actor(), uid, f.Name)
	p, perr := s.tokensPageData(c)
	if perr != nil {
		return perr
	}
	var v *apperr.ValidationError
	switch {
	case errors.Is(err, apperr.ErrNotFound):
		p.Errors = &apperr.ValidationError{}
		p.Errors.AddMsg("user", i18n.M("users.field.user"), i18n.M("tokens.choose_user"))
	case errors.As(err, &v):
		p.Errors = v
	case err != nil:
		return err
	}
	if p.Errors != nil {
		p.NewName, p.UserID = f.Name, uid
		return c.Render(http.StatusUnprocessableEntity, "tokens", p)
	}
	// Rendered, not redirected: the token must not travel in a cookie.
	p.Created, p.For = plain, t.User.Email
	return c.Render(http.StatusCreated, "tokens", p)
}

func (s *Server) revokeToken(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return apperr.ErrNotFound
	}
	if err := s.users.RevokeToken(c.Request().Context(), currentUser(c).Actor(), id); err != nil {
		return err
	}
	s.flash(c, i18n.M("tokens.revoked"))
	return c.Redirect(http.StatusSeeOther, "/admin/tokens")
}
