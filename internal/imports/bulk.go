package imports

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"hrx/internal/db"
)

// bulkInserter writes rows to one table with multi-row INSERT statements on a
// transaction, the fastest portable way to stage a million rows.
//
// The statements are run as queries, not Exec: go-sqlite3 binds a query's
// parameters in one call into C, but an Exec's one call each: for a million
// rows of 13 values, over a second of a preview.
type bulkInserter struct {
	tx      *sql.Tx
	dialect string
	table   string
	cols    []string
	batch   int
	pending []any
	n       int
	full    *sql.Stmt // prepared for a whole batch
}

func newBulkInserter(tx *sql.Tx, dialect, table string, cols []string) *bulkInserter {
	// SQLite allows 32,766 parameters a statement, PostgreSQL 65,535.
	return &bulkInserter{tx: tx, dialect: dialect, table: table, cols: cols, batch: 2000 / len(cols) * 10}
}

func (b *bulkInserter) statement(rows int) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "INSERT INTO %s (%s) VALUES ", b.table, strings.Join(b.cols, ", "))
	p := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('(')
		for c := range b.cols {
			if c > 0 {
				sb.WriteByte(',')
			}
			if b.dialect == db.Postgres {
				fmt.Fprintf(&sb, "$%d", p)
				p++
			} else {
				sb.WriteByte('?')
			}
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

// add queues one row, writing a batch when it is full.
func (b *bulkInserter) add(ctx context.Context, vals ...any) error {
	b.pending = append(b.pending, vals...)
	b.n++
	if b.n < b.batch {
		return nil
	}
	if b.full == nil {
		st, err := b.tx.PrepareContext(ctx, b.statement(b.batch))
		if err != nil {
			return err
		}
		b.full = st
	}
	if err := drain(b.full.QueryContext(ctx, b.pending...)); err != nil {
		return err
	}
	b.pending, b.n = b.pending[:0], 0
	return nil
}

// drain finishes a statement run as a query that returns no rows.
func drain(rows *sql.Rows, err error) error {
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return err
	}
	return rows.Close()
}

// flush writes what is queued and releases the statement.
func (b *bulkInserter) flush(ctx context.Context) error {
	if b.full != nil {
		defer b.full.Close()
	}
	if b.n == 0 {
		return nil
	}
	err := drain(b.tx.QueryContext(ctx, b.statement(b.n), b.pending...))
	b.pending, b.n = b.pending[:0], 0
	return err
}
