package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/reference"
	"hrx/internal/targets"
)

type targetsAdminPage struct {
	Page
	Targets    []targets.Target
	Categories []reference.Category
	Directions []reference.Direction
	Form       targets.Input
	Editing    bool
}

// targetsTitle is the page's name in the reader's language.
func targetsTitle(p Page) string { return p.L.Tr(i18n.M("admin.targets.title")) }

// Direction is a direction's name in the reader's language.
func (p targetsAdminPage) Direction(code string) string {
	if m := reference.DirectionMsg(code); !m.IsZero() {
		return p.L.Tr(m)
	}
	return code
}

// Counts says which people a target counts: its directions and categories,
// named in the reader's language.
func (p targetsAdminPage) Counts(t targets.Target) string {
	var dirs, cats any = i18n.M("admin.targets.both_directions"), i18n.M("admin.targets.all_categories")
	if ds := t.Directions; len(ds) > 0 {
		var names []string
		for _, d := range ds {
			names = append(names, p.Direction(d))
		}
		dirs = names
	}
	switch cs := t.Categories; {
	case len(cs) > 0:
		var names []string
		for _, c := range cs {
			names = append(names, p.categoryName(c))
		}
		cats = names
	case t.SkilledOnly:
		cats = i18n.M("admin.targets.skilled_categories")
	}
	return p.L.Tr(i18n.M("admin.targets.counts", "directions", dirs, "categories", cats))
}

// categoryName is a category's name in the reader's language, its code when unknown.
func (p targetsAdminPage) categoryName(code string) string {
	for _, c := range p.Categories {
		if c.Code == code {
			return c.Name(p.L.Lang)
		}
	}
	return code
}

// FormName is the name of the target being changed, in the reader's language.
func (p targetsAdminPage) FormName() string {
	t := targets.Target{Slug: p.Form.Slug, NameEN: p.Form.NameEN, NameJA: p.Form.NameJA, NameHI: p.Form.NameHI}
	if n := t.Name(p.L.Lang); n != "" {
		return n
	}
	return t.Slug
}

// OtherLang is "en" when a name shown has no translation into the reader's
// language, so that the page marks it as English; "" otherwise.
func (p targetsAdminPage) OtherLang(ja, hi string) string { return otherLang(p.L.Lang, ja, hi) }

func otherLang(l i18n.Lang, ja, hi string) string {
	if l == i18n.JA && ja == "" || l == i18n.HI && hi == "" {
		return "en"
	}
	return ""
}

// Has reports whether a list holds a value, for checkboxes.
func (targetsAdminPage) Has(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Server) renderTargetsAdmin(c echo.Context, status int, p targetsAdminPage) error {
	ctx := c.Request().Context()
	var err error
	if p.Targets, err = s.targets.List(ctx, true); err != nil {
		return err
	}
	if p.Categories, err = s.ref.Categories(ctx); err != nil {
		return err
	}
	p.Directions = reference.Directions
	p.Title = targetsTitle(p.Page)
	return c.Render(status, "targets-admin", p)
}

func (s *Server) targetsAdmin(c echo.Context) error {
	p := targetsAdminPage{Page: s.page(c, ""), Form: targets.Input{Directions: []string{reference.IndiaToJapan, reference.JapanToIndia}, Start: "2025-09", End: "2030-08", Published: true}}
	if slug := c.QueryParam("edit"); slug != "" {
		t, err := s.targets.BySlug(c.Request().Context(), slug)
		if err != nil {
			return err
		}
		p.Form, p.Editing = targets.InputOf(t), true
		if len(p.Form.Directions) == 0 {
			p.Form.Directions = []string{reference.IndiaToJapan, reference.JapanToIndia}
		}
	}
	return s.renderTargetsAdmin(c, http.StatusOK, p)
}

func (s *Server) saveTarget(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	in := targets.Input{Slug: form.Get("slug"), NameEN: form.Get("name_en"), NameJA: form.Get("name_ja"), NameHI: form.Get("name_hi"),
		Value: form.Get("value"), Start: form.Get("start"), End: form.Get("end"), Directions: form["directions"], Categories: form["categories"],
		SkilledOnly: form.Get("skilled_only") == "on", Published: form.Get("published") == "on", Milestones: form.Get("milestones")}
	isNew := form.Get("existing") == ""
	cats, err := s.ref.Categories(c.Request().Context())
	if err != nil {
		return err
	}
	known := func(kind, code string) bool {
		if kind == "direction" {
			return reference.DirectionName(code) != ""
		}
		for _, cat := range cats {
			if cat.Code == code {
				return true
			}
		}
		return false
	}
	t, err := s.targets.Save(c.Request().Context(), currentUser(c).Actor(), in, isNew, known)
	var v *apperr.ValidationError
	if errors.As(err, &v) {
		p := targetsAdminPage{Page: s.page(c, ""), Form: in, Editing: !isNew}
		p.Errors = v
		return s.renderTargetsAdmin(c, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	s.flash(c, i18n.M("admin.targets.saved", "name", t.Name(s.localeOf(c).Lang)))
	return c.Redirect(http.StatusSeeOther, "/admin/targets")
}
