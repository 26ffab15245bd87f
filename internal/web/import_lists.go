package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/imports"
	"hrx/internal/upload"
)

// listedChanges and listedNew are how many changed and new figures the
// preview page lists; every row downloads as CSV (importListCSV).
const (
	listedChanges = listedIssues
	listedNew     = 50
)

// importListCSV downloads every row of one of a preview's lists (changed,
// new or removed figures) in the upload file format, so that the file opens
// in a spreadsheet and uploads back as it is: changed and new rows as the
// file writes them, removed figures as they are now.
func (s *Server) importListCSV(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !imports.IsList(kind) {
			return apperr.ErrNotFound
		}
		im, err := s.importParam(c)
		if err != nil {
			return err
		}
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, upload.CSV.ContentType())
		h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="import-%d-%s.csv"`, im.ID, kind))
		c.Response().WriteHeader(http.StatusOK)
		err = upload.WriteCSV(c.Response(), func(yield func(figures.Figure) error) error {
			return s.imports.EachListed(c.Request().Context(), im.ID, kind, yield)
		})
		if err != nil {
			s.log.Error("writing import list CSV", "id", reqID(c), "kind", kind, "err", err)
		}
		return nil
	}
}

// listCut says how much of a list the page shows when it is cut: "200 of
// 325 shown", zero when the page shows every row.
func listCut(shown int, total int64) i18n.Msg {
	if int64(shown) >= total {
		return i18n.Msg{}
	}
	return i18n.M("importlists.shown_of", "shown", shown, "total", total)
}

// ChangedCut, AddedCut and RemovedCut say how much of each list the preview shows.
func (p importPage) ChangedCut() i18n.Msg { return listCut(len(p.Changed), p.Im.ChangedCount) }

// AddedCut: see ChangedCut.
func (p importPage) AddedCut() i18n.Msg { return listCut(len(p.Added), p.Im.NewCount) }

// RemovedCut: see ChangedCut.
func (p importPage) RemovedCut() i18n.Msg { return listCut(len(p.Removed), p.Im.RemovedCount) }

// ErrorsCut says how many of the errors the page lists, zero when it lists them all.
func (p importPage) ErrorsCut() i18n.Msg { return listCut(len(p.Problems), p.Im.ErrorCount) }
