// Package notify tells people what needs them: a month submitted (its
// approvers), sent back or reopened (its editors, with the comment),
// published (the body), figures missing before and after their due day (the
// body's editors, at most one e-mail a person a day) and, weekly, what waits
// for each approver. Each is a row in the person's in-app list, written in
// the transaction of the change, and, when they keep that kind of e-mail on,
// an e-mail sent by a job of the job engine (River) after the transaction:
// durable across restarts, retried with back-off, run once however many
// processes share the database.
package notify

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"hrx/internal/i18n"
	"hrx/internal/month"
)

// Kind is what a notification is about.
type Kind string

// The kinds of notification.
const (
	Submitted Kind = "submitted" // a month was submitted: its approvers
	Returned  Kind = "returned"  // a month was sent back: its editors, with the comment
	Reopened  Kind = "reopened"  // a published month was reopened: its editors, with the reason
	Published Kind = "published" // a month was published: the body
	Nothing   Kind = "nothing"   // a month was published as "nothing to report": the body
	Reminder  Kind = "reminder"  // figures missing around their due day: the body's editors
	Digest    Kind = "digest"    // the weekly list of what waits for an approver
)

// Choice is a kind of e-mail a person can turn off on /account.
type Choice string

// The choices, in the order /account lists them.
const (
	ChoiceSubmitted Choice = "submitted"
	ChoiceReturned  Choice = "returned" // sent back or reopened
	ChoicePublished Choice = "published"
	ChoiceReminder  Choice = "reminder"
	ChoiceDigest    Choice = "digest"
)

// Choices lists every choice.
var Choices = []Choice{ChoiceSubmitted, ChoiceReturned, ChoicePublished, ChoiceReminder, ChoiceDigest}

// ChoiceOf is the choice that turns a kind's e-mail off.
func ChoiceOf(k Kind) Choice {
	switch k {
	case Returned, Reopened:
		return ChoiceReturned
	case Published, Nothing:
		return ChoicePublished
	}
	return Choice(k)
}

// E-mail states of a notification.
const (
	EmailNone     = ""         // not to be e-mailed (no mail server, or the person turned the kind off)
	EmailQueued   = "queued"   // a job will send it
	EmailRetrying = "retrying" // the last attempt failed; the job will try again
	EmailSent     = "sent"
	EmailFailed   = "failed"  // every attempt failed
	EmailSkipped  = "skipped" // the person turned the kind off, or was disabled, before it went
)

// Notification is one thing one person is told.
type Notification struct {
	ID            int64
	UserID        int64
	Kind          Kind
	Month         string // YYYY-MM, or "" for a reminder or digest of several
	Actor         string // who moved the month
	Comment       string // the send-back comment or reopening reason, as written
	Items         string // a reminder's or digest's lines, JSON
	Dedupe        *string
	CreatedAt     time.Time
	ReadAt        *time.Time
	Email         string
	EmailAttempts int
	EmailError    string
	EmailAnswer   string
	EmailedAt     *time.Time
}

// TableName maps Notification to its table.
func (Notification) TableName() string { return "notifications" }

// Unread reports whether the person has not marked it read.
func (n Notification) Unread() bool { return n.ReadAt == nil }

// MonthOf is the notification's month, when it has one.
func (n Notification) MonthOf() (month.Month, bool) {
	m, err := month.Parse(n.Month)
	return m, err == nil
}

// Item is one line of a reminder (a body's month with missing figures) or of
// a digest (a month waiting for review).
type Item struct {
	Month   month.Month `json:"month"`
	Body    string      `json:"body,omitempty"` // English name; "" for the administrators' share
	BodyJA  string      `json:"body_ja,omitempty"`
	BodyHI  string      `json:"body_hi,omitempty"`
	Admins  bool        `json:"admins,omitempty"`
	DueDay  int         `json:"due_day,omitempty"`
	Missing int         `json:"missing,omitempty"` // cells without figures
	Why     string      `json:"why,omitempty"`     // soon, overdue, weekly
	Actor   string      `json:"actor,omitempty"`   // digest: who submitted
	Since   *time.Time  `json:"since,omitempty"`   // digest: when
}

// ItemsOf reads a notification's items.
func (n Notification) ItemsOf() []Item {
	var out []Item
	if n.Items != "" {
		_ = json.Unmarshal([]byte(n.Items), &out)
	}
	return out
}

// Prefs are one person's choices: their e-mails' language and the kinds
// of e-mail they turned off.
type Prefs struct {
	UserID    int64 `gorm:"primaryKey;autoIncrement:false"`
	Lang      string
	Off       string // space-separated choices
	UpdatedAt time.Time
}

// TableName maps Prefs to its table.
func (Prefs) TableName() string { return "notification_prefs" }

// Wants reports whether the person keeps e-mails of choice c on.
func (p Prefs) Wants(c Choice) bool { return !slices.Contains(strings.Fields(p.Off), string(c)) }

// Locale is the language the person's e-mails are written in.
func (p Prefs) Locale() i18n.Locale {
	if l, ok := i18n.Parse(p.Lang); ok && p.Lang != "" {
		return l
	}
	return i18n.New(i18n.EN, "")
}
