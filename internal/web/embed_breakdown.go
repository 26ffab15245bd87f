package web

import (
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"hrx/internal/embed"
	"hrx/internal/report"
)

// breakdownWidget is the body of /embed/{slug}?style=breakdown (HTML, or the
// image when svg): the people who count toward the target, in its window so
// far, by sector, Indian state and Japanese prefecture, in the breakdown
// page's words and the widget's language, with a link to that page.
func (s *Server) breakdownWidget(c echo.Context, rep *report.Report, tp report.TargetProgress, o embed.Options, svg bool) (cached, error) {
	data, err := s.bkdown.Current(c.Request().Context())
	if err != nil {
		return cached{}, err
	}
	p := breakdownPage{Page: Page{L: o.Locale}}
	q := breakdownQuery(rep, data, &tp)
	if len(tp.Target.Directions) == 1 { // the lede names the target's direction, not "both"
		q.Direction = tp.Target.Directions[0]
	}
	if err := s.breakdownSections(c, &p, data, q); err != nil {
		return cached{}, err
	}
	base := s.baseURL()
	bd := embed.Breakdown{Lede: p.Lede, Link: base + "/targets/" + url.PathEscape(tp.Target.Slug) + "/breakdown"}
	if code := o.Locale.Code(); code != "en" {
		bd.Link += "?lang=" + url.QueryEscape(code)
	}
	for _, sec := range p.Sections {
		out := embed.BreakdownSection{Heading: sec.Heading, Known: sec.Known}
		for _, r := range sec.Rows {
			out.Rows = append(out.Rows, embed.BreakdownRow{Name: r.Name, Lang: r.Lang, People: r.People, Share: r.Share})
		}
		bd.Sections = append(bd.Sections, out)
	}
	w := cached{ETag: etag(rep.Version, "breakdown-"+tp.Target.Slug+"-"+strings.ReplaceAll(o.Key(), "/", "-"))}
	if svg {
		w.Body, w.CSP, w.ContentType = embed.BreakdownSVG(tp, bd, o, base), "default-src 'none'; style-src 'unsafe-inline'", "image/svg+xml; charset=utf-8"
		return w, nil
	}
	page := embed.BreakdownPage(tp, bd, o, base)
	w.Body, w.CSP, w.ContentType = page.HTML, page.CSP+"; "+s.frameAncestors(), echo.MIMETextHTMLCharsetUTF8
	return w, nil
}
