package web

import (
	"bytes"
	"html/template"
)

// RenderBlock renders one named template of a page (not the whole layout) to HTML.
func (r *Renderer) RenderBlock(page, block string, data any) (template.HTML, error) {
	pages := r.pages
	if r.dev {
		var err error
		if pages, err = parse(r.fsys()); err != nil {
			return "", err
		}
	}
	t, ok := pages[page]
	if !ok {
		return "", errNoTemplate(page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}
