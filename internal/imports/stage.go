package imports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"gorm.io/gorm"

	"hrx/internal/approval"
	"hrx/internal/i18n"
	"hrx/internal/rules"
	"hrx/internal/upload"
)

var rowCols = []string{"import_id", "line", "month", "direction", "category", "sector", "origin", "destination", "count", "status", "source", "note", "action"}

// issueCols: a message is kept as its id and arguments, to be written in the
// language of whoever reads it, and in English too, for people reading the
// database.
var issueCols = []string{"import_id", "seq", "severity", "line", "column_name", "value", "message", "message_id", "message_args"}

// Actions of a staged row.
const (
	actionNew       = "new"
	actionChanged   = "changed"
	actionUnchanged = "unchanged"
)

// stage reads, checks and classifies the file's rows in one goroutine while this
// one writes what that finds to the staging tables. The two halves take about
// as long as each other, so on two cores a preview takes little more than one.
func (s *Store) stage(ctx context.Context, tx *gorm.DB, im *Import, up Upload, check *rules.Rules) error {
	t, err := sqlTx(tx)
	if err != nil {
		return err
	}
	cur := newCurrent(s.db)
	locked, err := approval.AllLocked(tx)
	if err != nil {
		return err
	}
	p := newStagePipe()
	var readErr error
	go func() {
		defer close(p.batches)
		defer func() {
			// A panic here would otherwise end the whole server, not one request.
			if v := recover(); v != nil {
				readErr = fmt.Errorf("imports: reading %s: panic: %v\n%s", im.FileName, v, debug.Stack())
			}
		}()
		readErr = s.read(ctx, im, up, check, cur, locked, p)
	}()
	// The reading goroutine has ended once writeStaged returns, and with it
	// every change it made to im.
	if err := writeStaged(ctx, t, s.db.Dialect, p); err != nil {
		return err
	}
	if readErr != nil {
		return readErr
	}
	if im.Mode == Replace {
		skip := map[string]bool{}
		for m := range locked {
			skip[m] = true
		}
		n, err := cur.recordRemovals(ctx, tx, im.ID, skip)
		if err != nil {
			return err
		}
		im.RemovedCount = n
	}
	fp, err := fingerprint(tx, im.checkedMonths())
	if err != nil {
		return err
	}
	im.State = Preview
	return tx.Model(&Import{}).Where("id = ?", im.ID).Updates(map[string]any{
		"format": im.Format, "format_id": im.FormatID, "format_args": im.FormatArgs, "state": im.State, "row_count": im.RowCount, "new_count": im.NewCount, "changed_count": im.ChangedCount,
		"unchanged_count": im.UnchangedCount, "removed_count": im.RemovedCount, "error_count": im.ErrorCount,
		"warning_count": im.WarningCount, "months": im.Months, "locked_months": im.LockedMonths, "fingerprint": fp,
	}).Error
}

// read reads and checks the file, counts its rows in im and sends the rows to
// stage and the problems to keep down p. A row of a locked month (submitted or
// published) that changes nothing is counted as unchanged; rows that would
// change a locked month (and, for a replace, figures it would remove there)
// are one error for the month, naming who locked it and when.
func (s *Store) read(ctx context.Context, im *Import, up Upload, check *rules.Rules, cur *current, locked map[string]approval.MonthState, p *stagePipe) error {
	seq := 0
	var kept [2]int // errors and warnings kept so far
	addIssue := func(sev string, is upload.Issue) error {
		kind := 0
		if sev == "error" {
			im.ErrorCount++
		} else {
			im.WarningCount++
			kind = 1
		}
		// A file wrong on every one of a million lines would otherwise keep
		// millions of rows; the counts stay exact.
		if kept[kind] == IssuesKept {
			return nil
		}
		kept[kind]++
		seq++
		id, args := encodeMsg(is.Msg)
		return p.send(staged{issue: true, vals: [13]any{im.ID, seq, sev, is.Line, is.Column, truncate(is.Value, 200), is.Msg.String(), id, args}})
	}
	// readerIssues adds the problems the reader found since it was last asked.
	readerIssues := func(r *upload.Reader) error {
		found, moreErrors, moreWarnings := r.TakeIssues()
		for _, is := range found {
			if err := addIssue(severity(is), is); err != nil {
				return err
			}
		}
		im.ErrorCount += int64(moreErrors)
		im.WarningCount += int64(moreWarnings)
		return nil
	}
	fileError := func(err error) error {
		var fe *upload.FileError
		if !errors.As(err, &fe) {
			return err
		}
		return addIssue("error", upload.Issue{Msg: fe.Msg})
	}
	r, err := upload.Open(up.Body, up.Name)
	if err != nil {
		if err := fileError(err); err != nil {
			return err
		}
		return p.flush()
	}
	defer r.Close()
	im.setFormat(r.Format())
	months := map[string]bool{}
	lockedSeen := map[string]bool{} // locked months with rows that change nothing
	lk := lockRefusals{}
	tick := newTicker(up.Progress, up.Body, im.FormatID, im.FileSize)
	for {
		if err := tick.row(ctx, im.RowCount); err != nil {
			return err
		}
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if err := fileError(err); err != nil {
				return err
			}
			break
		}
		// Problems the reader found are reported in line order with the rows'.
		if err := readerIssues(r); err != nil {
			return err
		}
		im.RowCount++
		f, probs := check.Row(rec)
		if len(probs) > 0 {
			for _, p := range probs {
				if err := addIssue("error", p); err != nil {
					return err
				}
			}
			continue
		}
		action, first, err := cur.classify(ctx, f, rec.Line)
		if err != nil {
			return err
		}
		if first != 0 {
			if err := addIssue("error", upload.Issue{Line: rec.Line, Column: "duplicate", Value: rules.Key(f),
				Msg: i18n.M("imports.row.duplicate", "line", first)}); err != nil {
				return err
			}
			continue
		}
		if _, ok := locked[f.Month]; ok {
			// Year-to-date files repeat the months already submitted or
			// published: a row there that changes nothing is fine, one that
			// would change the month is refused with its month, once.
			if action == actionUnchanged {
				im.UnchangedCount++
				lockedSeen[f.Month] = true
			} else {
				lk.refuse(f.Month, rec.Line)
			}
			continue
		}
		months[f.Month] = true
		switch action {
		case actionNew:
			im.NewCount++
		case actionChanged:
			im.ChangedCount++
		default:
			// Only counted: applying, listing and reverting read the rows
			// that add or change a figure, never these.
			im.UnchangedCount++
			continue
		}
		if err := p.send(staged{vals: [13]any{im.ID, rec.Line, f.Month, f.Direction, f.Category, f.Sector, f.Origin, f.Destination,
			f.Count, f.Status, f.Source, f.Note, action}}); err != nil {
			return err
		}
	}
	if err := readerIssues(r); err != nil {
		return err
	}
	if im.Mode == Replace {
		for m := range lockedSeen {
			lk.removes(m, cur.missing(m))
		}
		for m := range lk {
			lk.removes(m, cur.missing(m))
		}
	}
	for _, is := range lk.issues(locked) {
		if err := addIssue("error", is); err != nil {
			return err
		}
	}
	for m := range lk {
		delete(lockedSeen, m)
	}
	im.LockedMonths = strings.Join(sortedKeys(lockedSeen), ",")
	tick.done(im.RowCount)
	if im.RowCount == 0 && im.ErrorCount == 0 {
		if err := addIssue("error", upload.Issue{Msg: i18n.M("imports.file.no_rows")}); err != nil {
			return err
		}
	}
	im.Months = strings.Join(sortedKeys(months), ",")
	return p.flush()
}

// severity tells warnings (ignored columns) from errors in the reader's issues.
func severity(is upload.Issue) string {
	if is.Warning() {
		return "warning"
	}
	return "error"
}

// staged is a row for import_rows or, if issue is set, for import_issues
// (the first nine values), with its values ready to bind.
type staged struct {
	issue bool
	vals  [13]any
}

// stagePipe carries staged rows, a batch at a time, from the goroutine that
// reads the file to the one that writes them.
type stagePipe struct {
	batches chan []staged
	free    chan []staged // written batches, to fill again
	stop    chan struct{} // closed when the writer gives up
	cur     []staged
}

const stageBatch = 1024

func newStagePipe() *stagePipe {
	return &stagePipe{batches: make(chan []staged, 4), free: make(chan []staged, 6), stop: make(chan struct{})}
}

var errWriterStopped = errors.New("imports: the staging writer stopped")

// send queues st, handing the batch over when it is full.
func (p *stagePipe) send(st staged) error {
	if p.cur == nil {
		select {
		case p.cur = <-p.free:
		default:
			p.cur = make([]staged, 0, stageBatch)
		}
	}
	p.cur = append(p.cur, st)
	if len(p.cur) < stageBatch {
		return nil
	}
	return p.flush()
}

// flush hands over what is queued.
func (p *stagePipe) flush() error {
	if len(p.cur) == 0 {
		return nil
	}
	select {
	case p.batches <- p.cur:
		p.cur = nil
		return nil
	case <-p.stop:
		return errWriterStopped
	}
}

// writeStaged writes every batch that comes down p until it is closed. After
// a failure it tells the reader to stop, and still waits for it to finish.
func writeStaged(ctx context.Context, t *sql.Tx, dialect string, p *stagePipe) error {
	rows := newBulkInserter(t, dialect, "import_rows", rowCols)
	issues := newBulkInserter(t, dialect, "import_issues", issueCols)
	var err error
	for batch := range p.batches {
		for i := 0; i < len(batch) && err == nil; i++ {
			if st := &batch[i]; st.issue {
				err = issues.add(ctx, st.vals[:len(issueCols)]...)
			} else {
				err = rows.add(ctx, st.vals[:]...)
			}
		}
		if err != nil {
			select {
			case <-p.stop:
			default:
				close(p.stop)
			}
		}
		select {
		case p.free <- batch[:0]:
		default:
		}
	}
	if err != nil {
		return err
	}
	if err := rows.flush(ctx); err != nil {
		return err
	}
	return issues.flush(ctx)
}
