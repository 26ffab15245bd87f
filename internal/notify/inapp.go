package notify

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/i18n"
)

// List returns a person's latest notifications, newest first.
func (s *Service) List(ctx context.Context, userID int64, limit int) ([]Notification, error) {
	var out []Notification
	err := s.db.R.WithContext(ctx).Where("user_id = ?", userID).Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// Unread counts a person's unread notifications (the number in the menu).
func (s *Service) Unread(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.db.R.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return n, err
}

// MarkAllRead marks every unread notification of the person read and
// returns how many it marked; the audit log says so when there were some.
func (s *Service) MarkAllRead(ctx context.Context, actor audit.Actor) (int64, error) {
	var n int64
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", actor.UserID).Update("read_at", s.Now().UTC())
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		n = res.RowsAffected
		return audit.Record(tx, actor, audit.Change{Action: "read", Entity: "notifications", Key: actor.Name, After: map[string]any{"count": n}})
	})
	return n, err
}

// PrefsOf returns a person's choices (every e-mail on, and no language
// chosen, when they never saved any).
func (s *Service) PrefsOf(ctx context.Context, userID int64) (Prefs, error) {
	m, err := prefsOf(s.db.R.WithContext(ctx), []int64{userID})
	if err != nil {
		return Prefs{}, err
	}
	p, ok := m[userID]
	if !ok {
		p.UserID = userID
	}
	return p, nil
}

// SavePrefs keeps a person's choices: their e-mails' language (en, ja or
// hi) and the choices they keep on (the others are off). An unknown
// language or choice is an *apperr.ValidationError. The audit log records
// the change.
func (s *Service) SavePrefs(ctx context.Context, actor audit.Actor, lang string, on []string) (Prefs, error) {
	var v apperr.ValidationError
	if !slices.Contains(i18n.Langs, i18n.Lang(lang)) {
		v.AddMsg("email_lang", i18n.M("notify.prefs.lang"), i18n.M("notify.prefs.lang_unknown"))
	}
	var off []string
	for _, c := range Choices {
		if !slices.Contains(on, string(c)) {
			off = append(off, string(c))
		}
	}
	for _, c := range on {
		if !slices.Contains(Choices, Choice(c)) {
			v.AddMsg("email", i18n.M("notify.prefs.kinds"), i18n.M("notify.prefs.kind_unknown", "kind", c))
		}
	}
	if err := v.Err(); err != nil {
		return Prefs{}, err
	}
	p := Prefs{UserID: actor.UserID, Lang: lang, Off: strings.Join(off, " "), UpdatedAt: s.Now().UTC()}
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := prefsOf(tx, []int64{actor.UserID})
		if err != nil {
			return err
		}
		b, had := before[actor.UserID]
		if had && b.Lang == p.Lang && b.Off == p.Off {
			p = b
			return nil
		}
		if err := tx.Save(&p).Error; err != nil {
			return err
		}
		return audit.Record(tx, actor, audit.Change{Action: "update", Entity: "notification_prefs", Key: actor.Name,
			Before: map[string]any{"lang": b.Lang, "off": b.Off}, After: map[string]any{"lang": p.Lang, "off": p.Off}})
	})
	return p, err
}

// Job is one of the job engine's jobs, as an administrator sees it.
type Job struct {
	ID          int64
	Kind        string
	State       string
	Attempt     int
	MaxAttempts int
	ScheduledAt time.Time
	FinalizedAt *time.Time
	LastError   string // the server's (or the library's) words at the last failed attempt
	LastErrorAt *time.Time
	// For an e-mail: whom it was for and what about.
	To           string
	Notification *Notification
}

// Jobs lists the latest jobs, the ones that failed or wait to be tried
// again first, with their last error; for /admin/jobs.
func (s *Service) Jobs(ctx context.Context, limit int) ([]Job, error) {
	var rows []*rivertype.JobRow
	for _, states := range [][]rivertype.JobState{
		{rivertype.JobStateRetryable, rivertype.JobStateDiscarded, rivertype.JobStateRunning},
		{rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStateCompleted, rivertype.JobStateCancelled},
	} {
		res, err := s.river.JobList(ctx, river.NewJobListParams().States(states...).OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(limit))
		if err != nil {
			return nil, err
		}
		rows = append(rows, res.Jobs...)
	}
	if len(rows) > limit {
		rows = rows[:limit]
	}
	var ids []int64
	for _, r := range rows {
		if r.Kind == (SendEmailArgs{}).Kind() {
			var a SendEmailArgs
			if json.Unmarshal(r.EncodedArgs, &a) == nil {
				ids = append(ids, a.Notification)
			}
		}
	}
	notes := map[int64]Notification{}
	emails := map[int64]string{}
	if len(ids) > 0 {
		var list []Notification
		if err := s.db.R.WithContext(ctx).Where("id IN ?", ids).Find(&list).Error; err != nil {
			return nil, err
		}
		var uids []int64
		for _, n := range list {
			notes[n.ID] = n
			uids = append(uids, n.UserID)
		}
		var us []struct {
			ID    int64
			Email string
		}
		if err := s.db.R.WithContext(ctx).Table("users").Select("id, email").Where("id IN ?", uids).Scan(&us).Error; err != nil {
			return nil, err
		}
		for _, u := range us {
			emails[u.ID] = u.Email
		}
	}
	out := make([]Job, 0, len(rows))
	for _, r := range rows {
		j := Job{ID: r.ID, Kind: r.Kind, State: string(r.State), Attempt: r.Attempt, MaxAttempts: r.MaxAttempts,
			ScheduledAt: r.ScheduledAt, FinalizedAt: r.FinalizedAt}
		if n := len(r.Errors); n > 0 {
			at := r.Errors[n-1].At
			j.LastError, j.LastErrorAt = r.Errors[n-1].Error, &at
		}
		var a SendEmailArgs
		if r.Kind == a.Kind() && json.Unmarshal(r.EncodedArgs, &a) == nil {
			if n, ok := notes[a.Notification]; ok {
				j.Notification, j.To = &n, emails[n.UserID]
			}
		}
		out = append(out, j)
	}
	return out, nil
}
