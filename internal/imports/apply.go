package imports

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/figures"
)

// ErrNotApplicable means the import cannot be applied: it has errors, has expired,
// or was applied already.
type ErrNotApplicable struct{ Reason string }

func (e *ErrNotApplicable) Error() string { return e.Reason }

func (s *Store) notApplicable(im Import) error {
	switch {
	case im.State == Applied:
		return &ErrNotApplicable{"This file was applied already."}
	case im.State == Reverted:
		return &ErrNotApplicable{"This import was applied and then reverted; upload the file again to apply it."}
	case im.State == Expired || !s.now().Before(im.ExpiresAt):
		return &ErrNotApplicable{"This preview has expired (previews last 24 hours); upload the file again."}
	case im.ErrorCount > 0:
		return &ErrNotApplicable{fmt.Sprintf("The file has %d errors; correct them and upload it again. Nothing has been applied.", im.ErrorCount)}
	case im.RowCount == 0:
		return &ErrNotApplicable{"The file has no rows to apply."}
	}
	return nil
}

// Apply writes a staged import to the figures in one transaction: every row or,
// if anything fails, none. What it changes is recorded so that it can be reverted.
func (s *Store) Apply(ctx context.Context, actor audit.Actor, id int64) (Import, error) {
	var im Import
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&im, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.ErrNotFound
			}
			return err
		}
		if err := s.notApplicable(im); err != nil {
			return err
		}
		// Count again inside the transaction: the figures may have changed since the preview.
		if err := s.count(tx, &im); err != nil {
			return err
		}
		if err := s.apply(tx, actor, &im); err != nil {
			return err
		}
		now := s.now()
		im.State, im.AppliedAt = Applied, &now
		if err := tx.Model(&Import{}).Where("id = ?", im.ID).Updates(map[string]any{"state": Applied, "applied_at": now}).Error; err != nil {
			return err
		}
		// The staged rows are no longer needed: import_changes keeps what revert needs.
		if err := tx.Exec("DELETE FROM import_rows WHERE import_id = ?", im.ID).Error; err != nil {
			return err
		}
		return audit.Record(tx, actor, audit.Change{Action: "apply", Entity: "import", Key: fmt.Sprint(im.ID), Month: monthRange(im),
			After: summaryOf(im), Reason: im.FileName})
	})
	return im, err
}

func (s *Store) apply(tx *gorm.DB, actor audit.Actor, im *Import) error {
	now := s.now()
	var by any
	if actor.UserID != 0 {
		by = actor.UserID
	}
	keys := "month, direction, category, sector, origin, destination"
	steps := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO import_changes (import_id, kind, ` + keys + `)
			SELECT ?, 'added', r.month, r.direction, r.category, r.sector, r.origin, r.destination
			FROM import_rows r LEFT JOIN figures f ON ` + keyJoin("f", "r") + ` WHERE r.import_id = ? AND f.id IS NULL`, []any{im.ID, im.ID}},
		{`INSERT INTO import_changes (import_id, kind, ` + keys + `, old_count, old_status, old_source, old_note)
			SELECT ?, 'changed', f.month, f.direction, f.category, f.sector, f.origin, f.destination, f.count, f.status, f.source, f.note
			FROM import_rows r JOIN figures f ON ` + keyJoin("f", "r") + ` WHERE r.import_id = ?
			AND (f.count <> r.count OR f.status <> r.status OR f.source <> r.source OR f.note <> r.note)`, []any{im.ID, im.ID}},
	}
	if im.Mode == Replace {
		notInFile := `FROM figures f WHERE f.month IN ? AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.import_id = ? AND ` + keyJoin("r", "f") + `)`
		steps = append(steps,
			struct {
				sql  string
				args []any
			}{`INSERT INTO import_changes (import_id, kind, ` + keys + `, old_count, old_status, old_source, old_note)
				SELECT ?, 'removed', f.month, f.direction, f.category, f.sector, f.origin, f.destination, f.count, f.status, f.source, f.note ` + notInFile,
				[]any{im.ID, im.MonthList(), im.ID}},
			struct {
				sql  string
				args []any
			}{`DELETE FROM figures WHERE id IN (SELECT f.id ` + notInFile + `)`, []any{im.MonthList(), im.ID}},
		)
	}
	steps = append(steps, struct {
		sql  string
		args []any
	}{`INSERT INTO figures (` + keys + `, count, status, source, note, version, updated_by, import_id, created_at, updated_at)
		SELECT ` + keys + `, count, status, source, note, 1, ?, ?, ?, ? FROM import_rows WHERE import_id = ?
		ON CONFLICT (` + keys + `) DO UPDATE SET
			count = excluded.count, status = excluded.status, source = excluded.source, note = excluded.note,
			version = figures.version + 1, updated_by = excluded.updated_by, import_id = excluded.import_id, updated_at = excluded.updated_at
		WHERE figures.count <> excluded.count OR figures.status <> excluded.status OR figures.source <> excluded.source OR figures.note <> excluded.note`,
		[]any{by, im.ID, now, now, im.ID}})
	for _, st := range steps {
		if err := tx.Exec(st.sql, st.args...).Error; err != nil {
			return err
		}
	}
	if im.NewCount+im.ChangedCount+im.RemovedCount == 0 {
		return nil
	}
	if err := figures.RefreshTotals(tx, im.MonthList()); err != nil {
		return err
	}
	return figures.BumpVersion(tx)
}

// RevertConflict refuses a revert because later changes touched rows of the import.
type RevertConflict struct {
	Total int64
	Rows  []string // the first few keys, as month/direction/category/…
}

func (e *RevertConflict) Error() string {
	return fmt.Sprintf("%d rows of this import were changed after it was applied (%s%s); revert them by hand or upload a corrected file",
		e.Total, strings.Join(e.Rows, ", "), map[bool]string{true: ", …", false: ""}[e.Total > int64(len(e.Rows))])
}

// Revert restores every figure an applied import changed to what it was before,
// removes what it added and puts back what it removed, in one transaction. It
// refuses, naming the rows, when a later change touched any of them.
func (s *Store) Revert(ctx context.Context, actor audit.Actor, id int64) (Import, error) {
	var im Import
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&im, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.ErrNotFound
			}
			return err
		}
		if im.State != Applied {
			return &ErrNotApplicable{"Only an applied import can be reverted; this one is " + im.State + "."}
		}
		if err := s.revertConflicts(tx, im); err != nil {
			return err
		}
		now := s.now()
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		steps := []struct {
			sql  string
			args []any
		}{
			{`DELETE FROM figures WHERE id IN (SELECT f.id FROM import_changes c JOIN figures f ON ` + keyJoin("f", "c") + ` WHERE c.import_id = ? AND c.kind = 'added')`, []any{im.ID}},
			{`UPDATE figures SET count = c.old_count, status = c.old_status, source = c.old_source, note = c.old_note,
				version = figures.version + 1, import_id = NULL, updated_by = ?, updated_at = ?
				FROM import_changes c WHERE c.import_id = ? AND c.kind = 'changed' AND ` + keyJoin("figures", "c"), []any{by, now, im.ID}},
			{`INSERT INTO figures (month, direction, category, sector, origin, destination, count, status, source, note, version, updated_by, created_at, updated_at)
				SELECT month, direction, category, sector, origin, destination, old_count, old_status, old_source, old_note, 1, ?, ?, ?
				FROM import_changes WHERE import_id = ? AND kind = 'removed'`, []any{by, now, now, im.ID}},
		}
		for _, st := range steps {
			if err := tx.Exec(st.sql, st.args...).Error; err != nil {
				return err
			}
		}
		if err := figures.RefreshTotals(tx, im.MonthList()); err != nil {
			return err
		}
		if err := figures.BumpVersion(tx); err != nil {
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

func (s *Store) revertConflicts(tx *gorm.DB, im Import) error {
	where := `FROM import_changes c LEFT JOIN figures f ON ` + keyJoin("f", "c") + ` WHERE c.import_id = ? AND (
		(c.kind IN ('added', 'changed') AND (f.id IS NULL OR f.import_id IS NULL OR f.import_id <> ?))
		OR (c.kind = 'removed' AND f.id IS NOT NULL))`
	var total int64
	if err := tx.Raw("SELECT COUNT(*) "+where, im.ID, im.ID).Scan(&total).Error; err != nil {
		return err
	}
	if total == 0 {
		return nil
	}
	var rows []figures.Figure
	if err := tx.Raw("SELECT c.month, c.direction, c.category, c.sector, c.origin, c.destination "+where+" ORDER BY c.month, c.direction, c.category LIMIT 20", im.ID, im.ID).Scan(&rows).Error; err != nil {
		return err
	}
	rc := &RevertConflict{Total: total}
	for _, f := range rows {
		rc.Rows = append(rc.Rows, f.Key())
	}
	return rc
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
