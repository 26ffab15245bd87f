package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/notify"
)

// Notify is the notifications service, for the command line to run its jobs.
func (s *Server) Notify() *notify.Service { return s.notify }

// unreadOf is how many notifications the signed-in person has not read, for
// the menu; 0 for a visitor.
func (s *Server) unreadOf(c echo.Context) int64 {
	u := currentUser(c)
	if u == nil || s.notify == nil {
		return 0
	}
	n, err := s.notify.Unread(c.Request().Context(), u.ID)
	if err != nil {
		s.log.Warn("counting unread notifications", "err", err)
	}
	return n
}

// notificationsPage is /notifications: the person's notifications, newest
// first, the unread ones marked.
type notificationsPage struct {
	Page
	Items      []notificationView
	UnreadHere int // how many of Items are unread
}

// notificationView is one line of the list.
type notificationView struct {
	N       notify.Notification
	Summary i18n.Msg
	Items   []i18n.Msg
	Link    string
	LinkMsg i18n.Msg
	Email   i18n.Msg // what became of its e-mail, when it had one
}

func (s *Server) notificationsPage(c echo.Context) error {
	u := currentUser(c)
	list, err := s.notify.List(c.Request().Context(), u.ID, 100)
	if err != nil {
		return err
	}
	p := notificationsPage{Page: s.titled(c, i18n.M("notify.page.title"))}
	for _, n := range list {
		v := notificationView{N: n, Summary: notify.Summary(n)}
		if m, ok := n.MonthOf(); ok {
			v.Link, v.LinkMsg = "/months/"+n.Month, i18n.M("notify.mail.open", "month", m)
		}
		items := n.ItemsOf()
		for _, it := range items {
			v.Items = append(v.Items, notify.ItemMsg(n.Kind, it, p.L.Lang))
		}
		if n.Kind == notify.Reminder && len(items) > 0 {
			v.Link, v.LinkMsg = "/months/"+items[0].Month.String(), i18n.M("notify.mail.open", "month", items[0].Month)
		} else if n.Kind == notify.Digest {
			v.Link, v.LinkMsg = "/months", i18n.M("notify.mail.open_months")
		}
		switch n.Email {
		case notify.EmailSent:
			v.Email = i18n.M("notify.page.email.sent", "when", n.EmailedAt)
		case notify.EmailQueued, notify.EmailRetrying, notify.EmailFailed, notify.EmailSkipped:
			v.Email = i18n.M("notify.page.email." + n.Email)
		}
		if n.Unread() {
			p.UnreadHere++
		}
		p.Items = append(p.Items, v)
	}
	return c.Render(http.StatusOK, "notifications", p)
}

// markNotificationsRead marks all the person's notifications read.
func (s *Server) markNotificationsRead(c echo.Context) error {
	n, err := s.notify.MarkAllRead(c.Request().Context(), currentUser(c).Actor())
	if err != nil {
		return err
	}
	if n == 0 {
		s.flash(c, i18n.M("notify.page.none_unread"))
	} else {
		s.flash(c, i18n.M("notify.page.marked", "count", n))
	}
	return c.Redirect(http.StatusSeeOther, "/notifications")
}

// emailPrefs is the e-mail part of /account.
type emailPrefs struct {
	Mail    bool // a mail server is set up
	Lang    string
	Langs   []i18n.Lang
	Choices []emailChoice
}

// emailChoice is one checkbox.
type emailChoice struct {
	Value string
	Label i18n.Msg
	On    bool
}

// emailPrefsOf is the form as saved (or, with on given, as submitted).
func (s *Server) emailPrefsOf(c echo.Context, lang string, on []string) *emailPrefs {
	u := currentUser(c)
	if u == nil || s.notify == nil {
		return nil
	}
	ep := &emailPrefs{Mail: s.notify.Mail(), Lang: lang, Langs: i18n.Langs}
	if on == nil {
		p, err := s.notify.PrefsOf(c.Request().Context(), u.ID)
		if err != nil {
			s.log.Warn("reading e-mail choices", "err", err)
		}
		ep.Lang = p.Lang
		for _, ch := range notify.Choices {
			if p.Wants(ch) {
				on = append(on, string(ch))
			}
		}
	}
	if ep.Lang == "" {
		ep.Lang = string(s.reader(c).Lang)
	}
	for _, ch := range notify.Choices {
		ep.Choices = append(ep.Choices, emailChoice{Value: string(ch), Label: i18n.M("notify.prefs.choice." + string(ch)), On: slices.Contains(on, string(ch))})
	}
	return ep
}

// emailForm is the e-mail form of /account.
type emailForm struct {
	Lang string   `form:"email_lang"`
	On   []string `form:"email"`
}

// saveEmailPrefs keeps the person's e-mail choices.
func (s *Server) saveEmailPrefs(c echo.Context) error {
	var f emailForm
	if err := decode(c, &f); err != nil {
		return err
	}
	if f.On == nil {
		f.On = []string{}
	}
	_, err := s.notify.SavePrefs(c.Request().Context(), currentUser(c).Actor(), f.Lang, f.On)
	var v *apperr.ValidationError
	if errors.As(err, &v) {
		p := s.newAccountPage(c)
		p.Errors, p.Email = v, s.emailPrefsOf(c, f.Lang, f.On)
		return c.Render(http.StatusUnprocessableEntity, "account", p)
	}
	if err != nil {
		return err
	}
	s.flash(c, i18n.M("notify.prefs.saved"))
	return c.Redirect(http.StatusSeeOther, "/account#email")
}

// jobsPage is /admin/jobs: the job engine's latest jobs with their last
// error, for administrators.
type jobsPage struct {
	Page
	Mail       bool
	MailServer string
	MailFrom   string
	Jobs       []jobView
}

// jobView is one job's row.
type jobView struct {
	notify.Job
	KindMsg, StateMsg i18n.Msg
	For               i18n.Msg // an e-mail's recipient and subject
	Failing           bool
}

func (s *Server) jobsPage(c echo.Context) error {
	jobs, err := s.notify.Jobs(c.Request().Context(), 100)
	if err != nil {
		return err
	}
	p := jobsPage{Page: s.titled(c, i18n.M("notify.jobs.title")), Mail: s.cfg.Mail.Enabled(), MailServer: s.cfg.Mail.String(), MailFrom: s.cfg.Mail.From}
	for _, j := range jobs {
		v := jobView{Job: j, KindMsg: i18n.M("notify.jobs.kind." + j.Kind), StateMsg: i18n.M("notify.jobs.state." + j.State),
			Failing: j.State == "retryable" || j.State == "discarded"}
		if j.Notification != nil {
			v.For = i18n.M("notify.jobs.for", "to", j.To, "what", notify.Subject(*j.Notification))
		}
		p.Jobs = append(p.Jobs, v)
	}
	return c.Render(http.StatusOK, "jobs", p)
}
