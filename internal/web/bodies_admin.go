package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/bodies"
	"hrx/internal/i18n"
	"hrx/internal/reference"
	"hrx/internal/users"
)

// bodiesAdminPage is /admin/bodies: the reporting bodies with their cells,
// due days and members, and the form that adds or changes one.
type bodiesAdminPage struct {
	Page
	Bodies     []bodies.Body
	Unowned    []bodies.Cell
	Categories []reference.Category
	Directions []reference.Direction
	Candidates []users.User
	Form       bodies.Input
	Editing    bool
	owner      map[bodies.Cell]bodies.Body
}

// bodyForm is the body form as submitted.
type bodyForm struct {
	ID      int64    `form:"id"`
	NameEN  string   `form:"name_en"`
	NameJA  string   `form:"name_ja"`
	NameHI  string   `form:"name_hi"`
	DueDay  string   `form:"due_day"`
	Cells   []string `form:"cells"`
	Members []string `form:"members"`
}

// BodyName is a body's name in the reader's language.
func (p bodiesAdminPage) BodyName(b bodies.Body) string { return p.L.Tr(b.NameMsg(p.L.Lang)) }

// OtherLang is "en" for a body shown by its English name on a Japanese or Hindi page.
func (p bodiesAdminPage) OtherLang(b bodies.Body) string {
	return otherLang(p.L.Lang, b.NameJA, b.NameHI)
}

// CellName is a cell as people read it: "Students, India to Japan".
func (p bodiesAdminPage) CellName(c bodies.Cell) string { return cellName(p.L, p.Categories, c) }

// CellNames lists cells in the reader's words.
func (p bodiesAdminPage) CellNames(cells []bodies.Cell) string {
	names := make([]string, len(cells))
	for i, c := range cells {
		names[i] = p.CellName(c)
	}
	return p.L.List(names)
}

// Direction is a direction's name in the reader's language.
func (p bodiesAdminPage) Direction(code string) string { return p.L.Tr(reference.DirectionMsg(code)) }

// Ticked reports whether the form has the cell ticked.
func (p bodiesAdminPage) Ticked(direction, category string) bool {
	return contains(p.Form.Cells, direction+"/"+category)
}

// Chosen reports whether the form has the person ticked.
func (p bodiesAdminPage) Chosen(id int64) bool {
	return contains(p.Form.Members, strconv.FormatInt(id, 10))
}

// TakenBy is the name of another body that reports the cell, "" when none does.
func (p bodiesAdminPage) TakenBy(direction, category string) string {
	if b, ok := p.owner[bodies.Cell{Direction: direction, Category: category}]; ok && b.ID != p.Form.ID {
		return b.Name(p.L.Lang)
	}
	return ""
}

// FormName is the name of the body being changed.
func (p bodiesAdminPage) FormName() string {
	return bodies.Body{NameEN: p.Form.NameEN, NameJA: p.Form.NameJA, NameHI: p.Form.NameHI}.Name(p.L.Lang)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// cellName is a cell in the reader's words: "Students, India to Japan".
func cellName(l i18n.Locale, cats []reference.Category, c bodies.Cell) string {
	name := c.Category
	for _, cat := range cats {
		if cat.Code == c.Category {
			name = cat.Name(l.Lang)
		}
	}
	return l.Tr(i18n.M("completeness.cell", "category", name, "direction", reference.DirectionMsg(c.Direction)))
}

func (s *Server) renderBodiesAdmin(c echo.Context, status int, p bodiesAdminPage) error {
	ctx := c.Request().Context()
	st := bodies.NewStore(s.db)
	a, err := st.Assign(ctx)
	if err != nil {
		return err
	}
	p.Bodies, p.Unowned = a.Bodies, a.Unowned
	p.owner = map[bodies.Cell]bodies.Body{}
	for _, b := range a.Bodies {
		for _, cell := range b.Cells {
			p.owner[cell] = b
		}
	}
	cats, err := s.ref.Categories(ctx)
	if err != nil {
		return err
	}
	for _, cat := range cats {
		if !cat.Retired {
			p.Categories = append(p.Categories, cat)
		}
	}
	p.Directions = reference.Directions
	if p.Candidates, err = st.Candidates(ctx); err != nil {
		return err
	}
	p.Title = p.M("bodies.page.title")
	return c.Render(status, "bodies-admin", p)
}

func (s *Server) bodiesAdmin(c echo.Context) error {
	p := bodiesAdminPage{Page: s.page(c, ""), Form: bodies.Input{DueDay: strconv.Itoa(bodies.DefaultDueDay)}}
	if v := c.QueryParam("edit"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return apperr.New(apperr.NotFound, "bodies.not_found")
		}
		b, err := bodies.NewStore(s.db).Get(c.Request().Context(), id)
		if err != nil {
			return err
		}
		p.Form, p.Editing = bodies.InputOf(b), true
	}
	return s.renderBodiesAdmin(c, http.StatusOK, p)
}

// saveBody adds or changes a body; the page comes back with every field's
// problem and the input kept.
func (s *Server) saveBody(c echo.Context) error {
	var f bodyForm
	if err := decode(c, &f); err != nil {
		return err
	}
	u := currentUser(c)
	in := bodies.Input{ID: f.ID, NameEN: f.NameEN, NameJA: f.NameJA, NameHI: f.NameHI, DueDay: f.DueDay, Cells: f.Cells, Members: f.Members}
	b, err := bodies.NewStore(s.db).Save(c.Request().Context(), u.Actor(), u.Role, in)
	var v *apperr.ValidationError
	if errors.As(err, &v) {
		p := bodiesAdminPage{Page: s.page(c, ""), Form: in, Editing: f.ID != 0}
		p.Errors = v
		return s.renderBodiesAdmin(c, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	id := "bodies.saved"
	if f.ID == 0 {
		id = "bodies.added"
	}
	s.flash(c, i18n.M(id, "name", b.Name(s.localeOf(c).Lang)))
	return c.Redirect(http.StatusSeeOther, "/admin/bodies")
}

// bodyID reads the body's id from the path.
func bodyID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return 0, apperr.New(apperr.NotFound, "bodies.not_found")
	}
	return id, nil
}

// confirmDeleteBody asks once before a body is removed, saying what follows.
func (s *Server) confirmDeleteBody(c echo.Context) error {
	id, err := bodyID(c)
	if err != nil {
		return err
	}
	b, err := bodies.NewStore(s.db).Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	name := b.Name(s.localeOf(c).Lang)
	return s.askToConfirm(c, confirmPage{
		Heading: i18n.M("bodies.confirm.heading", "name", name),
		Consequences: []i18n.Msg{i18n.M("bodies.confirm.cells", "count", len(b.Cells)), i18n.M("bodies.confirm.members", "count", len(b.Members)),
			i18n.M("bodies.confirm.figures")},
		Action: c.Request().URL.Path, Button: i18n.M("bodies.page.remove", "name", name), Back: "/admin/bodies", Danger: true,
	})
}

// deleteBody removes a body once the administrator has confirmed it.
func (s *Server) deleteBody(c echo.Context) error {
	var f Confirmation
	if err := decode(c, &f); err != nil {
		return err
	}
	if !f.isConfirmed() {
		return s.confirmDeleteBody(c)
	}
	id, err := bodyID(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	lang := s.localeOf(c).Lang
	b, err := bodies.NewStore(s.db).Delete(c.Request().Context(), u.Actor(), u.Role, id)
	if err != nil {
		return err
	}
	s.flash(c, i18n.M("bodies.removed", "name", b.Name(lang)))
	return c.Redirect(http.StatusSeeOther, "/admin/bodies")
}

// OtherLangCat is "en" for a category shown by its English name on a Japanese or Hindi page.
func (p bodiesAdminPage) OtherLangCat(c reference.Category) string {
	return otherLang(p.L.Lang, c.NameJA, c.NameHI)
}
