package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"hrx/internal/approval"
	"hrx/internal/audit"
	"hrx/internal/dataversion"
	"hrx/internal/db"
	"hrx/internal/figures"
	"hrx/internal/month"
	"hrx/internal/reference"
)

// Months of generated data: 26 months, as in the other benchmarks.
var (
	firstMonth = month.New(2024, 9)
	lastMonth  = month.New(2026, 10)
)

// rowsPerInsert is how many figures one INSERT statement writes: 500 rows of
// 13 values stay under PostgreSQL's 65,535 parameters and SQLite's 32,766.
const rowsPerInsert = 500

// fill writes n figures with unique six-part keys (every month, both
// directions, every category; each cell one plain figure and the rest broken
// down over many sector and region combinations), then publishes every month
// so that the public API sees them all. The figures are generated and
// written a batch at a time, so the benchmark's own peak memory stays small.
// It returns how long the writing and the publishing took.
func fill(ctx context.Context, d *db.DB, n int) (write, publish time.Duration, err error) {
	ref := reference.NewStore(d)
	cats, err := ref.Categories(ctx)
	if err != nil {
		return 0, 0, err
	}
	secs, err := ref.Sectors(ctx)
	if err != nil {
		return 0, 0, err
	}
	regs, err := ref.Regions(ctx)
	if err != nil {
		return 0, 0, err
	}
	var sectors, in, jp []string
	for _, s := range secs {
		sectors = append(sectors, s.Code)
	}
	for _, r := range regs {
		if r.Country == "IN" {
			in = append(in, r.Code)
		} else {
			jp = append(jp, r.Code)
		}
	}
	if len(cats) == 0 || len(sectors) == 0 || len(in) == 0 || len(jp) == 0 {
		return 0, 0, errors.New("the reference lists are empty; was the database migrated?")
	}
	months := month.Range(firstMonth, lastMonth)
	dirs := []string{reference.IndiaToJapan, reference.JapanToIndia}
	cells := len(months) * len(dirs) * len(cats)
	combos := len(sectors) * len(in) * len(jp)
	perCell, extra := n/cells, n%cells
	if perCell > combos {
		return 0, 0, fmt.Errorf("%d figures need more than the %d (sector, origin, destination) combinations per cell", n, combos)
	}
	// stride is coprime with combos, so i*stride mod combos visits distinct
	// combinations: one plain figure and perCell-1 broken-down ones per cell.
	stride := 7919
	for gcd(stride, combos) != 1 {
		stride += 2
	}

	now := time.Now().UTC()
	err = d.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		w := figures.NewBatch(tx, now, rowsPerInsert)
		cell := 0
		for _, m := range months {
			ms := m.String()
			for _, dir := range dirs {
				origins, dests := in, jp
				if dir == reference.JapanToIndia {
					origins, dests = jp, in
				}
				for _, c := range cats {
					k := perCell
					if cell < extra {
						k++
					}
					cell++
					for i := 0; i < k; i++ {
						f := figures.Figure{Month: ms, Direction: dir, Category: c.Code, Count: int64(1 + (i*31+cell*17)%40), Status: figures.Final, Source: "benchapi"}
						if i > 0 { // the first is the cell's plain figure, not broken down
							// Each cell starts elsewhere, so that groupings without
							// month meet many different combinations.
							x := ((i-1)*stride + cell*104729) % combos
							f.Sector = sectors[x%len(sectors)]
							x /= len(sectors)
							f.Origin = origins[x%len(origins)]
							f.Destination = dests[x/len(origins)]
						}
						if err := w.Add(f); err != nil {
							return err
						}
					}
				}
			}
		}
		if err := w.Flush(); err != nil {
			return err
		}
		if err := figures.RefreshTotals(tx, monthStrings(months)); err != nil {
			return err
		}
		if err := audit.Record(tx, audit.System("benchapi"), audit.Change{Action: "insert", Entity: "figures",
			Key: firstMonth.String() + ".." + lastMonth.String(), After: map[string]any{"rows": n}, Reason: "benchmark data"}); err != nil {
			return err
		}
		return dataversion.Bump(tx)
	})
	if err != nil {
		return 0, 0, fmt.Errorf("inserting figures: %w", err)
	}
	write = time.Since(now)
	// The public API reads published months only.
	t0 := time.Now()
	if _, err := approval.NewStore(d, figures.NewStore(d)).PublishRange(ctx, audit.System("benchapi"), firstMonth, lastMonth, approval.RangeOptions{Comment: "benchmark data", SingleApprover: true, ConfirmFlags: "benchmark data"}); err != nil {
		return 0, 0, fmt.Errorf("publishing: %w", err)
	}
	return write, time.Since(t0), nil
}

// monthStrings are the months as their text.
func monthStrings(ms []month.Month) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.String()
	}
	return out
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
