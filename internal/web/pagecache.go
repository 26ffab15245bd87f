package web

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/labstack/echo/v4"
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

// versionCache keeps ready answers (rendered pages and widgets, public API
// JSON) for the current data version: each is built once per version and
// options, then served from memory. A new version empties it, so every process
// that shares the database serves the same numbers. Keys are made only of
// parsed, known options (never the Host header or the raw query), and the
// whole is bounded by bytes: past maxBytes, answers are built but not kept.
type versionCache struct {
	mu       sync.Mutex
	version  int64
	items    map[string]cached
	bytes    int64
	maxBytes int64
	// For /metrics: answers found, and answers built.
	hits, misses atomic.Int64
}

// cacheBytes bounds the answers kept per process. Every widget of every
// target in every style, theme and language, and every page in every
// language, take a few megabytes.
const cacheBytes = 64 << 20

// cached is a ready answer: its body and the headers that go with it.
type cached struct {
	Body                   []byte
	CSP, ContentType, ETag string
}

func (p cached) size() int64 {
	return int64(len(p.Body) + len(p.CSP) + len(p.ContentType) + len(p.ETag) + 64)
}

// get returns the answer stored under key at version, building and storing it
// on a miss. It builds outside the lock, so one slow build holds up no one else.
func (w *versionCache) get(version int64, key string, build func() (cached, error)) (cached, error) {
	if p, ok := w.lookup(version, key); ok {
		w.hits.Add(1)
		return p, nil
	}
	w.misses.Add(1)
	p, err := build()
	if err != nil {
		return cached{}, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.version != version || w.items == nil {
		w.version, w.items, w.bytes = version, map[string]cached{}, 0
	}
	if old, ok := w.items[key]; ok {
		w.bytes -= old.size() + int64(len(key))
	}
	if n := p.size() + int64(len(key)); w.bytes+n <= w.maxBytes {
		w.items[key] = p
		w.bytes += n
	}
	return p, nil
}

// lookup returns an entry of the current version, if there is one.
func (w *versionCache) lookup(version int64, key string) (cached, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.version != version {
		return cached{}, false
	}
	p, ok := w.items[key]
	return p, ok
}

// size is the bytes kept, for /metrics.
func (w *versionCache) size() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.bytes
}

// count is the answers kept, for /metrics.
func (w *versionCache) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.items)
}

// answers remembers, per data version, the whole answer of a public cached
// endpoint (widgets, oEmbed, the targets API) under its route, path parameter
// and raw query, with its headers ready, so that a repeated request is a map
// lookup and a write: no query parsing, no key to build, no header to format.
// Anything else in the request (cookies, Accept-Language) changes none of
// these answers. Only successes are kept, at most maxAnswers a version: past
// that (a site adding cache-busters, say) requests take the ordinary path
// through versionCache, which keys on the parsed options.
type answers struct {
	mu      sync.RWMutex
	version int64
	items   map[answerKey]*answer
	hits    atomic.Int64
}

// maxAnswers bounds the answers remembered for one data version.
const maxAnswers = 4096

// answerKey names a request to a cached endpoint; comparing it allocates nothing.
type answerKey struct{ route, param, query string }

// answer is a ready answer: its body, its ETag, and every header it sets
// (its length too), each value a one-element slice made once (http.Header's
// own shape), so that serving it sets headers without allocating.
type answer struct {
	body    []byte
	etag    string
	headers []header
	ok      int // how many of headers go with a 304 too (ETag, Cache-Control)
}

type header struct {
	key   string // canonical form
	value []string
}

// newAnswer prepares a cached answer's headers once.
func newAnswer(p cached) *answer {
	a := &answer{body: p.Body, etag: p.ETag}
	add := func(k, v string) {
		if v != "" {
			a.headers = append(a.headers, header{http.CanonicalHeaderKey(k), []string{v}})
		}
	}
	add("ETag", p.ETag)
	add("Cache-Control", cacheControl)
	a.ok = len(a.headers)
	add("Content-Security-Policy", p.CSP)
	add("Content-Type", p.ContentType)
	// Sent with the body, so that it goes out whole rather than in chunks
	// (net/http chunks a body over 2 KB written without a length).
	add("Content-Length", strconv.Itoa(len(p.Body)))
	return a
}

// find returns the answer remembered for key at version.
func (m *answers) find(version int64, key answerKey) (*answer, bool) {
	m.mu.RLock()
	a, ok := m.items[key]
	if m.version != version {
		a, ok = nil, false
	}
	m.mu.RUnlock()
	if ok {
		m.hits.Add(1)
	}
	return a, ok
}

// keep remembers a at version under key (unless maxAnswers are kept) and returns it.
func (m *answers) keep(version int64, key answerKey, a *answer) *answer {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.version != version || m.items == nil {
		if version < m.version {
			return a // a late request of an older version
		}
		m.version, m.items = version, make(map[answerKey]*answer, 64)
	}
	if len(m.items) < maxAnswers {
		m.items[key] = a
	}
	return a
}

// serveAnswer writes a ready answer, or 304 when the client's copy is current.
func serveAnswer(c echo.Context, a *answer) error {
	h := c.Response().Header()
	for _, x := range a.headers[:a.ok] {
		h[x.key] = x.value
	}
	if a.etag != "" && matches(c, a.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	for _, x := range a.headers[a.ok:] {
		h[x.key] = x.value
	}
	w := c.Response()
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(a.body)
	return err
}
