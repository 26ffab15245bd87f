package imports

import (
	"sort"

	"hrx/internal/approval"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/upload"
)

// lockRefusal is what a file would change in one locked month: the rows that
// would add or change a figure there (and the first of their lines), and for
// a replace the figures it would remove.
type lockRefusal struct {
	rows, removed int
	line          int
}

// lockRefusals gathers, month by month, what a file would change in months
// that are submitted or published, so that each month is refused once, not
// once a row.
type lockRefusals map[string]*lockRefusal

func (l lockRefusals) get(m string) *lockRefusal {
	r := l[m]
	if r == nil {
		r = &lockRefusal{}
		l[m] = r
	}
	return r
}

// refuse notes a row on line that would add or change a figure of month m.
func (l lockRefusals) refuse(m string, line int) {
	r := l.get(m)
	if r.rows == 0 || line < r.line {
		r.line = line
	}
	r.rows++
}

// removes notes that a replace would remove n figures of month m.
func (l lockRefusals) removes(m string, n int) {
	if n > 0 {
		l.get(m).removed = n
	}
}

// issues are the refusals, one a month in month order, each naming who
// locked the month and when, how many rows would change it and the first of
// their lines, and for a replace how many figures it would remove.
func (l lockRefusals) issues(states map[string]approval.MonthState) []upload.Issue {
	months := make([]string, 0, len(l))
	for m := range l {
		months = append(months, m)
	}
	sort.Strings(months)
	out := make([]upload.Issue, 0, len(months))
	for _, m := range months {
		r := l[m]
		st, ok := states[m]
		if !ok { // cannot happen: only locked months are refused
			mo, _ := month.Parse(m)
			st = approval.MonthState{Month: mo, State: approval.Published}
		}
		is := upload.Issue{Line: r.line, Column: "month", Value: m}
		switch {
		case r.rows > 0 && r.removed > 0:
			is.Msg = i18n.M("uploads.locked.rows_removed", "reason", st.LockMsg(), "count", r.rows, "line", r.line, "removed", r.removed)
		case r.rows > 0:
			is.Msg = i18n.M("uploads.locked.rows", "reason", st.LockMsg(), "count", r.rows, "line", r.line)
		default:
			is.Msg = i18n.M("uploads.locked.removed", "reason", st.LockMsg(), "count", r.removed)
		}
		out = append(out, is)
	}
	return out
}
