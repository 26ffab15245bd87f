package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/users"
	assets "hrx/web"
)

// Page is what every page's data carries: who is looking, in which language,
// the CSRF token for its forms, a flash message and the form errors.
type Page struct {
	Unread int64 // the signed-in person's unread notifications, for the menu
	Title  string
	L      i18n.Locale
	User   *users.User
	CSRF   string
	Flash  string
	Path   string
	Errors *apperr.ValidationError
	Work   *workNav // what needs the signed-in person's action; nil for the public
	static *Static
}

// When writes a moment (time.Time or *time.Time) in the reader's zone, naming the zone.
func (p Page) When(t any) string {
	switch x := t.(type) {
	case time.Time:
		return p.L.Time(x)
	case *time.Time:
		if x != nil {
			return p.L.Time(*x)
		}
	}
	return ""
}

// Tr writes a message in the reader's language.
func (p Page) Tr(m i18n.Msg) string { return p.L.Tr(m) }

// M writes the catalog message id with its name, value arguments in the
// reader's language: {{.M "upload.import.errors_first" "shown" 200 "total" .Im.ErrorCount}}.
func (p Page) M(id string, nameValues ...any) string { return p.L.Tr(i18n.M(id, nameValues...)) }

// N formats a whole number in the reader's convention.
func (p Page) N(n int64) string { return p.L.N(n) }

// Month writes a month in full in the reader's language.
func (p Page) Month(m month.Month) string { return p.L.Month(m) }

// MonthOf writes a YYYY-MM string in full in the reader's language.
func (p Page) MonthOf(s string) string {
	m, err := month.Parse(s)
	if err != nil {
		return s
	}
	return p.L.Month(m)
}

// Asset returns the content-hashed URL of a static file.
func (p Page) Asset(name string) string { return p.static.URL(name) }

// Can reports whether the signed-in user holds at least the role.
func (p Page) Can(role string) bool { return p.User != nil && p.User.Can(users.Role(role)) }

// HasErrors reports whether the page shows form errors.
func (p Page) HasErrors() bool { return p.Errors != nil && !p.Errors.Empty() }

// FieldError is the message for a field, "" when it has none.
func (p Page) FieldError(field string) string {
	if p.Errors == nil {
		return ""
	}
	return p.L.Tr(p.Errors.For(field))
}

// Langs lists the languages for the language menu.
func (p Page) Langs() []i18n.Lang { return i18n.Langs }

// Renderer renders the page templates; in development it reads them from disk on every call.
type Renderer struct {
	pages map[string]*template.Template
	dev   bool
}

// fieldData is what the "text-field" partial draws: one labelled input with its hint and error.
type fieldData struct {
	ID, Label, Type, Value, Autocomplete, Hint, Error string
	l                                                 i18n.Locale
}

// M writes a catalog message for the partial.
func (f fieldData) M(id string, nameValues ...any) string { return f.l.Tr(i18n.M(id, nameValues...)) }

// formPage is any page data that carries form errors.
type formPage interface {
	FieldError(string) string
	Locale() i18n.Locale
}

// Locale is the reader's locale.
func (p Page) Locale() i18n.Locale { return p.L }

var funcs = template.FuncMap{
	"field": func(p formPage, id, label, typ, value, autocomplete, hint string) fieldData {
		return fieldData{ID: id, Label: label, Type: typ, Value: value, Autocomplete: autocomplete, Hint: hint, Error: p.FieldError(id), l: p.Locale()}
	},
	"add":   func(a, b int) int { return a + b },
	"int64": func(i int) int64 { return int64(i) },
	// meter is the filled width of a 0–100 progress bar.
	"meter": func(pct float64) string {
		return strconv.FormatFloat(math.Round(min(max(pct, 0), 100)*10)/10, 'f', -1, 64)
	},
	"langName": func(l i18n.Lang) string {
		return map[i18n.Lang]string{i18n.EN: "English", i18n.JA: "日本語", i18n.HI: "हिन्दी"}[l]
	},
}

// NewRenderer parses every page with the layouts and partials.
func NewRenderer(dev bool) (*Renderer, error) {
	r := &Renderer{dev: dev}
	pages, err := parse(r.fsys())
	if err != nil {
		return nil, err
	}
	r.pages = pages
	return r, nil
}

func (r *Renderer) fsys() fs.FS {
	if r.dev {
		return os.DirFS("web/templates")
	}
	sub, _ := fs.Sub(assets.Templates, "templates")
	return sub
}

func parse(fsys fs.FS) (map[string]*template.Template, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(fsys, "layouts/*.html", "partials/*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		t, err := template.Must(base.Clone()).ParseFS(fsys, n)
		if err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return out, nil
}

// Names lists the pages, for the test that renders every one.
func (r *Renderer) Names() []string {
	var out []string
	for n := range r.pages {
		out = append(out, n)
	}
	return out
}

// Render writes a page; the page's template defines "title" and "main" inside the "base" layout.
func (r *Renderer) Render(w io.Writer, name string, data any, c echo.Context) error {
	pages := r.pages
	if r.dev {
		var err error
		if pages, err = parse(r.fsys()); err != nil {
			return err
		}
	}
	t, ok := pages[name]
	if !ok {
		return errNoTemplate(name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", data); err != nil {
		return err
	}
	_, err := buf.WriteTo(w)
	return err
}

// Static serves the files under web/static at content-hashed paths, so browsers may keep them for a year.
type Static struct {
	byName map[string]string // "app.css" → "/static/app.3f2a1b9c.css"
	files  map[string][]byte // "/static/app.3f2a1b9c.css" → content
}

// NewStatic reads and hashes every static file.
func NewStatic() (*Static, error) {
	s := &Static{byName: map[string]string{}, files: map[string][]byte{}}
	err := fs.WalkDir(assets.Static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assets.Static.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		url := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		s.byName[name], s.files[url] = url, b
		return nil
	})
	return s, err
}

// URL returns the hashed URL of a static file.
func (s *Static) URL(name string) string {
	if u, ok := s.byName[name]; ok {
		return u
	}
	return "/static/missing/" + name
}

// Serve answers a request for a hashed static file.
func (s *Static) Serve(c echo.Context) error {
	b, ok := s.files[c.Request().URL.Path]
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	ctype := "application/octet-stream"
	switch path.Ext(c.Request().URL.Path) {
	case ".css":
		ctype = "text/css; charset=utf-8"
	case ".js":
		ctype = "text/javascript; charset=utf-8"
	case ".svg":
		ctype = "image/svg+xml"
	case ".ico":
		ctype = "image/x-icon"
	}
	return c.Blob(http.StatusOK, ctype, b)
}

func errNoTemplate(name string) error { return fmt.Errorf("no page template %q", name) }
