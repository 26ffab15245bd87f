// Package imports stages an uploaded file (read by upload, every row checked
// by rules), previews what applying it would change, applies it whole or not
// at all, reverts it, and deletes the previews no one applied.
package imports

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"hrx/internal/apperr"
	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/rules"
	"hrx/internal/upload"
)

// Modes of an import.
const (
	Merge   = "merge"   // add and change the figures in the file; leave the rest
	Replace = "replace" // also remove the figures of the file's months that the file does not have
)

// States of an import.
const (
	Staging  = "staging"
	Preview  = "preview"
	Applied  = "applied"
	Reverted = "reverted"
	Expired  = "expired"
	// Rejected is how a preview (or an expired one) whose file has errors is
	// shown: it can never be applied, so it is not a preview. It is not stored;
	// Get, List and Stage report it.
	Rejected = "rejected"
)

// PreviewLifetime is how long a preview can still be applied.
const PreviewLifetime = 24 * time.Hour

// Import is one uploaded file and what became of it.
type Import struct {
	ID             int64
	UserID         *int64
	Actor          string
	FileName       string
	FileSize       int64
	SHA256         string `gorm:"column:sha256"`
	Format         string // how the file was read, in English (see FormatMsg)
	FormatID       string // the message id of Format, "" for imports staged before messages had ids
	FormatArgs     string // its arguments, as encodeMsg writes them
	Mode           string
	State          string
	RowCount       int64
	NewCount       int64
	ChangedCount   int64
	UnchangedCount int64
	RemovedCount   int64
	ErrorCount     int64
	WarningCount   int64
	Months         string
	// LockedMonths are the months of the file that were submitted or
	// published when it was checked, whose rows all change nothing: the
	// preview stands only while their figures stay as they were.
	LockedMonths string
	Fingerprint  string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	AppliedAt    *time.Time
	RevertedAt   *time.Time
	RevertedBy   string
}

// CanApply reports whether the import is a preview without errors that has not expired.
func (im Import) CanApply(now time.Time) bool {
	return im.State == Preview && im.ErrorCount == 0 && now.Before(im.ExpiresAt) && im.RowCount > 0
}

// FormatMsg says how the file was read, for any reader: "CSV, UTF-8,
// comma-separated"; zero when it could not be read.
func (im Import) FormatMsg() i18n.Msg {
	if im.FormatID == "" && im.Format == "" {
		return i18n.Msg{}
	}
	return decodeMsg(im.FormatID, im.FormatArgs, im.Format)
}

func (im *Import) setFormat(m i18n.Msg) {
	im.Format = m.String()
	im.FormatID, im.FormatArgs = encodeMsg(m)
}

// StateMsg is the import's state in words: "preview", "applied" ….
func (im Import) StateMsg() i18n.Msg {
	if im.State == Rejected {
		return i18n.M("uploads.state.rejected")
	}
	return i18n.M("imports.state." + im.State)
}

// settle gives the state to show at now: a preview past its lifetime is
// expired, and one whose file has errors, expired or not, rejected.
func (im *Import) settle(now time.Time) {
	if (im.State == Preview || im.State == Staging) && now.After(im.ExpiresAt) {
		im.State = Expired
	}
	if (im.State == Preview || im.State == Expired) && im.ErrorCount > 0 {
		im.State = Rejected
	}
}

// ModeMsg is the import's mode in words: "merge" or "replace".
func (im Import) ModeMsg() i18n.Msg { return i18n.M("imports.mode." + im.Mode) }

// checkedMonths are the months whose figures the preview was worked out
// from: those the import writes and the locked ones it only matched.
func (im Import) checkedMonths() []string {
	if im.LockedMonths == "" {
		return im.MonthList()
	}
	return append(im.MonthList(), strings.Split(im.LockedMonths, ",")...)
}

// LockedMonthList is the locked months of the file, whose rows change nothing.
func (im Import) LockedMonthList() []string {
	if im.LockedMonths == "" {
		return nil
	}
	return strings.Split(im.LockedMonths, ",")
}

// MonthList is the months the file covers that are open (or were when it was
// checked): those applying it writes, or checks are still open.
func (im Import) MonthList() []string {
	if im.Months == "" {
		return nil
	}
	return strings.Split(im.Months, ",")
}

// Store stages, applies and reverts imports.
type Store struct {
	db    *db.DB
	ref   *reference.Store
	now   func() time.Time
	slots slots // imports being staged, applied or reverted
}

// NewStore returns a Store on d.
func NewStore(d *db.DB) *Store {
	return &Store{db: d, ref: reference.NewStore(d), now: func() time.Time { return time.Now().UTC() },
		slots: newSlots(importSlots, importSlotWait)}
}

// SetClock replaces the clock, for tests of expiry.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Upload is a file to stage.
type Upload struct {
	Name string
	Body io.ReadSeeker
	Mode string
	// Progress, when set, is told now and then how far reading the file got,
	// from another goroutine than Stage's caller, never after Stage returns.
	Progress func(Progress)
	// Apply, when set, applies a file without errors in the transaction that
	// stages it (the API and hrx import): the upload is applied whole, or
	// nothing of it is kept, even if the request is cancelled in between.
	Apply bool
}

// Stage reads and checks a whole file, keeps its good rows in a staging table
// and its problems in import_issues, and works out what applying it would do.
// Nothing in figures changes. A file that cannot be read at all still gives an
// Import, with the reason as its one error. When the Store is already busy
// with as many imports as it takes at once, Stage waits a little and then
// returns an *apperr.BusyError.
func (s *Store) Stage(ctx context.Context, actor audit.Actor, up Upload) (Import, error) {
	release, err := s.slots.acquire(ctx)
	if err != nil {
		return Import{}, err
	}
	defer release()
	if up.Mode != Replace {
		up.Mode = Merge
	}
	s.expireOld(ctx)
	size, sum, err := hashFile(up.Body)
	if err != nil {
		return Import{}, err
	}
	now := s.now()
	im := Import{Actor: actor.Name, FileName: cleanName(up.Name), FileSize: size, SHA256: sum, Mode: up.Mode, State: Staging, CreatedAt: now, ExpiresAt: now.Add(PreviewLifetime)}
	if actor.UserID != 0 {
		id := actor.UserID
		im.UserID = &id
	}
	check, err := s.rules(ctx)
	if err != nil {
		return Import{}, err
	}
	// The import's record is made in the same transaction as its rows: a failure
	// half-way leaves no trace at all.
	err = s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&im).Error; err != nil {
			return err
		}
		if err := s.stage(ctx, tx, &im, up, check); err != nil || !up.Apply || im.ErrorCount > 0 {
			return err
		}
		return s.applyIn(tx, actor, im.ID, &im)
	})
	if err != nil {
		return Import{}, err
	}
	im.settle(now)
	return im, nil
}

func (s *Store) rules(ctx context.Context) (*rules.Rules, error) {
	var l rules.Lists
	var err error
	if l.Categories, err = s.ref.Categories(ctx); err != nil {
		return nil, err
	}
	if l.Sectors, err = s.ref.Sectors(ctx); err != nil {
		return nil, err
	}
	if l.Regions, err = s.ref.Regions(ctx); err != nil {
		return nil, err
	}
	if l.Aliases, err = s.ref.Aliases(ctx); err != nil {
		return nil, err
	}
	return rules.New(l, month.Of(s.now())), nil
}

func sqlTx(tx *gorm.DB) (*sql.Tx, error) {
	t, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, errors.New("not in a transaction")
	}
	return t, nil
}

// fingerprint sums up the figures of some months so that a later change to them shows:
// how many there are, their versions added up, and the latest change.
func fingerprint(tx *gorm.DB, months []string) (string, error) {
	if len(months) == 0 {
		return "", nil
	}
	var fp struct {
		N, Versions int64
		Latest      string
	}
	err := tx.Raw(`SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS versions, COALESCE(CAST(MAX(updated_at) AS TEXT), '') AS latest
		FROM figures WHERE month IN ?`, months).Scan(&fp).Error
	return fmt.Sprintf("%d/%d/%s", fp.N, fp.Versions, fp.Latest), err
}

func hashFile(r io.ReadSeeker) (int64, string, error) {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return 0, "", err
	}
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return 0, "", err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

func cleanName(name string) string {
	name = strings.TrimSpace(name[strings.LastIndexAny(name, `/\`)+1:])
	if name == "" {
		return "upload"
	}
	return truncate(name, 200)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// expireOld marks previews past their lifetime as expired and drops the staged
// rows no import needs any more: those of expired previews and of reverted imports
// (an applied import keeps its rows, to know what it added if it is reverted).
func (s *Store) expireOld(ctx context.Context) {
	now := s.now()
	s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM import_rows WHERE import_id IN (SELECT id FROM imports WHERE (state IN (?, ?) AND expires_at < ?) OR state = ?)",
			Preview, Staging, now, Reverted).Error; err != nil {
			return err
		}
		return tx.Model(&Import{}).Where("state IN ? AND expires_at < ?", []string{Preview, Staging}, now).Update("state", Expired).Error
	})
}

// Get returns one import.
func (s *Store) Get(ctx context.Context, id int64) (Import, error) {
	var im Import
	err := s.db.R.WithContext(ctx).First(&im, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return im, apperr.ErrNotFound
	}
	if err == nil {
		im.settle(s.now())
	}
	return im, err
}

// List returns the imports newest first, each in the state to show.
func (s *Store) List(ctx context.Context, limit int) ([]Import, error) {
	return s.ListBefore(ctx, limit, 0)
}

// ListBefore is List for the imports older than the one with id before (all
// of them when before is 0): a page of the list after the first.
func (s *Store) ListBefore(ctx context.Context, limit int, before int64) ([]Import, error) {
	var out []Import
	q := s.db.R.WithContext(ctx).Order("id DESC").Limit(limit)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	err := q.Find(&out).Error
	now := s.now()
	for i := range out {
		out[i].settle(now)
	}
	return out, err
}

// Count is how many imports there are, older than the one with id before
// when before is not 0.
func (s *Store) Count(ctx context.Context, before int64) (int64, error) {
	var n int64
	q := s.db.R.WithContext(ctx).Model(&Import{})
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	return n, q.Count(&n).Error
}

// storedIssue is a row of import_issues.
type storedIssue struct {
	Severity    string
	Line        int
	ColumnName  string
	Value       string
	Message     string
	MessageID   string
	MessageArgs string
}

func (st storedIssue) issue() upload.Issue {
	return upload.Issue{Line: st.Line, Column: st.ColumnName, Value: st.Value, Msg: decodeMsg(st.MessageID, st.MessageArgs, st.Message)}
}

const issueSelect = "severity, line, column_name, value, message, message_id, message_args"

// Issues returns an import's problems in line order: errors and warnings, at most limit (0: all).
func (s *Store) Issues(ctx context.Context, id int64, severity string, limit int) ([]upload.Issue, error) {
	q := s.db.R.WithContext(ctx).Table("import_issues").Select(issueSelect).
		Where("import_id = ? AND severity = ?", id, severity).Order("seq")
	if limit > 0 {
		q = q.Limit(limit)
	}
	var rows []storedIssue
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]upload.Issue, len(rows))
	for i, r := range rows {
		out[i] = r.issue()
	}
	return out, nil
}

// EachIssue calls fn for every issue an import kept, in order, without
// holding them all in memory; then, for errors and for warnings, when the
// file had more than IssuesKept, once more with a note of how many are not listed.
func (s *Store) EachIssue(ctx context.Context, id int64, fn func(severity string, is upload.Issue) error) error {
	var im Import
	if err := s.db.R.WithContext(ctx).Select("error_count", "warning_count").First(&im, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.ErrNotFound
		}
		return err
	}
	listed, err := s.eachKeptIssue(ctx, id, fn)
	if err != nil {
		return err
	}
	for _, k := range []struct {
		sev, id string
		total   int64
	}{{"error", "imports.issues.more_errors", im.ErrorCount}, {"warning", "imports.issues.more_warnings", im.WarningCount}} {
		if more := k.total - listed[k.sev]; more > 0 {
			if err := fn(k.sev, upload.Issue{Msg: i18n.M(k.id, "count", more, "kept", IssuesKept)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// eachKeptIssue calls fn for every issue an import kept and counts them by severity.
func (s *Store) eachKeptIssue(ctx context.Context, id int64, fn func(severity string, is upload.Issue) error) (map[string]int64, error) {
	rows, err := s.db.R.WithContext(ctx).Raw("SELECT "+issueSelect+" FROM import_issues WHERE import_id = ? ORDER BY seq", id).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	listed := map[string]int64{}
	for rows.Next() {
		var st storedIssue
		if err := rows.Scan(&st.Severity, &st.Line, &st.ColumnName, &st.Value, &st.Message, &st.MessageID, &st.MessageArgs); err != nil {
			return nil, err
		}
		listed[st.Severity]++
		if err := fn(st.Severity, st.issue()); err != nil {
			return nil, err
		}
	}
	return listed, rows.Err()
}
