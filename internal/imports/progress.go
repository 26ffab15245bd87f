package imports

import (
	"context"
	"io"
	"time"
)

// Progress is how far Stage has got with a file, for a page that shows it.
type Progress struct {
	Rows int64 // rows read and checked so far
	// Read is how many bytes of the file's Size were read so far; 0 when the
	// format does not tell (an XLSX workbook is read by parts, not in order).
	Read, Size int64
	Done       bool // every row is read; what is left is saving the preview
}

// Percent is how much of the file was read, 0 to 100, or -1 when unknown.
func (p Progress) Percent() int {
	if p.Done {
		return 100
	}
	if p.Size <= 0 || p.Read <= 0 {
		return -1
	}
	return int(min(99, p.Read*100/p.Size))
}

// progressEvery is how many rows are read between two looks at the request
// (cancelled?) and the clock (time to report?).
const progressEvery = 1024

// progressInterval is how often, at most, Stage reports its progress.
const progressInterval = 200 * time.Millisecond

// ticker reports an upload's progress now and then and notices a cancelled
// request, from the goroutine that reads the file (the only one that may seek it).
type ticker struct {
	report func(Progress)
	body   io.Seeker // the file, for how far the reader got; nil when that says nothing
	size   int64
	last   time.Time
}

// newTicker reports to report (nil: only notice a cancelled request); the
// reader's place in body says how far it got only for a CSV file.
func newTicker(report func(Progress), body io.Seeker, formatID string, size int64) *ticker {
	t := &ticker{report: report, size: size}
	if report != nil && formatID == "imports.format.csv" {
		t.body = body
	}
	return t
}

// row is called before each row: every progressEvery rows it answers the
// request's end (a person cancelled, the connection went) with its error, and
// reports progress when progressInterval has passed.
func (t *ticker) row(ctx context.Context, rows int64) error {
	if rows%progressEvery != 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.report == nil || rows == 0 || time.Since(t.last) < progressInterval {
		return nil
	}
	t.last = time.Now()
	p := Progress{Rows: rows}
	if t.body != nil {
		p.Size = t.size
		if at, err := t.body.Seek(0, io.SeekCurrent); err == nil {
			p.Read = at
		}
	}
	t.report(p)
	return nil
}

// done reports that every row is read.
func (t *ticker) done(rows int64) {
	if t.report != nil {
		t.report(Progress{Rows: rows, Done: true})
	}
}
