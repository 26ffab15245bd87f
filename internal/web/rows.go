package web

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/comments"
	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/plausibility"
	"hrx/internal/reference"
)

// rowsPage is one cell of a month: the figures that make its total, its
// flag, its history and its comments.
type rowsPage struct {
	Page
	Mon         month.Month // the month shown
	Direction   string
	Category    reference.Category
	Rows        []figureRow
	Total       int64
	History     []historyRow
	Flag        *monthFlag // the cell's total far from its recent level
	Thread      []threadItem
	CommentText string // a comment the person wrote, kept after a refusal
	// Version is the version of the rows shown (figures.CellRows), which the
	// rows editor's form carries.
	Version string
	Editor  *rowsEditor // the rows editor, for an editor while the month is open; nil otherwise
	Locked  string      // why the rows cannot be changed by the reader now; "" when they can
	Refusal string      // why the last save was refused (the rows changed, the month closed)
	// NotSaved are the rows the person sent in a refused save, as they typed them.
	NotSaved []editorRow
}

// historyRow is one change to a cell: who, when, through what, before and after.
type historyRow struct {
	At            time.Time
	When          string // At in the reader's zone
	Who           string
	Action        i18n.Msg // "update", "import" …
	Key           string   // the row changed, for a broken-down cell; "" for the cell itself
	Through       i18n.Msg // "month form", "import #12 (2025-09.csv)", …
	Before, After string
}

type figureRow struct {
	figures.Figure
	Sector, Origin, Destination placeName
}

// placeName is a sector's or region's name as the rows page shows it, with
// the language it is written in when that is not the page's ("" when it is).
type placeName struct {
	Name, Lang string
}

func (s *Server) rowsPage(c echo.Context) error {
	m, err := parseMonthParam(c)
	if err != nil {
		return err
	}
	p, err := s.buildRowsPage(c, m, c.QueryParam("direction"), c.QueryParam("category"))
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "rows", p)
}

// buildRowsPage lays out one cell of a month: its rows, its flag, its
// history and its comments.
func (s *Server) buildRowsPage(c echo.Context, m month.Month, dir, catCode string) (rowsPage, error) {
	ctx := c.Request().Context()
	if reference.DirectionName(dir) == "" {
		return rowsPage{}, apperr.New(apperr.NotFound, "month.rows.no_direction", "in_jp", reference.IndiaToJapan, "jp_in", reference.JapanToIndia)
	}
	p := rowsPage{Page: s.page(c, ""), Mon: m, Direction: dir}
	cat, err := s.category(ctx, catCode)
	if err != nil {
		return rowsPage{}, err
	}
	p.Category = cat
	p.Title = p.M("month.rows.title", "cell", cellLabel(p.L, p.Category, dir), "month", m)
	if err := s.addRows(ctx, &p); err != nil {
		return rowsPage{}, err
	}
	if err := s.addHistory(ctx, &p); err != nil {
		return rowsPage{}, err
	}
	flags, err := plausibility.NewStore(s.db).Month(ctx, nil, m)
	if err != nil {
		return rowsPage{}, err
	}
	for _, f := range flags {
		if f.Kind == plausibility.CellFlag && f.Cell == (plausibility.Cell{Direction: dir, Category: catCode}) {
			p.Flag = newMonthFlag(p.L, f, cellLabel(p.L, p.Category, dir))
		}
	}
	items, err := comments.NewStore(s.db).Cell(ctx, m, dir, catCode)
	if err != nil {
		return rowsPage{}, err
	}
	p.Thread = threadView(p.L, m, items, map[string]reference.Category{catCode: p.Category})
	if err := s.addRowsEditor(c, &p); err != nil {
		return rowsPage{}, err
	}
	return p, nil
}

// addRows adds the cell's figures, with the names of their sectors and regions.
func (s *Server) addRows(ctx context.Context, p *rowsPage) error {
	rows, version, err := s.figures.CellRows(ctx, p.Mon.String(), p.Direction, p.Category.Code)
	if err != nil {
		return err
	}
	p.Version = version
	sectors, err := s.ref.Sectors(ctx)
	if err != nil {
		return err
	}
	regions, err := s.ref.Regions(ctx)
	if err != nil {
		return err
	}
	// A name the reader's language has no word for is shown in English, marked as such.
	inEnglish := func(name, en string) placeName {
		if name == en && p.L.Lang != i18n.EN {
			return placeName{name, "en"}
		}
		return placeName{Name: name}
	}
	sn, rn := map[string]placeName{}, map[string]placeName{}
	for _, x := range sectors {
		sn[x.Code] = inEnglish(x.Name(p.L.Lang), x.NameEN)
	}
	for _, x := range regions {
		// Region names are kept in English and in their own country's language.
		name := x.NameEN
		if (p.L.Lang == i18n.JA && x.Country == "JP" || p.L.Lang == i18n.HI && x.Country == "IN") && x.NameLocal != "" {
			name = x.NameLocal
		}
		rn[x.Code] = inEnglish(name, x.NameEN)
	}
	for _, f := range rows {
		p.Rows = append(p.Rows, figureRow{Figure: f, Sector: sn[f.Sector], Origin: rn[f.Origin], Destination: rn[f.Destination]})
		p.Total += f.Count
	}
	return nil
}

// addHistory adds every change to the cell, newest first.
func (s *Server) addHistory(ctx context.Context, p *rowsPage) error {
	key := p.Mon.String() + "/" + p.Direction + "/" + p.Category.Code
	entries, err := s.audit.Cell(ctx, p.Mon.String(), key)
	if err != nil {
		return err
	}
	for _, e := range entries {
		h := historyRow{At: e.At, When: p.L.Time(e.At), Who: e.Actor, Action: historyAction(e.Action), Through: historyThrough(e.Reason),
			Before: cellValue(p.L, e.Before), After: cellValue(p.L, e.After)}
		if e.Entity == "figure" && e.EntityKey != key {
			h.Key = strings.TrimPrefix(e.EntityKey, key+"/")
		}
		p.History = append(p.History, h)
	}
	return nil
}

// cellValue writes what an audit entry kept of a figure ({"count": …}) or of
// a cell ({"total": …, "rows": …}) for a person: "1,234", "1,234 in 3 rows", "—".
func cellValue(l i18n.Locale, raw string) string {
	var v struct {
		Count, Total, Rows *int64
		Status             string
	}
	if raw == "" || json.Unmarshal([]byte(raw), &v) != nil {
		return "—"
	}
	switch {
	case v.Count != nil && v.Status == figures.Provisional:
		return l.Tr(i18n.M("month.history.provisional", "n", *v.Count))
	case v.Count != nil:
		return l.N(*v.Count)
	case v.Total != nil && v.Rows != nil && *v.Rows != 1:
		return l.Tr(i18n.M("month.history.in_rows", "total", *v.Total, "count", *v.Rows))
	case v.Total != nil:
		return l.N(*v.Total)
	}
	return "—"
}

// historyActions are the changes a cell's history names.
var historyActions = map[string]bool{"create": true, "update": true, "delete": true, "import": true, "revert": true, "insert": true, "confirm": true}

// historyAction names what an audit entry did to a cell, in the reader's words.
func historyAction(a string) i18n.Msg {
	if historyActions[a] {
		return i18n.M("month.history.action." + a)
	}
	return i18n.Text(a)
}

// importReasonRe reads how the audit log names an import: "import #12 (2025-09.csv)".
var importReasonRe = regexp.MustCompile(`^import #([0-9]+) \((.*)\)$`)

// historyThrough names how a change was made: the month form, an import, or
// the words given with a bulk insert, as they are.
func historyThrough(reason string) i18n.Msg {
	if reason == "month form" {
		return i18n.M("month.history.through.form")
	}
	if reason == figures.RowsReason {
		return i18n.M("audit.reason.rows_form")
	}
	if m := importReasonRe.FindStringSubmatch(reason); m != nil {
		return i18n.M("month.history.through.import", "id", m[1], "file", m[2])
	}
	return i18n.Text(reason)
}
