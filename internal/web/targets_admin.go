package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
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
	return c.Render(status, "targets-admin", p)
}

func (s *Server) targetsAdmin(c echo.Context) error {
	p := targetsAdminPage{Page: s.page(c, "Targets"), Form: targets.Input{Directions: []string{reference.IndiaToJapan, reference.JapanToIndia}, Start: "2025-09", End: "2030-08", Published: true}}
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
		p := targetsAdminPage{Page: s.page(c, "Targets"), Form: in, Editing: !isNew}
		p.Errors = v
		return s.renderTargetsAdmin(c, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "Saved the target "+t.NameEN+"; its progress is worked out again from now on")
	return c.Redirect(http.StatusSeeOther, "/admin/targets")
}
