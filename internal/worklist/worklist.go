// Package worklist is what needs a signed-in person's action, at the top of
// their start page and as a count in the navigation: the open months of
// their reporting bodies that are due or overdue, the months waiting for
// their review, the months sent back to them with the comment, and their
// uploads refused for errors.
package worklist

import (
	"context"
	"fmt"
	"sort"
	"time"

	"hrx/internal/bodies"
	"hrx/internal/db"
	"hrx/internal/month"
	"hrx/internal/users"
)

// Kind is what an item asks of the person.
type Kind string

// The kinds of item, in the order the list shows them.
const (
	Returned Kind = "returned" // a month sent back to them, with the comment
	Overdue  Kind = "overdue"  // a month of their body past its due date, cells missing
	Due      Kind = "due"      // a month of their body due soon, cells missing
	Review   Kind = "review"   // a submitted month waiting for their review
	Rejected Kind = "rejected" // an upload of theirs refused for errors
)

var order = map[Kind]int{Returned: 0, Overdue: 1, Due: 2, Review: 3, Rejected: 4}

// Item is one thing to do.
type Item struct {
	Kind  Kind
	Month month.Month // for every kind but Rejected
	// Due and Overdue: the body, its deadline and how many of its cells
	// have no figure yet.
	Body     bodies.Body
	Deadline time.Time
	Missing  int
	// Returned and Review: who moved the month, when, and (Returned) what
	// they said.
	Actor   string
	At      time.Time
	Comment string
	// Rejected: the upload.
	ImportID int64
	FileName string
	Errors   int64
}

// RejectedFor is how long an upload refused for errors stays on its
// uploader's list.
const RejectedFor = 14 * 24 * time.Hour

// maxRejected is the most refused uploads listed.
const maxRejected = 20

// Store reads what needs people's action.
type Store struct {
	db     *db.DB
	bodies *bodies.Store
}

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store {
	return &Store{db: d, bodies: bodies.NewStore(d)}
}

// For is everything that needs u's action at now: months sent back, overdue
// and due months of u's bodies (and, for an administrator, of the cells no
// body reports), submitted months for an approver (other than the ones u
// submitted), and u's uploads refused for errors in the last RejectedFor.
func (s *Store) For(ctx context.Context, u users.User, now time.Time) ([]Item, error) {
	out, err := s.months(ctx, u, now)
	if err != nil {
		return nil, err
	}
	rej, err := s.rejected(ctx, u, now, maxRejected)
	if err != nil {
		return nil, err
	}
	out = append(out, rej...)
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].Kind] < order[out[j].Kind] })
	return out, nil
}

// MonthsCount is how many months For lists (all but the refused uploads).
// The navigation shows it on every page, so callers keep it per person,
// data version and day in IST: every change to figures, months and bodies
// moves the data version on, and deadlines pass at midnight IST.
func (s *Store) MonthsCount(ctx context.Context, u users.User, now time.Time) (int, error) {
	items, err := s.months(ctx, u, now)
	return len(items), err
}

// RejectedCount is how many refused uploads For lists: one small query.
func (s *Store) RejectedCount(ctx context.Context, u users.User, now time.Time) (int, error) {
	if u.Disabled || !u.Can(users.Editor) {
		return 0, nil
	}
	var n int64
	err := s.rejectedQuery(ctx, u, now).Count(&n).Error
	return min(int(n), maxRejected), err
}

// CountKey names what MonthsCount depends on besides the data version: the
// person, their role and the day in IST.
func CountKey(u users.User, now time.Time) string {
	return fmt.Sprintf("%d|%s|%s", u.ID, u.Role, now.In(bodies.Zone).Format("2006-01-02"))
}

// months is the months part of For.
func (s *Store) months(ctx context.Context, u users.User, now time.Time) ([]Item, error) {
	if u.Disabled || !u.Can(users.Editor) {
		return nil, nil
	}
	q := s.db.R.WithContext(ctx)
	var out []Item
	mine, err := s.bodies.Of(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if len(mine) > 0 || u.Role == users.Admin {
		open, err := s.bodies.Open(ctx, now)
		if err != nil {
			return nil, err
		}
		for _, d := range open {
			if d.Body.HasMember(u.ID) || (d.Body.Admins() && u.Role == users.Admin) {
				k := Due
				if d.Overdue {
					k = Overdue
				}
				out = append(out, Item{Kind: k, Month: d.Month, Body: d.Body, Deadline: d.Deadline, Missing: len(d.Missing)})
			}
		}
	}

	type state struct {
		Month     month.Month
		State     string
		Action    string
		Actor     string
		ChangedBy *int64
		ChangedAt time.Time
		Comment   string
	}
	var states []state
	if err := q.Table("month_states").Select("month, state, action, actor, changed_by, changed_at, comment").
		Where("state = ? OR (state = ? AND action = ?)", "submitted", "open", "return").Order("month DESC").Scan(&states).Error; err != nil {
		return nil, err
	}
	var returned []state
	for _, st := range states {
		switch {
		case st.State == "submitted" && u.Can(users.Approver) && (st.ChangedBy == nil || *st.ChangedBy != u.ID):
			out = append(out, Item{Kind: Review, Month: st.Month, Actor: st.Actor, At: st.ChangedAt})
		case st.State == "open":
			returned = append(returned, st)
		}
	}
	if len(returned) > 0 {
		// Sent back "to me": to a member of a body, or to whoever submitted it.
		submitted := map[string]bool{}
		if len(mine) == 0 {
			keys := make([]string, len(returned))
			for i, st := range returned {
				keys[i] = st.Month.String()
			}
			var list []string
			if err := q.Table("audit_log").Where("entity = ? AND action = ? AND user_id = ? AND entity_key IN ?", "month", "submit", u.ID, keys).
				Distinct("entity_key").Pluck("entity_key", &list).Error; err != nil {
				return nil, err
			}
			for _, k := range list {
				submitted[k] = true
			}
		}
		for _, st := range returned {
			if len(mine) > 0 || submitted[st.Month.String()] {
				out = append(out, Item{Kind: Returned, Month: st.Month, Actor: st.Actor, At: st.ChangedAt, Comment: st.Comment})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].Kind] < order[out[j].Kind] })
	return out, nil
}
