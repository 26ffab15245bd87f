package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/dataversion"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
)

// figuresParams are the filter and grouping parameters that GET /api/v1/figures
// and the figure exports take, in the order they are listed in errors.
var figuresParams = []string{"from", "to", "direction", "category", "sector", "origin", "destination", "group_by"}

// figuresPageParams are the parameters only the API takes: which page, and how large.
var figuresPageParams = []string{"limit", "cursor"}

// Page sizes of GET /api/v1/figures. A page is bounded so that no request
// holds or sends more than this many groups, whatever the grouping.
const (
	figuresDefaultLimit = 1000
	figuresMaxLimit     = 10_000
)

// figuresRetryAfter is when a client whose query ran past the server's
// QueryTimeout is asked to try again: long enough for a burst to pass.
const figuresRetryAfter = 30 * time.Second

// maxCursorLen bounds what is decoded: a real cursor is a few hundred bytes.
const maxCursorLen = 1024

// apiFigureRow is one group in the figures API: only the grouped keys, in the
// canonical order of figures.GroupColumns, then "count". An empty value (a
// figure not broken down by sector or region) is kept as "".
type apiFigureRow struct {
	cols []string
	row  figures.Row
}

func (r apiFigureRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for _, c := range r.cols {
		v, err := json.Marshal(r.row.Value(c))
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%q:%s,", c, v)
	}
	fmt.Fprintf(&b, `"count":%d}`, r.row.Count)
	return b.Bytes(), nil
}

// apiFigures sums figures a page at a time:
// GET /api/v1/figures?from=&to=&direction=&category=&sector=&origin=&destination=&group_by=&limit=&cursor=.
func (s *Server) apiFigures(c echo.Context) error {
	ctx := c.Request().Context()
	f, cols, err := s.figuresQueryOf(c, slices.Concat(figuresParams, figuresPageParams))
	if err != nil {
		return err
	}
	query := figuresQueryString(f, cols)
	limit, after, err := figuresPage(c, cols, query)
	if err != nil {
		return err
	}
	version, err := dataversion.Current(ctx, s.db)
	if err != nil {
		return err
	}
	// One ETag per answer: the grouping is canonical by now, so two spellings
	// of one query share it, and each page has its own.
	sum := sha256.Sum256([]byte(query + "&limit=" + strconv.Itoa(limit) + "&cursor=" + c.QueryParam("cursor")))
	if notModified(c, version, "figures-"+hex.EncodeToString(sum[:8])) {
		return c.NoContent(http.StatusNotModified)
	}
	qctx := ctx
	if s.cfg.QueryTimeout > 0 {
		var cancel context.CancelFunc
		qctx, cancel = context.WithTimeout(ctx, s.cfg.QueryTimeout)
		defer cancel()
	}
	page, err := s.figures.AggregatePage(qctx, figures.Public, f, cols, figures.PageQuery{Limit: limit, After: after})
	if err != nil {
		if errors.Is(qctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
			return &apperr.Error{Kind: apperr.Busy, RetryAfter: figuresRetryAfter, Err: qctx.Err(),
				Msg: i18n.M("api.figures.too_slow", "limit", s.cfg.QueryTimeout)}
		}
		return err
	}
	out := struct {
		Rows  []apiFigureRow `json:"rows"`
		Total int64          `json:"total"`
		Next  *string        `json:"next"`
	}{Rows: make([]apiFigureRow, len(page.Rows)), Total: page.Total}
	for i, r := range page.Rows {
		out.Rows[i] = apiFigureRow{cols, r}
	}
	if page.More {
		next := c.Request().URL.Path + "?" + query + "&limit=" + strconv.Itoa(limit) +
			"&cursor=" + encodeCursor(query, page.Rows[len(page.Rows)-1].Key(cols))
		out.Next = &next
	}
	// Written without HTML escaping, so that next reads "&", not "\u0026",
	// for a person looking at the answer.
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, body.Bytes())
}

// figuresQueryString writes a checked filter and grouping as the query string
// of a figures API address: canonical codes, the grouping in canonical order,
// empty parameters left out. It names the query in cursors, ETags and next links.
func figuresQueryString(f figures.Filter, cols []string) string {
	var b strings.Builder
	for _, p := range []struct{ name, value string }{
		{"from", f.From}, {"to", f.To}, {"direction", f.Direction}, {"category", f.Category},
		{"sector", f.Sector}, {"origin", f.Origin}, {"destination", f.Destination},
	} {
		if p.value != "" {
			b.WriteString(p.name + "=" + url.QueryEscape(p.value) + "&")
		}
	}
	// The column names need no escaping; the commas stay readable.
	b.WriteString("group_by=" + strings.Join(cols, ","))
	return b.String()
}

// figuresCursor is what a cursor holds: the query it belongs to (a hash of
// figuresQueryString) and the key of the last group of the page before.
type figuresCursor struct {
	Query string   `json:"q"`
	After []string `json:"k"`
}

// encodeCursor writes the cursor of the page after the group with key after.
// It is opaque to clients: base64url of a small JSON document.
func encodeCursor(query string, after []string) string {
	raw, _ := json.Marshal(figuresCursor{Query: queryHash(query), After: after}) // strings only: cannot fail
	return base64.RawURLEncoding.EncodeToString(raw)
}

// queryHash names a figuresQueryString in a cursor: short, and the same in every process.
func queryHash(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:8])
}

// figuresPage reads limit and cursor. A cursor must come from a next link of
// the same query (same filters and grouping; the limit may change between
// pages), or it is a 400: a cursor of another query would start the walk at a
// key that means something else.
func figuresPage(c echo.Context, cols []string, query string) (int, []string, error) {
	limit := figuresDefaultLimit
	if v := strings.TrimSpace(c.QueryParam("limit")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > figuresMaxLimit {
			return 0, nil, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf(
				"parameter limit: %q is not a whole number from 1 to %d; it is how many rows a page holds (default %d)", v, figuresMaxLimit, figuresDefaultLimit))
		}
		limit = n
	}
	v := c.QueryParam("cursor")
	if v == "" {
		return limit, nil, nil
	}
	var cur figuresCursor
	err := errors.New("too long")
	if len(v) <= maxCursorLen {
		var raw []byte
		if raw, err = base64.RawURLEncoding.DecodeString(v); err == nil {
			err = json.Unmarshal(raw, &cur)
		}
	}
	if err != nil || cur.Query == "" {
		return 0, nil, echo.NewHTTPError(http.StatusBadRequest,
			"parameter cursor: not a cursor this API gave out; use the next link of the previous page as it is, or leave cursor out for the first page")
	}
	if cur.Query != queryHash(query) || len(cur.After) != len(cols) {
		return 0, nil, echo.NewHTTPError(http.StatusBadRequest,
			"parameter cursor: comes from a query with other filters or group_by; use it with the query whose next link gave it, or leave cursor out for the first page")
	}
	return limit, cur.After, nil
}

// figuresQuery reads and checks the figures API's filter and grouping
// parameters (figuresParams), returning codes in their canonical form (IN-JP,
// lower-case category and sector codes, the current code of a retired region
// code) and the group columns in canonical order (month when none is given).
// Every problem is a 400 naming the parameter.
func (s *Server) figuresQuery(c echo.Context) (figures.Filter, []string, error) {
	return s.figuresQueryOf(c, figuresParams)
}

// figuresQueryOf is figuresQuery for an endpoint that takes the parameters
// params: any other is refused, and only group_by may be given twice.
func (s *Server) figuresQueryOf(c echo.Context, params []string) (figures.Filter, []string, error) {
	ctx := c.Request().Context()
	q := c.QueryParams()
	bad := func(param, format string, a ...any) error {
		return echo.NewHTTPError(http.StatusBadRequest, "parameter "+param+": "+fmt.Sprintf(format, a...))
	}
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !slices.Contains(params, name) {
			return figures.Filter{}, nil, bad(name, "not a parameter of this endpoint; use %s", orList(params))
		}
		if name != "group_by" && len(q[name]) > 1 {
			return figures.Filter{}, nil, bad(name, "given %d times; give it once", len(q[name]))
		}
	}
	one := func(name string) string { return strings.TrimSpace(q.Get(name)) }

	var f figures.Filter
	var from, to month.Month
	for _, p := range []struct {
		name string
		dst  *string
		m    *month.Month
	}{{"from", &f.From, &from}, {"to", &f.To, &to}} {
		v := one(p.name)
		if v == "" {
			continue
		}
		m, err := month.Parse(v)
		if err != nil {
			return f, nil, bad(p.name, "%s", err.Error())
		}
		*p.dst, *p.m = m.String(), m
	}
	if from != month.Zero && to != month.Zero && from > to {
		return f, nil, bad("to", "%s comes before from (%s); swap them", f.To, f.From)
	}

	if v := one("direction"); v != "" {
		d := strings.ReplaceAll(strings.ToUpper(v), "_", "-")
		if reference.DirectionName(d) == "" {
			return f, nil, bad("direction", "%q is not a direction; use %s (India to Japan) or %s (Japan to India)", v, reference.IndiaToJapan, reference.JapanToIndia)
		}
		f.Direction = d
	}

	if v := one("category"); v != "" {
		cats, err := s.ref.Categories(ctx)
		if err != nil {
			return f, nil, err
		}
		codes := make([]string, len(cats))
		for i, x := range cats {
			codes[i] = x.Code
		}
		if f.Category = pickCode(codes, strings.ToLower(v)); f.Category == "" {
			return f, nil, bad("category", "%q is not a category code; use %s", v, orList(codes))
		}
	}

	if v := one("sector"); v != "" {
		secs, err := s.ref.Sectors(ctx)
		if err != nil {
			return f, nil, err
		}
		codes := make([]string, len(secs))
		for i, x := range secs {
			codes[i] = x.Code
		}
		if f.Sector = pickCode(codes, strings.ToLower(v)); f.Sector == "" {
			return f, nil, bad("sector", "%q is not a sector code; use %s", v, orList(codes))
		}
	}

	if one("origin") != "" || one("destination") != "" {
		regs, err := s.ref.Regions(ctx)
		if err != nil {
			return f, nil, err
		}
		aliases, err := s.ref.Aliases(ctx)
		if err != nil {
			return f, nil, err
		}
		codes := make([]string, len(regs))
		for i, x := range regs {
			codes[i] = x.Code
		}
		for _, p := range []struct {
			name string
			dst  *string
		}{{"origin", &f.Origin}, {"destination", &f.Destination}} {
			v := one(p.name)
			if v == "" {
				continue
			}
			code := strings.ToUpper(v)
			if cur, ok := aliases[code]; ok {
				code = cur
			}
			if *p.dst = pickCode(codes, code); *p.dst == "" {
				return f, nil, bad(p.name, "%q is not a region code; use an ISO 3166-2 code such as IN-KA (Karnataka) or JP-13 (Tokyo)", v)
			}
		}
	}

	var groupBy []string
	for _, v := range q["group_by"] {
		for _, g := range strings.Split(v, ",") {
			if g = strings.TrimSpace(g); g != "" {
				groupBy = append(groupBy, strings.ToLower(g))
			}
		}
	}
	if len(groupBy) == 0 {
		groupBy = []string{"month"}
	}
	cols, err := figures.CanonicalColumns(groupBy)
	if err != nil {
		i := slices.IndexFunc(groupBy, func(g string) bool { return !slices.Contains(figures.GroupColumns, g) })
		return f, nil, bad("group_by", "%q is not a column to group by; use %s", groupBy[i], orList(figures.GroupColumns))
	}
	return f, cols, nil
}

// pickCode returns the list's own copy of code, or "" when the list does not hold it.
func pickCode(list []string, code string) string {
	if i := slices.Index(list, code); i >= 0 {
		return list[i]
	}
	return ""
}

// orList writes a list as "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
