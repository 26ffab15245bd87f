package notify

import (
	"context"
	"strconv"

	"github.com/riverqueue/river"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/month"
	"hrx/internal/users"
)

// MonthMoved is approval's Notifier: inside the move's transaction it writes
// what each person concerned is told and queues the e-mails of those who
// want them. The person who moved the month is not told of their own move.
func (s *Service) MonthMoved(tx *gorm.DB, m month.Month, a approval.Action, actor audit.Actor, comment string) error {
	var kind Kind
	var roles []users.Role
	switch a {
	case approval.Submit:
		kind, roles = Submitted, []users.Role{users.Approver}
	case approval.Return:
		kind, roles = Returned, []users.Role{users.Editor}
	case approval.Reopen:
		kind, roles = Reopened, []users.Role{users.Editor}
	case approval.Publish:
		kind, roles = Published, []users.Role{users.Editor, users.Approver}
	case approval.NothingToReport:
		kind, roles = Nothing, []users.Role{users.Editor, users.Approver}
	default:
		return nil
	}
	ctx := tx.Statement.Context
	var people []users.User
	seen := map[int64]bool{actor.UserID: actor.UserID != 0}
	for _, r := range roles {
		list, err := s.bodies.Recipients(ctx, m, r)
		if err != nil {
			return err
		}
		for _, u := range list {
			if !seen[u.ID] {
				seen[u.ID] = true
				people = append(people, u)
			}
		}
	}
	_, err := s.add(tx, people, Notification{Kind: kind, Month: m.String(), Actor: actor.Name, Comment: comment})
	return err
}

// SendEmailArgs is the job that e-mails one notification.
type SendEmailArgs struct {
	Notification int64 `json:"notification" river:"unique"`
}

// Kind names the job.
func (SendEmailArgs) Kind() string { return "send_email" }

// InsertOpts: tried up to ten times, River's back-off between (about 1 s,
// 16 s, 81 s, 4 min, 10 min, … some 7 hours in all); one job per notification.
func (SendEmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// add writes n for each person in tx and queues its e-mail for those who
// want that kind. A notification with a Dedupe key that exists already (a
// reminder or digest written by another process) is left out. It returns
// the notifications written.
func (s *Service) add(tx *gorm.DB, people []users.User, n Notification) ([]Notification, error) {
	if len(people) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(people))
	for i, u := range people {
		ids[i] = u.ID
	}
	prefs, err := prefsOf(tx, ids)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	var out []Notification
	var jobs []river.InsertManyParams
	for _, u := range people {
		row := n
		row.UserID, row.CreatedAt = u.ID, now
		if row.Dedupe != nil {
			key := *row.Dedupe + ":" + strconv.FormatInt(u.ID, 10)
			row.Dedupe = &key
		}
		if s.sender != nil && prefs[u.ID].Wants(ChoiceOf(n.Kind)) {
			row.Email = EmailQueued
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return nil, res.Error
		}
		if res.RowsAffected == 0 {
			continue
		}
		out = append(out, row)
		if row.Email == EmailQueued {
			jobs = append(jobs, river.InsertManyParams{Args: SendEmailArgs{Notification: row.ID}})
		}
	}
	if len(jobs) > 0 {
		t, err := sqlTx(tx)
		if err != nil {
			return nil, err
		}
		if _, err := s.river.InsertManyTx(context.WithoutCancel(tx.Statement.Context), t, jobs); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// prefsOf reads the choices of the people ids; a person without a row has
// every e-mail on.
func prefsOf(q *gorm.DB, ids []int64) (map[int64]Prefs, error) {
	var list []Prefs
	if err := q.Where("user_id IN ?", ids).Find(&list).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]Prefs, len(list))
	for _, p := range list {
		out[p.UserID] = p
	}
	return out, nil
}
