package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/plausibility"
	"hrx/internal/reference"
	"hrx/internal/report"
)

// monthConfirmPage asks once before an approver's action on a month
// (publish, send back, reopen, "nothing to report"), stating its consequence
// in words and numbers, with the words the action needs and, for a
// publication, a reason for each flagged figure. A plain form: it posts the
// action again with confirmed=yes, so it works without scripts.
type monthConfirmPage struct {
	confirmPage
	Mon          month.Month
	Move         approval.Action
	Comment      string
	CommentLabel i18n.Msg // zero when the action needs no words
	CommentHint  i18n.Msg
	Flags        []flagReason // flagged figures that need a reason
	Confirmed    []flagReason // flagged figures confirmed before, at their value now
}

// flagReason is a flagged figure on the publish confirmation: what it is, its
// value and why it is flagged, with the reason field or the reason given before.
type flagReason struct {
	Key, Field string // the flag's key; its reason field (approval.ReasonField)
	Label      string // "Engineers, India to Japan" or "The month's total"
	Name       string // the same inside a sentence: "Reason for the month's total"
	Icon       string // ▲ or ▼: which way it departs, beside the words
	Short      string
	Words      string
	Value      int64
	Reason     string // typed in (kept after an error), or given before (Confirmed)
	Error      string
	By         string // who confirmed it before, and when
	At         time.Time
}

// monthStateConfirm shows the confirmation of an action named in the query:
// GET /months/{month}/state?action=publish, as the month page's buttons do
// with a post.
func (s *Server) monthStateConfirm(c echo.Context) error {
	m, err := parseMonthParam(c)
	if err != nil {
		return err
	}
	return s.askMonthAction(c, m, approval.Action(c.QueryParam("action")), c.QueryParam("comment"), false)
}

// askMonthAction checks, before the person acts, that they may take action a
// on month m now (a refusal re-shows the month page saying why and who can
// act), then asks them to confirm. asked says the words were sent from a
// form, so that missing ones are an error beside their field.
func (s *Server) askMonthAction(c echo.Context, m month.Month, a approval.Action, comment string, asked bool) error {
	u, ctx := currentUser(c), c.Request().Context()
	var err error
	switch a {
	case approval.Publish, approval.NothingToReport:
		err = s.approval.CheckPublish(ctx, u.Actor(), u.Role, m, a)
	case approval.Return, approval.Reopen:
		var st approval.MonthState
		if st, err = s.approval.State(ctx, m); err == nil {
			err = approval.Decide(m, st.State, a, u.Role)
		}
	default:
		err = apperr.New(apperr.Invalid, "approval.no_such_action", "action", string(a))
	}
	if err != nil {
		return s.showMonthRefusal(c, m, err, comment)
	}
	var ve *apperr.ValidationError
	if asked {
		if werr := approval.CheckWords(a, comment); werr != nil {
			ve, _ = werr.(*apperr.ValidationError)
		}
	}
	return s.showMonthConfirm(c, m, a, comment, ve)
}

// showMonthConfirm renders the confirmation of action a on month m, with the
// field errors of ve beside their fields (status 422) when there are any.
func (s *Server) showMonthConfirm(c echo.Context, m month.Month, a approval.Action, comment string, ve *apperr.ValidationError) error {
	ctx := c.Request().Context()
	st, err := s.approval.State(ctx, m)
	if err != nil {
		return err
	}
	p := monthConfirmPage{Mon: m, Move: a, Comment: comment}
	p.Page = s.page(c, "")
	p.Back = "/months/" + m.String()
	p.confirmPage.Action = "/months/" + m.String() + "/state"
	p.Fields = []hiddenField{{"action", string(a)}}
	switch a {
	case approval.Publish:
		err = s.publishConsequences(c, &p, st)
	case approval.NothingToReport:
		err = s.nothingConsequences(c, &p, st)
	case approval.Return:
		p.Heading, p.Button = i18n.M("approval.confirm.return.heading", "month", m), i18n.M("approval.confirm.return.button", "month", m)
		p.CommentLabel = i18n.M("month.actions.return_label")
		p.Consequences = []i18n.Msg{i18n.M("approval.confirm.return.consequence", "month", m), i18n.M("approval.confirm.return.told")}
		if st.Action == string(approval.Submit) && st.Actor != "" {
			p.Consequences[1] = i18n.M("approval.confirm.return.told_who", "who", st.Actor)
		}
	case approval.Reopen:
		p.Heading, p.Button = i18n.M("approval.confirm.reopen.heading", "month", m), i18n.M("approval.confirm.reopen.button", "month", m)
		p.CommentLabel = i18n.M("month.actions.reopen_label")
		p.Consequences = []i18n.Msg{i18n.M("approval.confirm.reopen.consequence", "month", m)}
		err = s.reopenConsequences(c, &p, st)
	}
	if err != nil {
		return err
	}
	p.Title = p.L.Tr(p.Heading)
	status := http.StatusOK
	if ve != nil && !ve.Empty() {
		p.Errors = s.relabel(ve, p.Flags)
		for i := range p.Flags {
			p.Flags[i].Error = p.Tr(ve.For(p.Flags[i].Field))
		}
		status = http.StatusUnprocessableEntity // the layout marks the title
	}
	return c.Render(status, "month-confirm", p)
}

// relabel names each flag's reason field, in the error summary, by the
// figure as the page shows it ("Reason for Engineers, India to Japan");
// other fields keep their labels.
func (s *Server) relabel(ve *apperr.ValidationError, flags []flagReason) *apperr.ValidationError {
	out := &apperr.ValidationError{}
	for _, f := range ve.Fields {
		for _, fr := range flags {
			if fr.Field == f.Field {
				f.Label = i18n.M("approval.flags.reason_label", "flag", fr.Name)
			}
		}
		out.Fields = append(out.Fields, f)
	}
	return out
}

// publishConsequences says what publishing the month does: how many people
// become public and what the public totals become, and asks a reason for each
// flagged figure that no earlier confirmation covers.
func (s *Server) publishConsequences(c echo.Context, p *monthConfirmPage, st approval.MonthState) error {
	ctx, m := c.Request().Context(), p.Mon
	p.Heading, p.Button = i18n.M("approval.confirm.publish.heading", "month", m), i18n.M("approval.confirm.publish.button", "month", m)
	n, err := s.publicNumbers(c, m, true)
	if err != nil {
		return err
	}
	if st.EverPublished() {
		p.Consequences = append(p.Consequences, i18n.M("approval.confirm.publish.again", "month", m, "was", n.MonthPublic, "count", n.MonthNow))
	} else {
		p.Consequences = append(p.Consequences, i18n.M("approval.confirm.publish.first", "month", m, "count", n.MonthNow))
	}
	if len(n.Targets) == 0 {
		n.Targets = []i18n.Msg{i18n.M("approval.confirm.publish.no_target")}
	}
	p.Consequences = append(p.Consequences, n.Targets...)
	p.Consequences = append(p.Consequences, i18n.M("approval.confirm.publish.where"))
	flags, err := s.approval.Flags(ctx, m)
	if err != nil {
		return err
	}
	cats, err := s.ref.Categories(ctx)
	if err != nil {
		return err
	}
	form, _ := c.FormParams()
	for _, f := range flags {
		fr := s.flagReason(p.L, cats, f.Flag)
		if f.Confirmed != nil {
			fr.Reason, fr.By, fr.At = f.Confirmed.Reason, f.Confirmed.Actor, f.Confirmed.ConfirmedAt
			p.Confirmed = append(p.Confirmed, fr)
			continue
		}
		fr.Reason = form.Get("reason." + f.Key())
		p.Flags = append(p.Flags, fr)
	}
	if len(p.Flags) > 0 {
		p.Consequences = append(p.Consequences, i18n.M("approval.confirm.publish.flags", "count", len(p.Flags)))
	}
	return nil
}

// flagReason lays out one flag for the confirmation, naming its cell in the reader's words.
func (s *Server) flagReason(l i18n.Locale, cats []reference.Category, f plausibility.Flag) flagReason {
	fr := flagReason{Key: f.Key(), Field: approval.ReasonField(f.Key()), Icon: "▼", Short: l.Tr(f.Short()), Words: l.Tr(f.Msg()), Value: f.Value}
	if f.Up {
		fr.Icon = "▲"
	}
	fr.Label, fr.Name = l.Tr(i18n.M("approval.confirm.publish.total")), l.Tr(i18n.M("approval.flags.total"))
	if f.Kind == plausibility.CellFlag {
		cat := reference.Category{Code: f.Cell.Category, NameEN: f.Cell.Category}
		for _, x := range cats {
			if x.Code == f.Cell.Category {
				cat = x
			}
		}
		fr.Label = l.Tr(cellLabel(l, cat, f.Cell.Direction))
		fr.Name = fr.Label
	}
	return fr
}

// nothingConsequences says what publishing the empty month as "nothing to
// report" does; if the public counts people for it now, that it no longer will.
func (s *Server) nothingConsequences(c echo.Context, p *monthConfirmPage, st approval.MonthState) error {
	m := p.Mon
	p.Heading, p.Button = i18n.M("approval.confirm.nothing.heading", "month", m), i18n.M("approval.confirm.nothing.button", "month", m)
	p.CommentLabel, p.CommentHint = i18n.M("approval.page.nothing_label"), i18n.M("approval.page.nothing_hint")
	p.Consequences = []i18n.Msg{i18n.M("approval.confirm.nothing.consequence", "month", m)}
	if !st.EverPublished() {
		return nil
	}
	n, err := s.publicNumbers(c, m, false)
	if err != nil || n.MonthPublic == 0 {
		return err
	}
	p.Consequences = append(p.Consequences, i18n.M("approval.confirm.nothing.drops", "count", n.MonthPublic))
	p.Consequences = append(p.Consequences, n.Targets...)
	return nil
}

// reopenConsequences says what the public keeps seeing while the month is revised.
func (s *Server) reopenConsequences(c echo.Context, p *monthConfirmPage, st approval.MonthState) error {
	if st.NothingToReport {
		p.Consequences = append(p.Consequences, i18n.M("approval.confirm.reopen.public_nothing", "when", newStateView(p.L, st).PublishedWhen()))
		return nil
	}
	n, err := s.publicNumbers(c, p.Mon, false)
	if err != nil {
		return err
	}
	p.Consequences = append(p.Consequences, i18n.M("approval.confirm.reopen.public", "when", newStateView(p.L, st).PublishedWhen(), "count", n.MonthPublic))
	return nil
}

// publicNumbers are the people of month m as the public sees them now and as
// its figures are now, and what publishing it changes of the public totals.
type publicNumbers struct {
	MonthPublic, MonthNow int64
	// Targets says, for each published target whose public total the
	// publication changes, that total now and after.
	Targets []i18n.Msg
}

// publicNumbers works them out from the published totals and the month's
// totals now, each target's progress computed again over them: with the
// month's figures as they are now (withFigures), or with none ("nothing to
// report").
func (s *Server) publicNumbers(c echo.Context, m month.Month, withFigures bool) (publicNumbers, error) {
	ctx, l := c.Request().Context(), s.localeOf(c)
	var n publicNumbers
	public, err := s.figures.Totals(ctx, figures.Public)
	if err != nil {
		return n, err
	}
	now, err := s.figures.MonthTotals(ctx, m.String())
	if err != nil {
		return n, err
	}
	after := make([]figures.Total, 0, len(public)+len(now))
	for _, t := range public {
		if t.Month == m.String() {
			n.MonthPublic += t.Total
			continue
		}
		after = append(after, t)
	}
	for _, t := range now {
		n.MonthNow += t.Total
	}
	if withFigures {
		after = append(after, now...)
	}
	rep, err := s.report.Current(ctx, figures.Public)
	if err != nil {
		return n, err
	}
	for _, tp := range rep.Published() {
		t := tp.Target
		if m < t.Start || m > t.End {
			continue
		}
		a := report.Compute(t, rep.Categories, after).Result.Achieved
		if a == tp.Result.Achieved {
			continue // the month counts nothing toward it, or the same as before
		}
		n.Targets = append(n.Targets, i18n.M("approval.confirm.publish.target", "target", t.Name(l.Lang),
			"before", tp.Result.Achieved, "after", a, "value", t.Value))
	}
	return n, nil
}

// confirmationsOf reads a publication's reasons for its flagged figures from
// the confirmation form: for each flag key posted as "flag", the value the
// person saw ("value.KEY") and their reason ("reason.KEY").
func confirmationsOf(form map[string][]string) []approval.Confirmation {
	get := func(name string) string {
		if v := form[name]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	var out []approval.Confirmation
	for _, key := range form["flag"] {
		v, err := strconv.ParseInt(strings.TrimSpace(get("value."+key)), 10, 64)
		if err != nil {
			continue // no value seen: the flag is left unconfirmed, and the publication says so
		}
		out = append(out, approval.Confirmation{Key: key, Value: v, Reason: get("reason." + key)})
	}
	return out
}
