package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/users"
)

type usersPage struct {
	Page
	Users     []users.User
	Roles     []users.Role
	Form      addUserForm
	Generated string // a generated password, shown once
	Created   string
	// Requests are the people single sign-on let through to ask an
	// administrator (SSO is true when single sign-on is on).
	Requests []users.AccessRequest
	SSO      bool
}

// addUserForm is the "Add a user" form; the store checks it, as it checks
// `hrx user add`.
type addUserForm struct {
	Email    string `form:"email"`
	Name     string `form:"name"`
	Role     string `form:"role"`
	Password string `form:"password"`
}

// updateUserForm is one row of the users table.
type updateUserForm struct {
	Confirmation
	Role     string `form:"role"`
	Disabled string `form:"disabled"`
}

func (s *Server) usersPage(c echo.Context) error {
	p, err := s.usersPageData(c)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "users", p)
}

func (s *Server) usersPageData(c echo.Context) (usersPage, error) {
	list, err := s.users.List(c.Request().Context())
	p := usersPage{Page: s.titled(c, i18n.M("users.page.title")), Users: list, Roles: users.Roles, Form: addUserForm{Role: string(users.Editor)}, SSO: s.sso != nil}
	if err == nil && p.SSO {
		p.Requests, err = s.users.AccessRequests(c.Request().Context())
	}
	return p, err
}

func (s *Server) addUser(c echo.Context) error {
	var f addUserForm
	if err := decode(c, &f); err != nil {
		return err
	}
	f.Email = strings.TrimSpace(f.Email)
	generated, pw := "", f.Password
	if pw == "" {
		generated = users.GeneratePassword()
		pw = generated
	}
	var v *apperr.ValidationError
	u, err := s.users.Create(c.Request().Context(), currentUser(c).Actor(), users.NewUser{Email: f.Email, Name: f.Name, Role: users.Role(f.Role), Password: pw})
	if !errors.As(err, &v) && err != nil {
		return err
	}
	p, err := s.usersPageData(c)
	if err != nil {
		return err
	}
	if v != nil && !v.Empty() {
		p.Errors, p.Form = v, f
		p.Form.Password = ""
		return c.Render(http.StatusUnprocessableEntity, "users", p)
	}
	// Rendered, not redirected: a generated password must not travel in a cookie.
	p.Created, p.Generated = u.Email, generated
	p.Flash = p.Tr(i18n.M("users.added", "email", u.Email, "role", u.Role.Name()))
	return c.Render(http.StatusCreated, "users", p)
}

func (s *Server) updateUser(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return apperr.ErrNotFound
	}
	var f updateUserForm
	if err := decode(c, &f); err != nil {
		return err
	}
	if checked(f.Disabled) && !f.isConfirmed() {
		// Disabling someone who can sign in now asks first.
		u, err := s.users.ByID(c.Request().Context(), id)
		if err != nil {
			return err
		}
		if !u.Disabled {
			return s.askToConfirm(c, confirmPage{
				Heading:      i18n.M("users.confirm.disable.heading", "email", u.Email),
				Consequences: []i18n.Msg{i18n.M("users.confirm.disable.consequence", "email", u.Email)},
				Action:       c.Request().URL.Path, Fields: []hiddenField{{"role", f.Role}, {"disabled", "on"}},
				Button: i18n.M("users.confirm.disable.button", "email", u.Email), Back: "/admin/users", Danger: true,
			})
		}
	}
	u, err := s.users.Update(c.Request().Context(), currentUser(c).Actor(), id, users.Role(f.Role), checked(f.Disabled))
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
	state := i18n.M("users.state.active")
	if u.Disabled {
		state = i18n.M("users.state.disabled")
	}
	s.flash(c, i18n.M("users.saved", "email", u.Email, "role", u.Role.Name(), "state", state))
	return c.Redirect(http.StatusSeeOther, "/admin/users")
}

// confirmResetPassword asks before giving someone a new password.
func (s *Server) confirmResetPassword(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return apperr.ErrNotFound
	}
	u, err := s.users.ByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return s.askToConfirm(c, confirmPage{
		Heading:      i18n.M("users.confirm.reset.heading", "email", u.Email),
		Consequences: []i18n.Msg{i18n.M("users.confirm.reset.consequence", "email", u.Email)},
		Action:       c.Request().URL.Path, Button: i18n.M("users.confirm.reset.button", "email", u.Email), Back: "/admin/users", Danger: true,
	})
}

// resetPassword gives a user a new password, shown once to the administrator.
func (s *Server) resetPassword(c echo.Context) error {
	var f Confirmation
	if err := decode(c, &f); err != nil {
		return err
	}
	if !f.isConfirmed() {
		return s.confirmResetPassword(c)
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return apperr.ErrNotFound
	}
	u, pw, err := s.users.ResetPassword(c.Request().Context(), currentUser(c).Actor(), id)
	if err != nil {
		return err
	}
	p, err := s.usersPageData(c)
	if err != nil {
		return err
	}
	// Rendered, not redirected: the password must not travel in a cookie.
	p.Created, p.Generated = u.Email, pw
	p.Flash = p.Tr(i18n.M("users.password_reset", "email", u.Email))
	return c.Render(http.StatusOK, "users", p)
}
