package figures

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"hrx/internal/audit"
	"hrx/internal/dataversion"
	"hrx/internal/figures/figkey"
)

// Every statement that writes the figures table or month_totals is in this
// file: the month grid's cells, the bulk insert, generated data sets and an
// import's apply and revert all write through it, so that the version column,
// updated_by, import_id, the timestamps and the totals with their cell history
// are kept one way. The callers hold the transaction and have taken the write
// lock (approval.CheckOpen) before calling; they also decide what to write.

// KeyColumns are the columns that make a figure's identity, in key order.
const KeyColumns = figkey.Columns

// KeyJoin is the SQL condition that rows a and b (table names or aliases)
// have the same figure key.
func KeyJoin(a, b string) string { return figkey.Join(a, b) }

// stamp is what a write marks figures with besides their values: who wrote
// them (nil for the system) and when.
type stamp struct {
	by *int64
	at time.Time
}

func stampOf(actor audit.Actor, at time.Time) stamp {
	st := stamp{at: at}
	if actor.UserID != 0 {
		id := actor.UserID
		st.by = &id
	}
	return st
}

// byArg is the writer as an SQL argument: NULL for the system.
func (st stamp) byArg() any {
	if st.by == nil {
		return nil
	}
	return *st.by
}

// fresh marks a figure about to be created: its first version, final unless
// it says otherwise, created and changed at.
func fresh(f *Figure, at time.Time) {
	if f.Status == "" {
		f.Status = Final
	}
	f.Version = 1
	f.CreatedAt, f.UpdatedAt = at, at
}

// create writes one new figure, as the writer's (the month grid).
func (st stamp) create(tx *gorm.DB, f *Figure) error {
	fresh(f, st.at)
	f.UpdatedBy, f.ImportID = st.by, nil
	return tx.Create(f).Error
}

// setCount changes a figure's count if it still has the version cur was read
// at, as the writer's and no import's. It reports whether it did.
func (st stamp) setCount(tx *gorm.DB, cur Figure, count int64) (bool, error) {
	res := tx.Model(&Figure{}).Where("id = ? AND version = ?", cur.ID, cur.Version).
		Updates(map[string]any{"count": count, "version": cur.Version + 1, "updated_by": st.by, "updated_at": st.at, "import_id": nil})
	return res.RowsAffected == 1, res.Error
}

// setValues changes a figure's count, status, source and note to next's if
// it still has the version cur was read at, as the writer's and no import's
// (a cell's rows editor). It reports whether it did.
func (st stamp) setValues(tx *gorm.DB, cur, next Figure) (bool, error) {
	res := tx.Model(&Figure{}).Where("id = ? AND version = ?", cur.ID, cur.Version).
		Updates(map[string]any{"count": next.Count, "status": next.Status, "source": next.Source, "note": next.Note,
			"version": cur.Version + 1, "updated_by": st.by, "updated_at": st.at, "import_id": nil})
	return res.RowsAffected == 1, res.Error
}

// remove deletes one figure.
func remove(tx *gorm.DB, id int64) error {
	return tx.Delete(&Figure{}, id).Error
}

// insert writes many new figures (Store.Insert), with updated_by and
// import_id as the rows carry them, a thousand to a statement.
func insert(tx *gorm.DB, at time.Time, rows []Figure) error {
	for i := range rows {
		fresh(&rows[i], at)
	}
	return tx.CreateInBatches(rows, 1000).Error
}

// Batch writes new figures inside a transaction with multi-row INSERT
// statements of a fixed number of rows, as they are added, so that a
// generated data set of millions need never be in memory at once (the
// benchmark scripts). The figures get their first version and no writer or
// import; the caller then calls Flush, RefreshTotals and dataversion.Bump.
type Batch struct {
	tx   *gorm.DB
	at   time.Time
	size int
	sb   strings.Builder
	args []any
	rows int
}

// NewBatch returns a Batch on tx that writes size rows a statement, created at at.
// Keep size×13 under the database's parameters a statement (32,766 on SQLite).
func NewBatch(tx *gorm.DB, at time.Time, size int) *Batch {
	return &Batch{tx: tx, at: at, size: size}
}

// Add queues f, writing the statement when it is full.
func (b *Batch) Add(f Figure) error {
	if b.rows == 0 {
		b.sb.Reset()
		b.args = b.args[:0]
		b.sb.WriteString("INSERT INTO figures (" + KeyColumns + ", count, status, source, note, version, created_at, updated_at) VALUES ")
	} else {
		b.sb.WriteByte(',')
	}
	b.sb.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?)")
	b.args = append(b.args, f.Month, f.Direction, f.Category, f.Sector, f.Origin, f.Destination, f.Count, f.Status, f.Source, f.Note, 1, b.at, b.at)
	if b.rows++; b.rows == b.size {
		return b.Flush()
	}
	return nil
}

// Flush writes what is queued.
func (b *Batch) Flush() error {
	if b.rows == 0 {
		return nil
	}
	b.rows = 0
	return b.tx.Exec(b.sb.String(), b.args...).Error
}

// ImportWrite is an import whose staged changes are written to the figures, or
// taken back. The staged rows are imports' own tables: import_rows (the file's
// rows, each marked new, changed or unchanged) and import_changes (the figures
// it removes, and, before applying, the values of those it changes).
type ImportWrite struct {
	ID     int64     // the import
	Months []string  // the months it covers, whose totals are refreshed
	Reason string    // how a cell's history names it: "import #12 (file.csv)"
	At     time.Time // when it is written
}

// ApplyImport writes an import's staged rows to the figures, set by set:
// removes the figures it removes, adds or changes the rest (each marked with
// the import and the writer, its version moved on), then refreshes the
// months' totals with their cell history ("import") and moves the data
// version on. The import must have recorded the values of the figures it
// changes in import_changes before.
func ApplyImport(tx *gorm.DB, actor audit.Actor, w ImportWrite) error {
	st := stampOf(actor, w.At)
	steps := []step{
		{`DELETE FROM figures WHERE id IN (SELECT f.id FROM import_changes c JOIN figures f ON ` + KeyJoin("f", "c") + `
			WHERE c.import_id = ? AND c.kind = 'removed')`, []any{w.ID}},
		{`INSERT INTO figures (` + KeyColumns + `, count, status, source, note, version, updated_by, import_id, created_at, updated_at)
			SELECT ` + KeyColumns + `, count, status, source, note, 1, ?, ?, ?, ? FROM import_rows WHERE import_id = ? AND action <> 'unchanged'
			ON CONFLICT (` + KeyColumns + `) DO UPDATE SET
				count = excluded.count, status = excluded.status, source = excluded.source, note = excluded.note,
				version = figures.version + 1, updated_by = excluded.updated_by, import_id = excluded.import_id, updated_at = excluded.updated_at`,
			[]any{st.byArg(), w.ID, st.at, st.at, w.ID}},
	}
	if err := run(tx, steps); err != nil {
		return err
	}
	if err := RefreshTotalsLogged(tx, actor, w.Months, "import", w.Reason); err != nil {
		return err
	}
	return dataversion.Bump(tx)
}

// RevertImport takes an applied import back, set by set: puts the figures it
// changed back as they were (with the import mark they had), removes those
// it added and puts back those it removed, each with a new version and the
// writer; then refreshes the months' totals with their cell history
// ("revert") and moves the data version on.
func RevertImport(tx *gorm.DB, actor audit.Actor, w ImportWrite) error {
	st := stampOf(actor, w.At)
	steps := []step{
		// Put the changed figures back, with the import mark they had; then the figures
		// still marked with this import are exactly the ones it added.
		{`UPDATE figures SET count = c.old_count, status = c.old_status, source = c.old_source, note = c.old_note,
			version = figures.version + 1, import_id = c.old_import_id, updated_by = ?, updated_at = ?
			FROM import_changes c WHERE c.import_id = ? AND c.kind = 'changed' AND ` + KeyJoin("figures", "c"), []any{st.byArg(), st.at, w.ID}},
		{`DELETE FROM figures WHERE import_id = ?`, []any{w.ID}},
		{`INSERT INTO figures (` + KeyColumns + `, count, status, source, note, version, import_id, updated_by, created_at, updated_at)
			SELECT ` + KeyColumns + `, old_count, old_status, old_source, old_note, 1, old_import_id, ?, ?, ?
			FROM import_changes WHERE import_id = ? AND kind = 'removed'`, []any{st.byArg(), st.at, st.at, w.ID}},
	}
	if err := run(tx, steps); err != nil {
		return err
	}
	if err := RefreshTotalsLogged(tx, actor, w.Months, "revert", w.Reason); err != nil {
		return err
	}
	return dataversion.Bump(tx)
}

type step struct {
	sql  string
	args []any
}

func run(tx *gorm.DB, steps []step) error {
	for _, st := range steps {
		if err := tx.Exec(st.sql, st.args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// RefreshTotals recomputes month_totals for the given months inside tx: each
// cell's total, its number of rows and when its earliest row was recorded.
func RefreshTotals(tx *gorm.DB, months []string) error {
	for _, m := range months {
		if err := tx.Exec("DELETE FROM month_totals WHERE month = ?", m).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO month_totals (month, direction, category, total, row_count, first_at)
			SELECT month, direction, category, SUM(count), COUNT(*), MIN(created_at) FROM figures WHERE month = ?
			GROUP BY month, direction, category`, m).Error; err != nil {
			return fmt.Errorf("refreshing totals of %s: %w", m, err)
		}
	}
	return nil
}

// cellKey names a cell of the month grid in the audit log: "2025-09/IN-JP/student".
func cellKey(t Total) string { return t.Month + "/" + t.Direction + "/" + t.Category }

// RefreshTotalsLogged is RefreshTotals that also records, for every cell of the
// month grid whose total or number of rows changed, the cell's before and
// after in the audit log: the history a cell shows after an import, a revert
// or a bulk insert (a few hundred entries at most, however many rows moved).
func RefreshTotalsLogged(tx *gorm.DB, actor audit.Actor, months []string, action, reason string) error {
	load := func() (map[string]Total, error) {
		out := map[string]Total{}
		for i := 0; i < len(months); i += 500 {
			var part []Total
			if err := tx.Where("month IN ?", months[i:min(i+500, len(months))]).Find(&part).Error; err != nil {
				return nil, err
			}
			for _, t := range part {
				out[cellKey(t)] = t
			}
		}
		return out, nil
	}
	before, err := load()
	if err != nil {
		return err
	}
	if err := RefreshTotals(tx, months); err != nil {
		return err
	}
	after, err := load()
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(after))
	for k := range after {
		keys = append(keys, k)
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	view := func(t Total, ok bool) any {
		if !ok {
			return nil
		}
		return map[string]any{"total": t.Total, "rows": t.RowCount}
	}
	for _, k := range keys {
		b, hadB := before[k]
		a, hasA := after[k]
		if hadB == hasA && b.Total == a.Total && b.RowCount == a.RowCount {
			continue
		}
		m := a.Month
		if !hasA {
			m = b.Month
		}
		if err := audit.Record(tx, actor, audit.Change{Action: action, Entity: "cell", Key: k, Month: m,
			Before: view(b, hadB), After: view(a, hasA), Reason: reason}); err != nil {
			return err
		}
	}
	return nil
}
