package approval

import (
	"errors"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/month"
)

// The order rule: a month of the targets' windows is published only when
// every earlier month of those windows is, so that the public "as of" month
// never has a month before it that the public has not seen. Months outside
// every window (history before the plan) neither block nor are blocked. A
// month reopened for revision does not block: the public keeps seeing its
// last publication. A month with no figures is published as "nothing to
// report" (NothingToReport) to let the months after it through.

// errOrder marks a refusal by the order rule.
var errOrder = errors.New("an earlier month is not published")

// window is one target's first and last month.
type window struct {
	StartMonth, EndMonth month.Month
}

// windows are the months the order rule covers: every target's window,
// published or not, so that publishing a target never reveals a gap.
type windows []window

func windowsOf(tx *gorm.DB) (windows, error) {
	var ws windows
	err := tx.Table("targets").Select("start_month, end_month").Find(&ws).Error
	return ws, err
}

// covers reports whether m is in any window.
func (ws windows) covers(m month.Month) bool {
	for _, w := range ws {
		if m >= w.StartMonth && m <= w.EndMonth {
			return true
		}
	}
	return false
}

// firstGap is the earliest month of the windows before m that the public has
// not seen, with its state; ok is false when there is none, or m is outside
// every window.
func firstGap(tx *gorm.DB, m month.Month) (gap MonthState, ok bool, err error) {
	ws, err := windowsOf(tx)
	if err != nil || !ws.covers(m) {
		return MonthState{}, false, err
	}
	from := m
	for _, w := range ws {
		if w.StartMonth < m {
			from = min(from, w.StartMonth)
		}
	}
	if from == m {
		return MonthState{}, false, nil
	}
	var list []MonthState
	if err := tx.Where("month >= ? AND month < ?", from, m).Find(&list).Error; err != nil {
		return MonthState{}, false, err
	}
	states := make(map[month.Month]MonthState, len(list))
	for _, st := range list {
		states[st.Month] = st
	}
	for _, e := range month.Range(from, m-1) {
		if !ws.covers(e) {
			continue
		}
		st, moved := states[e]
		if !moved {
			return OpenState(e), true, nil
		}
		if !st.Public() {
			return st, true, nil
		}
	}
	return MonthState{}, false, nil
}

// checkOrder refuses to publish m while an earlier month of the windows is
// not public, naming that month, its state and who can act on it.
func (s *Store) checkOrder(tx *gorm.DB, m month.Month) error {
	gap, blocked, err := firstGap(tx, m)
	if err != nil || !blocked {
		return err
	}
	var why i18n.Msg
	if gap.State == Submitted {
		var who any = gap.Actor
		if gap.Actor == "" {
			who = i18n.M("month.locked.someone")
		}
		why = i18n.M("approval.order.submitted", "who", who, "when", gap.ChangedAt)
	} else {
		found, err := s.figures.Inspect(tx, gap.Month.String())
		if err != nil {
			return err
		}
		why = i18n.M("approval.order.open")
		if found.Rows == 0 {
			why = i18n.M("approval.order.empty")
		}
	}
	return &apperr.Error{Kind: apperr.Conflict, Err: errOrder,
		Msg: i18n.M("approval.order.blocked", "month", m, "earlier", gap.Month, "why", why)}
}
