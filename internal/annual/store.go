package annual

import (
	"context"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/db"
)

// Store reads what the report needs beyond the published figures: the
// flags' confirmations and the months' moves in the audit log.
type Store struct{ db *db.DB }

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// Confirmations are the confirmations of the year's flags, oldest first.
func (s *Store) Confirmations(ctx context.Context, y Year) ([]approval.FlagConfirmation, error) {
	var out []approval.FlagConfirmation
	err := s.db.R.WithContext(ctx).Where("month BETWEEN ? AND ?", y.From, y.To).Order("id").Find(&out).Error
	return out, err
}

// Moves are the audit log's reopenings and publications of the year's
// months, oldest first.
func (s *Store) Moves(ctx context.Context, y Year) ([]audit.Entry, error) {
	var out []audit.Entry
	err := s.db.R.WithContext(ctx).Where("entity = ? AND action IN ? AND month BETWEEN ? AND ?", "month",
		[]string{"reopen", "publish"}, y.From.String(), y.To.String()).Order("id").Find(&out).Error
	return out, err
}
