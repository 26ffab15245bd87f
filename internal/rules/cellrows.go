package rules

import (
	"context"
	"strings"

	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/upload"
)

// A cell's rows editor (the cell page) checks each row it is sent with the
// same rules as a row of an uploaded file, so that a value refused in one is
// refused in the other, in the same words.

// Source gives the reference lists; reference.Store is one.
type Source interface {
	Categories(ctx context.Context) ([]reference.Category, error)
	Sectors(ctx context.Context) ([]reference.Sector, error)
	Regions(ctx context.Context) ([]reference.Region, error)
	Aliases(ctx context.Context) (map[string]string, error)
}

// Load builds the rules from the lists src holds now, for months up to latest.
func Load(ctx context.Context, src Source, latest month.Month) (*Rules, error) {
	var l Lists
	var err error
	if l.Categories, err = src.Categories(ctx); err != nil {
		return nil, err
	}
	if l.Sectors, err = src.Sectors(ctx); err != nil {
		return nil, err
	}
	if l.Regions, err = src.Regions(ctx); err != nil {
		return nil, err
	}
	if l.Aliases, err = src.Aliases(ctx); err != nil {
		return nil, err
	}
	return New(l, latest), nil
}

// RowValues are one row of a cell's rows editor as typed.
type RowValues struct {
	Sector, Origin, Destination, Count, Note string
}

// Blank reports whether nothing was typed in the row (spaces are nothing),
// so that the editor's empty rows for adding are skipped.
func (v RowValues) Blank() bool {
	for _, s := range []string{v.Sector, v.Origin, v.Destination, v.Count, v.Note} {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// CellRow checks one row typed for the cell (m, direction, category) as Row
// checks a file's row with those month, direction and category: sectors and
// regions by code or name, the count by figures.ParseCount, the note as
// written. It returns the figure, or the problems of each bad value, each
// with the row's place pos.
func (r *Rules) CellRow(m month.Month, direction, category string, pos int, v RowValues) (figures.Figure, []figures.RowProblem) {
	var rec upload.Record
	rec.Line = pos
	rec.Values[upload.Month] = m.String()
	rec.Values[upload.Direction] = direction
	rec.Values[upload.Category] = category
	rec.Values[upload.Sector] = v.Sector
	rec.Values[upload.Origin] = v.Origin
	rec.Values[upload.Destination] = v.Destination
	rec.Values[upload.Count] = v.Count
	rec.Values[upload.Note] = v.Note
	f, issues := r.Row(rec)
	if len(issues) == 0 {
		return f, nil
	}
	out := make([]figures.RowProblem, len(issues))
	for i, is := range issues {
		out[i] = figures.RowProblem{Pos: pos, Column: is.Column, Msg: is.Msg}
	}
	return figures.Figure{}, out
}
