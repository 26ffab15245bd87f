package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/embed"
	"hrx/internal/report"
	"hrx/internal/upload"
)

// chartFormats are the files a chart downloads as, with their content types.
var chartFormats = map[string]string{
	"csv":  upload.CSV.ContentType(),
	"xlsx": upload.XLSX.ContentType(),
	"svg":  "image/svg+xml; charset=utf-8",
	"png":  "image/png",
}

// chartDownload serves /targets/{slug}/charts/{chart}.{csv,xlsx,svg,png}:
// one chart of a published target, from published figures only, in the
// language of ?lang= (English by default), cached per data version like the
// widgets.
func (s *Server) chartDownload(c echo.Context) error {
	file := c.Param("file")
	ext := strings.TrimPrefix(path.Ext(file), ".")
	chart := strings.TrimSuffix(file, path.Ext(file))
	ctype, ok := chartFormats[ext]
	if !ok || !slices.Contains(report.ChartNames, chart) {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	o, err := embed.ParseOptions("", "", c.QueryParam("lang"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, apperr.MsgOf(err))
	}
	rep, err := s.currentReport(c)
	if err != nil {
		return err
	}
	slug := c.Param("slug")
	tp, ok := rep.Find(slug)
	if !ok || !tp.Target.Published {
		return apperr.New(apperr.NotFound, "widget.no_target", "slug", slug)
	}
	l, code := o.Locale, o.Locale.Code()
	variant := "chart-" + tp.Target.Slug + "-" + chart + "-" + ext + "-" + code
	p, err := s.cache.get(rep.Version, variant, func() (cached, error) {
		w := cached{ContentType: ctype, CSP: "default-src 'none'", ETag: etag(rep.Version, variant)}
		var buf bytes.Buffer
		var err error
		switch ext {
		case "csv", "xlsx":
			t, _ := tp.ChartTable(l, chart)
			if ext == "csv" {
				err = upload.WriteTableCSV(&buf, t)
			} else {
				err = upload.WriteTableXLSX(&buf, t)
			}
			w.Body = buf.Bytes()
		default:
			w.Body, _, err = embed.ChartFile(tp, l, chart, ext)
		}
		return w, err
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
	name := "hrx-" + tp.Target.Slug + "-" + chart
	if code != "en" {
		name += "-" + code
	}
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s.%s"`, name, ext))
	return c.Blob(http.StatusOK, p.ContentType, p.Body)
}

// chartLinks are a chart's "Download: CSV · XLSX · SVG · PNG" links.
type chartLinks struct {
	Label string
	Links []chartLink
}

type chartLink struct{ Href, Text, Aria string }

// Downloads are the download links of one of the target's charts
// (report.ChartNames), in the page's language; none in the staff view,
// whose charts hold figures the downloads (published figures only) do not.
func (v targetView) Downloads(chart string) *chartLinks {
	if !v.Public || v.Empty() || !v.Target.Published {
		return nil
	}
	q := ""
	if code := v.L.Code(); code != "en" {
		q = "?lang=" + url.QueryEscape(code)
	}
	title := v.ChartTitle(v.L, chart)
	out := &chartLinks{Label: v.M("downloads.label")}
	for _, ext := range []string{"csv", "xlsx", "svg", "png"} {
		text := strings.ToUpper(ext)
		out.Links = append(out.Links, chartLink{
			Href: "/targets/" + url.PathEscape(v.Target.Slug) + "/charts/" + chart + "." + ext + q,
			Text: text, Aria: v.M("downloads.link", "chart", title, "format", text)})
	}
	return out
}
