package figures

import (
	"context"
	"sort"

	"gorm.io/gorm"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/dataversion"
)

// Insert adds many new figures in one transaction (demo data, generated test
// data, official history); an existing key or a month that is not open makes
// the whole insert fail.
func (s *Store) Insert(ctx context.Context, actor audit.Actor, rows []Figure, reason string) error {
	if len(rows) == 0 {
		return nil
	}
	now := s.now()
	months := map[string]bool{}
	for i := range rows {
		months[rows[i].Month] = true
	}
	list := make([]string, 0, len(months))
	for m := range months {
		list = append(list, m)
	}
	sort.Strings(list)
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := approval.CheckOpen(tx, list...); err != nil {
			return err
		}
		if err := insert(tx, now, rows); err != nil {
			return err
		}
		if err := RefreshTotalsLogged(tx, actor, list, "insert", reason); err != nil {
			return err
		}
		if err := audit.Record(tx, actor, audit.Change{Action: "insert", Entity: "figures", Key: list[0] + ".." + list[len(list)-1],
			After: map[string]any{"rows": len(rows), "months": len(list)}, Reason: reason}); err != nil {
			return err
		}
		return dataversion.Bump(tx)
	})
}
