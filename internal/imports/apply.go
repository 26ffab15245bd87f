package imports

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/figures"
)

// notApplicable refuses to apply an import that has errors, has expired, or
// was applied already (an apperr.Conflict: the import is not in a state to apply).
func (s *Store) notApplicable(im Import) error {
	switch {
	case im.State == Applied:
		return apperr.New(apperr.Conflict, "imports.apply.applied_already")
	case im.State == Reverted:
		return apperr.New(apperr.Conflict, "imports.apply.reverted")
	case im.State == Expired || !s.now().Before(im.ExpiresAt):
		return apperr.New(apperr.Conflict, "imports.apply.expired")
	case im.ErrorCount > 0:
		return apperr.New(apperr.Conflict, "imports.apply.has_errors", "count", im.ErrorCount)
	case im.RowCount == 0:
		return apperr.New(apperr.Conflict, "imports.apply.no_rows")
	}
	return nil
}

// Apply writes a staged import to the figures in one transaction: every row or,
// if anything fails, none. It writes exactly what the preview showed, and
// refuses if the figures of the file's months changed since. What it changes is
// recorded so that it can be reverted. Like Stage, it may answer that the
// server is busy.
func (s *Store) Apply(ctx context.Context, actor audit.Actor, id int64) (Import, error) {
	var im Import
	release, err := s.slots.acquire(ctx)
	if err != nil {
		return im, err
	}
	defer release()
	err = s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.applyIn(tx, actor, id, &im) })
	return im, err
}

// applyIn applies the staged import id inside tx, reading it into im: the
// checks, the figures, the import's state and the audit entry, all or none.
func (s *Store) applyIn(tx *gorm.DB, actor audit.Actor, id int64, im *Import) error {
	if err := tx.First(im, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.ErrNotFound
		}
		return err
	}
	if err := s.applyRefusal(tx, *im, approval.CheckOpen); err != nil {
		return err
	}
	if err := s.apply(tx, actor, im); err != nil {
		return err
	}
	now := s.now()
	im.State, im.AppliedAt = Applied, &now
	if err := tx.Model(&Import{}).Where("id = ?", im.ID).Updates(map[string]any{"state": Applied, "applied_at": now}).Error; err != nil {
		return err
	}
	return audit.Record(tx, actor, audit.Change{Action: "apply", Entity: "import", Key: fmt.Sprint(im.ID), Month: monthRange(*im),
		After: summaryOf(*im), Reason: im.FileName})
}

// openCheck refuses a change to months that are not open: approval.CheckOpen
// inside the writing transaction, approval.OpenNow when only asking.
type openCheck func(tx *gorm.DB, months ...string) error

// applyRefusal is why the import cannot be applied now, nil when it can: its
// state, a month of it that is locked, or figures of its months that changed
// since the preview.
func (s *Store) applyRefusal(tx *gorm.DB, im Import, open openCheck) error {
	if err := s.notApplicable(im); err != nil {
		return err
	}
	if err := open(tx, im.MonthList()...); err != nil {
		return err
	}
	fp, err := fingerprint(tx, im.checkedMonths())
	if err != nil {
		return err
	}
	if fp != im.Fingerprint {
		return apperr.New(apperr.Conflict, "imports.apply.changed_since", "months", monthRange(im))
	}
	return nil
}

// CheckApply answers, without writing or waiting for writers, whether Apply
// would refuse the import now, with the refusal Apply would give; so a page
// asks a person to confirm only what can go through. Apply checks again.
func (s *Store) CheckApply(ctx context.Context, id int64) (Import, error) {
	return s.check(ctx, id, func(tx *gorm.DB, im Import) error { return s.applyRefusal(tx, im, approval.OpenNow) })
}

// CheckRevert answers, like CheckApply, whether Revert would refuse the
// import now: it is not applied, a month of it is locked, or later changes
// touched its figures (named as Revert names them).
func (s *Store) CheckRevert(ctx context.Context, id int64) (Import, error) {
	return s.check(ctx, id, func(tx *gorm.DB, im Import) error { return s.revertRefusal(tx, im, approval.OpenNow) })
}

// check reads the import and asks refusal about it in one read transaction.
func (s *Store) check(ctx context.Context, id int64, refusal func(*gorm.DB, Import) error) (Import, error) {
	var im Import
	err := s.db.R.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&im, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.ErrNotFound
			}
			return err
		}
		return refusal(tx, im)
	})
	return im, err
}

func (s *Store) apply(tx *gorm.DB, actor audit.Actor, im *Import) error {
	if im.NewCount+im.ChangedCount+im.RemovedCount == 0 {
		return nil
	}
	now := s.now()
	// Keep the values the changed figures had, for revert (a file of new
	// figures changes none: then there is no need to read its rows for them).
	if im.ChangedCount > 0 {
		if err := tx.Exec(`INSERT INTO import_changes (import_id, kind, `+figures.KeyColumns+`, old_count, old_status, old_source, old_note, old_import_id)
			SELECT r.import_id, 'changed', f.month, f.direction, f.category, f.sector, f.origin, f.destination, f.count, f.status, f.source, f.note, f.import_id
			FROM import_rows r JOIN figures f ON `+figures.KeyJoin("f", "r")+` WHERE r.import_id = ? AND r.action = 'changed'`, im.ID).Error; err != nil {
			return err
		}
	}
	return figures.ApplyImport(tx, actor, figures.ImportWrite{ID: im.ID, Months: im.MonthList(), Reason: importReason(*im), At: now})
}

// importReason is how the audit log names an import in a cell's history.
func importReason(im Import) string { return fmt.Sprintf("import #%d (%s)", im.ID, im.FileName) }

// revertConflict refuses a revert because later changes touched total rows
// of the import, naming the first few by their keys (month/direction/category/…).
func revertConflict(total int64, rows []string) error {
	list := strings.Join(rows, ", ")
	if total > int64(len(rows)) {
		list += ", …"
	}
	return apperr.New(apperr.Conflict, "imports.revert.conflict", "count", total, "rows", list)
}

// Revert restores every figure an applied import changed to what it was before,
// removes what it added and puts back what it removed, in one transaction. It
// refuses, naming the rows, when a later change touched any of them. Like
// Stage, it may answer that the server is busy.
func (s *Store) Revert(ctx context.Context, actor audit.Actor, id int64) (Import, error) {
	var im Import
	release, err := s.slots.acquire(ctx)
	if err != nil {
		return im, err
	}
	defer release()
	err = s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&im, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.ErrNotFound
			}
			return err
		}
		if err := s.revertRefusal(tx, im, approval.CheckOpen); err != nil {
			return err
		}
		now := s.now()
		if err := figures.RevertImport(tx, actor, figures.ImportWrite{ID: im.ID, Months: im.MonthList(), Reason: importReason(im), At: now}); err != nil {
			return err
		}
		im.State, im.RevertedAt, im.RevertedBy = Reverted, &now, actor.Name
		if err := tx.Model(&Import{}).Where("id = ?", im.ID).Updates(map[string]any{"state": Reverted, "reverted_at": now, "reverted_by": actor.Name}).Error; err != nil {
			return err
		}
		return audit.Record(tx, actor, audit.Change{Action: "revert", Entity: "import", Key: fmt.Sprint(im.ID), Month: monthRange(im),
			Before: summaryOf(im), Reason: im.FileName})
	})
	return im, err
}

// revertRefusal is why the import cannot be reverted now, nil when it can:
// it is not applied, a month of it is locked, or later changes touched it.
func (s *Store) revertRefusal(tx *gorm.DB, im Import, open openCheck) error {
	if im.State != Applied {
		return apperr.New(apperr.Conflict, "imports.revert.not_applied", "state", im.StateMsg())
	}
	if err := open(tx, im.MonthList()...); err != nil {
		return err
	}
	return s.revertConflicts(tx, im)
}

func (s *Store) revertConflicts(tx *gorm.DB, im Import) error {
	// Rows the import wrote must still be as it left them; rows it removed must still be absent.
	written := `SELECT r.month, r.direction, r.category, r.sector, r.origin, r.destination
		FROM import_rows r LEFT JOIN figures f ON ` + figures.KeyJoin("f", "r") + `
		WHERE r.import_id = ? AND r.action <> 'unchanged' AND (f.id IS NULL OR f.import_id IS NULL OR f.import_id <> ?)`
	removed := `SELECT c.month, c.direction, c.category, c.sector, c.origin, c.destination
		FROM import_changes c JOIN figures f ON ` + figures.KeyJoin("f", "c") + ` WHERE c.import_id = ? AND c.kind = 'removed'`
	// Quick check first: every figure the import wrote still carries its mark
	// (a later save or import replaces the mark), and nothing it removed is back.
	var marked, back int64
	if err := tx.Raw("SELECT COUNT(*) FROM figures WHERE import_id = ?", im.ID).Scan(&marked).Error; err != nil {
		return err
	}
	if err := tx.Raw("SELECT COUNT(*) FROM ("+removed+") AS back", im.ID).Scan(&back).Error; err != nil {
		return err
	}
	if marked == im.NewCount+im.ChangedCount && back == 0 {
		return nil
	}
	var total int64
	if err := tx.Raw("SELECT COUNT(*) FROM ("+written+" UNION ALL "+removed+") AS touched", im.ID, im.ID, im.ID).Scan(&total).Error; err != nil {
		return err
	}
	if total == 0 {
		return nil
	}
	var rows []figures.Figure
	if err := tx.Raw("SELECT * FROM ("+written+" UNION ALL "+removed+") AS touched ORDER BY month, direction, category, sector, origin, destination LIMIT 20", im.ID, im.ID, im.ID).Scan(&rows).Error; err != nil {
		return err
	}
	keys := make([]string, len(rows))
	for i, f := range rows {
		keys[i] = f.Key()
	}
	return revertConflict(total, keys)
}

func monthRange(im Import) string {
	ms := im.MonthList()
	switch len(ms) {
	case 0:
		return ""
	case 1:
		return ms[0]
	}
	return ms[0] + ".." + ms[len(ms)-1]
}

func summaryOf(im Import) map[string]any {
	return map[string]any{"file": im.FileName, "sha256": im.SHA256, "mode": im.Mode, "rows": im.RowCount,
		"new": im.NewCount, "changed": im.ChangedCount, "unchanged": im.UnchangedCount, "removed": im.RemovedCount}
}
