// Package audit records every change to HRX's data: who, when, what, before and after.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"hrx/internal/db"
)

// Actor is who makes a change: a signed-in user, or a named system path such as the command line.
type Actor struct {
	UserID int64 // 0 when no user account is behind the change
	Name   string
}

// System returns an actor for changes made without a user account.
func System(name string) Actor { return Actor{Name: name} }

// Entry is one audited change. Rows are only ever inserted.
type Entry struct {
	ID        int64
	At        time.Time
	UserID    *int64
	Actor     string
	Action    string // e.g. "create", "update", "delete", "sign-in"
	Entity    string // e.g. "figure", "user", "session"
	EntityKey string
	Month     string
	Before    string // JSON, empty when the thing did not exist
	After     string // JSON, empty when the thing no longer exists
	Reason    string
}

// TableName maps Entry to its table.
func (Entry) TableName() string { return "audit_log" }

// Change describes one change for Record.
type Change struct {
	Action, Entity, Key, Month string
	Before, After              any // marshalled to JSON; nil for none
	Reason                     string
}

// Record writes a change inside tx, the transaction that makes the change, so
// that the two commit or fail together.
func Record(tx *gorm.DB, a Actor, c Change) error {
	e := Entry{At: time.Now().UTC(), Actor: a.Name, Action: c.Action, Entity: c.Entity, EntityKey: c.Key, Month: c.Month, Reason: c.Reason}
	if a.UserID != 0 {
		id := a.UserID
		e.UserID = &id
	}
	var err error
	if e.Before, err = toJSON(c.Before); err != nil {
		return err
	}
	if e.After, err = toJSON(c.After); err != nil {
		return err
	}
	if err := tx.Create(&e).Error; err != nil {
		return fmt.Errorf("recording audit entry: %w", err)
	}
	return nil
}

func toJSON(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// Store reads the audit log.
type Store struct{ db *db.DB }

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// Filter narrows a listing; zero values match everything.
type Filter struct {
	Entity string
	Month  string
	UserID int64
	Limit  int
}

// List returns entries newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]Entry, error) {
	q := s.db.R.WithContext(ctx).Order("id DESC")
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.Month != "" {
		q = q.Where("month = ?", f.Month)
	}
	if f.UserID != 0 {
		q = q.Where("user_id = ?", f.UserID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	var out []Entry
	err := q.Limit(limit).Find(&out).Error
	return out, err
}
