package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/reference"
)

// figuresParams are the query parameters GET /api/v1/figures takes, in the order they are listed in errors.
var figuresParams = []string{"from", "to", "direction", "category", "sector", "origin", "destination", "group_by"}

// apiFigureRow is one group in the figures API: only the grouped keys, in the
// order asked for, then "count". An empty value (a figure not broken down by
// sector or region) is kept as "".
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

// apiFigures sums figures: GET /api/v1/figures?from=&to=&direction=&category=&sector=&origin=&destination=&group_by=.
func (s *Server) apiFigures(c echo.Context) error {
	ctx := c.Request().Context()
	f, cols, err := s.figuresQuery(c)
	if err != nil {
		return err
	}
	version, err := s.figures.DataVersion(ctx)
	if err != nil {
		return err
	}
	norm := fmt.Sprintf("from=%s&to=%s&direction=%s&category=%s&sector=%s&origin=%s&destination=%s&group_by=%s",
		f.From, f.To, f.Direction, f.Category, f.Sector, f.Origin, f.Destination, strings.Join(cols, ","))
	sum := sha256.Sum256([]byte(norm))
	if notModified(c, version, "figures-"+hex.EncodeToString(sum[:8])) {
		return c.NoContent(http.StatusNotModified)
	}
	rows, total, err := s.figures.Aggregate(ctx, figures.Public, f, cols)
	if err != nil {
		return err
	}
	out := struct {
		Rows  []apiFigureRow `json:"rows"`
		Total int64          `json:"total"`
	}{Rows: make([]apiFigureRow, len(rows)), Total: total}
	for i, r := range rows {
		out.Rows[i] = apiFigureRow{cols, r}
	}
	return c.JSON(http.StatusOK, out)
}

// figuresQuery reads and checks the figures API's parameters, returning codes
// in their canonical form (IN-JP, lower-case category and sector codes, the
// current code of a retired region code) and the group columns (month when
// none is given). Every problem is a 400 naming the parameter.
func (s *Server) figuresQuery(c echo.Context) (figures.Filter, []string, error) {
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
		if !slices.Contains(figuresParams, name) {
			return figures.Filter{}, nil, bad(name, "not a parameter of this endpoint; use %s", orList(figuresParams))
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
	cols, err := figures.GroupColumnsOf(groupBy)
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
