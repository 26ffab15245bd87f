package worklist

import (
	"context"
	"time"

	"gorm.io/gorm"

	"hrx/internal/users"
)

// refusedStates are the stored states of an upload that is shown as
// rejected when it has errors (imports.Rejected is not stored: a preview, or
// an expired one, with errors reads as rejected); "rejected" in case it is.
var refusedStates = []string{"preview", "expired", "rejected"}

// rejectedQuery selects u's uploads refused for errors since now − RejectedFor.
func (s *Store) rejectedQuery(ctx context.Context, u users.User, now time.Time) *gorm.DB {
	return s.db.R.WithContext(ctx).Table("imports").
		Where("user_id = ? AND error_count > 0 AND state IN ? AND created_at >= ?", u.ID, refusedStates, now.Add(-RejectedFor).UTC())
}

// rejected lists up to limit of u's uploads refused for errors, newest first.
func (s *Store) rejected(ctx context.Context, u users.User, now time.Time, limit int) ([]Item, error) {
	if u.Disabled || !u.Can(users.Editor) {
		return nil, nil
	}
	var list []struct {
		ID         int64
		FileName   string
		ErrorCount int64
		CreatedAt  time.Time
	}
	if err := s.rejectedQuery(ctx, u, now).Select("id, file_name, error_count, created_at").Order("id DESC").Limit(limit).Scan(&list).Error; err != nil {
		return nil, err
	}
	out := make([]Item, len(list))
	for i, im := range list {
		out[i] = Item{Kind: Rejected, ImportID: im.ID, FileName: im.FileName, Errors: im.ErrorCount, At: im.CreatedAt}
	}
	return out, nil
}
