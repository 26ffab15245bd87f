package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"
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
}

// addUserForm is the "Add a user" form; the validator checks its shape, the store the rest.
type addUserForm struct {
	Email    string `form:"email" validate:"required,email,max=254"`
	Name     string `form:"name" validate:"max=200"`
	Role     string `form:"role" validate:"required,oneof=viewer editor approver admin"`
	Password string `form:"password"`
}

// addUserMessages gives each of the validator's fields its form field, label
// and message: the ones the store gives for the same mistakes.
var addUserMessages = map[string]struct {
	field          string
	label, message i18n.Msg
}{
	"Email": {"email", i18n.M("users.field.email"), i18n.M("users.invalid.email_format")},
	"Name":  {"name", i18n.M("users.field.name"), i18n.M("users.invalid.name_too_long", "max", users.MaxNameLength)},
	"Role":  {"role", i18n.M("users.field.role"), i18n.M("users.invalid.role")},
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
	p := usersPage{Page: s.titled(c, i18n.M("users.page.title")), Users: list, Roles: users.Roles, Form: addUserForm{Role: string(users.Editor)}}
	return p, err
}

func (s *Server) addUser(c echo.Context) error {
	var f addUserForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	f.Email = strings.TrimSpace(f.Email)
	v := &apperr.ValidationError{}
	if err := c.Validate(&f); err != nil {
		var verrs validator.ValidationErrors
		if !errors.As(err, &verrs) {
			return err
		}
		for _, fe := range verrs {
			if m, ok := addUserMessages[fe.Field()]; ok && v.For(m.field).IsZero() {
				v.AddMsg(m.field, m.label, m.message)
			}
		}
	}
	generated := ""
	if f.Password == "" {
		generated = users.GeneratePassword()
	}
	var u users.User
	if v.Empty() {
		pw := f.Password
		if generated != "" {
			pw = generated
		}
		var err error
		u, err = s.users.Create(c.Request().Context(), currentUser(c).Actor(), users.NewUser{Email: f.Email, Name: f.Name, Role: users.Role(f.Role), Password: pw})
		if !errors.As(err, &v) && err != nil {
			return err
		}
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
	u, err := s.users.Update(c.Request().Context(), currentUser(c).Actor(), id, users.Role(c.FormValue("role")), c.FormValue("disabled") == "on")
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

// resetPassword gives a user a new password, shown once to the administrator.
func (s *Server) resetPassword(c echo.Context) error {
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
