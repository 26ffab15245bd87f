package web

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/breakdown"
	"hrx/internal/charts"
	"hrx/internal/i18n"
	"hrx/internal/month"
	"hrx/internal/reference"
	"hrx/internal/report"
)

// Where people come from and go to (/breakdown, and /targets/{slug}/breakdown
// for the people who count toward a target): the published people of a
// period and direction by sector, by Indian state and by Japanese
// prefecture, each as sorted bars and a table, the regions also as tile-grid
// maps, with the share of people each breakdown is known for. The page is a
// GET form; its body is cached per data version and question.

// breakdownRow is one line of a breakdown's table.
type breakdownRow struct {
	Code, Name string
	Lang       string // the name's language when it is not the page's ("" otherwise)
	Kind       string // sectors: specified skilled field or other sector
	People     int64
	Share      string // of the people whose figures carry the breakdown
}

// breakdownSection is one breakdown: its sentence, charts and table.
type breakdownSection struct {
	ID, Heading, Known string
	Bars, Map          template.HTML
	Rows               []breakdownRow
	Unknown, Total     int64
	Kinds              bool // the table has a column for the kind of sector
}

type breakdownPage struct {
	Page
	Slug, Name    string // the target, when the page is one target's
	Action        string
	From, To, Dir string // the form's values
	Directions    []breakdownDirection
	Lede          string
	Sections      []breakdownSection
	NoPeople      bool
	HasData       bool
	Body          template.HTML
}

type breakdownDirection struct{ Code, Name string }

// breakdownPage is /breakdown: every published figure.
func (s *Server) breakdownPage(c echo.Context) error {
	rep, err := s.currentReport(c)
	if err != nil {
		return err
	}
	return s.breakdownOf(c, rep, nil)
}

// targetBreakdownPage is /targets/{slug}/breakdown: the people who count
// toward a published target, in its window.
func (s *Server) targetBreakdownPage(c echo.Context) error {
	rep, tp, err := s.publishedTarget(c)
	if err != nil {
		return err
	}
	return s.breakdownOf(c, rep, &tp)
}

func (s *Server) breakdownOf(c echo.Context, rep *report.Report, tp *report.TargetProgress) error {
	ctx := c.Request().Context()
	data, err := s.bkdown.Current(ctx)
	if err != nil {
		return err
	}
	p := breakdownPage{Page: s.page(c, ""), Action: "/breakdown", HasData: data.Last != month.Zero}
	p.Title = p.M("breakdown.title")
	q := breakdownQuery(rep, data, tp)
	// The default period: the whole window so far, the targets' earliest
	// start (or the first month with figures) to the latest published month.
	from, to := q.From, q.To
	dirs := []string{reference.IndiaToJapan, reference.JapanToIndia}
	if tp != nil {
		t := tp.Target
		p.Slug, p.Name, p.Action = t.Slug, t.Name(p.L.Lang), "/targets/"+t.Slug+"/breakdown"
		p.Title = p.M("breakdown.title_target", "name", p.Name)
		if len(t.Directions) > 0 {
			dirs = t.Directions
		}
	} else {
		for i, t := range rep.Published() {
			if i == 0 || t.Target.Start < from {
				from = t.Target.Start
			}
		}
		if to < from {
			to = from
		}
	}
	p.Directions = append(p.Directions, breakdownDirection{"", p.M("breakdown.direction.both")})
	for _, d := range dirs {
		p.Directions = append(p.Directions, breakdownDirection{d, report.DirectionName(p.L, d)})
	}

	// The question asked, checked.
	p.From, p.To, p.Dir = c.QueryParam("from"), c.QueryParam("to"), c.QueryParam("direction")
	var v apperr.ValidationError
	if p.From != "" {
		if m, err := month.Parse(p.From); err != nil {
			v.AddMsg("from", i18n.M("breakdown.field.from"), i18n.M("breakdown.error.month"))
		} else {
			from = m
		}
	}
	if p.To != "" {
		if m, err := month.Parse(p.To); err != nil {
			v.AddMsg("to", i18n.M("breakdown.field.to"), i18n.M("breakdown.error.month"))
		} else {
			to = m
		}
	}
	if v.Empty() && from > to && from != month.Zero {
		v.AddMsg("to", i18n.M("breakdown.field.to"), i18n.M("breakdown.error.order"))
	}
	known := false
	for _, d := range p.Directions {
		known = known || d.Code == p.Dir
	}
	if !known {
		v.AddMsg("direction", i18n.M("breakdown.field.direction"), i18n.M("breakdown.error.direction"))
	}
	if p.From == "" && from != month.Zero {
		p.From = from.String()
	}
	if p.To == "" && to != month.Zero {
		p.To = to.String()
	}
	if !v.Empty() {
		p.Errors = &v
		return c.Render(http.StatusUnprocessableEntity, "breakdown", p)
	}
	q.From, q.To, q.Direction = from, to, p.Dir

	key := "page|breakdown|" + p.Slug + "|" + from.String() + "|" + to.String() + "|" + p.Dir + "|" + p.L.Code()
	body, err := s.cache.get(data.Version, key, func() (cached, error) {
		if err := s.breakdownSections(c, &p, data, q); err != nil {
			return cached{}, err
		}
		html, err := s.render.RenderBlock("breakdown", "breakdown-body", p)
		return cached{Body: []byte(html)}, err
	})
	if err != nil {
		return err
	}
	p.Body = template.HTML(body.Body)
	return c.Render(http.StatusOK, "breakdown", p)
}

// breakdownQuery is the question a breakdown answers unless asked another:
// every published figure from the first month with figures, or the people
// who count toward the target tp (when not nil) in its window so far.
func breakdownQuery(rep *report.Report, data *breakdown.Data, tp *report.TargetProgress) breakdown.Query {
	q := breakdown.Query{Skilled: map[string]bool{}, From: data.First, To: data.Last}
	for _, cat := range rep.Categories {
		q.Skilled[cat.Code] = cat.Skilled
	}
	if tp != nil {
		t := tp.Target
		q.Directions, q.Categories, q.SkilledOnly = t.Directions, t.Categories, t.SkilledOnly
		q.From, q.To = t.Start, min(t.End, max(data.Last, t.Start))
	}
	return q
}

// breakdownSections computes the breakdowns and lays them out.
func (s *Server) breakdownSections(c echo.Context, p *breakdownPage, data *breakdown.Data, q breakdown.Query) error {
	ctx := c.Request().Context()
	l := p.L
	sectors, err := s.ref.Sectors(ctx)
	if err != nil {
		return err
	}
	regions, err := s.ref.Regions(ctx)
	if err != nil {
		return err
	}
	r := breakdown.Compute(*data, q)
	dir := l.Tr(i18n.M("breakdown.direction.both"))
	if q.Direction != "" {
		dir = report.DirectionName(l, q.Direction)
	}
	p.Lede = l.Tr(i18n.M("breakdown.lede", "people", r.Sector.Total, "from", q.From, "to", q.To, "direction", dir))
	p.NoPeople = r.Sector.Total == 0
	if p.NoPeople {
		return nil
	}

	// Sectors: the specified skilled fields, then the other sectors.
	sectorName := map[string]reference.Sector{}
	for _, sc := range sectors {
		sectorName[sc.Code] = sc
	}
	sec := breakdownSection{ID: "sector", Heading: l.Tr(i18n.M("breakdown.sector.heading")), Kinds: true,
		Known: l.Tr(i18n.M("breakdown.sector.known", "percent", r.Sector.Percent()))}
	for _, it := range r.Sector.Items {
		row := breakdownRow{Code: it.Code, Name: it.Code, People: it.People, Share: shareText(l, it.People, r.Sector.Known)}
		if sc, ok := sectorName[it.Code]; ok {
			row.Name = sc.Name(l.Lang)
			row.Kind = l.Tr(i18n.M("breakdown.sector.others"))
			if sc.SSWField {
				row.Kind = l.Tr(i18n.M("breakdown.sector.ssw"))
			}
		}
		sec.Rows = append(sec.Rows, row)
	}
	sec.Unknown, sec.Total = r.Sector.Total-r.Sector.Known, r.Sector.Total
	sec.Bars = barsOf("bars-sector", sec, l)
	p.Sections = append(p.Sections, sec)

	regionOf := map[string]reference.Region{}
	for _, rg := range regions {
		regionOf[rg.Code] = rg
	}
	for _, side := range []struct {
		id, country string
		b           breakdown.Breakdown
		layout      map[string]charts.TilePos
		local       i18n.Lang
		lang        string
	}{
		{"india", "IN", r.India, charts.IndiaTiles, i18n.HI, "hi"},
		{"japan", "JP", r.Japan, charts.JapanTiles, i18n.JA, "ja"},
	} {
		sec := breakdownSection{ID: side.id, Heading: l.Tr(i18n.M("breakdown." + side.id + ".heading")),
			Known: l.Tr(i18n.M("breakdown."+side.id+".known", "percent", side.b.Percent()))}
		var tiles []charts.Tile
		for _, it := range side.b.Items {
			row := breakdownRow{Code: it.Code, Name: it.Code, People: it.People, Share: shareText(l, it.People, side.b.Known)}
			if rg, ok := regionOf[it.Code]; ok {
				row.Name = rg.NameEN
				if l.Lang == side.local && rg.NameLocal != "" {
					row.Name = rg.NameLocal
				} else if l.Lang != i18n.EN {
					row.Lang = "en"
				}
			}
			tiles = append(tiles, charts.Tile{Code: it.Code, Name: row.Name, Value: it.People})
			sec.Rows = append(sec.Rows, row)
		}
		sec.Unknown, sec.Total = side.b.Total-side.b.Known, side.b.Total
		sec.Bars = barsOf("bars-"+side.id, sec, l)
		desc := l.Tr(i18n.M("breakdown.map.none"))
		if len(sec.Rows) > 0 {
			desc = l.Tr(i18n.M("breakdown.map.desc", "name", sec.Rows[0].Name, "people", sec.Rows[0].People))
		}
		sec.Map = charts.TileGrid{ID: "map-" + side.id, Title: l.Tr(i18n.M("breakdown." + side.id + ".map")), Desc: desc,
			Layout: side.layout, Tiles: tiles, NoneLabel: l.Tr(i18n.M("breakdown.map.nobody")), Format: l.N}.SVG()
		p.Sections = append(p.Sections, sec)
	}
	return nil
}

// barsOf is a section's sorted bars.
func barsOf(id string, sec breakdownSection, l i18n.Locale) template.HTML {
	ch := charts.HBars{ID: id, Title: sec.Heading, Desc: sec.Known, Format: l.N}
	for _, r := range sec.Rows {
		ch.Bars = append(ch.Bars, charts.Bar{Label: r.Name, Value: r.People})
	}
	return ch.SVG()
}

// shareText is n's share of all, with one decimal: "12.5%".
func shareText(l i18n.Locale, n, all int64) string {
	if all <= 0 {
		return "–"
	}
	return l.Percent(float64(n) * 100 / float64(all))
}
