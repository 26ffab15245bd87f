package figures

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"hrx/internal/apperr"
)

// Row is one group of an aggregate: the grouping values and the people in it.
type Row struct {
	Month, Direction, Category, Sector, Origin, Destination string // only the grouped ones are set
	Count                                                   int64
}

// GroupColumns are the columns Aggregate may group by, in their canonical order.
var GroupColumns = []string{"month", "direction", "category", "sector", "origin", "destination"}

// Value returns the row's value of a group column ("" for a column that is not one).
func (r Row) Value(col string) string {
	if p := r.field(col); p != nil {
		return *p
	}
	return ""
}

func (r *Row) field(col string) *string {
	switch col {
	case "month":
		return &r.Month
	case "direction":
		return &r.Direction
	case "category":
		return &r.Category
	case "sector":
		return &r.Sector
	case "origin":
		return &r.Origin
	case "destination":
		return &r.Destination
	}
	return nil
}

// GroupColumnsOf checks a list of group columns: each must be one of
// GroupColumns. It returns them in the order given, without repeats, as the
// package's own strings (never the caller's), or an *apperr.ValidationError
// (field "group_by") naming the first unknown one.
func GroupColumnsOf(groupBy []string) ([]string, error) {
	out := make([]string, 0, len(groupBy))
	for _, g := range groupBy {
		i := slices.Index(GroupColumns, g)
		if i < 0 {
			var v apperr.ValidationError
			v.Add("group_by", "Group by", fmt.Sprintf("%q is not a column to group by; use %s",
				g, strings.Join(GroupColumns[:len(GroupColumns)-1], ", ")+" or "+GroupColumns[len(GroupColumns)-1]))
			return nil, &v
		}
		if !slices.Contains(out, GroupColumns[i]) {
			out = append(out, GroupColumns[i])
		}
	}
	return out, nil
}

// inTotals reports whether month_totals holds a column.
func inTotals(col string) bool { return col == "month" || col == "direction" || col == "category" }

// Aggregate sums the figures of the view matching f, grouped by the given columns (none:
// one total row, even when nothing matches), ordered by the group columns in
// the order given (byte order, the same on every database). It returns the
// rows and their grand total. A malformed filter or an unknown column is an
// *apperr.ValidationError and nothing is read.
//
// When the grouping and the filter use only month, direction and category,
// the sums come from month_totals (a few hundred rows kept in step with
// figures) instead of figures (possibly millions).
func (s *Store) Aggregate(ctx context.Context, v View, f Filter, groupBy []string) ([]Row, int64, error) {
	if err := f.Check(); err != nil {
		return nil, 0, err
	}
	cols, err := GroupColumnsOf(groupBy)
	if err != nil {
		return nil, 0, err
	}
	table, sum := v.totalsTable(), "total"
	if f.Sector != "" || f.Origin != "" || f.Destination != "" || !all(cols, inTotals) {
		table, sum = v.figuresTable(), "count"
	}

	var where []string
	var args []any
	if f.From != "" {
		where, args = append(where, "month >= ?"), append(args, f.From)
	}
	if f.To != "" {
		where, args = append(where, "month <= ?"), append(args, f.To)
	}
	for _, c := range []struct{ col, val string }{
		{"direction", f.Direction}, {"category", f.Category}, {"sector", f.Sector},
		{"origin", f.Origin}, {"destination", f.Destination},
	} {
		if c.val != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.val)
		}
	}

	// Every name in the statement is one of this package's constants.
	var q strings.Builder
	q.WriteString("SELECT ")
	for _, c := range cols {
		q.WriteString(c + ", ")
	}
	q.WriteString("CAST(COALESCE(SUM(" + sum + "), 0) AS BIGINT) AS people FROM " + table)
	if len(where) > 0 {
		q.WriteString(" WHERE " + strings.Join(where, " AND "))
	}
	if len(cols) > 0 {
		q.WriteString(" GROUP BY " + strings.Join(cols, ", "))
	}

	rows, err := s.db.R.WithContext(ctx).Raw(q.String(), args...).Rows()
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Row
	var total int64
	dest := make([]any, len(cols)+1)
	for rows.Next() {
		var r Row
		for i, c := range cols {
			dest[i] = r.field(c)
		}
		dest[len(cols)] = &r.Count
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, err
		}
		total += r.Count
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	// Sorted here rather than in SQL: PostgreSQL orders text by the database's
	// collation, SQLite by bytes; the API must not depend on which one runs.
	slices.SortFunc(out, func(a, b Row) int {
		for _, c := range cols {
			if n := cmp.Compare(a.Value(c), b.Value(c)); n != 0 {
				return n
			}
		}
		return 0
	})
	if out == nil {
		out = []Row{}
	}
	return out, total, nil
}

func all(cols []string, ok func(string) bool) bool {
	for _, c := range cols {
		if !ok(c) {
			return false
		}
	}
	return true
}
