package web

import (
	"bytes"
	"html/template"
	"sync"
)

// pageCache keeps the rendered bodies of public pages for the current data
// version: between changes, a dashboard request renders only the page furniture
// around a stored body. A new version empties it, so every process that shares
// the database shows the same numbers.
type pageCache struct {
	mu      sync.Mutex
	version int64
	bodies  map[string]template.HTML
}

// get returns the body stored under key at version, building and storing it on a miss.
func (c *pageCache) get(version int64, key string, build func() (template.HTML, error)) (template.HTML, error) {
	c.mu.Lock()
	if c.version != version || c.bodies == nil {
		c.version, c.bodies = version, map[string]template.HTML{}
	}
	body, ok := c.bodies[key]
	c.mu.Unlock()
	if ok {
		return body, nil
	}
	body, err := build()
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	if c.version == version {
		c.bodies[key] = body
	}
	c.mu.Unlock()
	return body, nil
}

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
