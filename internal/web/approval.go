package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/users"
)

// stateView is a month's state as the month list and the month page show it.
type stateView struct {
	approval.MonthState
	Label  string // "Open", "Submitted for review", "Published", "Published (revised)", "Open for revision"
	Class  string // for the tag's look; the label carries the meaning
	Detail string // who moved it and when
}

// PublishedWhen is when the month was last published, zero if never.
func (v stateView) PublishedWhen() time.Time {
	if v.PublishedAt == nil {
		return time.Time{}
	}
	return *v.PublishedAt
}

func newStateView(l i18n.Locale, st approval.MonthState) stateView {
	v := stateView{MonthState: st, Class: st.State}
	label := "month.state.open"
	switch {
	case st.State == approval.Published && st.Revised():
		label = "month.state.published_revised"
	case st.State == approval.Published:
		label = "month.state.published"
	case st.State == approval.Submitted:
		label = "month.state.submitted"
	case st.EverPublished():
		label, v.Class = "month.state.revision", "revision"
	}
	v.Label = l.Tr(i18n.M(label))
	switch a := approval.Action(st.Action); a {
	case approval.Publish, approval.Submit, approval.Reopen, approval.Return:
		v.Detail = l.Tr(i18n.M("month.state.by."+string(a), "who", st.Actor, "when", st.ChangedAt))
	}
	return v
}

// monthActions are the state changes the person may take on the month now.
type monthActions struct {
	Submit, Publish, Return, Reopen bool
}

func actionsFor(u *users.User, st approval.MonthState) monthActions {
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
	s.flash(c, i18n.M("month.moved."+string(a), "month", m))
	return c.Redirect(http.StatusSeeOther, "/months/"+m.String())
}

// showMonthRefusal re-shows the month page with why an action or save was
// refused (a refusal's own words, or every field's message), keeping the
// comment the person wrote. Anything but a refusal goes to the error page.
func (s *Server) showMonthRefusal(c echo.Context, m month.Month, err error, comment string) error {
	kind := apperr.KindOf(err)
	switch kind {
	case apperr.Invalid, apperr.Conflict, apperr.Forbidden, apperr.Locked:
	default:
		return err
	}
	var ve *apperr.ValidationError
	errors.As(err, &ve)
	g, gerr := s.figures.Grid(c.Request().Context(), m.String())
	if gerr != nil {
		return gerr
	}
	p, perr := s.buildMonthPage(c, m, g, nil, ve)
	if perr != nil {
		return perr
	}
	if ve == nil {
		p.Refusal = p.Tr(apperr.MsgOf(err))
		p.Title = p.M("month.error_title", "title", p.Title)
	}
	p.Comment = comment
	return c.Render(statusOf[kind], "month", p)
}
