package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/comments"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
)

// threadItem is one entry of a month's or a cell's thread as a page shows it.
type threadItem struct {
	When    string // when it was written, in the reader's zone
	ISO     string // the same, for <time datetime>
	Author  string
	Label   string // what kind of entry: "Sent back to open"; "" for a comment
	Cell    string // the cell a comment is about, on the month's thread: "on Students, India to Japan"
	CellURL string // the cell's rows page, where its thread is
	Text    string // the person's own words
}

// threadLabels name the entries that are not plain comments.
var threadLabels = map[comments.Kind]string{
	comments.Return:  "comments.kind.return",
	comments.Reopen:  "comments.kind.reopen",
	comments.Publish: "comments.kind.publish",
	comments.Nothing: "comments.kind.nothing_to_report",
}

// threadView writes month m's thread for the reader; byCode names the cells.
func threadView(l i18n.Locale, m month.Month, items []comments.Item, byCode map[string]reference.Category) []threadItem {
	out := make([]threadItem, len(items))
	for i, it := range items {
		v := threadItem{When: l.Time(it.At), ISO: it.At.UTC().Format(time.RFC3339), Author: it.Author, Text: it.Text}
		if id, ok := threadLabels[it.Kind]; ok {
			v.Label = l.Tr(i18n.M(id))
		}
		if it.OnCell() {
			cat, ok := byCode[it.Category]
			if !ok {
				cat = reference.Category{Code: it.Category, NameEN: it.Category}
			}
			v.Cell = l.Tr(i18n.M("comments.on_cell", "cell", cellLabel(l, cat, it.Direction)))
			v.CellURL = rowsURL(m, it.Direction, it.Category)
		}
		out[i] = v
	}
	return out
}

// monthThread is the thread of the whole month, for its page.
func (s *Server) monthThread(ctx context.Context, l i18n.Locale, m month.Month, cats []reference.Category) ([]threadItem, error) {
	items, err := comments.NewStore(s.db).Month(ctx, m)
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]reference.Category, len(cats))
	for _, c := range cats {
		byCode[c.Code] = c
	}
	return threadView(l, m, items, byCode), nil
}

// commentForm is a comment posted from a month's page (no cell) or from a
// cell's rows page (direction and category).
type commentForm struct {
	Text      string `form:"comment_text"`
	Direction string `form:"direction"`
	Category  string `form:"category"`
}

// addComment adds a comment on a month or a cell: POST /months/{month}/comments.
// It goes back to the thread it was written in; a refused text is shown
// again with its message beside the field.
func (s *Server) addComment(c echo.Context) error {
	m, err := parseMonthParam(c)
	if err != nil {
		return err
	}
	var f commentForm
	if err := decode(c, &f); err != nil {
		return err
	}
	u := currentUser(c)
	ctx := c.Request().Context()
	added, err := comments.NewStore(s.db).Add(ctx, u.Actor(), u.Role, comments.New{Month: m, Direction: f.Direction, Category: f.Category, Body: f.Text})
	var ve *apperr.ValidationError
	switch {
	case errors.As(err, &ve) && f.Direction == "" && f.Category == "":
		g, err := s.figures.Grid(ctx, m.String())
		if err != nil {
			return err
		}
		p, err := s.buildMonthPage(c, m, g, nil, ve)
		if err != nil {
			return err
		}
		p.CommentText = f.Text
		return c.Render(http.StatusUnprocessableEntity, "month", p)
	case errors.As(err, &ve):
		p, err := s.buildRowsPage(c, m, f.Direction, f.Category)
		if err != nil {
			return err
		}
		p.Errors, p.CommentText = ve, f.Text
		return c.Render(http.StatusUnprocessableEntity, "rows", p)
	case err != nil:
		return err
	}
	if !added.OnCell() {
		s.flash(c, i18n.M("comments.added.month", "month", m))
		return c.Redirect(http.StatusSeeOther, "/months/"+m.String()+"#comments")
	}
	cat, err := s.category(ctx, added.Category)
	if err != nil {
		return err
	}
	s.flash(c, i18n.M("comments.added.cell", "cell", cellLabel(s.localeOf(c), cat, added.Direction), "month", m))
	return c.Redirect(http.StatusSeeOther, rowsURL(m, added.Direction, added.Category)+"#comments")
}

// rowsURL is the address of a cell's rows page.
func rowsURL(m month.Month, direction, category string) string {
	return "/months/" + m.String() + "/rows?" + url.Values{"direction": {direction}, "category": {category}}.Encode()
}

// category is the category with code, for naming a cell.
func (s *Server) category(ctx context.Context, code string) (reference.Category, error) {
	cats, err := s.ref.Categories(ctx)
	if err != nil {
		return reference.Category{}, err
	}
	for _, c := range cats {
		if c.Code == code {
			return c, nil
		}
	}
	return reference.Category{}, apperr.New(apperr.NotFound, "month.rows.no_category", "category", code)
}

// CommentMax is the longest comment, in characters, for the form.
func (monthPage) CommentMax() int { return comments.MaxLength }

// CommentMax is the longest comment, in characters, for the form.
func (rowsPage) CommentMax() int { return comments.MaxLength }

// ColDiff is direction i's total change, nil when the page does not review it.
func (p monthPage) ColDiff(i int) *diffView {
	if i < len(p.ColDiffs) {
		return p.ColDiffs[i]
	}
	return nil
}
