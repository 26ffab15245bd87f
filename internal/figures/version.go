package figures

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"gorm.io/gorm"
)

// MonthVersion is a fingerprint of month m's figures as tx sees them: every
// row's key, count, status, source and note. It changes whenever a figure of
// the month is entered, changed or removed, by the grid, an import, a revert
// or a bulk load, and only then. The month page's forms carry it, so that
// submitting a month can be refused when its figures changed after the page
// was loaded (approval.Versioner).
func (s *Store) MonthVersion(tx *gorm.DB, m string) (string, error) {
	rows, err := tx.Model(&Figure{}).
		Select("direction", "category", "sector", "origin", "destination", "count", "status", "source", "note").
		Where("month = ?", m).Order("direction, category, sector, origin, destination").Rows()
	if err != nil {
		return "", err
	}
	defer rows.Close()
	h := sha256.New()
	for rows.Next() {
		var f Figure
		if err := rows.Scan(&f.Direction, &f.Category, &f.Sector, &f.Origin, &f.Destination, &f.Count, &f.Status, &f.Source, &f.Note); err != nil {
			return "", err
		}
		// A separator no text field can hold keeps "ab"+"c" apart from "a"+"bc".
		for _, part := range []string{f.Direction, f.Category, f.Sector, f.Origin, f.Destination, strconv.FormatInt(f.Count, 10), f.Status, f.Source, f.Note} {
			h.Write([]byte(part))
			h.Write([]byte{0})
		}
		h.Write([]byte{'\n'})
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:12]), nil
}
