package imports

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"
)

// PreviewRetention is how long an import that was never applied is kept
// after its preview expired: time enough to look back at what a file held,
// short enough that abandoned previews and their problems do not pile up.
const PreviewRetention = 7 * 24 * time.Hour

// neverApplied are the states of imports that changed no figure.
func neverApplied() []string { return []string{Preview, Staging, Expired} }

// PurgeStale deletes the imports that were never applied whose preview
// expired more than PreviewRetention ago, with their staged rows, problems
// and the removals a replace would have made. Applied and reverted imports
// stay, and so does everything the audit log recorded. It returns how many
// imports it deleted.
func (s *Store) PurgeStale(ctx context.Context) (int, error) {
	cutoff := s.now().Add(-PreviewRetention)
	var ids []int64
	err := s.db.R.WithContext(ctx).Model(&Import{}).Where("state IN ? AND expires_at < ?", neverApplied(), cutoff).
		Order("id").Pluck("id", &ids).Error
	if err != nil {
		return 0, err
	}
	purged := 0
	for _, id := range ids {
		// One import a transaction, so that the writer is never held long.
		err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			// Each statement checks the import is still stale, whatever happened since the list.
			const stale = "SELECT id FROM imports WHERE id = ? AND state IN ? AND expires_at < ?"
			for _, table := range []string{"import_issues", "import_rows", "import_changes"} {
				if err := tx.Exec("DELETE FROM "+table+" WHERE import_id IN ("+stale+")", id, neverApplied(), cutoff).Error; err != nil {
					return err
				}
			}
			res := tx.Exec("DELETE FROM imports WHERE id IN ("+stale+")", id, neverApplied(), cutoff)
			purged += int(res.RowsAffected)
			return res.Error
		})
		if err != nil {
			return purged, err
		}
	}
	return purged, nil
}

// PurgeStaleEvery runs PurgeStale at once and then every interval until ctx
// ends, logging what it deletes and any failure.
func (s *Store) PurgeStaleEvery(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := s.PurgeStale(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("deleting old import previews", "err", err)
		case n > 0:
			log.Info("deleted old import previews", "imports", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
