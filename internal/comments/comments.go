// Package comments keeps what people say about a month's figures: comments
// on a month or on one cell of it (a direction and category), by anyone who
// may see the figures, shown as one thread, oldest first, together with the
// words the approval workflow already asks for (a send-back comment, a reason
// for reopening, a reason for publishing as "nothing to report"), which it
// reads from the audit log. Comments are never changed or removed.
package comments

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/users"
)

// MaxLength is the longest comment, in characters.
const MaxLength = 2000

// Field is the name of the comment's text in forms and in a ValidationError.
const Field = "comment_text"

// Comment is one comment, on a month or on one of its cells.
type Comment struct {
	ID    int64
	Month month.Month
	// Direction and Category name the cell commented on; both are "" for a
	// comment on the month as a whole.
	Direction string
	Category  string
	Body      string
	UserID    *int64
	Author    string // who wrote it: the account's e-mail address
	CreatedAt time.Time
}

// TableName maps Comment to its table.
func (Comment) TableName() string { return "comments" }

// OnCell reports whether the comment is about one cell, not the whole month.
func (c Comment) OnCell() bool { return c.Category != "" }

// key names what a comment is about in the audit log, as the month grid's
// cells are named there: "2025-10" or "2025-10/IN-JP/student".
func (c Comment) key() string {
	if c.OnCell() {
		return c.Month.String() + "/" + c.Direction + "/" + c.Category
	}
	return c.Month.String()
}

// New is a comment to add.
type New struct {
	Month               month.Month
	Direction, Category string // both "" for the month
	Body                string
}

// Store keeps comments.
type Store struct {
	db  *db.DB
	ref *reference.Store
	now func() time.Time
}

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store {
	return &Store{db: d, ref: reference.NewStore(d), now: func() time.Time { return time.Now().UTC() }}
}

// Add records a comment by actor, a person with role, and its audit entry,
// in one transaction. Anyone who may see the figures (a viewer or more) may
// comment. It refuses with an apperr.Forbidden error below that role, an
// apperr.NotFound error for a cell that does not exist, and an
// *apperr.ValidationError (field Field) for an empty or too long text.
func (s *Store) Add(ctx context.Context, actor audit.Actor, role users.Role, in New) (Comment, error) {
	if !role.AtLeast(users.Viewer) {
		return Comment{}, apperr.New(apperr.Forbidden, "comments.forbidden")
	}
	if err := s.checkCell(ctx, in.Direction, in.Category); err != nil {
		return Comment{}, err
	}
	body, err := Clean(in.Body)
	if err != nil {
		return Comment{}, err
	}
	c := Comment{Month: in.Month, Direction: in.Direction, Category: in.Category, Body: body, Author: actor.Name, CreatedAt: s.now()}
	if actor.UserID != 0 {
		id := actor.UserID
		c.UserID = &id
	}
	err = s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		return audit.Record(tx, actor, audit.Change{Action: "create", Entity: "comment", Key: c.key(), Month: c.Month.String(),
			After: map[string]any{"id": c.ID, "text": c.Body}})
	})
	return c, err
}

// checkCell refuses a cell that is not one of the grid's: both or neither of
// direction and category, a known direction and an existing category.
func (s *Store) checkCell(ctx context.Context, direction, category string) error {
	if direction == "" && category == "" {
		return nil
	}
	if reference.DirectionName(direction) == "" {
		return apperr.New(apperr.NotFound, "comments.no_cell")
	}
	cats, err := s.ref.Categories(ctx)
	if err != nil {
		return err
	}
	for _, c := range cats {
		if c.Code == category {
			return nil
		}
	}
	return apperr.New(apperr.NotFound, "comments.no_cell")
}

// Clean is a comment's text as it is kept: spaces around it trimmed, line
// ends as "\n", no control characters but line ends and tabs. It refuses
// (an *apperr.ValidationError for Field) a text that is empty then, or longer
// than MaxLength characters.
func Clean(s string) (string, error) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || (unicode.IsControl(r) && r != '\n' && r != '\t') {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	var v apperr.ValidationError
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		v.AddMsg(Field, i18n.M("comments.field"), i18n.M("comments.missing"))
	case n > MaxLength:
		v.AddMsg(Field, i18n.M("comments.field"), i18n.M("comments.too_long", "max", MaxLength, "count", n))
	}
	return s, v.Err()
}

// Kind says what a thread's item is.
type Kind string

// The kinds of item in a thread.
const (
	Remark  Kind = "comment"           // a comment
	Return  Kind = "return"            // an approver sent the month back to open, saying what to fix
	Reopen  Kind = "reopen"            // an approver reopened the published month, giving the reason
	Publish Kind = "publish"           // the month was published with a comment (loading official history)
	Nothing Kind = "nothing_to_report" // the month was published as "nothing to report", with the reason
)

// Item is one entry of a thread: who said what, when, and about what.
type Item struct {
	Kind                Kind
	At                  time.Time
	Author              string
	Direction, Category string // the cell, for a comment on one
	Text                string // the person's own words
}

// OnCell reports whether the item is about one cell.
func (i Item) OnCell() bool { return i.Category != "" }

// Month is the thread of month m, oldest first: the comments on the month
// and on each of its cells, and the words given when it was sent back,
// reopened or published.
func (s *Store) Month(ctx context.Context, m month.Month) ([]Item, error) {
	q := s.db.R.WithContext(ctx)
	var list []Comment
	if err := q.Where("month = ?", m).Order("id").Find(&list).Error; err != nil {
		return nil, err
	}
	out := items(list)
	moves, err := moves(q, m)
	if err != nil {
		return nil, err
	}
	out = append(out, moves...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// Cell is the thread of one cell of month m: its comments, oldest first.
func (s *Store) Cell(ctx context.Context, m month.Month, direction, category string) ([]Item, error) {
	var list []Comment
	err := s.db.R.WithContext(ctx).Where("month = ? AND direction = ? AND category = ?", m, direction, category).Order("id").Find(&list).Error
	return items(list), err
}

// Counts is how many comments each cell of month m has, keyed
// "direction/category".
func (s *Store) Counts(ctx context.Context, m month.Month) (map[string]int, error) {
	var rows []struct {
		Direction, Category string
		N                   int
	}
	err := s.db.R.WithContext(ctx).Model(&Comment{}).Select("direction, category, COUNT(*) AS n").
		Where("month = ? AND category <> ''", m).Group("direction, category").Scan(&rows).Error
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Direction+"/"+r.Category] = r.N
	}
	return out, err
}

func items(list []Comment) []Item {
	out := make([]Item, len(list))
	for i, c := range list {
		out[i] = Item{Kind: Remark, At: c.CreatedAt, Author: c.Author, Direction: c.Direction, Category: c.Category, Text: c.Body}
	}
	return out
}

// moves reads the month's moves that came with words from the audit log,
// where the approval workflow records them with the comment as the reason.
func moves(q *gorm.DB, m month.Month) ([]Item, error) {
	var entries []audit.Entry
	if err := q.Where("entity = ? AND entity_key = ? AND action IN ? AND reason <> ''", "month", m.String(),
		[]string{string(Return), string(Reopen), string(Publish)}).Order("id").Find(&entries).Error; err != nil {
		return nil, err
	}
	out := make([]Item, 0, len(entries))
	for _, e := range entries {
		k := Kind(e.Action)
		if k == Publish {
			var after struct {
				NothingToReport bool `json:"nothing_to_report"`
			}
			if json.Unmarshal([]byte(e.After), &after) == nil && after.NothingToReport {
				k = Nothing
			}
		}
		out = append(out, Item{Kind: k, At: e.At, Author: e.Actor, Text: e.Reason})
	}
	return out, nil
}
