package web

import (
	"errors"
	"net/http"
	"time"

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
	switch a := approval.Action(st.Action); {
	case a == approval.Publish && st.NothingToReport:
		v.Detail = l.Tr(i18n.M("approval.page.by_nothing", "who", st.Actor, "when", st.ChangedAt))
	case a == approval.Publish, a == approval.Submit, a == approval.Reopen, a == approval.Return:
		v.Detail = l.Tr(i18n.M("month.state.by."+string(a), "who", st.Actor, "when", st.ChangedAt))
	}
	return v
}

// monthActions are the state changes the person's role may take on the
// month in its state now; whether publishing would go through too is
// approvalView's.
type monthActions struct {
	Submit, Return, Reopen bool
}

func actionsFor(u *users.User, st approval.MonthState) monthActions {
	if u == nil || u.Disabled {
		return monthActions{}
	}
	ok := func(a approval.Action) bool { return approval.Decide(st.Month, st.State, a, u.Role) == nil }
	return monthActions{Submit: ok(approval.Submit), Return: ok(approval.Return), Reopen: ok(approval.Reopen)}
}

// approvalView is what the month page's actions say to the reader, phrased
// for their role: the publishing actions they are offered now and, before
// they act, why publishing would be refused and who can act instead.
type approvalView struct {
	Publish bool   // the reader may publish the submitted month now (the button asks first)
	Nothing bool   // the reader may publish the month, which has no figures, as "nothing to report"
	Blocked string // why publishing would be refused for the reader now, naming who can act; "" when nothing stops them
	Waiting string // for a reader who does not publish: who can publish the submitted month
	Locked  string // why its figures cannot change now, and what the reader can do about it
}

// monthApproval works out the month page's approvalView for the reader of a
// month in state st whose figures are g, asking the domain (CheckPublish,
// Publishers) before anyone acts.
func (s *Server) monthApproval(c echo.Context, st approval.MonthState, g figures.Grid) (approvalView, error) {
	var v approvalView
	u, l, ctx := currentUser(c), s.localeOf(c), c.Request().Context()
	if u == nil || u.Disabled {
		return v, nil
	}
	approver := u.Can(users.Approver)
	switch {
	case st.State == approval.Published && approver:
		v.Locked = l.Tr(i18n.M("approval.page.locked_published"))
	case st.State == approval.Published:
		// Name who can unlock it, not only the role.
		who, err := s.approval.Approvers(ctx)
		if err != nil {
			return v, err
		}
		v.Locked = l.Tr(i18n.M("month.state.locked_published"))
		if len(who) > 0 {
			v.Locked = l.Tr(i18n.M("month.state.locked_published_who", "people", who))
		}
	case st.State == approval.Submitted && approver:
		v.Locked = l.Tr(i18n.M("approval.page.locked_submitted"))
	case st.State == approval.Submitted:
		v.Locked = l.Tr(i18n.M("month.state.locked_submitted"))
	}
	// check asks whether the reader may take a publishing action now: ok, or
	// the refusal in one line, which names who can act.
	check := func(a approval.Action) (bool, error) {
		err := s.approval.CheckPublish(ctx, u.Actor(), u.Role, st.Month, a)
		if err != nil && apperr.KindOf(err) == apperr.Internal {
			return false, err
		}
		if err != nil {
			v.Blocked = l.Tr(apperr.MsgOf(err))
		}
		return err == nil, nil
	}
	// An empty month of the targets' windows is published as "nothing to
	// report"; one outside them needs nothing.
	nothing := func() (bool, error) {
		ts, err := s.targets.List(ctx, true)
		if err != nil {
			return false, err
		}
		for _, t := range ts {
			if st.Month >= t.Start && st.Month <= t.End {
				return check(approval.NothingToReport)
			}
		}
		return false, nil
	}
	var err error
	switch {
	case st.State == approval.Submitted && approver:
		if v.Publish, err = check(approval.Publish); err != nil || v.Publish || !emptyGrid(g) {
			return v, err
		}
		v.Blocked = "" // an empty month is published as "nothing to report" instead
		v.Nothing, err = nothing()
	case st.State == approval.Submitted:
		var who []string
		if who, err = s.approval.Publishers(ctx, st.Month); err != nil {
			return v, err
		}
		v.Waiting = l.Tr(i18n.M("approval.four_eyes.nobody"))
		if len(who) > 0 {
			v.Waiting = l.Tr(i18n.M("approval.page.waiting", "people", who))
		}
	case st.State == approval.Open && approver && emptyGrid(g):
		v.Nothing, err = nothing()
	}
	return v, err
}

// emptyGrid reports whether a month has no figures at all.
func emptyGrid(g figures.Grid) bool {
	for _, cell := range g.Cells {
		if cell.Rows > 0 {
			return false
		}
	}
	return true
}

// stateForm is what the month page's state forms post: the action, the words
// it needs (a return's comment, a reopen's or "nothing to report"'s reason)
// and, once asked, the confirmation. A publication's reasons for its flagged
// figures are read by flag (confirmationsOf), as their names hold the flag's key.
type stateForm struct {
	Confirmation
	Action  string `form:"action"`
	Comment string `form:"comment"`
	Version string `form:"version"` // the submit form's figures version
}

// monthState moves a month: POST /months/{month}/state with action and
// comment. Submitting goes at once; publishing, sending back, reopening and
// "nothing to report" ask first (askMonthAction), and act on the confirmed form.
func (s *Server) monthState(c echo.Context) error {
	m, err := parseMonthParam(c)
	if err != nil {
		return err
	}
	var f stateForm
	if err := decode(c, &f); err != nil {
		return err
	}
	u := currentUser(c)
	a := approval.Action(f.Action)
	ctx := c.Request().Context()
	switch {
	case a == approval.Submit: // refused when the figures changed after the page (its form's "version") was loaded
		_, err = s.approval.Submit(ctx, u.Actor(), u.Role, m.String(), f.Comment, f.Version)
	case !f.isConfirmed():
		return s.askMonthAction(c, m, a, f.Comment, true)
	case a == approval.Publish:
		var form map[string][]string
		if form, err = c.FormParams(); err != nil {
			return err
		}
		_, err = s.approval.PublishConfirming(ctx, u.Actor(), u.Role, m.String(), f.Comment, confirmationsOf(form))
	default:
		_, err = s.approval.Do(ctx, u.Actor(), u.Role, m.String(), a, f.Comment)
	}
	var ve *apperr.ValidationError
	switch {
	case err != nil && a != approval.Submit && errors.As(err, &ve):
		return s.showMonthConfirm(c, m, a, f.Comment, ve)
	case err != nil:
		return s.showMonthRefusal(c, m, err, f.Comment)
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
