package web

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/bodies"
	"hrx/internal/charts"
	"hrx/internal/completeness"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/upload"
)

// completenessPage is /completeness: months × reporting bodies, whether each
// body's cells came on time, late or not at all, the reporting rate per
// month and per body, and, for one body (?body=), its cells month by month.
type completenessPage struct {
	Page
	R          completeness.Result
	From, To   string // the months asked for, as typed
	Body       int    // the index in R.Owners of the body drilled into; -1 for none
	Chart      template.HTML
	Categories []reference.Category
	Query      string // the months asked for, for links: "from=2025-09&to=2026-08"
}

// CellName is a cell in the reader's words.
func (p completenessPage) CellName(c bodies.Cell) string { return cellName(p.L, p.Categories, c) }

// OwnerName is a body's name (or the administrators') in the reader's language.
func (p completenessPage) OwnerName(b bodies.Body) string { return p.L.Tr(b.NameMsg(p.L.Lang)) }

// OwnerKey is how ?body= names a body: its id, 0 for the administrators' share.
func (p completenessPage) OwnerKey(b bodies.Body) string { return strconv.FormatInt(b.ID, 10) }

// Rate is a tally's reporting rate as people read it: "75.0%", or "—" with nothing due.
func (p completenessPage) Rate(t completeness.Tally) string { return rateText(p.L, t) }

// StatusWord is a status in the reader's words.
func (p completenessPage) StatusWord(s completeness.Status) string {
	return p.L.Tr(i18n.M("completeness.status." + s.Code()))
}

// StatusIcon is the shape that goes with a status's word (never colour alone).
func (completenessPage) StatusIcon(s completeness.Status) string { return statusIcons[s] }

// Statuses lists the statuses in table order.
func (completenessPage) Statuses() []completeness.Status { return completeness.Statuses }

// Drilled is the body drilled into.
func (p completenessPage) Drilled() bodies.Body { return p.R.Owners[p.Body] }

// Summary is a month × body tally in words: "4 of 5 on time, 1 late".
func (p completenessPage) Summary(t completeness.Tally) string {
	if t.Due() == 0 {
		return p.L.Tr(i18n.M("completeness.summary.not_due", "count", t.Of(completeness.Pending)))
	}
	parts := []string{p.L.Tr(i18n.M("completeness.summary.reported", "reported", t.Reported(), "due", t.Due()))}
	if n := t.Of(completeness.Late); n > 0 {
		parts = append(parts, p.L.Tr(i18n.M("completeness.summary.late", "count", n)))
	}
	if n := t.Of(completeness.Missing); n > 0 {
		parts = append(parts, p.L.Tr(i18n.M("completeness.summary.missing", "count", n)))
	}
	return p.L.List(parts)
}

// DeadlineDay is the due day of a body's month as people read it.
func (p completenessPage) DeadlineDay(b bodies.Body, m month.Month) string {
	return p.L.Tr(bodies.DueDay(b.DueDay, m))
}

var statusIcons = map[completeness.Status]string{
	completeness.OnTime: "✓", completeness.Zero: "0", completeness.Nothing: "∅",
	completeness.Late: "!", completeness.Missing: "✗", completeness.Pending: "…",
}

func rateText(l i18n.Locale, t completeness.Tally) string {
	if t.Due() == 0 {
		return "—"
	}
	return l.Percent(t.Percent())
}

// completenessRange reads ?from= and ?to= (YYYY-MM): by default the twelve
// months up to the last one due, the month before now's in India time.
func completenessRange(c echo.Context, now time.Time) (from, to month.Month, err error) {
	to = month.Of(now.In(bodies.Zone)).Add(-1)
	from = to.Add(-11)
	v := &apperr.ValidationError{}
	if s := c.QueryParam("to"); s != "" {
		if to, err = month.Parse(s); err != nil {
			v.AddMsg("to", i18n.M("completeness.field.to"), i18n.M("completeness.error.month"))
		}
		if c.QueryParam("from") == "" {
			from = to.Add(-11)
		}
	}
	if s := c.QueryParam("from"); s != "" {
		if from, err = month.Parse(s); err != nil {
			v.AddMsg("from", i18n.M("completeness.field.from"), i18n.M("completeness.error.month"))
		}
	}
	if v.Empty() && from > to {
		v.AddMsg("from", i18n.M("completeness.field.from"), i18n.M("completeness.error.order"))
	}
	if v.Empty() && to.Sub(from) >= completeness.MaxMonths {
		v.AddMsg("from", i18n.M("completeness.field.from"), i18n.M("completeness.error.too_many", "max", completeness.MaxMonths))
	}
	return from, to, v.Err()
}

// loadCompleteness reads the months asked for; a bad range is a validation error.
func (s *Server) loadCompleteness(c echo.Context) (completeness.Result, error) {
	now := time.Now()
	from, to, err := completenessRange(c, now)
	if err != nil {
		return completeness.Result{}, err
	}
	return completeness.NewStore(s.db).Load(c.Request().Context(), from, to, now)
}

func (s *Server) completenessPage(c echo.Context) error {
	p := completenessPage{Page: s.page(c, ""), From: c.QueryParam("from"), To: c.QueryParam("to"), Body: -1}
	p.Title = p.M("completeness.title")
	ctx := c.Request().Context()
	var err error
	if p.Categories, err = s.ref.Categories(ctx); err != nil {
		return err
	}
	r, err := s.loadCompleteness(c)
	var v *apperr.ValidationError
	if errors.As(err, &v) {
		p.Errors = v
		return c.Render(http.StatusUnprocessableEntity, "completeness", p)
	}
	if err != nil {
		return err
	}
	p.R = r
	if len(r.Months) > 0 {
		p.From, p.To = r.Months[0].String(), r.Months[len(r.Months)-1].String()
		p.Query = "from=" + p.From + "&to=" + p.To
	}
	if b := c.QueryParam("body"); b != "" {
		for i, o := range r.Owners {
			if p.OwnerKey(o) == b {
				p.Body = i
			}
		}
		if p.Body < 0 {
			return apperr.New(apperr.NotFound, "bodies.not_found")
		}
	}
	p.Chart = completenessChart(p.L, r)
	return c.Render(http.StatusOK, "completeness", p)
}

// completenessChart draws, month by month, how many cells came on time,
// late, or not at all.
func completenessChart(l i18n.Locale, r completeness.Result) template.HTML {
	if len(r.Months) == 0 || len(r.Owners) == 0 {
		return ""
	}
	ch := charts.StackedBars{ID: "completeness-chart", Title: l.Tr(i18n.M("completeness.chart.title")), Format: l.N,
		TotalLabel: l.Tr(i18n.M("completeness.chart.total"))}
	onTime := charts.Series{Name: l.Tr(i18n.M("completeness.chart.on_time"))}
	late := charts.Series{Name: l.Tr(i18n.M("completeness.chart.late"))}
	missing := charts.Series{Name: l.Tr(i18n.M("completeness.chart.missing"))}
	for i, m := range r.Months {
		t := r.ByMonth[i]
		ch.Labels = append(ch.Labels, l.MonthShort(m))
		onTime.Values = append(onTime.Values, int64(t.Reported()))
		late.Values = append(late.Values, int64(t.Of(completeness.Late)))
		missing.Values = append(missing.Values, int64(t.Of(completeness.Missing)))
	}
	ch.Series = []charts.Series{onTime, late, missing}
	ch.Desc = l.Tr(i18n.M("completeness.chart.desc", "rate", rateText(l, r.Total), "first", r.Months[0], "last", r.Months[len(r.Months)-1]))
	return ch.SVG()
}

// completenessCSV is every cell of every body and month asked for, one a
// line, with its status and times in UTC; text cells are guarded against
// formula injection.
func (s *Server) completenessCSV(c echo.Context) error {
	r, err := s.loadCompleteness(c)
	if err != nil {
		return err
	}
	l := s.localeOf(c)
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="completeness.csv"`)
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	cw.Write([]string{"month", "body_id", "body", "direction", "category", "status", "rows", "total", "first_recorded_utc", "due_by_utc"})
	for i, m := range r.Months {
		for j, o := range r.Owners {
			name := l.Tr(o.NameMsg(i18n.EN))
			for _, cell := range r.Cells[i][j] {
				first := ""
				if cell.Fill.Rows > 0 {
					first = cell.Fill.First.UTC().Format(time.RFC3339)
				}
				if err := cw.Write([]string{m.String(), strconv.FormatInt(o.ID, 10), upload.SafeCell(name), cell.Cell.Direction, upload.SafeCell(cell.Cell.Category),
					cell.Status.Code(), strconv.Itoa(cell.Fill.Rows), strconv.FormatInt(cell.Fill.Total, 10), first, cell.Deadline.UTC().Format(time.RFC3339)}); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// The JSON answer of /completeness.json.
type (
	completenessJSON struct {
		From   month.Month `json:"from"`
		To     month.Month `json:"to"`
		Rate   *float64    `json:"rate"` // null when nothing was due
		Bodies []bodyJSON  `json:"bodies"`
		Months []monthJSON `json:"months"`
	}
	bodyJSON struct {
		ID     int64      `json:"id"` // 0: the cells no body reports, which fall to the administrators
		Name   string     `json:"name"`
		DueDay int        `json:"due_day"`
		Cells  []string   `json:"cells"`
		Rate   *float64   `json:"rate"`
		Counts countsJSON `json:"counts"`
	}
	monthJSON struct {
		Month  month.Month     `json:"month"`
		Rate   *float64        `json:"rate"`
		Counts countsJSON      `json:"counts"`
		Bodies []monthBodyJSON `json:"bodies"`
	}
	monthBodyJSON struct {
		ID     int64             `json:"id"`
		DueBy  time.Time         `json:"due_by"`
		Rate   *float64          `json:"rate"`
		Counts countsJSON        `json:"counts"`
		Cells  map[string]string `json:"cells"` // "IN-JP/student": "on_time"
	}
	countsJSON map[string]int
)

func rateJSON(t completeness.Tally) *float64 {
	r, ok := t.Rate()
	if !ok {
		return nil
	}
	r = float64(int64(r*10000+0.5)) / 10000
	return &r
}

func countsOf(t completeness.Tally) countsJSON {
	out := countsJSON{}
	for _, st := range completeness.Statuses {
		out[st.Code()] = t.Of(st)
	}
	return out
}

// completenessJSON is the same figures for staff's own tools, in a
// signed-in session only.
func (s *Server) completenessJSON(c echo.Context) error {
	r, err := s.loadCompleteness(c)
	if err != nil {
		return err
	}
	out := completenessJSON{Rate: rateJSON(r.Total), Bodies: []bodyJSON{}, Months: []monthJSON{}}
	if len(r.Months) > 0 {
		out.From, out.To = r.Months[0], r.Months[len(r.Months)-1]
	}
	for j, o := range r.Owners {
		b := bodyJSON{ID: o.ID, Name: o.NameEN, DueDay: o.DueDay, Rate: rateJSON(r.ByOwner[j]), Counts: countsOf(r.ByOwner[j])}
		if o.Admins() {
			b.Name = i18n.New(i18n.EN, "").Tr(o.NameMsg(i18n.EN))
		}
		for _, cell := range o.Cells {
			b.Cells = append(b.Cells, cell.Key())
		}
		out.Bodies = append(out.Bodies, b)
	}
	for i, m := range r.Months {
		mj := monthJSON{Month: m, Rate: rateJSON(r.ByMonth[i]), Counts: countsOf(r.ByMonth[i])}
		for j, o := range r.Owners {
			mb := monthBodyJSON{ID: o.ID, DueBy: bodies.Deadline(o.DueDay, m).UTC(), Rate: rateJSON(r.Grid[i][j]), Counts: countsOf(r.Grid[i][j]), Cells: map[string]string{}}
			for _, cell := range r.Cells[i][j] {
				mb.Cells[cell.Cell.Key()] = cell.Status.Code()
			}
			mj.Bodies = append(mj.Bodies, mb)
		}
		out.Months = append(out.Months, mj)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	c.Response().WriteHeader(http.StatusOK)
	return json.NewEncoder(c.Response()).Encode(out)
}
