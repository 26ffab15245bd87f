package approval

import (
	"strings"

	"gorm.io/gorm"

	"hrx/internal/i18n"
)

// Snapshotter is what publishing needs of the figures; figures.Store is one,
// handed to NewStore where the stores are built. Both methods run inside the
// transaction that publishes, so the snapshot, the month's new state, its
// audit entry and the data version change together or not at all.
type Snapshotter interface {
	// Inspect looks at a month's figures for what must not be published.
	Inspect(tx *gorm.DB, month string) (Findings, error)
	// Snapshot copies a month's figures and their totals over the month's
	// previous published snapshot.
	Snapshot(tx *gorm.DB, month string) error
}

// MaxNamed is how many figures a publish check names; Inspect returns one
// more when there are more, so the refusal can say so.
const MaxNamed = 5

// Findings is what Inspect found in a month's figures. Figures are named by
// their key ("2025-09/IN-JP/engineer/it_software/IN-KA/JP-13"), in key order,
// at most MaxNamed+1 of each kind.
type Findings struct {
	Rows          int64    // how many figures the month has; with none, nothing else is looked at
	Totals        []string // cells whose total is out of step with their rows: "IN-JP/student"
	UnknownSector []string // figures whose sector is not in the reference list
	UnknownRegion []string // figures whose origin or destination is not in the reference list
	WrongCountry  []string // figures with a region in the wrong country for the direction
}

// problems says what must not be published, one message for each cell out of
// step and one for each kind of wrong figure, naming at most MaxNamed of them.
func (f Findings) problems() []i18n.Msg {
	var out []i18n.Msg
	for _, c := range f.Totals {
		out = append(out, i18n.M("approval.check.total", "cell", c))
	}
	for _, p := range []struct {
		id   string
		keys []string
	}{
		{"approval.check.sector", f.UnknownSector},
		{"approval.check.region", f.UnknownRegion},
		{"approval.check.country", f.WrongCountry},
	} {
		if len(p.keys) == 0 {
			continue
		}
		names := p.keys
		if len(names) > MaxNamed {
			names = append(names[:MaxNamed:MaxNamed], "…")
		}
		out = append(out, i18n.M(p.id, "rows", strings.Join(names, ", ")))
	}
	return out
}
