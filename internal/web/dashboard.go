package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"hrx/internal/charts"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/progress"
	"hrx/internal/reference"
	"hrx/internal/report"
)

// statusWords are the status names and shapes; status is never told by colour alone.
var statusWords = map[progress.Status][2]string{
	progress.NotStarted: {"Not started", "○"},
	progress.OnTrack:    {"On track", "✓"},
	progress.AtRisk:     {"At risk", "▲"},
	progress.OffTrack:   {"Off track", "✕"},
	progress.Achieved:   {"Achieved", "★"},
}

// dataRow is one month of a target's chart data, as the table beside the chart shows it.
type dataRow struct {
	Month       month.Month
	Count       int64
	Cumulative  int64
	Expected    int64
	Unpublished bool // staff view: not public as it stands
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
	Directions []directionRow
	L          i18n.Locale
}

// T translates for the partials that render a target on its own.
func (v targetView) T(key string, args ...any) string { return v.L.T(key, args...) }

// M writes a catalog message in the reader's language.
func (v targetView) M(id string, nameValues ...any) string { return v.L.Tr(i18n.M(id, nameValues...)) }

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

type directionRow struct {
	Name  string
	Total int64
}

// targetView lays out a target; months in unpublished (staff view only) are
// hatched on the charts and labelled in the tables.
func (s *Server) targetView(l i18n.Locale, tp report.TargetProgress, unpublished map[month.Month]bool) targetView {
	r := tp.Result
	v := targetView{TargetProgress: tp, Name: tp.Target.Name(l.Lang), L: l}
	w := statusWords[r.Status]
	v.StatusText, v.StatusIcon = l.T(w[0]), w[1]
	v.Sentence = s.sentence(l, v.Name, r)

	start, end := tp.Target.Start(), tp.Target.End()
	labels := make([]string, 0, end.Sub(start)+1)
	var marked []bool
	for _, m := range month.Range(start, end) {
		labels = append(labels, l.MonthShort(m))
		marked = append(marked, unpublished[m])
	}
	cum := charts.Cumulative{
		ID: "cum-" + tp.Target.Slug, Title: l.T("%s: people counted so far against the target", v.Name), Desc: v.Sentence,
		Labels: labels, Target: float64(tp.Target.Value), TargetLabel: l.T("Target %s", l.N(tp.Target.Value)),
		ActualLabel: l.T("Achieved"), ExpectedLabel: l.T("Expected path"), ProjectionLabel: l.T("Projection at the current rate"),
		Format: l.N, Marked: marked, MarkedLabel: l.T("Not published yet"),
	}
	for _, p := range r.Actual {
		cum.Actual = append(cum.Actual, p.Value)
	}
	for _, p := range r.ExpectedPath {
		cum.Expected = append(cum.Expected, p.Value)
	}
	for _, p := range r.Projection {
		cum.Projection = append(cum.Projection, p.Value)
	}
	if len(cum.Actual) > 0 {
		cum.ProjectionStart = len(cum.Actual) - 1
	}
	v.Cumulative = cum.SVG()

	var running int64
	for i, m := range tp.Months {
		running += tp.Monthly[i]
		v.Rows = append(v.Rows, dataRow{Month: m, Count: tp.Monthly[i], Cumulative: running, Expected: int64(progress.ExpectedAt(tp.Target.Plan(), m) + 0.5), Unpublished: unpublished[m]})
	}

	short := make([]string, len(tp.Months))
	shortMarked := make([]bool, len(tp.Months))
	for i, m := range tp.Months {
		short[i], shortMarked[i] = l.MonthShort(m), unpublished[m]
	}
	bars := charts.StackedBars{ID: "bars-" + tp.Target.Slug, Title: l.T("%s: people each month by category", v.Name), Labels: short, Format: l.N,
		Marked: shortMarked, MarkedLabel: l.T("Not published yet")}
	var best categoryRow
	for _, sr := range tp.ByCategory {
		name := sr.Category.Name(l.Lang)
		bars.Series = append(bars.Series, charts.Series{Name: name, Values: sr.Values})
		var t int64
		for _, x := range sr.Values {
			t += x
		}
		row := categoryRow{Name: name, Code: sr.Category.Code, Total: t}
		v.Categories = append(v.Categories, row)
		if t > best.Total {
			best = row
		}
	}
	if best.Total > 0 {
		bars.Desc = l.T("%s is the largest category, with %s people in the window so far.", best.Name, l.N(best.Total))
	} else {
		bars.Desc = l.T("No people have been counted in the window yet.")
	}
	v.Bars = bars.SVG()

	split := charts.Split{ID: "split-" + tp.Target.Slug, Title: l.T("%s: people by direction", v.Name), Format: l.N}
	for _, p := range tp.ByDir {
		name := l.T(reference.DirectionName(p.Direction))
		split.Parts = append(split.Parts, charts.Part{Name: name, Value: p.Total})
		v.Directions = append(v.Directions, directionRow{Name: name, Total: p.Total})
	}
	if len(split.Parts) > 0 && r.Achieved > 0 {
		split.Desc = l.T("%s of the %s people counted moved %s.", percentOf(l, split.Parts[0].Value, r.Achieved), l.N(r.Achieved), split.Parts[0].Name)
	} else {
		split.Desc = l.T("No people have been counted in the window yet.")
	}
	v.Split = split.SVG()
	return v
}

func percentOf(l i18n.Locale, part, whole int64) string {
	if whole == 0 {
		return "0%"
	}
	return l.Percent(float64(part) * 100 / float64(whole))
}

// sentence is the one thing a reader should take away about a target.
func (s *Server) sentence(l i18n.Locale, name string, r progress.Result) string {
	if r.Status == progress.NotStarted {
		return l.T("%s: no figures have been recorded in the target window yet.", name)
	}
	ahead := l.T("%s ahead of the expected %s", l.N(r.AheadBy), l.N(r.Expected))
	if r.AheadBy < 0 {
		ahead = l.T("%s behind the expected %s", l.N(-r.AheadBy), l.N(r.Expected))
	}
	return l.T("By the end of %s, %s people had moved: %s of the target, %s.", l.Month(r.AsOf), l.N(r.Achieved), l.Percent(r.Percent), ahead)
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
}

func (s *Server) dashboard(c echo.Context) error {
	view := s.viewOf(c)
	rep, err := s.report.Current(c.Request().Context(), view)
	if err != nil {
		return err
	}
	p := dashboardPage{Page: s.page(c, "Progress of the India–Japan human resource exchange"), Switch: viewSwitchOf(c, view),
		Latest: rep.Latest, HasData: rep.Latest != month.Zero, Public: view == figures.Public}
	build := func() (cached, error) {
		for _, tp := range rep.Published() {
			p.Targets = append(p.Targets, s.targetView(p.L, tp, rep.Unpublished))
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
}

func (s *Server) targetPage(c echo.Context) error {
	view := s.viewOf(c)
	rep, err := s.report.Current(c.Request().Context(), view)
	if err != nil {
		return err
	}
	tp, ok := rep.Find(c.Param("slug"))
	if !ok || !tp.Target.Published {
		return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("There is no target called %q. The dashboard lists every target.", c.Param("slug")))
	}
	p := targetPage{Page: s.page(c, ""), Switch: viewSwitchOf(c, view)}
	p.Title = tp.Target.Name(p.L.Lang)
	p.OEmbedURL = s.baseURL() + "/oembed?format=json&url=" + url.QueryEscape(s.baseURL()+"/targets/"+tp.Target.Slug)
	body, err := s.cache.get(rep.Version, "page|target|"+tp.Target.Slug+"|"+view.String()+"|"+p.L.Code(), func() (cached, error) {
		p.V = s.targetView(p.L, tp, rep.Unpublished)
		html, err := s.render.RenderBlock("target", "target-body", p)
		return cached{Body: []byte(html)}, err
	})
	if err != nil {
		return err
	}
	p.Body = template.HTML(body.Body)
	return c.Render(http.StatusOK, "target", p)
}
