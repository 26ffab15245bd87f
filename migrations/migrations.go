// Package migrations holds the versioned SQL schema, applied in order by goose.
//
// A file named NNNNN_name.sql runs on every database; where SQLite and PostgreSQL
// need different SQL, the change is written twice as NNNNN_name.sqlite.sql and
// NNNNN_name.postgres.sql and each database sees only its own.
package migrations

import (
	"embed"
	"io/fs"
	"strings"
)

//go:embed *.sql
var files embed.FS

// For returns the migrations that apply to a dialect ("sqlite" or "postgres").
func For(dialect string) fs.FS { return dialectFS{dialect: dialect} }

type dialectFS struct{ dialect string }

func (d dialectFS) Open(name string) (fs.File, error) {
	if !d.wanted(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return files.Open(name)
}

func (d dialectFS) ReadDir(name string) ([]fs.DirEntry, error) {
	all, err := files.ReadDir(name)
	if err != nil {
		return nil, err
	}
	var out []fs.DirEntry
	for _, e := range all {
		if d.wanted(e.Name()) {
			out = append(out, e)
		}
	}
	return out, nil
}

// wanted keeps shared files and this dialect's own.
func (d dialectFS) wanted(name string) bool {
	base := strings.TrimSuffix(name, ".sql")
	for _, other := range []string{"sqlite", "postgres"} {
		if strings.HasSuffix(base, "."+other) {
			return other == d.dialect
		}
	}
	return true
}
