// Package bodies keeps the reporting bodies: the offices that report figures
// (a ministry's emigration desk, an immigration agency's statistics office, a
// student-exchange agency), which cells of every month (direction ×
// category) each one reports, by which day of the following month, and the
// editors and approvers who act for it. A cell no body reports falls to the
// administrators.
package bodies

import (
	"strconv"
	"strings"
	"time"

	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/users"
)

// DefaultDueDay is the day of the following month a body's figures are due
// by when nobody says otherwise.
const DefaultDueDay = 15

// The due days a body may have: every month has them, so a due date never
// falls off the end of a short month.
const (
	MinDueDay = 1
	MaxDueDay = 28
)

// maxName is the longest name a body may have, in characters.
const maxName = 200

// Zone is the reporting time zone: a due day ends at midnight India Standard
// Time. India has no summer time, so a fixed zone is exact and needs no
// time zone database.
var Zone = time.FixedZone("IST", 5*3600+1800)

// Cell is one cell of a month's grid: a direction and a category.
type Cell struct {
	Direction string
	Category  string
}

// Key writes the cell as the forms and the audit log name it: "IN-JP/student".
func (c Cell) Key() string { return c.Direction + "/" + c.Category }

// ParseCell reads a cell written as Key writes it; ok is false for anything else.
func ParseCell(s string) (Cell, bool) {
	d, c, ok := strings.Cut(s, "/")
	if !ok || d == "" || c == "" || strings.Contains(c, "/") {
		return Cell{}, false
	}
	return Cell{Direction: d, Category: c}, true
}

// Body is a reporting body with its cells and members.
type Body struct {
	ID                     int64
	NameEN, NameJA, NameHI string
	DueDay                 int
	CreatedAt, UpdatedAt   time.Time
	Cells                  []Cell   `gorm:"-"`
	Members                []Member `gorm:"-"`
}

// TableName maps Body to its table.
func (Body) TableName() string { return "bodies" }

// Admins reports whether b stands for the administrators' share: the cells
// no body reports (ID 0, due on DefaultDueDay).
func (b Body) Admins() bool { return b.ID == 0 }

// AdminsShare is the administrators' share of the cells: those no body reports.
func AdminsShare() Body { return Body{DueDay: DefaultDueDay} }

// Name is the body's name in the reader's language (English when it has no
// name in that language); the administrators' share is named by the catalog.
func (b Body) Name(l i18n.Lang) string {
	switch {
	case l == i18n.JA && b.NameJA != "":
		return b.NameJA
	case l == i18n.HI && b.NameHI != "":
		return b.NameHI
	}
	return b.NameEN
}

// NameMsg is the body's name as a message argument.
func (b Body) NameMsg(l i18n.Lang) i18n.Msg {
	if b.Admins() {
		return i18n.M("bodies.admins")
	}
	return i18n.Text(b.Name(l))
}

// Has reports whether the body reports cell c.
func (b Body) Has(c Cell) bool {
	for _, x := range b.Cells {
		if x == c {
			return true
		}
	}
	return false
}

// HasMember reports whether user id acts for the body.
func (b Body) HasMember(id int64) bool {
	for _, m := range b.Members {
		if m.UserID == id {
			return true
		}
	}
	return false
}

// Member is a person who acts for a body: an editor who enters its figures
// or an approver who reviews them (their role is their account's).
type Member struct {
	UserID int64
	Email  string
	Name   string
	Role   users.Role
}

// Deadline is the instant a body's figures of month m are due by: the end of
// day dueDay of the following month in Zone (so the figures of December
// 2025 with due day 15 are due by 16 January 2026 00:00 IST). A cell filled
// before it is on time.
func Deadline(dueDay int, m month.Month) time.Time {
	if dueDay < MinDueDay || dueDay > MaxDueDay {
		dueDay = DefaultDueDay
	}
	next := m.Add(1)
	return time.Date(next.Year(), time.Month(next.Num()), dueDay+1, 0, 0, 0, 0, Zone)
}

// DueDay is the calendar day figures of month m are due on, as people read
// it: "15 January 2026".
func DueDay(dueDay int, m month.Month) i18n.Msg {
	d := Deadline(dueDay, m).Add(-time.Hour)
	return i18n.M("bodies.due_date", "day", d.Day(), "month", month.Of(d))
}

// parseDueDay reads the due day field: empty is DefaultDueDay; ok is false
// for anything but a whole number from MinDueDay to MaxDueDay.
func parseDueDay(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultDueDay, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < MinDueDay || n > MaxDueDay {
		return 0, false
	}
	return n, true
}
