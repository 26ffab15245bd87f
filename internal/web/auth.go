package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/i18n"
	"hrx/internal/users"
)

type loginPage struct {
	Page
	Email string
	Next  string
	// SSO names the single sign-on provider ("" when there is none);
	// Passwords shows the password form, which single sign-on with
	// passwords off hides unless asked for (?password=1, the break-glass way in).
	SSO       string
	Passwords bool
}

// newLoginPage is the sign-in page's data; password says the form was asked for.
func (s *Server) newLoginPage(c echo.Context, next string, password bool) loginPage {
	p := loginPage{Page: s.titled(c, i18n.M("auth.sign_in")), Next: safeNext(next), Passwords: !s.cfg.SignIn.PasswordsOff || password}
	if s.sso != nil {
		p.SSO = s.sso.Name()
	}
	return p
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
	return c.Render(http.StatusOK, "login", s.newLoginPage(c, c.QueryParam("next"), c.QueryParam("password") == "1"))
}

// titled is the page globals with a catalog message for the title, written
// in the reader's language.
func (s *Server) titled(c echo.Context, title i18n.Msg) Page {
	p := s.page(c, "")
	p.Title = p.Tr(title)
	return p
}

func (s *Server) login(c echo.Context) error {
	var f loginForm
	if err := decode(c, &f); err != nil {
		return err
	}
	labelEmail, labelPassword := i18n.M("users.field.email"), i18n.M("users.field.password")
	v := &apperr.ValidationError{}
	switch {
	case f.Email == "":
		v.AddMsg("email", labelEmail, i18n.M("auth.login.email_missing"))
	case len(f.Email) > users.MaxEmailLength:
		v.AddMsg("email", labelEmail, i18n.M("auth.login.email_too_long", "max", users.MaxEmailLength))
		f.Email = "" // not echoed back: it could be anything
	}
	if f.Password == "" {
		v.AddMsg("password", labelPassword, i18n.M("auth.login.password_missing"))
	}
	status := http.StatusUnprocessableEntity
	if v.Empty() && !s.cfg.SignIn.PasswordAllowed(users.NormalizeEmail(f.Email)) {
		// Passwords are off but for the break-glass account: refused
		// before any password is compared.
		v.AddMsg("email", labelEmail, i18n.M("sso.password_off", "provider", s.newLoginPage(c, "", false).SSO))
		status = http.StatusForbidden
	}
	if v.Empty() {
		u, err := s.users.Authenticate(c.Request().Context(), f.Email, f.Password, c.RealIP())
		var te *users.ThrottledError
		switch {
		case err == nil:
			if err := s.startSession(c, u); err != nil {
				return err
			}
			s.flash(c, i18n.M("auth.signed_in", "email", u.Email))
			return c.Redirect(http.StatusSeeOther, safeNext(f.Next))
		case errors.Is(err, users.ErrBadCredentials):
			v.AddMsg("email", labelEmail, apperr.MsgOf(err))
			status = http.StatusUnauthorized
		case errors.As(err, &te):
			s.log.Warn("sign-in throttled", "id", reqID(c), "client", c.RealIP(), "wait_s", int(te.Wait/time.Second), "global", te.Global)
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(te.Wait/time.Second)))
			msg := i18n.M("auth.login.throttled", "wait", te.Wait)
			if te.Global {
				msg = i18n.M("auth.login.busy", "wait", te.Wait)
			}
			v.AddMsg("email", labelEmail, msg)
			status = http.StatusTooManyRequests
		default:
			return err
		}
	}
	p := s.newLoginPage(c, f.Next, true)
	p.Email = f.Email
	p.Errors = v
	return c.Render(status, "login", p)
}

// startSession signs a user in with a new session id, ending any session the
// browser had, and a new form token: nothing from before the sign-in works after it.
func (s *Server) startSession(c echo.Context, u users.User) error {
	return s.beginSession(c, u, "")
}

// beginSession is startSession keeping a single sign-on's ID token, the
// provider's hint when the person signs out.
func (s *Server) beginSession(c echo.Context, u users.User, idToken string) error {
	if tok := s.cookie(c, sessionCookie); tok != "" {
		if err := s.users.EndSession(c.Request().Context(), tok); err != nil {
			return err
		}
	}
	tok, err := s.users.StartSessionWith(c.Request().Context(), u.ID, idToken)
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
	ctx := c.Request().Context()
	idToken := ""
	if tok := s.cookie(c, sessionCookie); tok != "" {
		var err error
		if idToken, err = s.users.SessionIDToken(ctx, tok); err != nil {
			return err
		}
		if err := s.users.EndSession(ctx, tok); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionCookie)
	s.renewVisitorToken(c)
	s.flash(c, i18n.M("auth.signed_out"))
	// Signed in through the provider: sign out there too, when it offers
	// a way, and come back to the dashboard.
	if idToken != "" && s.sso != nil {
		if to := s.sso.EndSessionURL(ctx, idToken, s.baseURL()+"/"); to != "" {
			return c.Redirect(http.StatusSeeOther, to)
		}
	}
	return c.Redirect(http.StatusSeeOther, "/")
}

var setupTitle = i18n.M("auth.setup.title")

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
	p := setupPage{Page: s.titled(c, setupTitle), Token: tok}
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
	if err := decode(c, &f); err != nil {
		return err
	}
	u, err := s.users.CompleteSetup(c.Request().Context(), f.Token, users.NewUser{Email: f.Email, Name: f.Name, Password: f.Password}, f.Confirm)
	var v *apperr.ValidationError
	switch {
	case err == nil:
		if err := s.startSession(c, u); err != nil {
			return err
		}
		s.flash(c, i18n.M("auth.setup.ready", "email", u.Email))
		return c.Redirect(http.StatusSeeOther, "/admin/users")
	case errors.Is(err, users.ErrSetupDone):
		return c.Render(http.StatusGone, "setup", setupPage{Page: s.titled(c, setupTitle), Invalid: true})
	case errors.As(err, &v):
		p := setupPage{Page: s.titled(c, setupTitle), Token: f.Token, Email: f.Email, Name: f.Name}
		p.Errors = v
		return c.Render(http.StatusUnprocessableEntity, "setup", p)
	}
	return err
}

var accountTitle = i18n.M("auth.account.title")

type accountPage struct {
	Page
	Zones    []string // the time zones to choose from, "" first (follow the language)
	ZoneName func(string) i18n.Msg
	Email    *emailPrefs // the e-mail choices (notifications.go)
}

// newAccountPage is the account page's data.
func (s *Server) newAccountPage(c echo.Context) accountPage {
	return accountPage{Page: s.titled(c, accountTitle), Zones: append([]string{""}, i18n.Zones...), ZoneName: audit.ZoneMsg,
		Email: s.emailPrefsOf(c, "", nil)}
}

func (s *Server) accountPage(c echo.Context) error {
	return c.Render(http.StatusOK, "account", s.newAccountPage(c))
}

// timeZoneForm is the time zone form of /account.
type timeZoneForm struct {
	Zone string `form:"time_zone"`
}

// setTimeZone saves the time zone the person reads times in.
func (s *Server) setTimeZone(c echo.Context) error {
	var f timeZoneForm
	if err := decode(c, &f); err != nil {
		return err
	}
	u, err := s.users.SetTimeZone(c.Request().Context(), currentUser(c).ID, f.Zone)
	var v *apperr.ValidationError
	if errors.As(err, &v) {
		p := s.newAccountPage(c)
		p.Errors = v
		return c.Render(http.StatusUnprocessableEntity, "account", p)
	}
	if err != nil {
		return err
	}
	c.Set("user", &u) // the confirmation already speaks in the new zone's terms
	s.flash(c, i18n.M("auth.account.zone_saved", "zone", audit.ZoneMsg(u.TimeZone)))
	return c.Redirect(http.StatusSeeOther, "/account")
}

// passwordForm is the password form of /account.
type passwordForm struct {
	Current string `form:"current_password"`
	New     string `form:"new_password"`
	Confirm string `form:"confirm_password"`
}

func (s *Server) changePassword(c echo.Context) error {
	u := currentUser(c)
	tok := s.cookie(c, sessionCookie)
	var f passwordForm
	if err := decode(c, &f); err != nil {
		return err
	}
	err := s.users.ChangePassword(c.Request().Context(), u.ID, f.Current, f.New, f.Confirm, tok)
	var v *apperr.ValidationError
	var te *users.ThrottledError
	if errors.As(err, &te) {
		s.log.Warn("password change throttled", "id", reqID(c), "client", c.RealIP(), "user", u.Email)
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(te.Wait/time.Second)))
		p := s.newAccountPage(c)
		p.Errors = &apperr.ValidationError{}
		p.Errors.AddMsg("current_password", i18n.M("users.field.current_password"), i18n.M("auth.account.throttled", "wait", te.Wait))
		return c.Render(http.StatusTooManyRequests, "account", p)
	}
	if errors.As(err, &v) {
		p := s.newAccountPage(c)
		p.Errors = v
		return c.Render(http.StatusUnprocessableEntity, "account", p)
	}
	if err != nil {
		return err
	}
	s.flash(c, i18n.M("auth.account.password_changed"))
	return c.Redirect(http.StatusSeeOther, "/account")
}
