// Package dataversion keeps the data version: one number, in the data_version
// row, that every change to what progress, reports and cached answers depend
// on moves on, so readers in any process can tell their copy is stale. Its row
// is also the lock that writers of figures and month moves queue on.
package dataversion

import (
	"context"

	"gorm.io/gorm"

	"hrx/internal/db"
)

// Current returns the data version as it is now.
func Current(ctx context.Context, d *db.DB) (int64, error) {
	var v int64
	err := d.R.WithContext(ctx).Raw("SELECT version FROM data_version WHERE id = 1").Scan(&v).Error
	return v, err
}

// Bump moves the data version on, inside the transaction that changes the data.
func Bump(tx *gorm.DB) error {
	return tx.Exec("UPDATE data_version SET version = version + 1 WHERE id = 1").Error
}

// Lock makes the transaction wait for, and then hold off, every other
// transaction that takes the lock, until it ends. On PostgreSQL it locks the
// data version's row (which Bump would lock anyway, later); SQLite
// transactions here already take the write lock when they begin, so there it
// does nothing. See approval.SerializeWrites for who takes it and why.
func Lock(tx *gorm.DB) error {
	if tx.Dialector.Name() != db.Postgres {
		return nil
	}
	return tx.Exec("SELECT version FROM data_version WHERE id = 1 FOR UPDATE").Error
}
