package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/embed"
	"hrx/internal/i18n"
	"hrx/internal/report"
)

// shareMeta is what a link to a page shows when it is shared (the
// description, Open Graph and Twitter card tags), in the page's language,
// with absolute addresses built from the configured base URL, never from
// the request's Host header. The "share-meta" partial writes it.
type shareMeta struct {
	Title, Description, URL string
	SiteName                string
	Locale                  string   // og:locale, e.g. "ja_JP"
	AltLocales              []string // the other languages the page is in
	Image, ImageAlt         string   // the picture, /embed/{slug}.png; none without a target
	ImageWidth, ImageHeight int
}

// ogLocales are the Open Graph names of the languages' locales.
var ogLocales = map[string]string{"en": "en_US", "en-IN": "en_IN", "ja": "ja_JP", "hi": "hi_IN"}

// share builds the tags of a page at path whose words are title and
// description; tp, when given, is the target the picture shows.
func (s *Server) share(p Page, path, title, description string, tp *report.TargetProgress) *shareMeta {
	code := p.L.Code()
	m := &shareMeta{Title: title, Description: description, URL: s.baseURL() + path + langQuery(code),
		SiteName: p.M("layout.brand"), Locale: ogLocales[code]}
	if m.Locale == "" {
		m.Locale = ogLocales[string(p.L.Lang)]
	}
	for _, l := range i18n.Langs {
		if l != p.L.Lang {
			m.AltLocales = append(m.AltLocales, ogLocales[string(l)])
		}
	}
	if tp != nil {
		m.Image = s.baseURL() + "/embed/" + url.PathEscape(tp.Target.Slug) + ".png" + langQuery(code)
		m.ImageAlt = p.Tr(tp.Summary(tp.Target.Name(p.L.Lang)))
		m.ImageWidth, m.ImageHeight = embed.PictureWidth, embed.PictureHeight
	}
	return m
}

// langQuery is "?lang=ja" for a language other than plain English, so that a
// shared link opens (and its preview shows) the language it was shared in.
func langQuery(code string) string {
	if code == "en" {
		return ""
	}
	return "?lang=" + url.QueryEscape(code)
}

// dashboardShare describes the dashboard: each published target's progress
// in a sentence, or what the programme aims for while nothing is published.
// The picture is the first (headline) target's.
func (s *Server) dashboardShare(p Page, rep *report.Report) *shareMeta {
	var said []string
	targets := rep.Published()
	for _, tp := range targets {
		if !tp.Empty() {
			said = append(said, p.M("share.sentence", "text", tp.Summary(tp.Target.Name(p.L.Lang))))
		}
	}
	desc := strings.Join(said, " ")
	if desc == "" {
		desc = p.Tr(p.ActionPlanLede())
	}
	var head *report.TargetProgress
	if len(targets) > 0 {
		head = &targets[0]
	}
	return s.share(p, "/", p.M("dashboard.title"), desc, head)
}

// targetShare describes a target's page.
func (s *Server) targetShare(p Page, tp report.TargetProgress) *shareMeta {
	name := tp.Target.Name(p.L.Lang)
	return s.share(p, "/targets/"+url.PathEscape(tp.Target.Slug), name, p.M("share.sentence", "text", tp.Summary(name)), &tp)
}

// embedPicture serves /embed/{slug}.png: the picture of a published target
// that shared links show, cached per data version and language like the widgets.
func (s *Server) embedPicture(c echo.Context, slug string) error {
	o, err := embed.ParseOptions("", "", c.QueryParam("lang"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, apperr.MsgOf(err))
	}
	rep, err := s.currentReport(c)
	if err != nil {
		return err
	}
	tp, ok := rep.Find(slug)
	if !ok || !tp.Target.Published {
		return apperr.New(apperr.NotFound, "widget.no_target", "slug", slug)
	}
	code := o.Locale.Code()
	p, err := s.cache.get(rep.Version, "png|"+tp.Target.Slug+"|"+code, func() (cached, error) {
		b, err := embed.Picture(tp, o.Locale)
		return cached{Body: b, ContentType: "image/png", CSP: "default-src 'none'", ETag: etag(rep.Version, "png-"+tp.Target.Slug+"-"+code)}, err
	})
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("ETag", p.ETag)
	h.Set("Cache-Control", cacheControl)
	if matches(c, p.ETag) {
		return c.NoContent(http.StatusNotModified)
	}
	h.Set("Content-Security-Policy", p.CSP)
	return c.Blob(http.StatusOK, p.ContentType, p.Body)
}
