package figures

import (
	"gorm.io/gorm"

	"hrx/internal/approval"
	"hrx/internal/reference"
)

// Inspect looks at month m's figures, inside the transaction that publishes
// it, for what must not be published: totals out of step with their rows,
// codes that are not in the reference lists, and regions in the wrong country
// for the direction (approval.Snapshotter).
func (s *Store) Inspect(tx *gorm.DB, m string) (approval.Findings, error) {
	var out approval.Findings
	if err := tx.Raw("SELECT COUNT(*) FROM figures WHERE month = ?", m).Scan(&out.Rows).Error; err != nil {
		return out, err
	}
	if out.Rows == 0 {
		return out, nil
	}
	var bad []struct{ Direction, Category string }
	if err := tx.Raw(`SELECT f.direction, f.category FROM
		(SELECT direction, category, SUM(count) AS total, COUNT(*) AS n FROM figures WHERE month = ? GROUP BY direction, category) f
		FULL OUTER JOIN (SELECT direction, category, total, row_count FROM month_totals WHERE month = ?) t
		ON t.direction = f.direction AND t.category = f.category
		WHERE t.total IS NULL OR f.total IS NULL OR t.total <> f.total OR t.row_count <> f.n`, m, m).Scan(&bad).Error; err != nil {
		return out, err
	}
	for _, b := range bad {
		out.Totals = append(out.Totals, b.Direction+"/"+b.Category)
	}
	rows := func(list *[]string, where string, args ...any) error {
		var keys []Figure
		if err := tx.Raw(`SELECT f.month, f.direction, f.category, f.sector, f.origin, f.destination FROM figures f
			LEFT JOIN sectors s ON s.code = f.sector
			LEFT JOIN regions o ON o.code = f.origin
			LEFT JOIN regions d ON d.code = f.destination
			WHERE f.month = ? AND (`+where+`) ORDER BY f.direction, f.category, f.sector, f.origin, f.destination LIMIT ?`,
			append(append([]any{m}, args...), approval.MaxNamed+1)...).Scan(&keys).Error; err != nil {
			return err
		}
		for _, k := range keys {
			*list = append(*list, k.Key())
		}
		return nil
	}
	if err := rows(&out.UnknownSector, "f.sector <> '' AND s.code IS NULL"); err != nil {
		return out, err
	}
	if err := rows(&out.UnknownRegion, "(f.origin <> '' AND o.code IS NULL) OR (f.destination <> '' AND d.code IS NULL)"); err != nil {
		return out, err
	}
	if err := rows(&out.WrongCountry, "(f.direction = ? AND (o.country = 'JP' OR d.country = 'IN')) OR (f.direction = ? AND (o.country = 'IN' OR d.country = 'JP'))",
		reference.IndiaToJapan, reference.JapanToIndia); err != nil {
		return out, err
	}
	return out, nil
}

// Snapshot copies month m's figures and their totals over the month's
// previous published snapshot, inside the transaction that publishes it
// (approval.Snapshotter).
func (s *Store) Snapshot(tx *gorm.DB, m string) error {
	for _, q := range []string{
		"DELETE FROM published_figures WHERE month = ?",
		`INSERT INTO published_figures (month, direction, category, sector, origin, destination, count, status, source, note)
			SELECT month, direction, category, sector, origin, destination, count, status, source, note FROM figures WHERE month = ?`,
		"DELETE FROM published_totals WHERE month = ?",
		`INSERT INTO published_totals (month, direction, category, total, row_count)
			SELECT month, direction, category, total, row_count FROM month_totals WHERE month = ?`,
	} {
		if err := tx.Exec(q, m).Error; err != nil {
			return err
		}
	}
	return nil
}
