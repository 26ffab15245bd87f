package web

import (
	"context"
	"errors"
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
	"hrx/internal/review"
	"hrx/internal/users"
)

// firstMonth is the earliest month the month list offers when there is no earlier data.
var firstMonth = month.New(2024, 9)

type monthRow struct {
	Month   month.Month
	Total   int64
	Rows    int64
	HasData bool
	State   stateView
}

type monthsPage struct {
	Page
	Months  []monthRow
	HasData bool
}

func (s *Server) monthsPage(c echo.Context) error {
	sums, err := s.figures.MonthSummaries(c.Request().Context())
	if err != nil {
		return err
	}
	by := map[month.Month]figures.MonthSummary{}
	first, last := firstMonth, month.Of(time.Now())
	for _, x := range sums {
		m, err := month.Parse(x.Month)
		if err != nil {
			continue
		}
		by[m] = x
		first, last = min(first, m), max(last, m)
	}
	states, err := s.approval.States(c.Request().Context())
	if err != nil {
		return err
	}
	p := monthsPage{Page: s.page(c, ""), HasData: len(sums) > 0}
	p.Title = p.M("month.list.title")
	for m := last; m >= first; m-- {
		x, ok := by[m]
		st, moved := states[m]
		if !moved {
			st = approval.OpenState(m)
		}
		p.Months = append(p.Months, monthRow{Month: m, Total: x.Total, Rows: x.Rows, HasData: ok, State: newStateView(p.L, st)})
	}
	return c.Render(http.StatusOK, "months", p)
}

// gridCell is one input of the month form.
type gridCell struct {
	Key      string // form field name suffix: "IN-JP.student"
	ID       string // element id: "c-IN-JP-student" (no dots, so that CSS selectors find it)
	Label    string // accessible name: "Students, India to Japan"
	Value    string // what the input shows
	Version  int
	Editable bool
	Cell     figures.Cell
	Error    string
	Diff     *diffView // the change since the last publication (or the earlier month), when the page reviews it
	Flag     *monthFlag
	Comments int // how many comments the cell has
}

type gridRow struct {
	Category reference.Category
	Name     string
	Cells    []gridCell
	Total    int64
	Diff     *diffView // the row total's change, when the page reviews it
}

type monthPage struct {
	Page
	Mon        month.Month // the month shown
	Prev, Next month.Month // neighbouring months, Zero when there is none to go to
	Directions []directionRow
	Rows       []gridRow
	ColTotals  []int64
	Total      int64
	Conflicts  []conflictView
	CanEdit    bool // the person may change figures and the month is open
	State      stateView
	Actions    monthActions
	Approval   approvalView
	Refusal    string // why the last action or save was refused
	Comment    string // the comment or reason the person wrote, kept after a refusal
	// Version is the version of the month's figures the page shows
	// (figures.MonthVersion); the submit form carries it, so that a
	// submission after someone else saved is refused.
	Version string
	// Unsaved says the grid shows entries that are not saved (re-shown
	// after a refusal); the page's script treats them as changes.
	Unsaved     bool
	ColDiffs    []*diffView // each direction's total change, when the page reviews it
	TotalDiff   *diffView
	TotalFlags  []monthFlag // the month's total far from the month before
	Review      *reviewView // what changed since the last publication; nil when not shown
	Thread      []threadItem
	CommentText string    // a comment the person wrote, kept after a refusal
	GridWords   gridWords // the sentences the grid's script shows, when the person may type
}

type conflictView struct {
	Label string
	Value string
	By    string
	At    time.Time
}

// cellLabel names a cell of the grid for the reader: "Students, India to Japan".
func cellLabel(l i18n.Locale, cat reference.Category, direction string) i18n.Msg {
	return i18n.M("month.cell.label", "category", cat.Name(l.Lang), "direction", reference.DirectionMsg(direction))
}

// parseMonthParam reads the month in the URL; months after this one cannot hold figures yet.
func parseMonthParam(c echo.Context) (month.Month, error) {
	m, err := month.Parse(c.Param("month"))
	if err != nil {
		return month.Zero, apperr.New(apperr.NotFound, "month.not_found.bad", "value", c.Param("month"))
	}
	if m > month.Of(time.Now()) {
		return month.Zero, apperr.New(apperr.NotFound, "month.not_found.future", "month", m)
	}
	return m, nil
}

func fieldKey(direction, category string) string { return direction + "." + category }

// fieldID is the id of a cell's input.
func fieldID(direction, category string) string { return "c-" + direction + "-" + category }

// buildMonthPage lays the grid out, with each cell's flag, change and
// comments, the review and the month's thread; inputs, when given, replace
// the stored values (re-shown after an error).
func (s *Server) buildMonthPage(c echo.Context, m month.Month, g figures.Grid, inputs map[string]string, errs *apperr.ValidationError) (monthPage, error) {
	ctx := c.Request().Context()
	cats, err := s.ref.Categories(ctx)
	if err != nil {
		return monthPage{}, err
	}
	p := monthPage{Page: s.page(c, ""), Mon: m, Prev: m.Add(-1), Version: g.Version, Unsaved: inputs != nil}
	if m < month.Of(time.Now()) {
		p.Next = m.Add(1)
	}
	p.Title = p.M("month.page.title", "month", m)
	p.Errors = errs
	st, err := s.approval.State(ctx, m)
	if err != nil {
		return monthPage{}, err
	}
	u := currentUser(c)
	p.State, p.Actions = newStateView(p.L, st), actionsFor(u, st)
	if p.Approval, err = s.monthApproval(c, st, g); err != nil {
		return monthPage{}, err
	}
	p.CanEdit = u != nil && u.Can(users.Editor) && !st.Locked()
	if p.CanEdit {
		p.GridWords = newGridWords(p.L)
	}
	notes, err := s.loadMonthNotes(ctx, m, showsReview(u, st))
	if err != nil {
		return monthPage{}, err
	}
	for _, d := range reference.Directions {
		p.Directions = append(p.Directions, directionRow{Name: p.Tr(reference.DirectionMsg(d.Code))})
	}
	p.ColTotals = make([]int64, len(reference.Directions))
	var shown []reference.Category
	for _, cat := range cats {
		if cat.Retired && g.Cell(reference.IndiaToJapan, cat.Code).Rows == 0 && g.Cell(reference.JapanToIndia, cat.Code).Rows == 0 {
			continue
		}
		shown = append(shown, cat)
		row := p.gridRow(g, cat, notes, inputs, errs)
		for i, gc := range row.Cells {
			p.ColTotals[i] += gc.Cell.Total
		}
		p.Total += row.Total
		p.Rows = append(p.Rows, row)
	}
	if err := s.addReview(ctx, &p, notes, shown); err != nil {
		return monthPage{}, err
	}
	p.Thread, err = s.monthThread(ctx, p.L, m, cats)
	return p, err
}

// gridRow lays out one category's cells.
func (p monthPage) gridRow(g figures.Grid, cat reference.Category, notes monthNotes, inputs map[string]string, errs *apperr.ValidationError) gridRow {
	row := gridRow{Category: cat, Name: cat.Name(p.L.Lang)}
	var changes []review.Change
	for _, d := range reference.Directions {
		cell := g.Cell(d.Code, cat.Code)
		k := fieldKey(d.Code, cat.Code)
		gc := gridCell{Key: k, ID: fieldID(d.Code, cat.Code), Version: cell.Version(), Editable: cell.Editable(), Cell: cell,
			Comments: notes.counts[d.Code+"/"+cat.Code]}
		gc.Label = p.Tr(cellLabel(p.L, cat, d.Code))
		if cell.Rows > 0 {
			gc.Value = strconv.FormatInt(cell.Total, 10)
		}
		if v, ok := inputs[k]; ok {
			gc.Value = v
		}
		if errs != nil {
			gc.Error = p.L.Tr(errs.For(gc.ID))
		}
		if f, ok := notes.flags[plausibility.Cell{Direction: d.Code, Category: cat.Code}]; ok {
			gc.Flag = newMonthFlag(p.L, f, cellLabel(p.L, cat, d.Code))
		}
		if ch, ok := notes.change(d.Code, cat.Code); ok {
			gc.Diff = newDiffView(p.L, ch)
			changes = append(changes, ch)
		}
		row.Cells = append(row.Cells, gc)
		row.Total += cell.Total
	}
	if notes.compares() {
		row.Diff = newDiffView(p.L, review.Sum(changes...))
	}
	return row
}

// addReview adds the review of what changed, and the totals' changes, when
// the page shows them, and the month total's flags.
func (s *Server) addReview(ctx context.Context, p *monthPage, notes monthNotes, cats []reference.Category) error {
	for _, f := range notes.totals {
		p.TotalFlags = append(p.TotalFlags, *newMonthFlag(p.L, f, i18n.M("review.flags.total", "month", p.Mon)))
	}
	r := notes.review
	if r == nil {
		return nil
	}
	var err error
	if p.Review, err = s.newReviewView(ctx, p.L, notes, cats); err != nil || !notes.compares() {
		return err
	}
	for _, d := range reference.Directions {
		var col []review.Change
		for c, ch := range r.Cells {
			if c.Direction == d.Code {
				col = append(col, ch)
			}
		}
		p.ColDiffs = append(p.ColDiffs, newDiffView(p.L, review.Sum(col...)))
	}
	p.TotalDiff = newDiffView(p.L, r.Total())
	return nil
}

func (s *Server) monthPage(c echo.Context) error {
	m, err := parseMonthParam(c)
	if err != nil {
		return err
	}
	g, err := s.figures.Grid(c.Request().Context(), m.String())
	if err != nil {
		return err
	}
	p, err := s.buildMonthPage(c, m, g, nil, nil)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "month", p)
}

func (s *Server) saveMonth(c echo.Context) error {
	m, err := parseMonthParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cats, err := s.ref.Categories(ctx)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	inputs := map[string]string{}
	errs := &apperr.ValidationError{}
	l := s.localeOf(c)
	var cells []figures.CellInput
	for _, cat := range cats {
		for _, d := range reference.Directions {
			k := fieldKey(d.Code, cat.Code)
			if _, sent := form["v."+k]; !sent {
				continue // not on the form that was loaded (a broken-down or retired cell)
			}
			ver, _ := strconv.Atoi(form.Get("v." + k))
			if _, hasInput := form["c."+k]; !hasInput {
				continue // shown as a sum with a link, not an input
			}
			raw := form.Get("c." + k)
			inputs[k] = raw
			in := figures.CellInput{Direction: d.Code, Category: cat.Code, Version: ver}
			if strings.TrimSpace(raw) != "" { // an empty box: no figure
				n, msg := figures.ParseCount(raw)
				if !msg.IsZero() {
					errs.AddMsg(fieldID(d.Code, cat.Code), cellLabel(l, cat, d.Code), msg)
					continue
				}
				in.Value = &n
			}
			cells = append(cells, in)
		}
	}
	if !errs.Empty() {
		g, err := s.figures.Grid(ctx, m.String())
		if err != nil {
			return err
		}
		p, err := s.buildMonthPage(c, m, g, inputs, errs)
		if err != nil {
			return err
		}
		return c.Render(http.StatusUnprocessableEntity, "month", p)
	}
	u := currentUser(c)
	n, err := s.figures.SaveGrid(ctx, u.Actor(), m.String(), cells)
	var ce *figures.ConflictError
	switch {
	case errors.As(err, &ce): // the cells others changed, to show beside the person's entries
		return s.showConflict(c, m, ce, inputs)
	case err != nil:
		return s.showMonthRefusal(c, m, err, "")
	case n == 0:
		s.flash(c, i18n.M("month.saved.none", "month", m))
	default:
		s.flash(c, i18n.M("month.saved.some", "count", n, "month", m))
	}
	return c.Redirect(http.StatusSeeOther, "/months/"+m.String())
}

// showConflict re-shows the form with the person's entries, the newer values and the
// current versions, so that saving again is a deliberate choice.
func (s *Server) showConflict(c echo.Context, m month.Month, ce *figures.ConflictError, inputs map[string]string) error {
	ctx := c.Request().Context()
	g, err := s.figures.Grid(ctx, m.String())
	if err != nil {
		return err
	}
	p, err := s.buildMonthPage(c, m, g, inputs, nil)
	if err != nil {
		return err
	}
	cats, err := s.ref.Categories(ctx)
	if err != nil {
		return err
	}
	byCode := map[string]reference.Category{}
	for _, cat := range cats {
		byCode[cat.Code] = cat
	}
	for _, x := range ce.Conflicts {
		cur := g.Cell(x.Direction, x.Category)
		cv := conflictView{Label: p.Tr(cellLabel(p.L, byCode[x.Category], x.Direction)), Value: p.M("month.cell.no_figure")}
		if cur.Rows > 0 {
			cv.Value = p.L.N(cur.Total)
		}
		if cur.Plain != nil {
			cv.At = cur.Plain.UpdatedAt
			if cur.Plain.UpdatedBy != nil {
				if who, err := s.users.ByID(ctx, *cur.Plain.UpdatedBy); err == nil {
					cv.By = who.DisplayName()
				}
			}
		}
		p.Conflicts = append(p.Conflicts, cv)
	}
	p.Title = p.M("month.error_title", "title", p.Title)
	return c.Render(http.StatusConflict, "month", p)
}
