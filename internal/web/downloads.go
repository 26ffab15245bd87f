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

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
	attachment(c, "text/csv; charset=utf-8", "hrx-upload-template"+suffix(lang)+".csv")
	c.Response().WriteHeader(http.StatusOK)
	return upload.TemplateCSV(c.Response(), lang)
}

func (s *Server) templateXLSX(c echo.Context) error {
	l, err := s.lists(c)
	if err != nil {
		return err
	}
	lang := c.QueryParam("lang")
	attachment(c, xlsxType, "hrx-upload-template"+suffix(lang)+".xlsx")
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

// exportCSV writes figures in the upload format: as last published on the
// public address, every figure as it is now on the staff one (/months/figures.csv).
func (s *Server) exportCSV(view figures.View) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, _, err := s.figuresQuery(c) // the same filters, checked the same way, as /api/v1/figures
		if err != nil {
			return err
		}
		s.exportHeaders(c, view, "text/csv; charset=utf-8", "csv")
		return upload.WriteCSV(c.Response(), func(fn func(figures.Figure) error) error {
			return s.figures.Each(c.Request().Context(), view, f, fn)
		})
	}
}

// exportXLSX is exportCSV as a workbook.
func (s *Server) exportXLSX(view figures.View) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, _, err := s.figuresQuery(c)
		if err != nil {
			return err
		}
		s.exportHeaders(c, view, xlsxType, "xlsx")
		return upload.WriteXLSX(c.Response(), func(fn func(figures.Figure) error) error {
			return s.figures.Each(c.Request().Context(), view, f, fn)
		})
	}
}

func (s *Server) exportHeaders(c echo.Context, view figures.View, contentType, ext string) {
	name := "hrx-figures." + ext
	if view == figures.Public {
		c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	} else {
		name = "hrx-figures-unpublished-included." + ext
	}
	attachment(c, contentType, name)
	c.Response().WriteHeader(http.StatusOK)
}
