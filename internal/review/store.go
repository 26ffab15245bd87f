package review

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/month"
)

// Store reads what a review needs: the month's state, its totals as they are
// (month_totals) and as last published (published_totals), and the audit log.
type Store struct{ db *db.DB }

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// MaxEdits is how many audit entries of changes a review reads; older ones
// are left out (Review.More) and are in the audit log.
const MaxEdits = 500

// Month compares month m as its figures are now with its last publication,
// or, if it was never published, with the latest earlier month with figures,
// and lists the changes since that publication.
func (s *Store) Month(ctx context.Context, m month.Month) (Review, error) {
	r := Review{Month: m}
	err := s.db.R.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := approval.StateOf(tx, m)
		if err != nil {
			return err
		}
		after, err := totals(tx, "month_totals", m)
		if err != nil {
			return err
		}
		var before map[Cell]int64
		switch {
		case st.EverPublished():
			r.Base = Base{Kind: LastPublication, By: st.PublishedBy, NothingToReport: st.NothingToReport}
			if st.PublishedAt != nil {
				r.Base.At = *st.PublishedAt
			}
			if before, err = totals(tx, "published_totals", m); err != nil {
				return err
			}
		default:
			var earlier []month.Month
			if err := tx.Raw("SELECT MAX(month) FROM month_totals WHERE month < ? HAVING COUNT(*) > 0", m).Scan(&earlier).Error; err != nil {
				return err
			}
			if len(earlier) == 1 && earlier[0] != month.Zero {
				r.Base = Base{Kind: EarlierMonth, Month: earlier[0]}
				if before, err = totals(tx, "month_totals", earlier[0]); err != nil {
					return err
				}
			}
		}
		r.Cells = Compare(before, after)
		r.Edits, r.More, err = edits(tx, m)
		return err
	})
	return r, err
}

// totals reads one month's cell totals from table (month_totals or published_totals).
func totals(tx *gorm.DB, table string, m month.Month) (map[Cell]int64, error) {
	var rows []struct {
		Direction, Category string
		Total               int64
	}
	if err := tx.Table(table).Select("direction, category, total").Where("month = ?", m).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[Cell]int64, len(rows))
	for _, x := range rows {
		out[Cell{x.Direction, x.Category}] = x.Total
	}
	return out, nil
}

// edits reads the changes to month m's figures after its last publication,
// oldest first: each figure changed on the month form, and each import,
// revert or load as one edit with the number of the month's cells it changed
// (the audit log records one entry for each cell they change, in one
// transaction, so that a run of entries with the same action, reason and
// person is one of them).
func edits(tx *gorm.DB, m month.Month) ([]Edit, bool, error) {
	var since int64
	if err := tx.Model(&audit.Entry{}).Select("COALESCE(MAX(id), 0)").
		Where("month = ? AND entity = ? AND action = ?", m.String(), "month", string(approval.Publish)).Scan(&since).Error; err != nil {
		return nil, false, err
	}
	var entries []audit.Entry
	if err := tx.Where("month = ? AND id > ? AND (entity = ? OR (entity = ? AND action IN ?))", m.String(), since,
		"figure", "cell", []string{string(ImportEdit), string(RevertEdit), string(LoadEdit)}).
		Order("id DESC").Limit(MaxEdits + 1).Find(&entries).Error; err != nil {
		return nil, false, err
	}
	more := len(entries) > MaxEdits
	if more {
		entries = entries[:MaxEdits]
	}
	slices.Reverse(entries)
	var out []Edit
	for _, e := range entries {
		if e.Entity == "figure" {
			out = append(out, Edit{Kind: FigureEdit, At: e.At, Actor: e.Actor, Entry: e})
			continue
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.Kind == EditKind(e.Action) && last.Entry.Reason == e.Reason && last.Actor == e.Actor && last.Entry.Entity == "cell" {
				last.Cells++
				continue
			}
		}
		ed := Edit{Kind: EditKind(e.Action), At: e.At, Actor: e.Actor, Entry: e, Cells: 1}
		if ed.Kind != LoadEdit {
			ed.ImportID, ed.File, _ = audit.ImportReason(e.Reason)
		}
		out = append(out, ed)
	}
	return out, more, nil
}
