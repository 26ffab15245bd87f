package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/exports"
	"hrx/internal/figures"
	"hrx/internal/imports"
	"hrx/internal/users"
)

// listedIssues is how many errors the preview page lists; the rest (up to
// imports.IssuesKept of each kind) download as CSV.
const listedIssues = 200

// uploadMemory is how much of an uploaded file is kept in memory; the rest
// goes to a temporary file (bounded by the body limit), so that a few uploads
// at once cannot fill the memory.
const uploadMemory = 1 << 20

// formFile returns the uploaded file of a multipart form.
func (s *Server) formFile(c echo.Context, field string) (*multipart.FileHeader, error) {
	if err := c.Request().ParseMultipartForm(uploadMemory); err != nil {
		if isTooLarge(err) {
			return nil, s.tooLarge(c.Request())
		}
		return nil, err
	}
	return c.FormFile(field)
}

func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe) || strings.Contains(fmt.Sprint(err), "request body too large")
}

type importsPage struct {
	Page
	Imports []imports.Import
}

func (s *Server) importsPage(c echo.Context) error {
	list, err := s.imports.List(c.Request().Context(), 200)
	if err != nil {
		return err
	}
	now := time.Now()
	for i := range list {
		if (list[i].State == imports.Preview || list[i].State == imports.Staging) && now.After(list[i].ExpiresAt) {
			list[i].State = imports.Expired
		}
	}
	return c.Render(http.StatusOK, "imports", importsPage{Page: s.page(c, "Imports"), Imports: list})
}

type newImportPage struct {
	Page
	MaxMB  int
	Mode   string
	Locked []stateView // months a file cannot change now
}

// newImportForm is the upload page, which lists the months that are locked.
func (s *Server) newImportForm(c echo.Context, mode string) (newImportPage, error) {
	p := newImportPage{Page: s.page(c, "Upload a file"), MaxMB: s.cfg.MaxUploadMB, Mode: mode}
	states, err := s.approval.States(c.Request().Context())
	if err != nil {
		return p, err
	}
	for _, st := range states {
		if st.Locked() {
			p.Locked = append(p.Locked, newStateView(p.L, st))
		}
	}
	slices.SortFunc(p.Locked, func(a, b stateView) int { return strings.Compare(b.Month, a.Month) })
	return p, nil
}

func (s *Server) newImportPage(c echo.Context) error {
	p, err := s.newImportForm(c, imports.Merge)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "import-new", p)
}

func (s *Server) upload(c echo.Context) error {
	fh, err := s.formFile(c, "file")
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return err
		}
		p, err := s.newImportForm(c, c.FormValue("mode"))
		if err != nil {
			return err
		}
		p.Errors = &apperr.ValidationError{}
		p.Errors.Add("file", "File", "Choose a CSV or XLSX file to upload")
		return c.Render(http.StatusUnprocessableEntity, "import-new", p)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	im, err := s.imports.Stage(c.Request().Context(), currentUser(c).Actor(), imports.Upload{Name: fh.Filename, Body: f, Mode: c.FormValue("mode")})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/imports/%d", im.ID))
}

type importPage struct {
	Page
	Im        imports.Import
	Problems  []imports.Issue
	Warnings  []imports.Issue
	Changed   []imports.Change
	Added     []imports.StagedRow
	Removed   []figures.Figure
	CanApply  bool
	CanRevert bool
	Conflict  string
	IssuesCut bool // more errors or warnings than an import keeps: the CSV has the first ones
	Kept      int
}

func (s *Server) importParam(c echo.Context) (imports.Import, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return imports.Import{}, apperr.ErrNotFound
	}
	return s.imports.Get(c.Request().Context(), id)
}

func (s *Server) importPageData(c echo.Context, im imports.Import) (importPage, error) {
	ctx := c.Request().Context()
	p := importPage{Page: s.page(c, ""), Im: im}
	p.Title = p.L.T("Import of %s", im.FileName)
	u := currentUser(c)
	canEdit := u != nil && u.Can(users.Editor)
	p.CanApply = canEdit && im.CanApply(time.Now())
	p.CanRevert = canEdit && im.State == imports.Applied
	var err error
	p.Kept = imports.IssuesKept
	p.IssuesCut = im.ErrorCount > int64(imports.IssuesKept) || im.WarningCount > int64(imports.IssuesKept)
	if p.Problems, err = s.imports.Issues(ctx, im.ID, "error", listedIssues); err != nil {
		return p, err
	}
	if p.Warnings, err = s.imports.Issues(ctx, im.ID, "warning", listedIssues); err != nil {
		return p, err
	}
	if im.State == imports.Preview {
		if p.Changed, err = s.imports.Changed(ctx, im.ID, listedIssues); err != nil {
			return p, err
		}
		if p.Added, err = s.imports.Added(ctx, im.ID, 50); err != nil {
			return p, err
		}
		if p.Removed, err = s.imports.Removed(ctx, im, listedIssues); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (s *Server) importPage(c echo.Context) error {
	im, err := s.importParam(c)
	if err != nil {
		return err
	}
	p, err := s.importPageData(c, im)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "import", p)
}

func (s *Server) applyImport(c echo.Context) error {
	im, err := s.importParam(c)
	if err != nil {
		return err
	}
	im, err = s.imports.Apply(c.Request().Context(), currentUser(c).Actor(), im.ID)
	var na *imports.ErrNotApplicable
	if errors.As(err, &na) {
		return s.importRefused(c, im.ID, na.Reason)
	}
	if err != nil {
		return err
	}
	l := s.localeOf(c)
	s.setFlash(c, l.T("Applied %s: %s new, %s changed, %s unchanged, %s removed.", im.FileName, l.N(im.NewCount), l.N(im.ChangedCount), l.N(im.UnchangedCount), l.N(im.RemovedCount)))
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/imports/%d", im.ID))
}

func (s *Server) revertImport(c echo.Context) error {
	im, err := s.importParam(c)
	if err != nil {
		return err
	}
	im, err = s.imports.Revert(c.Request().Context(), currentUser(c).Actor(), im.ID)
	var na *imports.ErrNotApplicable
	var rc *imports.RevertConflict
	switch {
	case errors.As(err, &na):
		return s.importRefused(c, im.ID, na.Reason)
	case errors.As(err, &rc):
		return s.importRefused(c, im.ID, "The import was not reverted: "+rc.Error()+".")
	case err != nil:
		return err
	}
	s.setFlash(c, s.localeOf(c).T("Reverted %s: every figure it changed is back to what it was before.", im.FileName))
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/imports/%d", im.ID))
}

// importRefused re-shows an import with the reason an action was refused.
func (s *Server) importRefused(c echo.Context, id int64, reason string) error {
	im, err := s.imports.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	p, err := s.importPageData(c, im)
	if err != nil {
		return err
	}
	p.Conflict = reason
	return c.Render(http.StatusConflict, "import", p)
}

// importIssuesCSV downloads the errors and warnings an import kept (the first
// imports.IssuesKept of each), with a note of how many more there were.
func (s *Server) importIssuesCSV(c echo.Context) error {
	im, err := s.importParam(c)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="import-%d-problems.csv"`, im.ID))
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	w.UseCRLF = true
	io.WriteString(c.Response(), "\uFEFF")
	w.Write([]string{"severity", "line", "column", "value", "message"})
	err = s.imports.EachIssue(c.Request().Context(), im.ID, func(sev string, is imports.Issue) error {
		return w.Write([]string{sev, strconv.Itoa(is.Line), exports.SafeCell(is.Column), exports.SafeCell(is.Value), exports.SafeCell(is.Message)})
	})
	w.Flush()
	if err != nil {
		s.log.Error("writing problems CSV", "id", c.Get("request_id"), "err", err)
	}
	return nil
}

// apiImport takes a file over HTTP: multipart (field "file") or a raw CSV body.
func (s *Server) apiImport(c echo.Context) error {
	u, err := s.bearerUser(c)
	if err != nil {
		return err
	}
	if !u.Can(users.Editor) {
		return echo.NewHTTPError(http.StatusForbidden, "this token's user ("+string(u.Role)+") cannot import; it needs the editor role or higher")
	}
	mode := c.QueryParam("mode")
	if mode != "" && mode != imports.Merge && mode != imports.Replace {
		return echo.NewHTTPError(http.StatusBadRequest, "parameter mode: use merge or replace")
	}
	dry := false
	if v := c.QueryParam("dry_run"); v != "" {
		if dry, err = strconv.ParseBool(v); err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "parameter dry_run: use true or false")
		}
	}
	name, body, cleanup, err := s.requestFile(c)
	if err != nil {
		return err
	}
	defer cleanup()
	ctx := c.Request().Context()
	actor := audit.Actor{UserID: u.ID, Name: u.Email + " (API)"}
	im, err := s.imports.Stage(ctx, actor, imports.Upload{Name: name, Body: body, Mode: mode})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if im.ErrorCount > 0 {
		status = http.StatusUnprocessableEntity
	} else if !dry {
		if im, err = s.imports.Apply(ctx, actor, im.ID); err != nil {
			return err
		}
	}
	sum, err := s.imports.SummaryOf(ctx, im)
	if err != nil {
		return err
	}
	return c.JSON(status, sum)
}

// requestFile saves the uploaded file (multipart field "file", or the raw body) where it can be read twice.
func (s *Server) requestFile(c echo.Context) (string, io.ReadSeeker, func(), error) {
	req := c.Request()
	if strings.HasPrefix(req.Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
		fh, err := s.formFile(c, "file")
		if err != nil {
			var he *echo.HTTPError
			if errors.As(err, &he) {
				return "", nil, nil, err
			}
			return "", nil, nil, echo.NewHTTPError(http.StatusBadRequest, "send the file in a multipart field named \"file\", or as the raw request body")
		}
		f, err := fh.Open()
		if err != nil {
			return "", nil, nil, err
		}
		return fh.Filename, f, func() { f.Close() }, nil
	}
	tmp, err := os.CreateTemp("", "hrx-upload-*")
	if err != nil {
		return "", nil, nil, err
	}
	cleanup := func() { tmp.Close(); os.Remove(tmp.Name()) }
	if _, err := io.Copy(tmp, req.Body); err != nil {
		cleanup()
		if isTooLarge(err) {
			return "", nil, nil, s.tooLarge(req)
		}
		return "", nil, nil, err
	}
	name := c.QueryParam("filename")
	if name == "" {
		name = "upload.csv"
	}
	return name, tmp, cleanup, nil
}

// bearerUser is the user behind the request's API token.
func (s *Server) bearerUser(c echo.Context) (users.User, error) {
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="hrx"`)
		return users.User{}, echo.NewHTTPError(http.StatusUnauthorized, "send an API token: Authorization: Bearer hrx_…; an administrator creates tokens at /admin/tokens")
	}
	u, err := s.users.TokenUser(c.Request().Context(), strings.TrimSpace(tok))
	if errors.Is(err, apperr.ErrNotFound) {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="hrx", error="invalid_token"`)
		return users.User{}, echo.NewHTTPError(http.StatusUnauthorized, "this API token is not valid or has been revoked")
	}
	return u, err
}
