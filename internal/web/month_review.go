package web

import (
	"context"
	"time"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/comments"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/plausibility"
	"hrx/internal/reference"
	"hrx/internal/review"
	"hrx/internal/users"
)

// monthNotes are what the month page shows beside the figures: the
// plausibility flags of each cell and of the month's total, the review of
// what changed (nil when the page does not show it), and how many comments
// each cell has.
type monthNotes struct {
	flags  map[plausibility.Cell]plausibility.Flag
	totals []plausibility.Flag
	review *review.Review
	counts map[string]int
}

// showsReview says whether the month page shows what changed since the last
// publication: to everyone while the month is submitted, and to the people
// who change its figures while it is open.
func showsReview(u *users.User, st approval.MonthState) bool {
	switch st.State {
	case approval.Submitted:
		return true
	case approval.Open:
		return u != nil && u.Can(users.Editor)
	}
	return false
}

// loadMonthNotes reads month m's flags, comment counts and, withReview, its review.
func (s *Server) loadMonthNotes(ctx context.Context, m month.Month, withReview bool) (monthNotes, error) {
	n := monthNotes{flags: map[plausibility.Cell]plausibility.Flag{}}
	flags, err := plausibility.NewStore(s.db).Month(ctx, nil, m)
	if err != nil {
		return n, err
	}
	for _, f := range flags {
		if f.Kind == plausibility.TotalFlag {
			n.totals = append(n.totals, f)
		} else {
			n.flags[f.Cell] = f
		}
	}
	if withReview {
		r, err := review.NewStore(s.db).Month(ctx, m)
		if err != nil {
			return n, err
		}
		n.review = &r
	}
	n.counts, err = comments.NewStore(s.db).Counts(ctx, m)
	return n, err
}

// compares says whether the page shows each cell's change: there is a
// review, and something to compare the month with.
func (n monthNotes) compares() bool { return n.review != nil && n.review.Base.Kind != review.NoBase }

// change is one cell's change in the review; false when the page shows none.
func (n monthNotes) change(direction, category string) (review.Change, bool) {
	if !n.compares() {
		return review.Change{}, false
	}
	return n.review.Cell(direction, category), true
}

// monthFlag is a plausibility flag as the month page shows it: beside its cell
// (or the month's total) an icon whose shape says which way (▲ above, ▼
// below) with a few words, which open to the sentence; in the review, the
// cell's name with them.
type monthFlag struct {
	Icon, Short, Words string
	Cell               string // the cell's name, or the month's total
}

func newMonthFlag(l i18n.Locale, f plausibility.Flag, cell i18n.Msg) *monthFlag {
	v := &monthFlag{Icon: "▼", Short: l.Tr(f.Short()), Words: l.Tr(f.Msg()), Cell: l.Tr(cell)}
	if f.Up {
		v.Icon = "▲"
	}
	return v
}

// diffView is a cell's change as the grid shows it under the cell: "75 → 412
// (+337, +449.3%)", or "unchanged"; Way is up, down or same, for its look.
type diffView struct {
	Text string
	Way  string
}

// newDiffView writes a change; nil when it has figures on neither side.
func newDiffView(l i18n.Locale, c review.Change) *diffView {
	if !c.HadBefore && !c.HasAfter {
		return nil
	}
	if c.Same() {
		return &diffView{Text: l.Tr(i18n.M("review.diff.same")), Way: "same"}
	}
	side := func(v int64, ok bool) any {
		if !ok {
			return i18n.M("review.diff.none")
		}
		return v
	}
	v := &diffView{Way: "same"}
	switch d := c.Diff(); {
	case d > 0:
		v.Way = "up"
	case d < 0:
		v.Way = "down"
	}
	before, after, diff := side(c.Before, c.HadBefore), side(c.After, c.HasAfter), signed(l, c.Diff())
	if p, ok := c.Percent(); ok {
		v.Text = l.Tr(i18n.M("review.diff.percent", "before", before, "after", after, "diff", diff, "percent", signedPercent(l, p)))
	} else {
		v.Text = l.Tr(i18n.M("review.diff.plain", "before", before, "after", after, "diff", diff))
	}
	return v
}

// signed writes a difference with its sign: "+337", "−337" (a minus sign,
// not a hyphen), "0".
func signed(l i18n.Locale, d int64) string {
	switch {
	case d > 0:
		return "+" + l.N(d)
	case d < 0:
		return "−" + l.N(-d)
	}
	return l.N(0)
}

// signedPercent writes a per cent with its sign and one decimal: "+449.3%".
func signedPercent(l i18n.Locale, p float64) string {
	switch {
	case p > 0:
		return "+" + l.Percent(p)
	case p < 0:
		return "−" + l.Percent(-p)
	}
	return l.Percent(0)
}

// reviewView is the review section of the month page.
type reviewView struct {
	Heading   string
	Lede      string
	DiffLabel string // read before each cell's change: "Since the last publication:"
	Flags     []monthFlag
	Edits     []editView
	NoEdits   string // said when there are no edits
	More      bool
}

// editView is one change behind the differences.
type editView struct {
	At       time.Time
	Who      string
	What     string
	ImportID string // links to the import, for an import applied or reverted
}

// newReviewView writes the review for the reader; cats are the grid's
// categories in its order, for the flags' cells.
func (s *Server) newReviewView(ctx context.Context, l i18n.Locale, n monthNotes, cats []reference.Category) (*reviewView, error) {
	r := n.review
	m := r.Month
	v := &reviewView{}
	total := r.Total()
	changed := r.ChangedCells()
	switch b := r.Base; b.Kind {
	case review.LastPublication:
		v.Heading = l.Tr(i18n.M("review.heading.published"))
		v.DiffLabel = l.Tr(i18n.M("review.diff.label_published"))
		id := "review.lede.published"
		if b.NothingToReport {
			id = "review.lede.nothing"
		}
		v.Lede = l.Tr(i18n.M(id, "month", m, "who", b.By, "when", b.At, "count", changed, "total", newDiffText(l, total)))
	case review.EarlierMonth:
		v.Heading = l.Tr(i18n.M("review.heading.earlier", "month", b.Month))
		v.DiffLabel = l.Tr(i18n.M("review.diff.label_earlier", "month", b.Month))
		v.Lede = l.Tr(i18n.M("review.lede.earlier", "month", m, "earlier", b.Month, "count", changed, "total", newDiffText(l, total)))
	default:
		v.Heading = l.Tr(i18n.M("review.heading.first"))
		v.Lede = l.Tr(i18n.M("review.lede.first", "month", m))
	}
	for _, cat := range cats {
		for _, d := range reference.Directions {
			if f, ok := n.flags[plausibility.Cell{Direction: d.Code, Category: cat.Code}]; ok {
				v.Flags = append(v.Flags, *newMonthFlag(l, f, cellLabel(l, cat, d.Code)))
			}
		}
	}
	for _, f := range n.totals {
		v.Flags = append(v.Flags, *newMonthFlag(l, f, i18n.M("review.flags.total", "month", m)))
	}
	names, err := s.auditNames(ctx, l)
	if err != nil {
		return nil, err
	}
	for _, e := range r.Edits {
		v.Edits = append(v.Edits, editView{At: e.At, Who: e.Actor, What: l.Tr(editWords(e, m, names)), ImportID: e.ImportID})
	}
	v.More = r.More
	v.NoEdits = l.Tr(i18n.M("review.edits.none_new", "month", m))
	if r.Base.Kind == review.LastPublication {
		v.NoEdits = l.Tr(i18n.M("review.edits.none", "month", m))
	}
	return v, nil
}

// newDiffText is a change in words for a sentence, "—" when there is none.
func newDiffText(l i18n.Locale, c review.Change) string {
	if d := newDiffView(l, c); d != nil {
		return d.Text
	}
	return "—"
}

// editWords says what one edit behind the differences did.
func editWords(e review.Edit, m month.Month, names audit.Names) i18n.Msg {
	switch e.Kind {
	case review.ImportEdit, review.RevertEdit:
		if e.ImportID != "" {
			return i18n.M("review.edit."+string(e.Kind), "id", e.ImportID, "file", e.File, "count", e.Cells, "month", m)
		}
	case review.LoadEdit:
		return i18n.M("review.edit.insert", "reason", audit.ReasonMsg(e.Entry), "count", e.Cells, "month", m)
	}
	return audit.Describe(e.Entry, names)
}
