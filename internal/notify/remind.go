package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"hrx/internal/approval"
	"hrx/internal/bodies"
	"hrx/internal/users"
)

// SendHour is the hour of the day (India time) from which the day's
// reminders and the week's digest go out: not at midnight.
const SendHour = 8

// RemindArgs is the day's reminder run (the day in India time, 2006-01-02).
// Unique by its day: however many processes schedule it, it runs once a day.
type RemindArgs struct {
	Day string `json:"day" river:"unique"`
}

// Kind names the job.
func (RemindArgs) Kind() string { return "remind" }

// InsertOpts makes the day's run unique.
func (RemindArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// DigestArgs is the week's digest run for approvers (ISO week, 2006-W01).
type DigestArgs struct {
	Week string `json:"week" river:"unique"`
}

// Kind names the job.
func (DigestArgs) Kind() string { return "digest" }

// InsertOpts makes the week's run unique.
func (DigestArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// periodic is the schedule: every hour the elected leader among the
// processes offers the day's reminder run (from SendHour) and, on Mondays,
// the week's digest; uniqueness by day and week keeps each to one run.
func (s *Service) periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
			now := s.Now().In(bodies.Zone)
			if now.Hour() < SendHour {
				return nil, nil
			}
			return RemindArgs{Day: now.Format(time.DateOnly)}, nil
		}, &river.PeriodicJobOpts{ID: "remind", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
			now := s.Now().In(bodies.Zone)
			if now.Weekday() != time.Monday || now.Hour() < SendHour {
				return nil, nil
			}
			return DigestArgs{Week: isoWeek(now)}, nil
		}, &river.PeriodicJobOpts{ID: "digest", RunOnStart: true}),
	}
}

func isoWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// Plan is what one person is told in a reminder or digest: the bodies'
// months they edit that miss figures and are at a reminder point, or the
// months waiting for their review.
type Plan struct {
	User  users.User
	Items []Item
}

// Reminders lists who is reminded on day (India time) and why, each person
// once with all their items: for each body's month that is open and misses
// figures, its editors (the administrators for the cells no body reports)
// RemindBefore days before the due day ("soon"), the day after it
// ("overdue"), then every seven days while it misses figures ("weekly").
// It changes nothing (hrx remind --dry-run prints it).
func (s *Service) Reminders(ctx context.Context, day time.Time) ([]Plan, error) {
	day = day.In(bodies.Zone)
	today := date(day)
	dues, err := s.bodies.Open(ctx, time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, bodies.Zone))
	if err != nil {
		return nil, err
	}
	people, err := enabledUsers(s.db.R.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	var admins []int64
	for _, u := range people {
		if u.Role == users.Admin {
			admins = append(admins, u.ID)
		}
	}
	byUser := map[int64][]Item{}
	for _, d := range dues {
		dueDay := date(d.Deadline.Add(-time.Hour).In(bodies.Zone))
		diff := int(today.Sub(dueDay).Hours() / 24)
		var why string
		switch {
		case diff == -s.RemindBefore:
			why = "soon"
		case diff == 1:
			why = "overdue"
		case diff > 1 && (diff-1)%7 == 0:
			why = "weekly"
		default:
			continue
		}
		it := Item{Month: d.Month, Admins: d.Body.Admins(), Body: d.Body.NameEN, BodyJA: d.Body.NameJA, BodyHI: d.Body.NameHI,
			DueDay: d.Body.DueDay, Missing: len(d.Missing), Why: why}
		to := admins
		if !d.Body.Admins() {
			to = nil
			for _, m := range d.Body.Members {
				if u, ok := people[m.UserID]; ok && u.Role == users.Editor {
					to = append(to, u.ID)
				}
			}
		}
		for _, id := range to {
			byUser[id] = append(byUser[id], it)
		}
	}
	return group(people, byUser), nil
}

// Digests lists, for the week of day, each approver and the months waiting
// for their review (submitted, oldest first).
func (s *Service) Digests(ctx context.Context, day time.Time) ([]Plan, error) {
	var waiting []approval.MonthState
	if err := s.db.R.WithContext(ctx).Where("state = ?", approval.Submitted).Order("month").Find(&waiting).Error; err != nil {
		return nil, err
	}
	if len(waiting) == 0 {
		return nil, nil
	}
	people, err := enabledUsers(s.db.R.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	byUser := map[int64][]Item{}
	for _, st := range waiting {
		to, err := s.bodies.Recipients(ctx, st.Month, users.Approver)
		if err != nil {
			return nil, err
		}
		since := st.ChangedAt
		for _, u := range to {
			byUser[u.ID] = append(byUser[u.ID], Item{Month: st.Month, Actor: st.Actor, Since: &since})
		}
	}
	return group(people, byUser), nil
}

// Remind writes the day's reminders (one per person, with all their items)
// and queues their e-mails, in one short transaction; a person reminded on
// that day already (another process, an earlier attempt) is left out. It
// returns how many people it reminded.
func (s *Service) Remind(ctx context.Context, day time.Time) (int, error) {
	plan, err := s.Reminders(ctx, day)
	if err != nil {
		return 0, err
	}
	return s.write(ctx, plan, Reminder, "reminder:"+day.In(bodies.Zone).Format(time.DateOnly))
}

// SendDigest writes the week's digest for each approver with months waiting.
func (s *Service) SendDigest(ctx context.Context, day time.Time) (int, error) {
	plan, err := s.Digests(ctx, day)
	if err != nil {
		return 0, err
	}
	return s.write(ctx, plan, Digest, "digest:"+isoWeek(day.In(bodies.Zone)))
}

func (s *Service) write(ctx context.Context, plan []Plan, kind Kind, key string) (int, error) {
	if len(plan) == 0 {
		return 0, nil
	}
	written := 0
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, r := range plan {
			b, err := json.Marshal(r.Items)
			if err != nil {
				return err
			}
			k := key
			out, err := s.add(tx, []users.User{r.User}, Notification{Kind: kind, Items: string(b), Dedupe: &k})
			if err != nil {
				return err
			}
			written += len(out)
		}
		return nil
	})
	return written, err
}

// remindWorker runs the day's reminders.
type remindWorker struct {
	river.WorkerDefaults[RemindArgs]
	s *Service
}

func (w *remindWorker) Work(ctx context.Context, job *river.Job[RemindArgs]) error {
	day, err := time.ParseInLocation(time.DateOnly, job.Args.Day, bodies.Zone)
	if err != nil {
		return river.JobCancel(err)
	}
	start := time.Now()
	n, err := w.s.Remind(ctx, day.Add(12*time.Hour))
	if err == nil {
		w.s.log.Info("reminders written", "day", job.Args.Day, "people", n, "took", time.Since(start).Round(time.Millisecond))
	}
	return err
}

// digestWorker runs the week's digest.
type digestWorker struct {
	river.WorkerDefaults[DigestArgs]
	s *Service
}

func (w *digestWorker) Work(ctx context.Context, job *river.Job[DigestArgs]) error {
	n, err := w.s.SendDigest(ctx, w.s.Now())
	if err == nil {
		w.s.log.Info("digests written", "week", job.Args.Week, "people", n)
	}
	return err
}

// enabledUsers reads every enabled account by id.
func enabledUsers(q *gorm.DB) (map[int64]users.User, error) {
	var list []users.User
	if err := q.Where("disabled = ?", false).Find(&list).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]users.User, len(list))
	for _, u := range list {
		out[u.ID] = u
	}
	return out, nil
}

// group makes one Plan a person, by e-mail, each person's items by month.
func group(people map[int64]users.User, byUser map[int64][]Item) []Plan {
	var out []Plan
	for id, items := range byUser {
		u, ok := people[id]
		if !ok {
			continue
		}
		sort.SliceStable(items, func(i, j int) bool { return items[i].Month < items[j].Month })
		out = append(out, Plan{User: u, Items: items})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].User.Email < out[j].User.Email })
	return out
}

// date is t's calendar day at midnight in its zone.
func date(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}
