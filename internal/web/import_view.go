package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"hrx/internal/figures"
	"hrx/internal/i18n"
	"hrx/internal/imports"
	"hrx/internal/month"
	"hrx/internal/reference"
)

// figureNames names a figure's key in the reader's words: "Engineers, IT and
// specialist professionals · IT and software · Karnataka → Tokyo", from the
// reference lists; a code the lists do not have is shown as it is.
type figureNames struct {
	l                   i18n.Locale
	cats, secs, regions map[string]string
}

func (s *Server) figureNames(ctx context.Context, l i18n.Locale) (figureNames, error) {
	n := figureNames{l: l, cats: map[string]string{}, secs: map[string]string{}, regions: map[string]string{}}
	cats, err := s.ref.Categories(ctx)
	if err != nil {
		return n, err
	}
	for _, c := range cats {
		n.cats[c.Code] = c.Name(l.Lang)
	}
	secs, err := s.ref.Sectors(ctx)
	if err != nil {
		return n, err
	}
	for _, x := range secs {
		n.secs[x.Code] = x.Name(l.Lang)
	}
	regs, err := s.ref.Regions(ctx)
	if err != nil {
		return n, err
	}
	for _, x := range regs {
		name := x.NameEN
		if (l.Lang == i18n.JA && x.Country == "JP" || l.Lang == i18n.HI && x.Country == "IN") && x.NameLocal != "" {
			name = x.NameLocal
		}
		n.regions[x.Code] = name
	}
	return n, nil
}

func orCode(names map[string]string, code string) string {
	if name, ok := names[code]; ok && name != "" {
		return name
	}
	return code
}

// name is a figure's category, sector and regions (or, without regions, its
// direction) in words; the month is named apart.
func (n figureNames) name(direction, category, sector, origin, dest string) string {
	parts := []string{orCode(n.cats, category)}
	if sector != "" {
		parts = append(parts, orCode(n.secs, sector))
	}
	if origin == "" && dest == "" {
		parts = append(parts, n.l.Tr(reference.DirectionMsg(direction)))
		return strings.Join(parts, " · ")
	}
	from, to := n.country(direction, true), n.country(direction, false)
	if origin != "" {
		from = orCode(n.regions, origin)
	}
	if dest != "" {
		to = orCode(n.regions, dest)
	}
	return strings.Join(append(parts, from+" → "+to), " · ")
}

// country is where a direction's people come from (from) or go to, in words.
func (n figureNames) country(direction string, from bool) string {
	india := (direction == reference.IndiaToJapan) == from
	if india {
		return n.l.Tr(i18n.M("imports.country.in"))
	}
	return n.l.Tr(i18n.M("imports.country.jp"))
}

// changeRow is a row of the preview's table of changed figures.
type changeRow struct {
	imports.Change
	MonthName  string // "September 2025"
	Figure     string // the key in words
	BeforeText string
	AfterText  string
	Difference string // "+5", "−3"
}

// ChangedRows are the changed figures in the reader's words, with before → after and the difference.
func (p importPage) ChangedRows() []changeRow {
	out := make([]changeRow, len(p.Changed))
	for i, c := range p.Changed {
		out[i] = changeRow{Change: c, MonthName: p.MonthOf(c.Month), Figure: p.names.name(c.Direction, c.Category, c.Sector, c.Origin, c.Dest),
			BeforeText: p.N(c.OldCount), AfterText: p.N(c.NewCount), Difference: p.signed(c.NewCount - c.OldCount)}
	}
	return out
}

// signed writes a difference with its sign: "+1,234", "−56" (a true minus sign), "0".
func (p importPage) signed(d int64) string {
	switch {
	case d > 0:
		return "+" + p.N(d)
	case d < 0:
		return "−" + p.N(-d)
	}
	return p.N(0)
}

// FigureName is a figure's key in the reader's words, its month first.
func (p importPage) FigureName(f figures.Figure) string {
	return p.MonthOf(f.Month) + " · " + p.names.name(f.Direction, f.Category, f.Sector, f.Origin, f.Destination)
}

// CellName is a month's cell (direction and category) in words, for the flags.
func (p importPage) CellName(m month.Month, direction, category string) string {
	return p.Month(m) + " · " + p.names.name(direction, category, "", "", "")
}

// LockedMonthsMsg names the locked months whose rows change nothing, zero when there are none.
func (p importPage) LockedMonthsMsg() i18n.Msg {
	ms := p.Im.LockedMonthList()
	if len(ms) == 0 {
		return i18n.Msg{}
	}
	return i18n.M("uploads.import.locked_unchanged", "count", len(ms), "months", monthsMsg(ms))
}

// MonthsMsg names the months the import writes.
func (p importPage) MonthsMsg() i18n.Msg { return monthsMsg(p.Im.MonthList()) }

// CorrectURL is the upload page for a corrected file, keeping the mode and, for one month, the month.
func (p importPage) CorrectURL() string {
	return correctURL(p.Im)
}

// correctURL is the upload page for a file that corrects im: the same mode,
// and its month when it has one.
func correctURL(im imports.Import) string {
	q := url.Values{"mode": {im.Mode}, "from": {strconv.FormatInt(im.ID, 10)}}
	if ms := im.MonthList(); len(ms) == 1 {
		q.Set("month", ms[0])
	}
	return "/imports/new?" + q.Encode()
}
