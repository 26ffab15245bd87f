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
	Entity   string // kind of thing changed: figure, import, user, session, token …
	Action   string // what was done to it: create, publish, reopen …
	Month    string // YYYY-MM
	Actor    string // e-mail address (or system name) of who made the change
	UserID   int64
	From, To time.Time // at or after From, before To
	BeforeID int64     // for paging: entries older than this one
	Limit    int       // at most this many (default 200, at most 1000)
}

// Entities lists the kinds of change the log holds, for filter menus.
func (s *Store) Entities(ctx context.Context) ([]string, error) {
	var out []string
	err := s.db.R.WithContext(ctx).Model(&Entry{}).Distinct("entity").Order("entity").Pluck("entity", &out).Error
	return out, err
}

func (s *Store) query(ctx context.Context, f Filter) *gorm.DB {
	q := s.db.R.WithContext(ctx).Model(&Entry{}).Order("id DESC")
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.Month != "" {
		// An entry may name one month or a range "2025-09..2026-08".
		q = q.Where("month = ? OR (month LIKE ? AND substr(month, 1, 7) <= ? AND substr(month, 10, 7) >= ?)", f.Month, "%..%", f.Month, f.Month)
	}
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if f.UserID != 0 {
		q = q.Where("user_id = ?", f.UserID)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC()) // SQLite compares times as text
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	return q
}

// List returns entries newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]Entry, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	var out []Entry
	err := s.query(ctx, f).Limit(limit).Find(&out).Error
	return out, err
}

// Each calls fn for every entry matching f, newest first, streaming (for CSV downloads).
func (s *Store) Each(ctx context.Context, f Filter, fn func(Entry) error) error {
	rows, err := s.query(ctx, f).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e Entry
		if err := s.db.R.ScanRows(rows, &e); err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Cell returns the history of one cell of the month grid, newest first: the
// changes to its figures (key "2025-09/IN-JP/student" and, broken down,
// "2025-09/IN-JP/student/…"), to its total by imports and reverts, and the
// confirmations of its total when it was flagged as far from its recent
// level (entity "flag", action "confirm", the reason as the entry's reason).
func (s *Store) Cell(ctx context.Context, month, key string) ([]Entry, error) {
	var out []Entry
	err := s.db.R.WithContext(ctx).Model(&Entry{}).
		Where("month = ? AND entity IN ? AND (entity_key = ? OR entity_key LIKE ?)", month, []string{"figure", "cell", "flag"}, key, key+"/%").
		Order("id DESC").Limit(500).Find(&out).Error
	return out, err
}
