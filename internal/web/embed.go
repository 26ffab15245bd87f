package web

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/embed"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/report"
)

// currentReport is report.Current behind a short memo of the data version
// (config.VersionTTL, a quarter of a second by default): widgets on busy home
// pages would otherwise ask the database on every request; that delay before
// a new figure shows everywhere is the price. A report read before another
// request's newer one never replaces it, so no figure goes backwards.
func (s *Server) currentReport(c echo.Context) (*report.Report, error) {
	s.memo.Lock()
	if s.memo.rep != nil && time.Since(s.memo.at) < s.cfg.VersionTTL {
		rep := s.memo.rep
		s.memo.Unlock()
		return rep, nil
	}
	s.memo.Unlock()
	rep, err := s.report.Current(c.Request().Context(), figures.Public)
	if err != nil {
		return nil, err
	}
	s.memo.Lock()
	if s.memo.rep == nil || rep.Version >= s.memo.rep.Version {
		s.memo.rep, s.memo.at = rep, time.Now()
	}
	s.memo.Unlock()
	return rep, nil
}

// embedTarget finds a published target for a widget and reads its options.
func (s *Server) embedTarget(c echo.Context, slug string) (*report.Report, report.TargetProgress, embed.Options, error) {
	o, err := embed.ParseOptions(c.QueryParam("style"), c.QueryParam("theme"), c.QueryParam("lang"))
	if err != nil {
		return nil, report.TargetProgress{}, o, echo.NewHTTPError(http.StatusBadRequest, apperr.MsgOf(err))
	}
	rep, err := s.currentReport(c)
	if err != nil {
		return nil, report.TargetProgress{}, o, err
	}
	tp, ok := rep.Find(slug)
	if !ok || !tp.Target.Published {
		return nil, report.TargetProgress{}, o, apperr.New(apperr.NotFound, "widget.no_target", "slug", slug)
	}
	return rep, tp, o, nil
}

// embedHeaders lets the configured sites frame the widgets, and nobody set cookies.
func (s *Server) embedHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h["Access-Control-Allow-Origin"] = hdrAnyOrigin
		h["X-Content-Type-Options"] = hdrNosniff
		h["Referrer-Policy"] = hdrReferrer
		return next(c)
	}
}

func (s *Server) frameAncestors() string {
	o := strings.TrimSpace(s.cfg.EmbedOrigins)
	if o == "" {
		o = "*"
	}
	return "frame-ancestors " + strings.ReplaceAll(o, ",", " ")
}

// embedWidget serves /embed/{slug} (an HTML page for an iframe) and /embed/{slug}.svg
// (and /embed/{slug}.png, the picture shared links show: share.go).
func (s *Server) embedWidget(c echo.Context) error {
	if slug, ok := strings.CutSuffix(c.Param("slug"), ".png"); ok {
		return s.embedPicture(c, slug)
	}
	rep, err := s.currentReport(c)
	if err != nil {
		return err
	}
	key := answerKey{"embed", c.Param("slug"), c.QueryString()}
	if a, ok := s.answers.find(rep.Version, key); ok {
		return serveAnswer(c, a)
	}
	slug, isSVG := strings.CutSuffix(c.Param("slug"), ".svg")
	_, tp, o, err := s.embedTarget(c, slug)
	if err != nil {
		return err
	}
	kind := "html"
	if isSVG {
		kind = "svg"
	}
	// Keyed by the target and the parsed options only: other query
	// parameters (a site's cache-buster, say) make no new entry.
	base := s.baseURL()
	p, err := s.cache.get(rep.Version, kind+"|"+tp.Target.Slug+"|"+o.Key(), func() (cached, error) {
		if o.Style == embed.StyleBreakdown {
			return s.breakdownWidget(c, rep, tp, o, isSVG)
		}
		w := cached{ETag: etag(rep.Version, kind+"-"+tp.Target.Slug+"-"+strings.ReplaceAll(o.Key(), "/", "-"))}
		if isSVG {
			w.Body, w.CSP, w.ContentType = embed.SVG(tp, o, base), "default-src 'none'; style-src 'unsafe-inline'", "image/svg+xml; charset=utf-8"
		} else {
			page := embed.HTMLPage(tp, o, base)
			w.Body, w.CSP, w.ContentType = page.HTML, page.CSP+"; "+s.frameAncestors(), echo.MIMETextHTMLCharsetUTF8
		}
		return w, nil
	})
	if err != nil {
		return err
	}
	return serveAnswer(c, s.answers.keep(rep.Version, key, newAnswer(p)))
}

// Widget sizes by style, for iframes and oEmbed: each style's widest, and the
// height of its tallest rendering in English, Japanese and Hindi, between a
// phone's width (an iframe 328 px wide) and the widest, with a few pixels to
// spare for other fonts (TestBrowserWidgetHeights measures them). A card
// fills its iframe at every width; a bar and a chart grow as their words
// wrap on a phone. With
// embed.js on the page, each iframe follows its widget's height instead.
// embed.js starts its iframes at the same heights.
var widgetSize = map[string][2]int{embed.StyleBar: {480, 160}, embed.StyleCard: {360, 300}, embed.StyleChart: {560, 476}, embed.StyleBreakdown: {480, 840}}

// oembed answers oEmbed 1.0 requests for target pages.
func (s *Server) oembed(c echo.Context) error {
	rep, err := s.currentReport(c)
	if err != nil {
		return err
	}
	key := answerKey{"oembed", "", c.QueryString()}
	if a, ok := s.answers.find(rep.Version, key); ok {
		return serveAnswer(c, a)
	}
	switch c.QueryParam("format") {
	case "", "json":
	case "xml":
		return echo.NewHTTPError(http.StatusNotImplemented, i18n.M("widget.oembed.xml"))
	default:
		return echo.NewHTTPError(http.StatusNotImplemented, i18n.M("widget.oembed.format"))
	}
	raw := c.QueryParam("url")
	u, err := url.Parse(raw)
	if raw == "" || err != nil {
		return apperr.New(apperr.NotFound, "widget.oembed.no_url", "example", s.baseURL()+"/targets/skilled-workers")
	}
	slug, ok := strings.CutPrefix(strings.TrimSuffix(u.Path, "/"), "/targets/")
	if !ok || slug == "" || strings.Contains(slug, "/") {
		return apperr.New(apperr.NotFound, "widget.oembed.not_target", "url", raw)
	}
	q := u.Query()
	style := q.Get("style")
	if style == "" {
		style = embed.StyleCard
	}
	c.QueryParams().Set("style", style)
	c.QueryParams().Set("theme", q.Get("theme"))
	c.QueryParams().Set("lang", q.Get("lang"))
	_, tp, o, err := s.embedTarget(c, slug)
	if err != nil {
		return err
	}
	size := widgetSize[o.Style]
	w, hgt := size[0], size[1]
	if mw, err := strconv.Atoi(c.QueryParam("maxwidth")); err == nil && mw > 0 && mw < w {
		w = mw
	}
	if mh, err := strconv.Atoi(c.QueryParam("maxheight")); err == nil && mh > 0 && mh < hgt {
		hgt = mh
	}
	base := s.baseURL()
	name := tp.Target.Name(o.Locale.Lang)
	src := fmt.Sprintf("%s/embed/%s?style=%s&theme=%s&lang=%s", base, url.PathEscape(slug), o.Style, o.Theme, o.Locale.Code())
	frame := fmt.Sprintf(`<iframe src="%s" width="%d" height="%d" title="%s" loading="lazy" style="border:0;max-width:100%%"></iframe>`,
		html.EscapeString(src), w, hgt, html.EscapeString(name))
	variant := fmt.Sprintf("oembed-%s-%s-%d-%d", slug, strings.ReplaceAll(o.Key(), "/", "-"), w, hgt)
	doc := map[string]any{
		"version": "1.0", "type": "rich", "title": name, "html": frame, "width": w, "height": hgt,
		"provider_name": "HRX", "provider_url": base + "/", "cache_age": 300,
	}
	if _, pretty := c.QueryParams()["pretty"]; pretty {
		if notModified(c, rep.Version, variant) {
			return c.NoContent(http.StatusNotModified)
		}
		return c.JSON(http.StatusOK, doc)
	}
	// Encoded as c.JSON would (a newline at the end), once per version and request.
	body, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	body = append(body, '\n')
	return serveAnswer(c, s.answers.keep(rep.Version, key, newAnswer(cached{Body: body, ETag: etag(rep.Version, variant), ContentType: echo.MIMEApplicationJSON})))
}

// embedScript serves /embed.js, the script embed.
func (s *Server) embedScript(c echo.Context) error {
	b, ok := s.static.files[s.static.URL("embed.js")]
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Access-Control-Allow-Origin", "*")
	return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", b)
}

type widgetsPage struct {
	Page
	Targets                       []report.TargetProgress
	Slug, Style, Theme, Lang      string
	Base                          string
	Iframe, Script, Image, OEmbed string
	Width, Height                 int
	Styles, Themes                []string
}

// widgets is the widget builder: pick a target, style, theme and language; see it; copy a snippet.
func (s *Server) widgets(c echo.Context) error {
	rep, err := s.report.Current(c.Request().Context(), figures.Public)
	if err != nil {
		return err
	}
	p := widgetsPage{Page: s.page(c, ""), Targets: rep.Published(), Base: s.baseURL(),
		Styles: []string{embed.StyleCard, embed.StyleBar, embed.StyleChart, embed.StyleBreakdown}, Themes: []string{embed.ThemeAuto, embed.ThemeLight, embed.ThemeDark}}
	p.Title = p.M("widget.builder.title")
	// The widget's language is "wlang": "lang" would switch the builder page's own language.
	p.Slug, p.Style, p.Theme, p.Lang = c.QueryParam("target"), c.QueryParam("style"), c.QueryParam("theme"), c.QueryParam("wlang")
	if _, ok := rep.Find(p.Slug); !ok && len(p.Targets) > 0 {
		p.Slug = p.Targets[0].Target.Slug
	}
	o, err := embed.ParseOptions(p.Style, p.Theme, p.Lang)
	if err != nil {
		o, _ = embed.ParseOptions("", "", "")
	}
	p.Style, p.Theme, p.Lang = o.Style, o.Theme, o.Locale.Code()
	size := widgetSize[o.Style]
	p.Width, p.Height = size[0], size[1]
	name := p.Slug
	if tp, ok := rep.Find(p.Slug); ok {
		name = tp.Target.Name(o.Locale.Lang)
	}
	q := fmt.Sprintf("style=%s&theme=%s&lang=%s", p.Style, p.Theme, p.Lang)
	p.Iframe = fmt.Sprintf(`<iframe src="%s/embed/%s?%s" width="%d" height="%d" title="%s" loading="lazy" style="border:0;width:100%%;max-width:%dpx"></iframe>`,
		p.Base, p.Slug, q, p.Width, p.Height, html.EscapeString(name), p.Width)
	p.Script = fmt.Sprintf(`<script src="%s/embed.js" data-target="%s" data-style="%s" data-theme="%s" data-lang="%s" async></script>
<noscript><img src="%s/embed/%s.svg?%s" alt="%s"></noscript>`, p.Base, p.Slug, p.Style, p.Theme, p.Lang, p.Base, p.Slug, q, html.EscapeString(name))
	p.Image = fmt.Sprintf(`<a href="%s/targets/%s"><img src="%s/embed/%s.svg?%s" alt="%s"></a>`, p.Base, p.Slug, p.Base, p.Slug, q, html.EscapeString(name))
	p.OEmbed = fmt.Sprintf("%s/targets/%s", p.Base, p.Slug)
	return c.Render(http.StatusOK, "widgets", p)
}
