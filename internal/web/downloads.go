package web

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"hrx/internal/figures"
	"hrx/internal/reference"
	"hrx/internal/rules"
	"hrx/internal/upload"
)

func attachment(c echo.Context, ctype, name string) {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, ctype)
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, name))
}

func (s *Server) lists(c echo.Context) (upload.Lists, error) {
	ctx := c.Request().Context()
	var l upload.Lists
	var err error
	if l.Categories, err = s.ref.Categories(ctx); err != nil {
		return l, err
	}
	if l.Sectors, err = s.ref.Sectors(ctx); err != nil {
		return l, err
	}
	l.Regions, err = s.ref.Regions(ctx)
	return l, err
}

func (s *Server) templateCSV(c echo.Context) error {
	lang := c.QueryParam("lang")
	attachment(c, upload.CSV.ContentType(), "hrx-upload-template"+suffix(lang)+".csv")
	c.Response().WriteHeader(http.StatusOK)
	return upload.TemplateCSV(c.Response(), lang)
}

func (s *Server) templateXLSX(c echo.Context) error {
	l, err := s.lists(c)
	if err != nil {
		return err
	}
	lang := c.QueryParam("lang")
	attachment(c, upload.XLSX.ContentType(), "hrx-upload-template"+suffix(lang)+".xlsx")
	c.Response().WriteHeader(http.StatusOK)
	return upload.TemplateXLSX(c.Response(), lang, l)
}

func suffix(lang string) string {
	if lang == "ja" {
		return "-ja"
	}
	return ""
}

type helpUploadPage struct {
	Page
	Categories []reference.Category
	Sectors    []reference.Sector
	Regions    []reference.Region
	Aliases    map[string]string // current code → retired codes
	// The limits the page states, written in the reader's convention.
	MaxCount, MaxRows, MaxSource, MaxNote int64
}

func (s *Server) helpUpload(c echo.Context) error {
	l, err := s.lists(c)
	if err != nil {
		return err
	}
	aliases, err := s.ref.Aliases(c.Request().Context())
	if err != nil {
		return err
	}
	byCode := map[string][]string{}
	for alias, code := range aliases {
		byCode[code] = append(byCode[code], alias)
	}
	p := helpUploadPage{Page: s.page(c, ""), Categories: l.Categories, Sectors: l.Sectors, Regions: l.Regions, Aliases: map[string]string{},
		MaxCount: figures.MaxCount, MaxRows: upload.MaxRows, MaxSource: rules.MaxSource, MaxNote: rules.MaxNote}
	p.Title = p.M("upload.help.title")
	for code, as := range byCode {
		sort.Strings(as)
		p.Aliases[code] = strings.Join(as, ", ")
	}
	return c.Render(http.StatusOK, "help-upload", p)
}

// exportFigures writes figures in the upload format, in format f: as last
// published on the public address, every figure as it is now on the staff
// one (/months/figures.csv).
func (s *Server) exportFigures(view figures.View, f upload.Format) echo.HandlerFunc {
	return func(c echo.Context) error {
		filter, _, err := s.figuresQuery(c) // the same filters, checked the same way, as /api/v1/figures
		if err != nil {
			return err
		}
		s.exportHeaders(c, view, f)
		return f.Write(c.Response(), func(fn func(figures.Figure) error) error {
			return s.figures.Each(c.Request().Context(), view, filter, fn)
		})
	}
}

func (s *Server) exportHeaders(c echo.Context, view figures.View, f upload.Format) {
	name := "hrx-figures." + string(f)
	if view == figures.Public {
		c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	} else {
		name = "hrx-figures-unpublished-included." + string(f)
	}
	attachment(c, f.ContentType(), name)
	c.Response().WriteHeader(http.StatusOK)
}
