package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/report"
)

// apiTarget is a target's progress in the public API; field names are a stable
// interface. The figures computed from data are null while the target has none.
type apiTarget struct {
	Slug                string            `json:"slug"`
	Name                string            `json:"name"`
	Names               map[string]string `json:"names"`
	Target              int64             `json:"target"`
	Window              apiWindow         `json:"window"`
	Directions          []string          `json:"directions"`
	Categories          []string          `json:"categories"`
	SkilledOnly         bool              `json:"skilled_only"`
	Achieved            int64             `json:"achieved"`
	Percent             float64           `json:"percent"`
	Expected            *int64            `json:"expected"`
	AheadBy             *int64            `json:"ahead_by"`
	RunRate             *float64          `json:"run_rate"`
	ProjectedTotal      *int64            `json:"projected_total"`
	RequiredMonthly     *int64            `json:"required_monthly"`
	ProjectedCompletion *string           `json:"projected_completion"`
	Status              string            `json:"status"`
	AsOf                *string           `json:"as_of"`
	MonthsElapsed       *int              `json:"months_elapsed"`
	MonthsRemaining     *int              `json:"months_remaining"`
	URL                 string            `json:"url"`
}

// known is a pointer to v, or nil when nothing is known (no data yet).
func known[T any](ok bool, v T) *T {
	if !ok {
		return nil
	}
	return &v
}

type apiWindow struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

func monthOrNull(m month.Month) *string {
	if m == month.Zero {
		return nil
	}
	s := m.String()
	return &s
}

func (s *Server) apiTargetOf(c echo.Context, tp report.TargetProgress, l i18n.Locale) apiTarget {
	t, r := tp.Target, tp.Result
	has := r.HasData()
	out := apiTarget{
		Slug: t.Slug, Name: t.Name(l.Lang), Names: map[string]string{"en": t.NameEN, "ja": t.NameJA, "hi": t.NameHI},
		Target: t.Value, Window: apiWindow{t.Start.String(), t.End.String()},
		Directions: t.Directions, Categories: t.Categories, SkilledOnly: t.SkilledOnly,
		Achieved: r.Achieved, Percent: r.Percent,
		Expected: known(has, r.Expected), AheadBy: known(has, r.AheadBy), RunRate: known(has, r.RunRate),
		ProjectedTotal: known(has, r.ProjectedTotal), RequiredMonthly: known(has, r.RequiredMonthly), ProjectedCompletion: monthOrNull(r.ProjectedCompletion),
		Status: string(r.Status), AsOf: monthOrNull(r.AsOf), MonthsElapsed: known(has, r.MonthsElapsed), MonthsRemaining: known(has, r.MonthsRemaining),
		URL: s.baseURL() + "/targets/" + t.Slug,
	}
	if out.Directions == nil {
		out.Directions = []string{reference.IndiaToJapan, reference.JapanToIndia}
	}
	if out.Categories == nil {
		out.Categories = []string{}
	}
	return out
}

// apiLocale is the language asked for with ?lang=, English otherwise.
func apiLocale(c echo.Context) (i18n.Locale, error) {
	if err := onlyParams(c, "lang"); err != nil {
		return i18n.Locale{}, err
	}
	q := c.QueryParam("lang")
	if q == "" {
		return i18n.New(i18n.EN, ""), nil
	}
	l, ok := i18n.Parse(q)
	if !ok {
		return l, echo.NewHTTPError(http.StatusBadRequest, i18n.M("widget.api_lang", "value", q))
	}
	return l, nil
}

// onlyParams refuses a request with a query parameter the endpoint does not
// take, or one given twice, as /api/v1/figures does: a misspelt parameter
// is an error, never silently ignored.
func onlyParams(c echo.Context, params ...string) error {
	q := c.QueryParams()
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !slices.Contains(params, name) {
			if len(params) == 0 {
				return echo.NewHTTPError(http.StatusBadRequest, "parameter "+name+": this endpoint takes no parameters")
			}
			return echo.NewHTTPError(http.StatusBadRequest, "parameter "+name+": not a parameter of this endpoint; use "+orList(params))
		}
		if len(q[name]) > 1 {
			return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("parameter %s: given %d times; give it once", name, len(q[name])))
		}
	}
	return nil
}

// cacheControl lets browsers and CDNs keep public answers for five minutes.
const cacheControl = "public, max-age=300, stale-while-revalidate=3600"

// etag names a public answer at a data version.
func etag(version int64, variant string) string { return fmt.Sprintf(`"v%d-%s"`, version, variant) }

// matches reports whether the client's If-None-Match names tag.
func matches(c echo.Context, tag string) bool {
	inm := c.Request().Header.Get("If-None-Match")
	if inm == "" {
		return false
	}
	for _, t := range strings.Split(inm, ",") {
		if t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/")); t == tag || t == "*" {
			return true
		}
	}
	return false
}

// notModified sets the caching headers for a public response at a data version,
// and reports whether the client's copy is current.
func notModified(c echo.Context, version int64, variant string) bool {
	tag := etag(version, variant)
	h := c.Response().Header()
	h.Set("ETag", tag)
	h.Set("Cache-Control", cacheControl)
	return matches(c, tag)
}

func (s *Server) apiTargets(c echo.Context) error {
	rep, err := s.currentReport(c)
	if err != nil {
		return err
	}
	key := answerKey{"api-targets", "", c.QueryString()}
	if a, ok := s.answers.find(rep.Version, key); ok {
		return serveAnswer(c, a)
	}
	l, err := apiLocale(c)
	if err != nil {
		return err
	}
	if notModified(c, rep.Version, "list-"+l.Code()) {
		return c.NoContent(http.StatusNotModified)
	}
	body, err := s.cachedJSON(rep.Version, "targets|"+l.Code()+"|"+s.baseURL(), func() any {
		out := struct {
			Targets []apiTarget `json:"targets"`
		}{Targets: []apiTarget{}}
		for _, tp := range rep.Published() {
			out.Targets = append(out.Targets, s.apiTargetOf(c, tp, l))
		}
		return out
	})
	if err != nil {
		return err
	}
	a := cached{Body: body, ETag: etag(rep.Version, "list-"+l.Code()), ContentType: echo.MIMEApplicationJSON}
	return serveAnswer(c, s.answers.keep(rep.Version, key, newAnswer(a)))
}

func (s *Server) apiTarget(c echo.Context) error {
	rep, err := s.currentReport(c)
	if err != nil {
		return err
	}
	key := answerKey{"api-target", c.Param("slug"), c.QueryString()}
	if a, ok := s.answers.find(rep.Version, key); ok {
		return serveAnswer(c, a)
	}
	l, err := apiLocale(c)
	if err != nil {
		return err
	}
	tp, ok := rep.Find(c.Param("slug"))
	if !ok || !tp.Target.Published {
		return apperr.New(apperr.NotFound, "widget.no_target", "slug", c.Param("slug"))
	}
	if notModified(c, rep.Version, tp.Target.Slug+"-"+l.Code()) {
		return c.NoContent(http.StatusNotModified)
	}
	body, err := s.cachedJSON(rep.Version, "target|"+tp.Target.Slug+"|"+l.Code()+"|"+s.baseURL(), func() any { return s.apiTargetOf(c, tp, l) })
	if err != nil {
		return err
	}
	a := cached{Body: body, ETag: etag(rep.Version, tp.Target.Slug+"-"+l.Code()), ContentType: echo.MIMEApplicationJSON}
	return serveAnswer(c, s.answers.keep(rep.Version, key, newAnswer(a)))
}

// cachedJSON encodes a public API answer once per data version.
func (s *Server) cachedJSON(version int64, key string, build func() any) ([]byte, error) {
	p, err := s.cache.get(version, "json|"+key, func() (cached, error) {
		b, err := json.Marshal(build())
		return cached{Body: b}, err
	})
	return p.Body, err
}
