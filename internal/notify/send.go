package notify

import (
	"context"
	"strconv"

	"github.com/riverqueue/river"

	"hrx/internal/bodies"
	"hrx/internal/i18n"
	"hrx/internal/mail"
	"hrx/internal/users"
)

// sendWorker e-mails one notification: it reads what to say, sends it
// outside any transaction, then records the server's answer or error on the
// notification's row in a short write of its own. An error is returned to
// River, which tries again later (back-off) until the last attempt.
type sendWorker struct {
	river.WorkerDefaults[SendEmailArgs]
	s *Service
}

func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendEmailArgs]) error {
	s := w.s
	var n Notification
	if err := s.db.R.WithContext(ctx).First(&n, job.Args.Notification).Error; err != nil {
		return river.JobCancel(err) // the notification is gone with its person: nothing to send
	}
	if n.EmailedAt != nil {
		return nil // sent already, by an attempt whose completion was lost
	}
	var u users.User
	if err := s.db.R.WithContext(ctx).First(&u, n.UserID).Error; err != nil {
		return err
	}
	prefs, err := prefsOf(s.db.R.WithContext(ctx), []int64{u.ID})
	if err != nil {
		return err
	}
	p := prefs[u.ID]
	if u.Disabled || !p.Wants(ChoiceOf(n.Kind)) || s.sender == nil {
		return s.record(ctx, n.ID, map[string]any{"email": EmailSkipped})
	}
	l := localeOf(u, p)
	r, err := mail.Render(l, s.Email(n, u, l.Lang))
	if err != nil {
		return river.JobCancel(err)
	}
	answer, sendErr := s.sender.Send(ctx, mail.Message{To: u.Email, Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		ID: "hrx-notification-" + strconv.FormatInt(n.ID, 10)})
	if sendErr != nil {
		state := EmailRetrying
		if job.Attempt >= job.MaxAttempts {
			state = EmailFailed
		}
		if err := s.record(ctx, n.ID, map[string]any{"email": state, "email_attempts": job.Attempt, "email_error": sendErr.Error()}); err != nil {
			s.log.Warn("recording a failed e-mail", "notification", n.ID, "err", err)
		}
		s.log.Warn("e-mail not sent", "notification", n.ID, "to", u.Email, "attempt", job.Attempt, "of", job.MaxAttempts, "err", sendErr)
		return sendErr
	}
	now := s.Now().UTC()
	return s.record(ctx, n.ID, map[string]any{"email": EmailSent, "email_attempts": job.Attempt, "email_error": "",
		"email_answer": answer, "emailed_at": now})
}

// record writes what became of a notification's e-mail.
func (s *Service) record(ctx context.Context, id int64, values map[string]any) error {
	return s.db.W.WithContext(context.WithoutCancel(ctx)).Model(&Notification{}).Where("id = ?", id).Updates(values).Error
}

// localeOf is the language and zone a person's e-mails are written in.
func localeOf(u users.User, p Prefs) i18n.Locale {
	l := p.Locale()
	if z, ok := u.Zone(); ok {
		l = l.InZone(z)
	}
	return l
}

// MonthURL is the absolute address of a month's page.
func (s *Service) MonthURL(m string) string { return s.base + "/months/" + m }

// Email is what notification n says to u, as an e-mail: what happened, the
// comment as written, a link straight to the month, and why they received it.
func (s *Service) Email(n Notification, u users.User, lang i18n.Lang) mail.Email {
	e := mail.Email{Subject: Subject(n), Lines: []i18n.Msg{Summary(n)}, Why: why(n.Kind, u.Role, s.RemindBefore), Prefs: s.base + "/account#email"}
	m, hasMonth := n.MonthOf()
	if hasMonth {
		e.Link, e.LinkText = s.MonthURL(n.Month), i18n.M("notify.mail.open", "month", m)
	}
	switch n.Kind {
	case Submitted:
		e.Lines = append(e.Lines, i18n.M("notify.mail.submitted.ask"))
	case Returned, Reopened:
		if n.Comment != "" {
			e.Quote, e.QuoteBy = n.Comment, i18n.M("notify.mail.comment_by", "actor", n.Actor)
		}
		e.Lines = append(e.Lines, i18n.M("notify.mail.returned.ask"))
	case Reminder, Digest:
		items := n.ItemsOf()
		for _, it := range items {
			e.Items = append(e.Items, ItemMsg(n.Kind, it, lang))
		}
		if n.Kind == Reminder && len(items) > 0 {
			e.Link, e.LinkText = s.MonthURL(items[0].Month.String()), i18n.M("notify.mail.open", "month", items[0].Month)
		} else {
			e.Link, e.LinkText = s.base+"/months", i18n.M("notify.mail.open_months")
		}
	}
	return e
}

// Subject is an e-mail's subject line.
func Subject(n Notification) i18n.Msg {
	m, _ := n.MonthOf()
	switch n.Kind {
	case Reminder:
		return i18n.M("notify.subject.reminder", "count", len(n.ItemsOf()))
	case Digest:
		return i18n.M("notify.subject.digest", "count", len(n.ItemsOf()))
	}
	return i18n.M("notify.subject."+string(n.Kind), "month", m)
}

// Summary is what happened, in one sentence: the in-app list's line and the
// e-mail's first paragraph.
func Summary(n Notification) i18n.Msg {
	m, _ := n.MonthOf()
	switch n.Kind {
	case Reminder:
		return i18n.M("notify.summary.reminder", "count", len(n.ItemsOf()))
	case Digest:
		return i18n.M("notify.summary.digest", "count", len(n.ItemsOf()))
	}
	return i18n.M("notify.summary."+string(n.Kind), "month", m, "actor", n.Actor)
}

// ItemMsg is one line of a reminder or digest, for a reader of lang (a
// body's name is its own in each language).
func ItemMsg(k Kind, it Item, lang i18n.Lang) i18n.Msg {
	if k == Digest {
		return i18n.M("notify.item.digest", "month", it.Month, "actor", it.Actor, "since", it.Since)
	}
	return i18n.M("notify.item.reminder."+it.Why, "body", bodyMsg(it, lang), "month", it.Month, "count", it.Missing,
		"due", bodies.DueDay(it.DueDay, it.Month))
}

// bodyMsg is the body's name as a message (so each language picks its own).
func bodyMsg(it Item, l i18n.Lang) i18n.Msg {
	if it.Admins {
		return i18n.M("bodies.admins")
	}
	return bodies.Body{ID: 1, NameEN: it.Body, NameJA: it.BodyJA, NameHI: it.BodyHI}.NameMsg(l)
}

// why says why a person received a kind of e-mail; a reminder's says when
// reminders go (before days before the due day, …).
func why(k Kind, r users.Role, before int) i18n.Msg {
	if k == Reminder {
		return i18n.M("notify.why.reminder", "role", r.Name(), "count", before)
	}
	return i18n.M("notify.why."+string(ChoiceOf(k)), "role", r.Name())
}
