package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/users"
)

type loginPage struct {
	Page
	Email string
	Next  string
}

type loginForm struct {
	Email    string `form:"email"`
	Password string `form:"password"`
	Next     string `form:"next"`
}

func (s *Server) loginForm(c echo.Context) error {
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return c.Render(http.StatusOK, "login", loginPage{Page: s.page(c, "Sign in"), Next: safeNext(c.QueryParam("next"))})
}

func (s *Server) login(c echo.Context) error {
	var f loginForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	v := &apperr.ValidationError{}
	if f.Email == "" {
		v.Add("email", "Email", "Enter your email address")
	}
	if f.Password == "" {
		v.Add("password", "Password", "Enter your password")
	}
	status := http.StatusUnprocessableEntity
	if v.Empty() {
		u, err := s.users.Authenticate(c.Request().Context(), f.Email, f.Password)
		var locked *users.LockedError
		switch {
		case err == nil:
			if err := s.startSession(c, u); err != nil {
				return err
			}
			s.setFlash(c, "Signed in as "+u.Email)
			return c.Redirect(http.StatusSeeOther, safeNext(f.Next))
		case errors.Is(err, users.ErrBadCredentials):
			v.Add("email", "Email", "The email address or password is not correct")
			status = http.StatusUnauthorized
		case errors.As(err, &locked):
			v.Add("email", "Email", "Too many failed sign-in attempts for this email address. Wait "+humanDuration(locked.Wait())+" and try again, or ask an administrator to check the account.")
			status = http.StatusTooManyRequests
		default:
			return err
		}
	}
	p := loginPage{Page: s.page(c, "Sign in"), Email: f.Email, Next: safeNext(f.Next)}
	p.Errors = v
	return c.Render(status, "login", p)
}

// startSession signs a user in with a new session id, ending any session the browser had.
func (s *Server) startSession(c echo.Context, u users.User) error {
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.users.EndSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	tok, err := s.users.StartSession(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c),
		MaxAge: int(users.SessionLifetime / time.Second)})
	return nil
}

func (s *Server) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.users.EndSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionCookie)
	s.setFlash(c, "You have signed out")
	return c.Redirect(http.StatusSeeOther, "/")
}

func humanDuration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d seconds", int(d.Seconds()))
	}
	m := int((d + time.Minute - 1) / time.Minute)
	if m == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}

type setupPage struct {
	Page
	Token, Email, Name string
	Invalid            bool
}

type setupForm struct {
	Token    string `form:"token"`
	Email    string `form:"email"`
	Name     string `form:"name"`
	Password string `form:"password"`
	Confirm  string `form:"confirm_password"`
}

func (s *Server) setupForm(c echo.Context) error {
	tok := c.QueryParam("token")
	p := setupPage{Page: s.page(c, "Create the first administrator"), Token: tok}
	if err := s.users.CheckSetupToken(c.Request().Context(), tok); err != nil {
		if !errors.Is(err, users.ErrSetupDone) {
			return err
		}
		p.Invalid = true
		return c.Render(http.StatusGone, "setup", p)
	}
	return c.Render(http.StatusOK, "setup", p)
}

func (s *Server) setup(c echo.Context) error {
	var f setupForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	u, err := s.users.CompleteSetup(c.Request().Context(), f.Token, users.NewUser{Email: f.Email, Name: f.Name, Password: f.Password}, f.Confirm)
	var v *apperr.ValidationError
	switch {
	case err == nil:
		if err := s.startSession(c, u); err != nil {
			return err
		}
		s.setFlash(c, "Your administrator account "+u.Email+" is ready. Add the people who will enter and approve figures.")
		return c.Redirect(http.StatusSeeOther, "/admin/users")
	case errors.Is(err, users.ErrSetupDone):
		return c.Render(http.StatusGone, "setup", setupPage{Page: s.page(c, "Create the first administrator"), Invalid: true})
	case errors.As(err, &v):
		p := setupPage{Page: s.page(c, "Create the first administrator"), Token: f.Token, Email: f.Email, Name: f.Name}
		p.Errors = v
		return c.Render(http.StatusUnprocessableEntity, "setup", p)
	}
	return err
}

type accountPage struct {
	Page
}

func (s *Server) accountPage(c echo.Context) error {
	return c.Render(http.StatusOK, "account", accountPage{Page: s.page(c, "Your account")})
}

func (s *Server) changePassword(c echo.Context) error {
	u := currentUser(c)
	tok := ""
	if ck, err := c.Cookie(sessionCookie); err == nil {
		tok = ck.Value
	}
	err := s.users.ChangePassword(c.Request().Context(), u.ID, c.FormValue("current_password"), c.FormValue("new_password"), c.FormValue("confirm_password"), tok)
	var v *apperr.ValidationError
	if errors.As(err, &v) {
		p := accountPage{Page: s.page(c, "Your account")}
		p.Errors = v
		return c.Render(http.StatusUnprocessableEntity, "account", p)
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "Your password has been changed. You have been signed out everywhere else.")
	return c.Redirect(http.StatusSeeOther, "/account")
}
