package web

import (
	"cmp"
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
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/imports"
	"hrx/internal/month"
	"hrx/internal/plausibility"
	"hrx/internal/upload"
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
	Total   int64 // the imports from the first listed on, this page's and older
	Older   int64 // the id to list older imports before, when there are more; 0 when not
	Later   bool  // this is not the first page
}

// importsListed is how many uploads a page of the list shows.
const importsListed = 200

// importsPage lists the uploads, newest first, a page at a time: ?before=ID
// lists those older than that one; a cut list says so and links to the next.
func (s *Server) importsPage(c echo.Context) error {
	ctx := c.Request().Context()
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	before = max(before, 0)
	list, err := s.imports.ListBefore(ctx, importsListed, before)
	if err != nil {
		return err
	}
	total, err := s.imports.Count(ctx, before)
	if err != nil {
		return err
	}
	p := importsPage{Page: s.page(c, ""), Imports: list, Total: total, Later: before > 0}
	if int64(len(list)) < total {
		p.Older = list[len(list)-1].ID
	}
	p.Title = p.M("upload.list.title")
	return c.Render(http.StatusOK, "imports", p)
}

type newImportPage struct {
	Page
	MaxMB    int
	MaxBytes int64 // the largest file, for the script that shows progress
	Mode     string
	ForMonth string          // the month the upload is for, when the link named one (YYYY-MM)
	From     *imports.Import // the rejected import this upload corrects, if any
	Locked   []stateView     // months a file cannot change now, oldest first
}

// LockedSummary is the one line that stands for the locked months: "12
// months are locked: September 2025 … August 2026".
func (p newImportPage) LockedSummary() i18n.Msg {
	if len(p.Locked) == 0 {
		return i18n.Msg{}
	}
	return i18n.M("uploads.new.locked_summary", "count", len(p.Locked), "first", p.Locked[0].Month, "last", p.Locked[len(p.Locked)-1].Month)
}

// MonthValue is the month the upload is for, typed, for the page to name it.
func (p newImportPage) MonthValue() month.Month {
	m, _ := month.Parse(p.ForMonth)
	return m
}

// FromMsg says which file is being corrected, zero when none is.
func (p newImportPage) FromMsg() i18n.Msg {
	if p.From == nil {
		return i18n.Msg{}
	}
	return i18n.M("uploads.new.corrected_of", "file", p.From.FileName, "months", monthsMsg(p.From.MonthList()))
}

// newImportForm is the upload page, which lists the months that are locked.
// A link to it may name the mode, the month and the rejected import a file corrects
// (?mode=replace&month=2025-10&from=12); the form keeps them.
func (s *Server) newImportForm(c echo.Context, mode string) (newImportPage, error) {
	p := newImportPage{Page: s.page(c, ""), MaxMB: s.cfg.MaxUploadMB, MaxBytes: int64(s.cfg.MaxUploadMB) << 20, Mode: mode}
	p.Title = p.M("upload.new.title")
	if m, err := month.Parse(c.FormValue("month")); err == nil {
		p.ForMonth = m.String()
	}
	if id, err := strconv.ParseInt(c.FormValue("from"), 10, 64); err == nil {
		if im, err := s.imports.Get(c.Request().Context(), id); err == nil {
			p.From = &im
			p.Title = p.M("uploads.new.corrected")
		}
	}
	states, err := s.approval.States(c.Request().Context())
	if err != nil {
		return p, err
	}
	for _, st := range states {
		if st.Locked() {
			p.Locked = append(p.Locked, newStateView(p.L, st))
		}
	}
	slices.SortFunc(p.Locked, func(a, b stateView) int { return cmp.Compare(a.Month, b.Month) })
	return p, nil
}

func (s *Server) newImportPage(c echo.Context) error {
	mode := c.QueryParam("mode")
	if mode != imports.Replace {
		mode = imports.Merge
	}
	p, err := s.newImportForm(c, mode)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "import-new", p)
}

func (s *Server) upload(c echo.Context) error {
	fh, err := s.formFile(c, "file")
	if err != nil {
		if apperr.KindOf(err) == apperr.TooLarge {
			return err
		}
		p, err := s.newImportForm(c, c.FormValue("mode"))
		if err != nil {
			return err
		}
		p.Errors = &apperr.ValidationError{}
		p.Errors.AddMsg("file", i18n.M("upload.form.file"), i18n.M("upload.form.choose_file"))
		return c.Render(http.StatusUnprocessableEntity, "import-new", p)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	up := imports.Upload{Name: fh.Filename, Body: f, Mode: c.FormValue("mode")}
	if wantsProgress(c) {
		return s.stageWithProgress(c, up)
	}
	im, err := s.imports.Stage(c.Request().Context(), currentUser(c).Actor(), up)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/imports/%d", im.ID))
}

type importPage struct {
	Page
	Im        imports.Import
	Format    string // how the file was read, in the reader's words; "" when it could not be
	Problems  []upload.Issue
	Warnings  []upload.Issue
	Changed   []imports.Change
	Added     []imports.StagedRow
	Removed   []figures.Figure
	CanApply  bool
	CanRevert bool
	Conflict  string // why the action just asked for was refused, in the reader's words
	IssuesCut bool   // more errors or warnings than an import keeps: the CSV has the first ones
	Kept      int
	Flags     []plausibility.Flag // what applying the file would flag as far from its recent level
	names     figureNames
}

// AppliedAt is when the import was applied (zero if it was not).
func (p importPage) AppliedAt() time.Time { return deref(p.Im.AppliedAt) }

// RevertedAt is when the import was reverted (zero if it was not).
func (p importPage) RevertedAt() time.Time { return deref(p.Im.RevertedAt) }

// Status is a figure's status (final, provisional) in words.
func (p importPage) Status(code string) i18n.Msg { return i18n.M("upload.status." + code) }

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
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
	p.Title = p.M("upload.import.title", "file", im.FileName)
	var err error
	if p.names, err = s.figureNames(ctx, p.L); err != nil {
		return p, err
	}
	if f := im.FormatMsg(); !f.IsZero() {
		p.Format = p.Tr(f)
	}
	u := currentUser(c)
	canEdit := u != nil && u.Can(users.Editor)
	p.CanApply = canEdit && im.CanApply(time.Now())
	p.CanRevert = canEdit && im.State == imports.Applied
	p.Kept = imports.IssuesKept
	p.IssuesCut = im.ErrorCount > int64(imports.IssuesKept) || im.WarningCount > int64(imports.IssuesKept)
	if p.Problems, err = s.imports.Issues(ctx, im.ID, "error", listedIssues); err != nil {
		return p, err
	}
	if p.Warnings, err = s.imports.Issues(ctx, im.ID, "warning", listedIssues); err != nil {
		return p, err
	}
	if im.State == imports.Preview {
		if p.Changed, err = s.imports.Changed(ctx, im.ID, listedChanges); err != nil {
			return p, err
		}
		if p.Added, err = s.imports.Added(ctx, im.ID, listedNew); err != nil {
			return p, err
		}
		if p.Removed, err = s.imports.Removed(ctx, im, listedChanges); err != nil {
			return p, err
		}
		// Flags only for a file that can be applied: one with errors stages only its good rows.
		if im.ErrorCount == 0 {
			if p.Flags, err = plausibility.NewStore(s.db).Import(ctx, im.ID); err != nil {
				return p, err
			}
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

// applyImport applies a previewed file once the person has confirmed what it
// does (confirmApply); the API and hrx import apply without asking.
func (s *Server) applyImport(c echo.Context) error {
	id, f, err := importAction(c)
	if err != nil {
		return err
	}
	if !f.isConfirmed() {
		return s.confirmApply(c, id)
	}
	applied, err := s.imports.Apply(c.Request().Context(), currentUser(c).Actor(), id)
	if err != nil {
		return s.importRefused(c, id, err)
	}
	s.flash(c, i18n.M("upload.flash.applied", "file", applied.FileName, "new", applied.NewCount, "changed", applied.ChangedCount,
		"unchanged", applied.UnchangedCount, "removed", applied.RemovedCount))
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/imports/%d", applied.ID))
}

// revertImport reverts an applied import once the person has confirmed what
// it puts back (confirmRevert).
func (s *Server) revertImport(c echo.Context) error {
	id, f, err := importAction(c)
	if err != nil {
		return err
	}
	if !f.isConfirmed() {
		return s.confirmRevert(c, id)
	}
	reverted, err := s.imports.Revert(c.Request().Context(), currentUser(c).Actor(), id)
	if err != nil {
		return s.importRefused(c, id, err)
	}
	s.flash(c, i18n.M("upload.flash.reverted", "file", reverted.FileName))
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/imports/%d", reverted.ID))
}

// importAction reads an apply or revert: the import's id and whether it is confirmed.
func importAction(c echo.Context) (int64, Confirmation, error) {
	var f Confirmation
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return 0, f, apperr.ErrNotFound
	}
	return id, f, decode(c, &f)
}

// importRefused answers an apply or revert that failed. A refusal (the import
// is not in a state for it, a month is locked, later changes are in the way)
// re-shows the import with the reason at the top; anything else goes to the
// one error handler.
func (s *Server) importRefused(c echo.Context, id int64, refusal error) error {
	switch apperr.KindOf(refusal) {
	case apperr.Conflict, apperr.Locked, apperr.Invalid:
	default:
		return refusal
	}
	im, err := s.imports.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	p, err := s.importPageData(c, im)
	if err != nil {
		return err
	}
	p.Conflict = p.Tr(apperr.MsgOf(refusal))
	return c.Render(statusOf[apperr.KindOf(refusal)], "import", p)
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
	// The columns are named as a program reads them; the message is in the
	// language of whoever downloads the file, with its id for sorting and filtering.
	l := s.localeOf(c)
	w.Write([]string{"severity", "line", "column", "value", "message", "message_id"})
	err = s.imports.EachIssue(c.Request().Context(), im.ID, func(sev string, is upload.Issue) error {
		return w.Write([]string{sev, strconv.Itoa(is.Line), upload.SafeCell(is.Column), upload.SafeCell(is.Value), upload.SafeCell(l.Tr(is.Msg)), is.Msg.ID})
	})
	w.Flush()
	if err != nil {
		s.log.Error("writing problems CSV", "id", reqID(c), "err", err)
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
		return apperr.New(apperr.Forbidden, "upload.api.role", "role", string(u.Role))
	}
	mode := c.QueryParam("mode")
	if mode != "" && mode != imports.Merge && mode != imports.Replace {
		return echo.NewHTTPError(http.StatusBadRequest, i18n.M("upload.api.mode"))
	}
	dry := false
	if v := c.QueryParam("dry_run"); v != "" {
		if dry, err = strconv.ParseBool(v); err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, i18n.M("upload.api.dry_run"))
		}
	}
	name, body, cleanup, err := s.requestFile(c)
	if err != nil {
		return err
	}
	defer cleanup()
	ctx := c.Request().Context()
	actor := audit.Actor{UserID: u.ID, Name: u.Email + " (API)"}
	// A file without errors is applied in the transaction that stages it: a
	// request cancelled half-way (the client gone, the server stopping)
	// leaves no staged import behind an unapplied upload.
	im, err := s.imports.Stage(ctx, actor, imports.Upload{Name: name, Body: body, Mode: mode, Apply: !dry})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if im.ErrorCount > 0 {
		status = http.StatusUnprocessableEntity
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
			if apperr.KindOf(err) == apperr.TooLarge {
				return "", nil, nil, err
			}
			return "", nil, nil, echo.NewHTTPError(http.StatusBadRequest, i18n.M("upload.api.no_file"))
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
		return users.User{}, echo.NewHTTPError(http.StatusUnauthorized, i18n.M("upload.api.no_token"))
	}
	u, err := s.users.TokenUser(c.Request().Context(), strings.TrimSpace(tok))
	if errors.Is(err, apperr.ErrNotFound) {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="hrx", error="invalid_token"`)
		return users.User{}, echo.NewHTTPError(http.StatusUnauthorized, i18n.M("upload.api.bad_token"))
	}
	return u, err
}
