package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/users"
)

// stateView is a month's state as the month list and the month page show it.
type stateView struct {
	figures.MonthState
	Label  string // "Open", "Submitted for review", "Published", "Published (revised)", "Open for revision"
	Class  string // for the tag's look; the label carries the meaning
	Detail string // who moved it and when, and why
}

// MonthValue is the month as a month.Month, for writing it in the reader's language.
func (v stateView) MonthValue() month.Month { m, _ := month.Parse(v.Month); return m }

func newStateView(l i18n.Locale, st figures.MonthState) stateView {
	v := stateView{MonthState: st, Class: st.State}
	when := st.ChangedAt.UTC().Format(figures.StampFormat)
	switch {
	case st.State == figures.Published && st.Revised():
		v.Label = l.T("Published (revised)")
	case st.State == figures.Published:
		v.Label = l.T("Published")
	case st.State == figures.Submitted:
		v.Label = l.T("Submitted for review")
	case st.EverPublished():
		v.Label, v.Class = l.T("Open for revision"), "revision"
	default:
		v.Label = l.T("Open")
	}
	switch approval.Action(st.Action) {
	case approval.Publish:
		v.Detail = l.T("published by %s on %s", st.Actor, when)
	case approval.Submit:
		v.Detail = l.T("submitted by %s on %s", st.Actor, when)
	case approval.Reopen:
		v.Detail = l.T("reopened by %s on %s", st.Actor, when)
	case approval.Return:
		v.Detail = l.T("sent back by %s on %s", st.Actor, when)
	}
	return v
}

// monthActions are the state changes the person may take on the month now.
type monthActions struct {
	Submit, Publish, Return, Reopen bool
}

func actionsFor(u *users.User, st figures.MonthState) monthActions {
	if u == nil || u.Disabled {
		return monthActions{}
	}
	ok := func(a approval.Action) bool { return approval.Decide(st.Month, st.State, a, u.Role) == nil }
	return monthActions{Submit: ok(approval.Submit), Publish: ok(approval.Publish), Return: ok(approval.Return), Reopen: ok(approval.Reopen)}
}

// monthState moves a month: POST /months/{month}/state with action and comment.
func (s *Server) monthState(c echo.Context) error {
	m, err := parseMonthParam(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	a := approval.Action(c.FormValue("action"))
	comment := c.FormValue("comment")
	if _, err := s.approval.Do(c.Request().Context(), u.Actor(), u.Role, m.String(), a, comment); err != nil {
		return s.showMonthRefusal(c, m, err, comment)
	}
	l := s.localeOf(c)
	switch a {
	case approval.Submit:
		s.setFlash(c, l.T("%s is submitted for review. An approver can now publish it or send it back.", l.Month(m)))
	case approval.Publish:
		s.setFlash(c, l.T("%s is published: the dashboard, widgets and public API now count its figures.", l.Month(m)))
	case approval.Return:
		s.setFlash(c, l.T("%s is open again; the editors can see your comment.", l.Month(m)))
	case approval.Reopen:
		s.setFlash(c, l.T("%s is open for revision. The public keeps seeing the published figures until it is published again.", l.Month(m)))
	}
	return c.Redirect(http.StatusSeeOther, "/months/"+m.String())
}

// showMonthRefusal re-shows the month page with why an action or save was
// refused; a comment the person wrote is kept.
func (s *Server) showMonthRefusal(c echo.Context, m month.Month, err error, comment string) error {
	var (
		ref   *approval.Refusal
		lock  *figures.LockedError
		check *approval.CheckError
		empty *approval.ErrEmpty
		ve    *apperr.ValidationError
	)
	status, msg := http.StatusConflict, ""
	switch {
	case errors.As(err, &ref):
		msg = ref.Message
		if ref.Forbidden {
			status = http.StatusForbidden
		}
	case errors.As(err, &lock):
		msg = lock.Error()
	case errors.As(err, &check):
		msg = check.Error()
	case errors.As(err, &empty):
		msg = empty.Error()
	case errors.As(err, &ve):
		status = http.StatusUnprocessableEntity
	default:
		return err
	}
	g, gerr := s.figures.Grid(c.Request().Context(), m.String())
	if gerr != nil {
		return gerr
	}
	p, perr := s.buildMonthPage(c, m, g, nil, ve)
	if perr != nil {
		return perr
	}
	p.Refusal, p.Comment = msg, comment
	p.Title = p.L.T("Error:") + " " + p.Title
	return c.Render(status, "month", p)
}
