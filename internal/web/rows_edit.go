package web

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/rules"
	"hrx/internal/users"
)

// The rows editor on a cell's page changes all the rows of a cell broken
// down by sector or region at once: POST /months/{month}/rows. Its fields:
// direction, category, version (the rows' version when the page was loaded)
// and, for each row N from 1, row.N.id (0 for a row to add), row.N.sector,
// row.N.origin, row.N.destination, row.N.count, row.N.note and, for a row
// that exists, row.N.remove.

// blankRows is how many empty rows the editor offers for adding.
const blankRows = 3

// maxEditorRows is the most rows one save reads; a cell with more changes by upload.
const maxEditorRows = 1000

// rowsEditor is the editor's form as the page shows it.
type rowsEditor struct {
	Rows         []editorRow
	Cell         string // "Engineers, India to Japan", for the caption and the button
	Sectors      []placeOption
	Origins      []placeOption // regions of the direction's origin country
	Destinations []placeOption
}

// editorRow is one row of the editor: a figure, or an empty row to add one.
type editorRow struct {
	Pos                                      int
	ID                                       int64 // 0 for a row to add
	Sector, Origin, Destination, Count, Note string
	Remove                                   bool
}

// Field is the element id of one of the row's values: "row-3-sector".
func (r editorRow) Field(column string) string { return figures.RowField(r.Pos, column) }

// editorField is one value of an editor's row as the page draws it.
type editorField struct {
	ID, Name string
	Label    string // "Row 3, sector", for screen readers (the column heading shows it)
	Value    string
	Error    string
	List     string // the datalist it suggests from, "" for none
	Numeric  bool
	Note     bool // a note, drawn as a text area: it may hold line breaks
}

// editorColumns are the values the editor shows, in order.
var editorColumns = []string{"sector", "origin", "destination", "count", "note"}

// EditorFields lays out one row's values, each with its label and message.
func (p rowsPage) EditorFields(r editorRow) []editorField {
	values := []string{r.Sector, r.Origin, r.Destination, r.Count, r.Note}
	lists := []string{"sector-list", "origin-list", "destination-list", "", ""}
	out := make([]editorField, len(editorColumns))
	for i, col := range editorColumns {
		out[i] = editorField{ID: r.Field(col), Name: "row." + strconv.Itoa(r.Pos) + "." + col,
			Label: p.M("rowsedit.field", "row", r.Pos, "column", i18n.M("imports.column."+col)),
			Value: values[i], Error: p.FieldError(r.Field(col)), List: lists[i], Numeric: col == "count", Note: col == "note"}
	}
	return out
}

// placeOption is a sector or region the fields suggest (a datalist: any code
// or name an upload takes is still accepted).
type placeOption struct {
	Code, Name string
	Lang       string // "en" when the name is English on a page in another language
}

// addRowsEditor adds the editor to the page when the reader may change the
// cell now, or the reason they may not.
func (s *Server) addRowsEditor(c echo.Context, p *rowsPage) error {
	u := currentUser(c)
	if u == nil || u.Disabled {
		return nil
	}
	st, err := s.approval.State(c.Request().Context(), p.Mon)
	if err != nil {
		return err
	}
	if p.Locked = lockedWhy(p.L, u, st); p.Locked != "" {
		return nil
	}
	ed, err := s.newRowsEditor(c, p)
	if err != nil {
		return err
	}
	for i, f := range p.Rows {
		ed.Rows = append(ed.Rows, editorRow{Pos: i + 1, ID: f.ID, Sector: f.Figure.Sector, Origin: f.Figure.Origin,
			Destination: f.Figure.Destination, Count: strconv.FormatInt(f.Count, 10), Note: f.Note})
	}
	for i := range blankRows {
		ed.Rows = append(ed.Rows, editorRow{Pos: len(p.Rows) + i + 1})
	}
	p.Editor = ed
	return nil
}

// lockedWhy says why the reader cannot change a month's figures now, in
// words for their role, as the month page does; "" when they can.
func lockedWhy(l i18n.Locale, u *users.User, st approval.MonthState) string {
	approver := u.Can(users.Approver)
	switch {
	case st.State == approval.Published && approver:
		return l.Tr(i18n.M("rowsedit.locked.published_approver", "month", st.Month))
	case st.State == approval.Published:
		return l.Tr(i18n.M("rowsedit.locked.published", "month", st.Month))
	case st.State == approval.Submitted && approver:
		return l.Tr(i18n.M("rowsedit.locked.submitted_approver", "month", st.Month))
	case st.State == approval.Submitted:
		return l.Tr(i18n.M("rowsedit.locked.submitted", "month", st.Month))
	case !u.Can(users.Editor):
		return l.Tr(i18n.M("month.grid.read_only"))
	}
	return ""
}

// newRowsEditor is an editor without rows: the cell's name and the sectors
// and regions its fields suggest.
func (s *Server) newRowsEditor(c echo.Context, p *rowsPage) (*rowsEditor, error) {
	ctx := c.Request().Context()
	ed := &rowsEditor{Cell: p.Tr(cellLabel(p.L, p.Category, p.Direction))}
	sectors, err := s.ref.Sectors(ctx)
	if err != nil {
		return nil, err
	}
	// A name the reader's language has no word for is English, marked as such.
	option := func(code, name, en string) placeOption {
		o := placeOption{Code: code, Name: name}
		if name == en && p.L.Lang != i18n.EN {
			o.Lang = "en"
		}
		return o
	}
	for _, x := range sectors {
		ed.Sectors = append(ed.Sectors, option(x.Code, x.Name(p.L.Lang), x.NameEN))
	}
	regions, err := s.ref.Regions(ctx)
	if err != nil {
		return nil, err
	}
	from, to := "IN", "JP"
	if p.Direction == reference.JapanToIndia {
		from, to = "JP", "IN"
	}
	for _, x := range regions {
		name := x.NameEN
		if (p.L.Lang == i18n.JA && x.Country == "JP" || p.L.Lang == i18n.HI && x.Country == "IN") && x.NameLocal != "" {
			name = x.NameLocal
		}
		o := option(x.Code, name, x.NameEN)
		switch x.Country {
		case from:
			ed.Origins = append(ed.Origins, o)
		case to:
			ed.Destinations = append(ed.Destinations, o)
		}
	}
	return ed, nil
}

// sentRow is one row the editor sent, as typed.
type sentRow struct {
	pos    int
	id     int64
	remove bool
	values rules.RowValues
}

// readEditorRows reads the editor's rows from the form, in order, until the
// first number without a row.N.id.
func readEditorRows(form url.Values) []sentRow {
	var out []sentRow
	for n := 1; n <= maxEditorRows; n++ {
		k := "row." + strconv.Itoa(n) + "."
		if _, ok := form[k+"id"]; !ok {
			break
		}
		id, _ := strconv.ParseInt(form.Get(k+"id"), 10, 64)
		out = append(out, sentRow{pos: n, id: max(id, 0), remove: checked(form.Get(k + "remove")),
			values: rules.RowValues{Sector: form.Get(k + "sector"), Origin: form.Get(k + "origin"), Destination: form.Get(k + "destination"),
				Count: form.Get(k + "count"), Note: form.Get(k + "note")}})
	}
	return out
}

// saveRows saves a cell's rows from its editor: POST /months/{month}/rows.
// Every row is checked with an upload's rules first; a row with a problem
// keeps the whole form on the page with each message beside its field; a
// save refused because the rows changed meanwhile shows the newer rows.
func (s *Server) saveRows(c echo.Context) error {
	m, err := parseMonthParam(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	dir, catCode := form.Get("direction"), form.Get("category")
	ctx := c.Request().Context()
	if reference.DirectionName(dir) == "" {
		return apperr.New(apperr.NotFound, "month.rows.no_direction", "in_jp", reference.IndiaToJapan, "jp_in", reference.JapanToIndia)
	}
	if _, err := s.category(ctx, catCode); err != nil {
		return err
	}
	check, err := rules.Load(ctx, s.ref, month.Of(time.Now()))
	if err != nil {
		return err
	}
	sent := readEditorRows(form)
	edit := figures.CellEdit{Month: m.String(), Direction: dir, Category: catCode, Version: form.Get("version")}
	var problems []figures.RowProblem
	var checked []figures.RowEdit // the rows without a problem, which must not share a place
	for _, r := range sent {
		switch {
		case r.id == 0 && r.values.Blank():
			continue // an empty row offered for adding
		case r.remove && r.id != 0:
			edit.Rows = append(edit.Rows, figures.RowEdit{Pos: r.pos, ID: r.id, Remove: true})
			continue
		}
		f, probs := check.CellRow(m, dir, catCode, r.pos, r.values)
		problems = append(problems, probs...)
		edit.Rows = append(edit.Rows, figures.RowEdit{Pos: r.pos, ID: r.id, Figure: f})
		if len(probs) == 0 {
			checked = append(checked, edit.Rows[len(edit.Rows)-1])
		}
	}
	problems = append(problems, figures.DuplicateRows(checked)...)
	if len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Pos < problems[j].Pos })
		return s.showRowsErrors(c, m, dir, catCode, sent, figures.RowsInvalid(problems))
	}
	u := currentUser(c)
	done, err := s.figures.SaveCell(ctx, u.Actor(), edit)
	var ve *apperr.ValidationError
	switch {
	case errors.As(err, &ve):
		return s.showRowsErrors(c, m, dir, catCode, sent, ve)
	case err != nil:
		return s.showRowsRefusal(c, m, dir, catCode, err, sent)
	}
	cat, err := s.category(ctx, catCode)
	if err != nil {
		return err
	}
	cell := cellLabel(s.localeOf(c), cat, dir)
	if done.Total() == 0 {
		s.flash(c, i18n.M("rowsedit.saved_none", "cell", cell, "month", m))
	} else {
		s.flash(c, i18n.M("rowsedit.saved", "cell", cell, "month", m, "added", done.Added, "changed", done.Changed, "removed", done.Removed))
	}
	return c.Redirect(http.StatusSeeOther, rowsURL(m, dir, catCode))
}

// showRowsErrors re-shows the cell's page with the rows as the person typed
// them and each problem beside its field; nothing was saved.
func (s *Server) showRowsErrors(c echo.Context, m month.Month, dir, catCode string, sent []sentRow, ve *apperr.ValidationError) error {
	p, err := s.buildRowsPage(c, m, dir, catCode)
	if err != nil {
		return err
	}
	p.Errors = ve
	p.Title = p.M("month.error_title", "title", p.Title)
	if p.Editor != nil {
		p.Editor.Rows = p.Editor.Rows[:0]
		for _, r := range sent {
			p.Editor.Rows = append(p.Editor.Rows, editorRow{Pos: r.pos, ID: r.id, Remove: r.remove, Sector: r.values.Sector, Origin: r.values.Origin,
				Destination: r.values.Destination, Count: r.values.Count, Note: r.values.Note})
		}
		// The version stays the one the person's page was loaded at, so that a
		// save after someone else's is still refused.
		p.Version = c.FormValue("version")
	}
	return c.Render(http.StatusUnprocessableEntity, "rows", p)
}

// showRowsRefusal re-shows the cell's page, with its rows as they are now,
// saying why the save was refused (the rows changed after the page was
// loaded, or the month is no longer open). Anything but a refusal goes to
// the error page.
func (s *Server) showRowsRefusal(c echo.Context, m month.Month, dir, catCode string, err error, sent []sentRow) error {
	kind := apperr.KindOf(err)
	switch kind {
	case apperr.Conflict, apperr.Locked, apperr.Forbidden:
	default:
		return err
	}
	p, perr := s.buildRowsPage(c, m, dir, catCode)
	if perr != nil {
		return perr
	}
	p.Refusal = p.Tr(apperr.MsgOf(err))
	p.Title = p.M("month.error_title", "title", p.Title)
	// What the person sent stays in view, so that nothing they typed is lost.
	for _, r := range sent {
		if r.id != 0 || !r.values.Blank() {
			p.NotSaved = append(p.NotSaved, editorRow{Pos: r.pos, ID: r.id, Remove: r.remove, Sector: r.values.Sector, Origin: r.values.Origin,
				Destination: r.values.Destination, Count: r.values.Count, Note: r.values.Note})
		}
	}
	return c.Render(statusOf[kind], "rows", p)
}
