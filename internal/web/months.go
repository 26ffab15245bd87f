package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
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
}

type gridRow struct {
	Category reference.Category
	Name     string
	Cells    []gridCell
	Total    int64
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
	Refusal    string // why the last action or save was refused
	Comment    string // the comment or reason the person wrote, kept after a refusal
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

// buildMonthPage lays the grid out; inputs, when given, replace the stored values (re-shown after an error).
func (s *Server) buildMonthPage(c echo.Context, m month.Month, g figures.Grid, inputs map[string]string, errs *apperr.ValidationError) (monthPage, error) {
	cats, err := s.ref.Categories(c.Request().Context())
	if err != nil {
		return monthPage{}, err
	}
	p := monthPage{Page: s.page(c, ""), Mon: m, Prev: m.Add(-1)}
	if m < month.Of(time.Now()) {
		p.Next = m.Add(1)
	}
	p.Title = p.M("month.page.title", "month", m)
	p.Errors = errs
	st, err := s.approval.State(c.Request().Context(), m)
	if err != nil {
		return monthPage{}, err
	}
	p.State, p.Actions = newStateView(p.L, st), actionsFor(currentUser(c), st)
	u := currentUser(c)
	p.CanEdit = u != nil && u.Can(users.Editor) && !st.Locked()
	for _, d := range reference.Directions {
		p.Directions = append(p.Directions, directionRow{Name: p.Tr(reference.DirectionMsg(d.Code))})
	}
	p.ColTotals = make([]int64, len(reference.Directions))
	for _, cat := range cats {
		if cat.Retired && g.Cell(reference.IndiaToJapan, cat.Code).Rows == 0 && g.Cell(reference.JapanToIndia, cat.Code).Rows == 0 {
			continue
		}
		row := gridRow{Category: cat, Name: cat.Name(p.L.Lang)}
		for i, d := range reference.Directions {
			cell := g.Cell(d.Code, cat.Code)
			k := fieldKey(d.Code, cat.Code)
			gc := gridCell{Key: k, ID: fieldID(d.Code, cat.Code), Version: cell.Version(), Editable: cell.Editable(), Cell: cell}
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
			row.Cells = append(row.Cells, gc)
			row.Total += cell.Total
			p.ColTotals[i] += cell.Total
		}
		p.Total += row.Total
		p.Rows = append(p.Rows, row)
	}
	return p, nil
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

type rowsPage struct {
	Page
	Mon       month.Month // the month shown
	Direction string
	Category  reference.Category
	Rows      []figureRow
	Total     int64
	History   []historyRow
}

// historyRow is one change to a cell: who, when, through what, before and after.
type historyRow struct {
	At            time.Time
	When          string // At in the reader's zone
	Who           string
	Action        i18n.Msg // "update", "import" …
	Key           string   // the row changed, for a broken-down cell; "" for the cell itself
	Through       i18n.Msg // "month form", "import #12 (2025-09.csv)", …
	Before, After string
}

type figureRow struct {
	figures.Figure
	Sector, Origin, Destination placeName
}

// placeName is a sector's or region's name as the rows page shows it, with
// the language it is written in when that is not the page's ("" when it is).
type placeName struct {
	Name, Lang string
}

func (s *Server) rowsPage(c echo.Context) error {
	m, err := parseMonthParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	dir, catCode := c.QueryParam("direction"), c.QueryParam("category")
	if reference.DirectionName(dir) == "" {
		return apperr.New(apperr.NotFound, "month.rows.no_direction", "in_jp", reference.IndiaToJapan, "jp_in", reference.JapanToIndia)
	}
	cats, err := s.ref.Categories(ctx)
	if err != nil {
		return err
	}
	p := rowsPage{Page: s.page(c, ""), Mon: m, Direction: dir}
	found := false
	for _, cat := range cats {
		if cat.Code == catCode {
			p.Category, found = cat, true
		}
	}
	if !found {
		return apperr.New(apperr.NotFound, "month.rows.no_category", "category", catCode)
	}
	rows, err := s.figures.Rows(ctx, m.String(), dir, catCode)
	if err != nil {
		return err
	}
	sectors, err := s.ref.Sectors(ctx)
	if err != nil {
		return err
	}
	regions, err := s.ref.Regions(ctx)
	if err != nil {
		return err
	}
	// A name the reader's language has no word for is shown in English, marked as such.
	inEnglish := func(name, en string) placeName {
		if name == en && p.L.Lang != i18n.EN {
			return placeName{name, "en"}
		}
		return placeName{Name: name}
	}
	sn, rn := map[string]placeName{}, map[string]placeName{}
	for _, x := range sectors {
		sn[x.Code] = inEnglish(x.Name(p.L.Lang), x.NameEN)
	}
	for _, x := range regions {
		// Region names are kept in English and in their own country's language.
		name := x.NameEN
		if (p.L.Lang == i18n.JA && x.Country == "JP" || p.L.Lang == i18n.HI && x.Country == "IN") && x.NameLocal != "" {
			name = x.NameLocal
		}
		rn[x.Code] = inEnglish(name, x.NameEN)
	}
	for _, f := range rows {
		p.Rows = append(p.Rows, figureRow{Figure: f, Sector: sn[f.Sector], Origin: rn[f.Origin], Destination: rn[f.Destination]})
		p.Total += f.Count
	}
	key := m.String() + "/" + dir + "/" + catCode
	entries, err := s.audit.Cell(ctx, m.String(), key)
	if err != nil {
		return err
	}
	for _, e := range entries {
		h := historyRow{At: e.At, When: p.L.Time(e.At), Who: e.Actor, Action: historyAction(e.Action), Through: historyThrough(e.Reason),
			Before: cellValue(p.L, e.Before), After: cellValue(p.L, e.After)}
		if e.Entity == "figure" && e.EntityKey != key {
			h.Key = strings.TrimPrefix(e.EntityKey, key+"/")
		}
		p.History = append(p.History, h)
	}
	p.Title = p.M("month.rows.title", "cell", cellLabel(p.L, p.Category, dir), "month", m)
	return c.Render(http.StatusOK, "rows", p)
}

// cellValue writes what an audit entry kept of a figure ({"count": …}) or of
// a cell ({"total": …, "rows": …}) for a person: "1,234", "1,234 in 3 rows", "—".
func cellValue(l i18n.Locale, raw string) string {
	var v struct {
		Count, Total, Rows *int64
		Status             string
	}
	if raw == "" || json.Unmarshal([]byte(raw), &v) != nil {
		return "—"
	}
	switch {
	case v.Count != nil && v.Status == figures.Provisional:
		return l.Tr(i18n.M("month.history.provisional", "n", *v.Count))
	case v.Count != nil:
		return l.N(*v.Count)
	case v.Total != nil && v.Rows != nil && *v.Rows != 1:
		return l.Tr(i18n.M("month.history.in_rows", "total", *v.Total, "count", *v.Rows))
	case v.Total != nil:
		return l.N(*v.Total)
	}
	return "—"
}

// historyActions are the changes a cell's history names.
var historyActions = map[string]bool{"create": true, "update": true, "delete": true, "import": true, "revert": true, "insert": true}

// historyAction names what an audit entry did to a cell, in the reader's words.
func historyAction(a string) i18n.Msg {
	if historyActions[a] {
		return i18n.M("month.history.action." + a)
	}
	return i18n.Text(a)
}

// importReasonRe reads how the audit log names an import: "import #12 (2025-09.csv)".
var importReasonRe = regexp.MustCompile(`^import #([0-9]+) \((.*)\)$`)

// historyThrough names how a change was made: the month form, an import, or
// the words given with a bulk insert, as they are.
func historyThrough(reason string) i18n.Msg {
	if reason == "month form" {
		return i18n.M("month.history.through.form")
	}
	if m := importReasonRe.FindStringSubmatch(reason); m != nil {
		return i18n.M("month.history.through.import", "id", m[1], "file", m[2])
	}
	return i18n.Text(reason)
}
