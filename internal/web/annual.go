package web

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/annual"
	"hrx/internal/apperr"
	"hrx/internal/breakdown"
	"hrx/internal/completeness"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/report"
)

// The annual review report (/reports/{year}, the programme year ending in
// that year) and the list of years (/reports): published figures only,
// laid out for the screen and for A4 paper (annual.css), cached per data
// version and language. hrx report prints the same page to PDF.

// annualYear is one year in the list of reports.
type annualYear struct {
	N     int
	Label string
}

type annualListPage struct {
	Page
	Years []annualYear
}

// annualTarget is one target's year on the report.
type annualTarget struct {
	annual.TargetYear
	Name, Share, Change string
	CumChart, BarsChart template.HTML
}

// annualFlag, annualRevision and annualLate are rows of the notes' tables.
type annualFlag struct {
	Month          month.Month
	Figure, Reason string
	Value          int64
}

type annualRevision struct {
	Month                 month.Month
	Reopened, Republished string
	Reason                string
}

type annualLate struct {
	Month        month.Month
	Cells, Names string
}

// annualCategory is a row of the categories' table.
type annualCategory struct {
	Name         string
	People, Prev int64
	Change       string
}

// annualMonth is a row of the months' table.
type annualMonth struct {
	annual.MonthRow
	Change string
}

type annualPage struct {
	Page
	Year       annual.Year
	Subtitle   string
	Summary    []string
	Notes      []string
	Targets    []annualTarget
	Months     []annualMonth
	Total      annualMonth
	Categories []annualCategory
	Sections   []breakdownSection
	Flags      []annualFlag
	Revisions  []annualRevision
	Late       []annualLate
	Source     string
	Body       template.HTML
}

// annualYears are the programme years with published figures, newest
// first, with the month the years start in.
func (s *Server) annualYears(c echo.Context) (*report.Report, *breakdown.Data, []annual.Year, error) {
	rep, err := s.currentReport(c)
	if err != nil {
		return nil, nil, nil, err
	}
	data, err := s.bkdown.Current(c.Request().Context())
	if err != nil {
		return nil, nil, nil, err
	}
	var starts []month.Month
	for _, t := range rep.Published() {
		starts = append(starts, t.Target.Start)
	}
	return rep, data, annual.Years(data.First, data.Last, annual.StartMonth(starts)), nil
}

// annualList is /reports: a link to each year's report.
func (s *Server) annualList(c echo.Context) error {
	_, data, years, err := s.annualYears(c)
	if err != nil {
		return err
	}
	p := annualListPage{Page: s.page(c, "")}
	p.Title = p.M("annual.list.title")
	for _, y := range years {
		label := p.Tr(i18n.M("annual.list.item", "year", y.Name(), "span", y.Span()))
		if data.Last < y.To {
			label = p.Tr(i18n.M("annual.list.sofar", "year", y.Name(), "span", y.Span(), "asof", data.Last))
		}
		p.Years = append(p.Years, annualYear{N: y.N, Label: label})
	}
	return c.Render(http.StatusOK, "annual-list", p)
}

// annualPage is /reports/{year}.
func (s *Server) annualPage(c echo.Context) error {
	rep, data, years, err := s.annualYears(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Param("year"))
	var y annual.Year
	for _, x := range years {
		if err == nil && x.N == n {
			y = x
		}
	}
	if y.N == 0 {
		return apperr.New(apperr.NotFound, "annual.error.year", "year", c.Param("year"))
	}
	p := annualPage{Page: s.page(c, ""), Year: y}
	p.Title = p.Tr(i18n.M("annual.title", "year", y.Name()))
	key := "page|annual|" + strconv.Itoa(y.N) + "|" + p.L.Code()
	body, err := s.cache.get(data.Version, key, func() (cached, error) {
		if err := s.annualBody(c, &p, rep, data); err != nil {
			return cached{}, err
		}
		html, err := s.render.RenderBlock("annual", "annual-body", p)
		return cached{Body: []byte(html)}, err
	})
	if err != nil {
		return err
	}
	p.Body = template.HTML(body.Body)
	return c.Render(http.StatusOK, "annual", p)
}

// annualBody works out the report and fills the page.
func (s *Server) annualBody(c echo.Context, p *annualPage, rep *report.Report, data *breakdown.Data) error {
	ctx := c.Request().Context()
	l, y := p.L, p.Year
	sum := annual.Summarize(data.Sector, y, data.Last)
	p.Subtitle = l.Tr(i18n.M("annual.subtitle", "span", y.Span(), "asof", sum.AsOf))
	if sum.SoFar() {
		p.Subtitle = l.Tr(i18n.M("annual.subtitle_sofar", "span", y.Span(), "asof", sum.AsOf))
	}
	p.Source = l.Tr(i18n.M("annual.source", "asof", sum.AsOf, "version", strconv.FormatInt(data.Version, 10)))

	// Targets: the year against the expected path, with its charts.
	var tys []annual.TargetYear
	for i, tp := range rep.Published() {
		ty, ok := annual.ForTarget(tp, y)
		if !ok {
			continue
		}
		tys = append(tys, ty)
		at := annualTarget{TargetYear: ty, Name: ty.Progress.Target.Name(l.Lang), Share: "–", Change: "–"}
		if pc, ok := ty.Percent(); ok {
			at.Share = l.Percent(pc)
		}
		if ch, ok := annual.Change(ty.Achieved, ty.Prev); ok {
			at.Change = signedPercent(l, ch)
		}
		id := "annual-" + strconv.Itoa(i)
		at.CumChart = ty.Progress.CumulativeChart(l, id+"-cum", nil).SVG()
		at.BarsChart = ty.Progress.BarsChart(l, id+"-bars", nil).SVG()
		p.Targets = append(p.Targets, at)
	}

	// The months and the categories against the year before.
	for _, m := range sum.Months {
		am := annualMonth{MonthRow: m, Change: "–"}
		if ch, ok := annual.Change(m.Total, m.PrevTotal); ok {
			am.Change = signedPercent(l, ch)
		}
		p.Months = append(p.Months, am)
		p.Total.ToJapan += m.ToJapan
		p.Total.ToIndia += m.ToIndia
		p.Total.Total += m.Total
		p.Total.PrevTotal += m.PrevTotal
	}
	p.Total.Change = "–"
	if ch, ok := sum.Change(); ok {
		p.Total.Change = signedPercent(l, ch)
	}
	catName := map[string]reference.Category{}
	for _, ct := range rep.Categories {
		catName[ct.Code] = ct
	}
	for _, r := range sum.Categories {
		ac := annualCategory{Name: r.Code, People: r.People, Prev: r.Prev, Change: "–"}
		if ct, ok := catName[r.Code]; ok {
			ac.Name = ct.Name(l.Lang)
		}
		if ch, ok := annual.Change(r.People, r.Prev); ok {
			ac.Change = signedPercent(l, ch)
		}
		p.Categories = append(p.Categories, ac)
	}

	// Where people came from and went to: the breakdown page's sections.
	if sum.AsOf != month.Zero {
		bp := breakdownPage{Page: p.Page}
		q := breakdown.Query{From: y.From, To: sum.AsOf, Skilled: map[string]bool{}}
		if err := s.breakdownSections(c, &bp, data, q); err != nil {
			return err
		}
		p.Sections = bp.Sections
	}

	// The notes: flags confirmed, months revised, months reported late.
	states, err := s.approval.States(ctx)
	if err != nil {
		return err
	}
	public := func(m month.Month) bool { st, ok := states[m]; return ok && st.Public() && m <= sum.AsOf }
	st := annual.NewStore(s.db)
	confs, err := st.Confirmations(ctx, y)
	if err != nil {
		return err
	}
	flags := annual.Flags(confs, states, y)
	for _, f := range flags {
		af := annualFlag{Month: f.Month, Value: f.Value, Reason: f.Reason, Figure: l.Tr(i18n.M("annual.flags.total"))}
		if !f.Total() {
			cat := f.Category
			if ct, ok := catName[f.Category]; ok {
				cat = ct.Name(l.Lang)
			}
			af.Figure = l.Tr(i18n.M("annual.flags.cell", "direction", report.DirectionName(l, f.Direction), "category", cat))
		}
		p.Flags = append(p.Flags, af)
	}
	moves, err := st.Moves(ctx, y)
	if err != nil {
		return err
	}
	revs := annual.Revisions(moves, y)
	for _, r := range revs {
		if !public(r.Month) {
			continue
		}
		p.Revisions = append(p.Revisions, annualRevision{Month: r.Month, Reopened: l.Time(r.Reopened),
			Republished: l.Time(r.Republished), Reason: r.Reason})
	}
	var late []annual.LateMonth
	if sum.AsOf != month.Zero {
		res, err := completeness.NewStore(s.db).Load(ctx, y.From, sum.AsOf, time.Now())
		if err != nil {
			return err
		}
		late = annual.Late(res, public)
	}
	for _, lm := range late {
		var names []string
		for _, b := range lm.Bodies {
			names = append(names, l.Tr(b.NameMsg(l.Lang)))
		}
		p.Late = append(p.Late, annualLate{Month: lm.Month, Cells: l.Tr(i18n.M("annual.late.cells", "late", lm.Late, "due", lm.Due)), Names: l.List(names)})
	}

	for _, m := range annual.Sentences(sum, tys, l.Lang) {
		p.Summary = append(p.Summary, l.Tr(m))
	}
	for _, m := range annual.NoteSentences(len(p.Flags), len(p.Revisions), len(p.Late)) {
		p.Notes = append(p.Notes, l.Tr(m))
	}
	return nil
}
