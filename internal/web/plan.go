package web

import (
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/plan"
	"hrx/internal/progress"
	"hrx/internal/report"
)

// The scenario planner of a target (/targets/{slug}/plan and its API
// /api/v1/targets/{slug}/plan): from the published figures only, a growth a
// month, a fixed number or a number per category, worked out by
// internal/plan. The page is a GET form, so its address keeps the scenario.

// planRecentMonths is how many of the latest months with figures a
// category's recent number averages, as the run rate does.
const planRecentMonths = 6

// planInput is a scenario as the address gives it, with every field filled:
// what the person wrote, or the recent number where they wrote nothing.
type planInput struct {
	Kind   plan.Kind
	Growth plan.Field
	Fixed  plan.Field
	Cats   []plan.Field
	Recent []int64 // each category's recent monthly number, aligned with Cats
}

// planCatParam is the field and API parameter of a category's number.
func planCatParam(code string) string { return "cat." + code }

// recentByCategory is each category's mean over the latest months with
// figures (up to planRecentMonths), in whole people.
func recentByCategory(tp report.TargetProgress) []int64 {
	var idx []int
	for i := len(tp.Months) - 1; i >= 0 && len(idx) < planRecentMonths; i-- {
		if tp.Monthly[i] != 0 {
			idx = append(idx, i)
		}
	}
	out := make([]int64, len(tp.ByCategory))
	if len(idx) == 0 {
		return out
	}
	for j, sr := range tp.ByCategory {
		var sum int64
		for _, i := range idx {
			if i < len(sr.Values) {
				sum += sr.Values[i]
			}
		}
		out[j] = int64(math.Round(float64(sum) / float64(len(idx))))
	}
	return out
}

// planInputOf reads a scenario from the query: the kind from mode, or, when
// mode is not given, from the parameters there are (a category's number,
// fixed, else growth); empty fields get the recent numbers.
func planInputOf(q url.Values, tp report.TargetProgress, l i18n.Locale) planInput {
	in := planInput{Kind: plan.Kind(q.Get("mode")), Recent: recentByCategory(tp)}
	value := func(name, fallback string) string {
		if _, ok := q[name]; ok {
			return q.Get(name)
		}
		return fallback
	}
	in.Growth = plan.Field{Name: "growth", Label: i18n.M("plan.field.growth"), Value: value("growth", "0")}
	in.Fixed = plan.Field{Name: "fixed", Label: i18n.M("plan.field.fixed"), Value: value("fixed", strconv.FormatInt(tp.Result.RunRatePeople, 10))}
	anyCat := false
	for i, sr := range tp.ByCategory {
		name := planCatParam(sr.Category.Code)
		_, given := q[name]
		anyCat = anyCat || given
		in.Cats = append(in.Cats, plan.Field{Name: name, Label: i18n.Text(sr.Category.Name(l.Lang)), Value: value(name, strconv.FormatInt(in.Recent[i], 10))})
	}
	switch in.Kind {
	case plan.Growth, plan.Fixed, plan.PerCategory:
	default:
		switch {
		case anyCat:
			in.Kind = plan.PerCategory
		case q.Has("fixed"):
			in.Kind = plan.Fixed
		default:
			in.Kind = plan.Growth
		}
	}
	return in
}

func (in planInput) read() (plan.Scenario, *apperr.ValidationError) {
	return plan.Read(in.Kind, in.Growth, in.Fixed, in.Cats, figures.ParseCount)
}

// query is the scenario as the page's address writes it, with only the
// fields of its kind: short to share, and the same for the API.
func (in planInput) query(withMode bool) string {
	q := url.Values{}
	if withMode {
		q.Set("mode", string(in.Kind))
	}
	switch in.Kind {
	case plan.Fixed:
		q.Set("fixed", in.Fixed.Value)
	case plan.PerCategory:
		for _, f := range in.Cats {
			q.Set(f.Name, f.Value)
		}
	default:
		q.Set("growth", in.Growth.Value)
	}
	return q.Encode()
}

// publishedTarget finds a published target in the public report.
func (s *Server) publishedTarget(c echo.Context) (*report.Report, report.TargetProgress, error) {
	rep, err := s.currentReport(c)
	if err != nil {
		return nil, report.TargetProgress{}, err
	}
	tp, ok := rep.Find(c.Param("slug"))
	if !ok || !tp.Target.Published {
		return nil, report.TargetProgress{}, apperr.New(apperr.NotFound, "dashboard.target.not_found", "slug", c.Param("slug"))
	}
	return rep, tp, nil
}

// planCategory is one category's field on the page.
type planCategory struct {
	plan.Field
	Name   string
	Recent int64
}

// planRow is one month of the scenario, for the table under the chart.
type planRow struct {
	Month                        month.Month
	People, Cumulative, Expected int64
}

type planPage struct {
	Page
	Slug, Name string
	End        month.Month
	Mode       string
	Growth     string
	Fixed      string
	Cats       []planCategory
	Lede       i18n.Msg
	Recent     int64 // the run rate in whole people
	Over       bool  // no month of the window is left after the figures
	Res        *plan.Result
	Value      int64
	Sentence   string
	Need       string
	Chart      template.HTML
	Rows       []planRow
	APIURL     string
}

func (s *Server) planPage(c echo.Context) error {
	_, tp, err := s.publishedTarget(c)
	if err != nil {
		return err
	}
	p := planPage{Page: s.page(c, ""), Slug: tp.Target.Slug, End: tp.Target.End, Value: tp.Target.Value, Recent: tp.Result.RunRatePeople}
	p.Name = tp.Target.Name(p.L.Lang)
	p.Title = p.M("plan.title", "name", p.Name)
	r := tp.Result
	st := plan.StartOf(tp.Target.Plan(), r)
	p.Over = st.Months() == 0
	if r.HasData() {
		p.Lede = i18n.M("plan.lede", "month", r.AsOf, "people", r.Achieved, "rate", r.RunRatePeople, "end", tp.Target.End)
	} else {
		p.Lede = i18n.M("plan.lede_none", "end", tp.Target.End)
	}
	in := planInputOf(c.QueryParams(), tp, p.L)
	p.Mode, p.Growth, p.Fixed = string(in.Kind), in.Growth.Value, in.Fixed.Value
	for i, f := range in.Cats {
		p.Cats = append(p.Cats, planCategory{Field: f, Name: p.L.Tr(f.Label), Recent: in.Recent[i]})
	}
	sc, verr := in.read()
	if verr != nil {
		p.Errors = verr
		return c.Render(http.StatusUnprocessableEntity, "plan", p)
	}
	res := plan.Compute(st, sc)
	p.Res = &res
	p.Sentence = p.L.Tr(planSentence(tp, res))
	p.Need = p.L.Tr(planNeed(p.L, res.Need))
	p.APIURL = "/api/v1/targets/" + tp.Target.Slug + "/plan?" + in.query(false)
	p.Chart = planChart(p.L, tp, res, p.Sentence).SVG()
	for i, pt := range res.Path {
		if i == 0 {
			continue
		}
		p.Rows = append(p.Rows, planRow{Month: pt.Month, People: int64(math.Round(pt.Value - res.Path[i-1].Value)),
			Cumulative: int64(math.Round(pt.Value)), Expected: int64(math.Round(progress.ExpectedAt(tp.Target.Plan(), pt.Month)))})
	}
	return c.Render(http.StatusOK, "plan", p)
}

// planSentence says where a scenario leads.
func planSentence(tp report.TargetProgress, res plan.Result) i18n.Msg {
	switch {
	case res.Already:
		return i18n.M("plan.result.already", "month", res.Reached)
	case res.Reached != month.Zero:
		return i18n.M("plan.result.reached", "month", res.Reached)
	}
	return i18n.M("plan.result.short", "people", res.Shortfall, "month", tp.Target.End)
}

// planNeed is the growth needed, or why there is none.
func planNeed(l i18n.Locale, n plan.Need) i18n.Msg {
	switch n.Status {
	case plan.NeedFound:
		return i18n.M("plan.need.found", "growth", growthText(l, n.Growth))
	case plan.NeedTooHigh:
		return i18n.M("plan.need.too-high", "max", int64(plan.MaxGrowth))
	}
	return i18n.M("plan.need." + string(n.Status))
}

// growthText writes a growth (a fraction) as a signed per cent with two decimals.
func growthText(l i18n.Locale, g float64) string {
	pct := math.Round(g*10000) / 100
	sign := ""
	if pct > 0 {
		sign = "+"
	}
	if pct == 0 {
		pct = 0 // no "-0"
	}
	return sign + l.F(pct, 2) + "%"
}

// planChart is the target's cumulative chart with the scenario as its projected line.
func planChart(l i18n.Locale, tp report.TargetProgress, res plan.Result, desc string) interface{ SVG() template.HTML } {
	ch := tp.CumulativeChart(l, "plan-"+tp.Target.Slug, nil)
	ch.Title = l.Tr(i18n.M("plan.chart.title", "name", tp.Target.Name(l.Lang)))
	ch.Desc = desc
	ch.ProjectionLabel = l.Tr(i18n.M("plan.chart.scenario"))
	path := res.Path
	ch.ProjectionStart = len(ch.Actual) - 1
	if len(ch.Actual) == 0 {
		// No figures: the path starts the month before the window.
		path, ch.ProjectionStart = path[1:], 0
	}
	ch.Projection = ch.Projection[:0]
	for _, pt := range path {
		ch.Projection = append(ch.Projection, pt.Value)
	}
	return ch
}

// apiPlan is a scenario in the public API; field names are a stable interface.
type apiPlan struct {
	Slug     string      `json:"slug"`
	Target   int64       `json:"target"`
	Window   apiWindow   `json:"window"`
	Scenario apiScenario `json:"scenario"`
	// AsOf is the latest published month with figures (null when none);
	// From is the month the path starts, AsOf or the month before the window.
	AsOf        *string        `json:"as_of"`
	From        string         `json:"from"`
	Achieved    int64          `json:"achieved"`
	BaseMonthly float64        `json:"base_monthly"`
	Path        []apiPlanPoint `json:"path"`
	TotalAtEnd  int64          `json:"total_at_end"`
	Reached     *string        `json:"reached"`
	Already     bool           `json:"already_reached"`
	Shortfall   int64          `json:"shortfall"`
	Needed      apiNeed        `json:"needed_growth"`
	URL         string         `json:"url"`
}

type apiScenario struct {
	Kind          string           `json:"kind"`
	GrowthPercent *float64         `json:"growth_percent"`
	Fixed         *int64           `json:"fixed"`
	PerCategory   map[string]int64 `json:"per_category"`
}

type apiPlanPoint struct {
	Month      string  `json:"month"`
	Cumulative float64 `json:"cumulative"`
	Expected   float64 `json:"expected"`
}

type apiNeed struct {
	Status  string   `json:"status"`
	Percent *float64 `json:"percent"`
}

// round1 rounds to one decimal, as the API gives people and per cents.
func round1(v float64) float64 { return math.Round(v*10) / 10 }

func (s *Server) apiPlan(c echo.Context) error {
	rep, tp, err := s.publishedTarget(c)
	if err != nil {
		return err
	}
	params := []string{"lang", "growth", "fixed"}
	for _, sr := range tp.ByCategory {
		params = append(params, planCatParam(sr.Category.Code))
	}
	if err := onlyParams(c, params...); err != nil {
		return err
	}
	l := i18n.New(i18n.EN, "")
	if v := c.QueryParam("lang"); v != "" {
		var ok bool
		if l, ok = i18n.Parse(v); !ok {
			return echo.NewHTTPError(http.StatusBadRequest, i18n.M("widget.api_lang", "value", v))
		}
	}
	// One kind of scenario at a time: the kind is the kind of its parameters.
	q := c.QueryParams()
	var kinds []string
	for _, name := range params[1:] {
		if q.Has(name) && !(strings.HasPrefix(name, "cat.") && len(kinds) > 0 && strings.HasPrefix(kinds[len(kinds)-1], "cat.")) {
			kinds = append(kinds, name)
		}
	}
	if len(kinds) > 1 {
		return echo.NewHTTPError(http.StatusBadRequest, "parameter "+kinds[1]+": give one kind of scenario at a time (growth, fixed, or a number per category with cat.CODE), not with "+kinds[0])
	}
	in := planInputOf(q, tp, l)
	sc, verr := in.read()
	if verr != nil {
		f := verr.Fields[0]
		return echo.NewHTTPError(http.StatusBadRequest, "parameter "+f.Field+": "+f.Message.String())
	}
	if notModified(c, rep.Version, "plan-"+tp.Target.Slug+"-"+l.Code()+"-"+scenarioKey(sc)) {
		return c.NoContent(http.StatusNotModified)
	}
	st := plan.StartOf(tp.Target.Plan(), tp.Result)
	res := plan.Compute(st, sc)
	out := apiPlan{Slug: tp.Target.Slug, Target: tp.Target.Value, Window: apiWindow{tp.Target.Start.String(), tp.Target.End.String()},
		AsOf: monthOrNull(tp.Result.AsOf), From: st.From.String(), Achieved: st.Achieved, BaseMonthly: st.Base,
		TotalAtEnd: res.Total, Reached: monthOrNull(res.Reached), Already: res.Already, Shortfall: res.Shortfall,
		Needed: apiNeed{Status: string(res.Need.Status)},
		URL:    s.baseURL() + "/targets/" + tp.Target.Slug + "/plan?" + in.query(true)}
	out.Scenario.Kind = string(sc.Kind)
	switch sc.Kind {
	case plan.Growth:
		g := math.Round(sc.Growth*1e6) / 1e4
		out.Scenario.GrowthPercent = &g
	case plan.Fixed:
		out.Scenario.Fixed = &sc.Fixed
	case plan.PerCategory:
		out.Scenario.PerCategory = map[string]int64{}
		for i, sr := range tp.ByCategory {
			out.Scenario.PerCategory[sr.Category.Code] = sc.PerCategory[i]
		}
	}
	if res.Need.Status == plan.NeedFound {
		g := math.Round(res.Need.Growth*1e6) / 1e4
		out.Needed.Percent = &g
	}
	for _, pt := range res.Path {
		out.Path = append(out.Path, apiPlanPoint{Month: pt.Month.String(), Cumulative: round1(pt.Value),
			Expected: round1(progress.ExpectedAt(tp.Target.Plan(), pt.Month))})
	}
	return c.JSON(http.StatusOK, out)
}

// scenarioKey names a scenario for its ETag: only parsed numbers, never the raw query.
func scenarioKey(sc plan.Scenario) string {
	switch sc.Kind {
	case plan.Fixed:
		return "f" + strconv.FormatInt(sc.Fixed, 10)
	case plan.PerCategory:
		parts := make([]string, len(sc.PerCategory))
		for i, n := range sc.PerCategory {
			parts[i] = strconv.FormatInt(n, 10)
		}
		return "c" + strings.Join(parts, ".")
	}
	return "g" + strconv.FormatFloat(sc.Growth, 'g', -1, 64)
}
