package notify

import "context"

// JobTally is how many of the job engine's jobs of one kind are in one state.
type JobTally struct {
	Kind, State string
	Jobs        int64
}

// EmailTally is how many notifications' e-mails came to one outcome.
type EmailTally struct {
	Outcome string
	Emails  int64
}

// Tallies counts the jobs in River's table by kind and state (finished jobs
// stay there a day, then River deletes them) and the notifications' e-mails
// by outcome (queued, retrying, sent, failed, skipped); for /metrics.
func (s *Service) Tallies(ctx context.Context) ([]JobTally, []EmailTally, error) {
	var jobs []JobTally
	if err := s.db.R.WithContext(ctx).Raw("SELECT kind, state, COUNT(*) AS jobs FROM river_job GROUP BY kind, state ORDER BY kind, state").
		Scan(&jobs).Error; err != nil {
		return nil, nil, err
	}
	var emails []EmailTally
	err := s.db.R.WithContext(ctx).Raw("SELECT email AS outcome, COUNT(*) AS emails FROM notifications WHERE email <> '' GROUP BY email ORDER BY email").
		Scan(&emails).Error
	return jobs, emails, err
}
