package completeness

import (
	"context"
	"hash/fnv"
	"time"

	"gorm.io/gorm"

	"hrx/internal/audit"
	"hrx/internal/bodies"
	"hrx/internal/figures"
	"hrx/internal/month"
)

// DemoArrivals is for the demonstration database only, whose figures are
// all loaded on the day it is made: it sets when each cell's figures of the
// given months were recorded to a time a real reporting cycle gives — a few
// days before the cell's due date, and, for about one cell in twelve, two
// days after it (and the cells' first times in month_totals with them) — so
// that the completeness page shows a history. Months still due at now are
// left as they are. One audit entry says so.
func (s *Store) DemoArrivals(ctx context.Context, actor audit.Actor, months []month.Month, now time.Time) error {
	a, err := s.bodies.Assign(ctx)
	if err != nil || len(months) == 0 {
		return err
	}
	first, last := months[0], months[0]
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		n := 0
		for _, m := range months {
			for _, c := range a.Cells {
				deadline := bodies.Deadline(a.Owner(c).DueDay, m)
				if !deadline.Before(now) {
					continue
				}
				at := demoArrival(deadline, m, c)
				if err := tx.Exec("UPDATE figures SET created_at = ? WHERE month = ? AND direction = ? AND category = ?", at.UTC(), m, c.Direction, c.Category).Error; err != nil {
					return err
				}
				first, last, n = min(first, m), max(last, m), n+1
			}
		}
		if n == 0 {
			return nil
		}
		var list []string
		for _, m := range month.Range(first, last) {
			list = append(list, m.String())
		}
		if err := figures.RefreshTotals(tx, list); err != nil {
			return err
		}
		return audit.Record(tx, actor, audit.Change{Action: "arrivals", Entity: "figures", Key: first.String() + ".." + last.String(), After: map[string]any{"cells": n}})
	})
}

// demoArrival is when a demonstration cell's figures came: the same for the
// same cell and month every time.
func demoArrival(deadline time.Time, m month.Month, c bodies.Cell) time.Time {
	h := fnv.New32a()
	h.Write([]byte(m.String() + c.Key()))
	v := h.Sum32()
	if v%12 == 0 {
		return deadline.Add(2*24*time.Hour + time.Duration(v%7)*time.Hour)
	}
	return deadline.Add(-time.Duration(1+v%6)*24*time.Hour - time.Duration(v%9)*time.Hour)
}
