package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/reference"
)

type categoriesPage struct {
	Page
	Categories []reference.Category
	Form       reference.CategoryInput
	Editing    bool // the form changes an existing category
}

// OtherLang is "en" when a name shown has no translation into the reader's
// language, so that the page marks it as English; "" otherwise.
func (p categoriesPage) OtherLang(ja, hi string) string { return otherLang(p.L.Lang, ja, hi) }

// FormName is the name of the category being changed, in the reader's language.
func (p categoriesPage) FormName() string {
	return reference.Category{NameEN: p.Form.NameEN, NameJA: p.Form.NameJA, NameHI: p.Form.NameHI}.Name(p.L.Lang)
}

func (s *Server) categoriesPage(c echo.Context) error {
	p := categoriesPage{Page: s.page(c, "")}
	if code := c.QueryParam("edit"); code != "" {
		cats, err := s.ref.Categories(c.Request().Context())
		if err != nil {
			return err
		}
		for _, cat := range cats {
			if cat.Code == code {
				p.Form = reference.CategoryInput{Code: cat.Code, NameEN: cat.NameEN, NameJA: cat.NameJA, NameHI: cat.NameHI,
					DescriptionEN: cat.DescriptionEN, Skilled: cat.Skilled, Retired: cat.Retired}
				p.Editing = true
			}
		}
		if !p.Editing {
			return apperr.ErrNotFound
		}
	}
	return s.renderCategories(c, http.StatusOK, p)
}

func (s *Server) renderCategories(c echo.Context, status int, p categoriesPage) error {
	var err error
	if p.Categories, err = s.ref.Categories(c.Request().Context()); err != nil {
		return err
	}
	p.Title = p.L.Tr(i18n.M("admin.categories.title"))
	return c.Render(status, "categories", p)
}

// categoryForm is the form that adds or changes a category.
type categoryForm struct {
	Code          string `form:"code"`
	NameEN        string `form:"name_en"`
	NameJA        string `form:"name_ja"`
	NameHI        string `form:"name_hi"`
	DescriptionEN string `form:"description_en"`
	Skilled       string `form:"skilled"`
	Retired       string `form:"retired"`
	Existing      string `form:"existing"`
}

func (s *Server) saveCategory(c echo.Context) error {
	var f categoryForm
	if err := decode(c, &f); err != nil {
		return err
	}
	in := reference.CategoryInput{Code: f.Code, NameEN: f.NameEN, NameJA: f.NameJA, NameHI: f.NameHI,
		DescriptionEN: f.DescriptionEN, Skilled: checked(f.Skilled), Retired: checked(f.Retired)}
	isNew := f.Existing == ""
	cat, err := s.ref.SaveCategory(c.Request().Context(), currentUser(c).Actor(), in, isNew)
	var v *apperr.ValidationError
	if errors.As(err, &v) {
		p := categoriesPage{Page: s.page(c, ""), Form: in, Editing: !isNew}
		p.Errors = v
		return s.renderCategories(c, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	id := "admin.categories.saved"
	if isNew {
		id = "admin.categories.added"
	}
	s.flash(c, i18n.M(id, "name", cat.Name(s.localeOf(c).Lang), "code", cat.Code))
	return c.Redirect(http.StatusSeeOther, "/admin/categories")
}
