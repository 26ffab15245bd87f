package approval

import (
	"gorm.io/gorm"

	"hrx/internal/audit"
	"hrx/internal/month"
)

// Notifier is told of each move of a month inside the transaction that makes
// it, so that what people are told (and the e-mail jobs that tell them) is
// written with the move or not at all. approval declares it and does not know
// who implements it (notify, handed in where the stores are built).
type Notifier interface {
	MonthMoved(tx *gorm.DB, m month.Month, a Action, actor audit.Actor, comment string) error
}

// SetNotifier has n told of every move from now on; nil tells no one.
func (s *Store) SetNotifier(n Notifier) { s.notifier = n }

// notify tells the notifier, if any, of a move: not of a publication that
// sets the four-eyes rule aside (loading official history from the command
// line), which nobody needs an e-mail about.
func (s *Store) notify(tx *gorm.DB, m month.Month, a Action, actor audit.Actor, comment string, p publishing) error {
	if s.notifier == nil || p.single {
		return nil
	}
	return s.notifier.MonthMoved(tx, m, a, actor, comment)
}
