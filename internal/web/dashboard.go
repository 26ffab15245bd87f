package web

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/progress"
	"hrx/internal/report"
)

// dataRow is one month of a target's chart data, as the table beside the chart shows it.
type dataRow struct {
	Month       month.Month
	Count       int64
	Cumulative  int64
	Expected    int64
	Unpublished bool // staff view: not public as it stands
	// NothingReported: the month was published as "nothing to report"; the
	// table says so instead of showing its count, which is not a zero.
	NothingReported bool
}

// targetView is a target's progress ready for a page: numbers, words and charts.
type targetView struct {
	report.TargetProgress
	Name       string
	StatusText string
	StatusIcon string
	Sentence   string
	Cumulative template.HTML
	Bars       template.HTML
	Split      template.HTML
	Rows       []dataRow
	Categories []categoryRow
	ByMonth    []monthCategories // the monthly bars' numbers, for their table
	Directions []directionRow
	// Public is the public view; NoFigures is what a target without figures
	// says first (none published, or, in the staff view, none recorded).
	Public    bool
	NoFigures string
	L         i18n.Locale
}

// M writes a catalog message in the reader's language.
func (v targetView) M(id string, nameValues ...any) string { return v.L.Tr(i18n.M(id, nameValues...)) }

// Tr writes a message in the reader's language.
func (v targetView) Tr(m i18n.Msg) string { return v.L.Tr(m) }

// N formats a number for the partials.
func (v targetView) N(n int64) string { return v.L.N(n) }

// Month writes a month for the partials.
func (v targetView) Month(m month.Month) string { return v.L.Month(m) }

// Abs is the size of a difference, for "behind by".
func (v targetView) Abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

type categoryRow struct {
	Name  string
	Code  string
	Total int64
}

// monthCategories is one month of the monthly bars: its people by category,
// in the order of Categories.
type monthCategories struct {
	Month           month.Month
	Counts          []int64
	Total           int64
	Unpublished     bool
	NothingReported bool
}

type directionRow struct {
	Name  string
	Total int64
}

// targetView lays out a target; months in unpublished (staff view only) are
// hatched on the charts and labelled in the tables. A target without figures
// gets no charts or tables: nothing computed from figures is shown for it.
func (s *Server) targetView(l i18n.Locale, tp report.TargetProgress, view figures.View, unpublished map[month.Month]bool) targetView {
	r := tp.Result
	v := targetView{TargetProgress: tp, Name: tp.Target.Name(l.Lang), L: l, Public: view == figures.Public}
	if tp.Empty() {
		v.NoFigures = l.Tr(report.NoFiguresYet())
		if !v.Public {
			v.NoFigures = l.Tr(report.NoFiguresRecorded())
		}
		return v
	}
	v.StatusText, v.StatusIcon = l.Tr(report.StatusWord(r.Status)), report.StatusShape(r.Status)
	v.Sentence = l.Tr(tp.Sentence(v.Name))
	v.Cumulative = tp.CumulativeChart(l, "cum-"+tp.Target.Slug, unpublished).SVG()

	var running int64
	for i, m := range tp.Months {
		running += tp.Monthly[i]
		v.Rows = append(v.Rows, dataRow{Month: m, Count: tp.Monthly[i], Cumulative: running, Expected: int64(progress.ExpectedAt(tp.Target.Plan(), m) + 0.5),
			Unpublished: unpublished[m], NothingReported: i < len(tp.NothingReported) && tp.NothingReported[i]})
	}

	v.Bars = tp.BarsChart(l, "bars-"+tp.Target.Slug, unpublished).SVG()
	for _, sr := range tp.ByCategory {
		v.Categories = append(v.Categories, categoryRow{Name: sr.Category.Name(l.Lang), Code: sr.Category.Code, Total: sr.Total()})
	}
	for i, r := range v.Rows {
		mc := monthCategories{Month: r.Month, Total: r.Count, Unpublished: r.Unpublished, NothingReported: r.NothingReported}
		for _, sr := range tp.ByCategory {
			var n int64
			if i < len(sr.Values) {
				n = sr.Values[i]
			}
			mc.Counts = append(mc.Counts, n)
		}
		v.ByMonth = append(v.ByMonth, mc)
	}

	v.Split = tp.SplitChart(l, "split-"+tp.Target.Slug).SVG()
	for _, p := range tp.ByDir {
		v.Directions = append(v.Directions, directionRow{Name: report.DirectionName(l, p.Direction), Total: p.Total})
	}
	return v
}

// viewSwitch is what the dashboard and target pages tell signed-in staff
// about the figures they show, and the switch between the two views.
type viewSwitch struct {
	Staff       bool // the person is signed in, so the switch is offered
	Unpublished bool // unpublished figures are included
	Action      string
}

// viewOf is the view a request asks for: every figure, published or not, for
// signed-in staff who ask with ?unpublished=1; else what the public sees.
func (s *Server) viewOf(c echo.Context) figures.View {
	if u := currentUser(c); u != nil && !u.Disabled && c.QueryParam("unpublished") == "1" {
		return figures.Staff
	}
	return figures.Public
}

func viewSwitchOf(c echo.Context, view figures.View) viewSwitch {
	return viewSwitch{Staff: currentUser(c) != nil, Unpublished: view == figures.Staff, Action: c.Request().URL.Path}
}

type dashboardPage struct {
	Page
	Switch  viewSwitch
	Targets []targetView
	Latest  month.Month
	HasData bool
	Public  bool
	Body    template.HTML // the cached body, when there is one
	// SetupPending: no account exists yet (a fresh install): the page says
	// an administrator still has to finish the setup.
	SetupPending bool
	Share        *shareMeta // the public view's preview tags
	FeedURL      string
}

func (s *Server) dashboard(c echo.Context) error {
	view := s.viewOf(c)
	rep, err := s.report.Current(c.Request().Context(), view)
	if err != nil {
		return err
	}
	p := dashboardPage{Page: s.page(c, ""), Switch: viewSwitchOf(c, view),
		Latest: rep.Latest, HasData: rep.Latest != month.Zero, Public: view == figures.Public}
	p.Title = p.M("dashboard.title")
	if p.SetupPending, err = s.setupPending(c); err != nil {
		return err
	}
	if p.Public {
		p.Share, p.FeedURL = s.dashboardShare(p.Page, rep), s.feedURL(p.L)
	}
	build := func() (cached, error) {
		for _, tp := range rep.Published() {
			p.Targets = append(p.Targets, s.targetView(p.L, tp, view, rep.Unpublished))
		}
		body, err := s.render.RenderBlock("dashboard", "dashboard-body", p)
		return cached{Body: []byte(body)}, err
	}
	// With no data the body speaks to the person (where to start), so it is not shared.
	var body cached
	if !p.HasData {
		body, err = build()
	} else {
		body, err = s.cache.get(rep.Version, "page|dashboard|"+view.String()+"|"+p.L.Code(), build)
	}
	if err != nil {
		return err
	}
	p.Body = template.HTML(body.Body)
	return c.Render(http.StatusOK, "dashboard", p)
}

type targetPage struct {
	Page
	Switch    viewSwitch
	V         targetView
	Body      template.HTML
	OEmbedURL string // for oEmbed discovery: CMSes embed a target from its page's address
	Share     *shareMeta
}

func (s *Server) targetPage(c echo.Context) error {
	view := s.viewOf(c)
	rep, err := s.report.Current(c.Request().Context(), view)
	if err != nil {
		return err
	}
	tp, ok := rep.Find(c.Param("slug"))
	if !ok || !tp.Target.Published {
		return apperr.New(apperr.NotFound, "dashboard.target.not_found", "slug", c.Param("slug"))
	}
	p := targetPage{Page: s.page(c, ""), Switch: viewSwitchOf(c, view)}
	p.Title = tp.Target.Name(p.L.Lang)
	p.OEmbedURL = s.baseURL() + "/oembed?format=json&url=" + url.QueryEscape(s.baseURL()+"/targets/"+tp.Target.Slug)
	if view == figures.Public {
		p.Share = s.targetShare(p.Page, tp)
	}
	body, err := s.cache.get(rep.Version, "page|target|"+tp.Target.Slug+"|"+view.String()+"|"+p.L.Code(), func() (cached, error) {
		p.V = s.targetView(p.L, tp, view, rep.Unpublished)
		html, err := s.render.RenderBlock("target", "target-body", p)
		return cached{Body: []byte(html)}, err
	})
	if err != nil {
		return err
	}
	p.Body = template.HTML(body.Body)
	return c.Render(http.StatusOK, "target", p)
}
