package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
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
	switch {
	case f.Email == "":
		v.Add("email", "Email", "Enter your email address")
	case len(f.Email) > users.MaxEmailLength:
		v.Add("email", "Email", "An email address has 254 characters at most; check what you entered")
		f.Email = "" // not echoed back: it could be anything
	}
	if f.Password == "" {
		v.Add("password", "Password", "Enter your password")
	}
	status := http.StatusUnprocessableEntity
	if v.Empty() {
		u, err := s.users.Authenticate(c.Request().Context(), f.Email, f.Password, c.RealIP())
		var te *users.ThrottledError
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
		case errors.As(err, &te):
			s.log.Warn("sign-in throttled", "id", c.Get("request_id"), "client", c.RealIP(), "wait_s", int(te.Wait/time.Second), "global", te.Global)
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(te.Wait/time.Second)))
			l := s.page(c, "").L
			if te.Global {
				v.Add("email", "Email", l.T("Too many people are signing in at this moment. Wait %s and try again.", humanDuration(l, te.Wait)))
			} else {
				v.Add("email", "Email", l.T("Too many failed sign-in attempts. Wait %s and try again; if you have forgotten your password, ask an administrator to set a new one.", humanDuration(l, te.Wait)))
			}
			status = http.StatusTooManyRequests
		default:
			return err
		}
	}
	p := loginPage{Page: s.page(c, "Sign in"), Email: f.Email, Next: safeNext(f.Next)}
	p.Errors = v
	return c.Render(status, "login", p)
}

// startSession signs a user in with a new session id, ending any session the
// browser had, and a new form token: nothing from before the sign-in works after it.
func (s *Server) startSession(c echo.Context, u users.User) error {
	if tok := s.cookie(c, sessionCookie); tok != "" {
		if err := s.users.EndSession(c.Request().Context(), tok); err != nil {
			return err
		}
	}
	tok, err := s.users.StartSession(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	// A cookie for the browser's session only: the server ends it after
	// HRX_SESSION_IDLE without use and HRX_SESSION_MAX after sign-in.
	s.setCookie(c, sessionCookie, tok, 0)
	s.renewVisitorToken(c)
	return nil
}

func (s *Server) logout(c echo.Context) error {
	if tok := s.cookie(c, sessionCookie); tok != "" {
		if err := s.users.EndSession(c.Request().Context(), tok); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionCookie)
	s.renewVisitorToken(c)
	s.setFlash(c, "You have signed out")
	return c.Redirect(http.StatusSeeOther, "/")
}

// humanDuration writes a wait in the reader's words: "1 second", "40 seconds", "15 minutes".
func humanDuration(l i18n.Locale, d time.Duration) string {
	switch {
	case d <= time.Second:
		return l.T("1 second")
	case d < time.Minute:
		return l.T("%d seconds", int((d+time.Second-1)/time.Second))
	case d <= time.Minute:
		return l.T("1 minute")
	}
	return l.T("%d minutes", int((d+time.Minute-1)/time.Minute))
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
	tok := s.cookie(c, sessionCookie)
	err := s.users.ChangePassword(c.Request().Context(), u.ID, c.FormValue("current_password"), c.FormValue("new_password"), c.FormValue("confirm_password"), tok)
	var v *apperr.ValidationError
	var te *users.ThrottledError
	if errors.As(err, &te) {
		s.log.Warn("password change throttled", "id", c.Get("request_id"), "client", c.RealIP(), "user", u.Email)
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(te.Wait/time.Second)))
		p := accountPage{Page: s.page(c, "Your account")}
		p.Errors = &apperr.ValidationError{}
		p.Errors.Add("current_password", "Current password", p.L.T("Too many wrong current passwords. Wait %s and try again.", humanDuration(p.L, te.Wait)))
		return c.Render(http.StatusTooManyRequests, "account", p)
	}
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
