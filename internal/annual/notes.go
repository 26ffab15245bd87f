package annual

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/bodies"
	"hrx/internal/completeness"
	"hrx/internal/month"
)

// Revision is a month of the year that was reopened and published again:
// why it was reopened, and when it was published again.
type Revision struct {
	Month       month.Month
	Reopened    time.Time
	Reason      string // the reopening's reason, as its approver wrote it
	Republished time.Time
}

// Revisions reads the year's revisions from the audit log's month moves
// (entity "month", any order): each reopening followed by a publication of
// the same month. A month reopened and not yet published again is left
// out: the public still sees its earlier publication.
func Revisions(entries []audit.Entry, y Year) []Revision {
	es := slices.Clone(entries)
	slices.SortFunc(es, func(a, b audit.Entry) int { return cmp.Compare(a.ID, b.ID) })
	open := map[month.Month]*Revision{}
	var out []Revision
	for _, e := range es {
		m, err := month.Parse(e.EntityKey)
		if e.Entity != "month" || err != nil || !y.Contains(m) {
			continue
		}
		switch e.Action {
		case "reopen":
			if open[m] == nil { // the first reopening since the last publication says why
				open[m] = &Revision{Month: m, Reopened: e.At, Reason: e.Reason}
			}
		case "publish":
			if r := open[m]; r != nil {
				r.Republished = e.At
				out = append(out, *r)
				delete(open, m)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Revision) int { return cmp.Compare(a.Month, b.Month) })
	return out
}

// FlagNote is a figure of the year flagged as far from its recent level
// and published as it is, with the publisher's reason.
type FlagNote struct {
	Month               month.Month
	Direction, Category string // both "" for a month's total
	Value               int64
	Reason              string
	At                  time.Time
}

// Total reports whether the note is about a month's total.
func (f FlagNote) Total() bool { return f.Direction == "" }

// Flags picks the confirmations behind what the public sees: for each flag
// of a month of the year that is public, the latest confirmation given by
// its last publication. Months published as "nothing to report" have none.
func Flags(confs []approval.FlagConfirmation, states map[month.Month]approval.MonthState, y Year) []FlagNote {
	latest := map[string]approval.FlagConfirmation{}
	for _, c := range confs {
		st, ok := states[c.Month]
		if !y.Contains(c.Month) || !ok || !st.Public() || st.NothingToReport || st.PublishedAt == nil || c.ConfirmedAt.After(*st.PublishedAt) {
			continue
		}
		if old, seen := latest[c.FlagKey]; !seen || c.ConfirmedAt.After(old.ConfirmedAt) || c.ConfirmedAt.Equal(old.ConfirmedAt) && c.ID > old.ID {
			latest[c.FlagKey] = c
		}
	}
	out := make([]FlagNote, 0, len(latest))
	for key, c := range latest {
		f := FlagNote{Month: c.Month, Value: c.Value, Reason: c.Reason, At: c.ConfirmedAt}
		// "2025-10/IN-JP/student" for a cell, "2025-10/total" for a total.
		if parts := strings.Split(key, "/"); len(parts) == 3 {
			f.Direction, f.Category = parts[1], parts[2]
		}
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b FlagNote) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.Direction, b.Direction), cmp.Compare(a.Category, b.Category))
	})
	return out
}

// LateMonth is a month whose figures came, for some cells, after their
// body's due date.
type LateMonth struct {
	Month     month.Month
	Late, Due int           // the cells that came late, of the cells due
	Bodies    []bodies.Body // the bodies with a late cell, in the bodies' order
}

// Late lists the months of a completeness result that had a late cell,
// among the months public says the public sees.
func Late(r completeness.Result, public func(month.Month) bool) []LateMonth {
	var out []LateMonth
	for i, m := range r.Months {
		if !public(m) || i >= len(r.ByMonth) || r.ByMonth[i].Of(completeness.Late) == 0 {
			continue
		}
		lm := LateMonth{Month: m, Late: r.ByMonth[i].Of(completeness.Late), Due: r.ByMonth[i].Due()}
		for j, o := range r.Owners {
			if r.Grid[i][j].Of(completeness.Late) > 0 {
				lm.Bodies = append(lm.Bodies, o)
			}
		}
		out = append(out, lm)
	}
	return out
}
