package web

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"hrx/internal/i18n"
	"hrx/internal/imports"
	"hrx/internal/month"
	"hrx/internal/plausibility"
)

// confirmApply asks before applying an import, with what applying it does in
// numbers: the figures it adds, changes and removes in which months, and how
// many of them the preview flagged as far from their recent level. An import
// that cannot be applied now is refused at once, as applying it would be.
func (s *Server) confirmApply(c echo.Context, id int64) error {
	ctx := c.Request().Context()
	im, err := s.imports.CheckApply(ctx, id)
	if err != nil {
		return s.importRefused(c, id, err)
	}
	flags, err := plausibility.NewStore(s.db).Import(ctx, im.ID)
	if err != nil {
		return err
	}
	months := importMonths(im)
	say := []i18n.Msg{i18n.M("upload.confirm.apply.consequence", "file", im.FileName, "count", im.NewCount,
		"changed", im.ChangedCount, "removed", im.RemovedCount, "months", months)}
	if len(flags) > 0 {
		say = append(say, i18n.M("upload.confirm.apply.flags", "count", len(flags)))
	}
	if im.UnchangedCount > 0 {
		say = append(say, i18n.M("upload.confirm.apply.unchanged", "count", im.UnchangedCount))
	}
	say = append(say, i18n.M("upload.confirm.apply.after"))
	at := fmt.Sprintf("/imports/%d", im.ID)
	return s.askToConfirm(c, confirmPage{
		Heading: i18n.M("upload.confirm.apply.heading", "file", im.FileName), Consequences: say,
		Action: at + "/apply", Button: i18n.M("upload.confirm.apply.button", "file", im.FileName), Back: at,
	})
}

// confirmRevert asks before reverting an import, with what reverting it puts
// back in numbers. An import that cannot be reverted now (later changes
// touched its figures, a month is locked) is refused at once, naming why.
func (s *Server) confirmRevert(c echo.Context, id int64) error {
	im, err := s.imports.CheckRevert(c.Request().Context(), id)
	if err != nil {
		return s.importRefused(c, id, err)
	}
	at := fmt.Sprintf("/imports/%d", im.ID)
	return s.askToConfirm(c, confirmPage{
		Heading: i18n.M("upload.confirm.revert.heading", "file", im.FileName),
		Consequences: []i18n.Msg{
			i18n.M("upload.confirm.revert.consequence", "file", im.FileName, "count", im.ChangedCount,
				"new", im.NewCount, "removed", im.RemovedCount, "months", importMonths(im)),
			i18n.M("upload.confirm.revert.after"),
		},
		Action: at + "/revert", Button: i18n.M("upload.confirm.revert.button", "file", im.FileName), Back: at, Danger: true,
	})
}

// importMonths names the months an import covers: each of up to four
// ("September 2025 and November 2025"), or how many from the first to the
// last ("the 12 months from September 2025 to August 2026").
func importMonths(im imports.Import) i18n.Msg { return monthsMsg(im.MonthList()) }

// monthsMsg names months written YYYY-MM as importMonths does.
func monthsMsg(list []string) i18n.Msg {
	var ms []month.Month
	for _, s := range list {
		if m, err := month.Parse(s); err == nil {
			ms = append(ms, m)
		}
	}
	if len(ms) <= 4 {
		names := make([]i18n.Msg, len(ms))
		for i, m := range ms {
			names[i] = i18n.M("upload.confirm.month", "month", m)
		}
		return i18n.M("upload.confirm.months.list", "months", names)
	}
	first, last := ms[0], ms[len(ms)-1]
	if last.Sub(first)+1 == len(ms) {
		return i18n.M("upload.confirm.months.span", "count", len(ms), "from", first, "to", last)
	}
	return i18n.M("upload.confirm.months.between", "count", len(ms), "from", first, "to", last)
}
