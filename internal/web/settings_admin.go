package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"hrx/internal/apperr"
	"hrx/internal/i18n"
	"hrx/internal/settings"
)

// settingsPage is /admin/settings: the four-eyes rule and the plausibility
// thresholds, each with its label, hint and default.
type settingsPage struct {
	Page
	FourEyes settingField
	Checks   []settingField
}

// settingField is one setting on the form.
type settingField struct {
	Setting settings.Setting
	ID      string
	Checked bool     // a Bool that is on
	Value   string   // a Number as the input shows it
	Default i18n.Msg // "Default: 3"
}

// Numeric reports whether the field takes whole numbers only, for the phone keyboard.
func (f settingField) Numeric() bool { return f.Setting.Whole }

// settingsForm is the settings form as submitted.
type settingsForm struct {
	FourEyes      string `form:"four_eyes"`
	FlagRatio     string `form:"flag_ratio"`
	FlagFloor     string `form:"flag_floor"`
	FlagHistory   string `form:"flag_history"`
	FlagTotalJump string `form:"flag_total_jump"`
}

// values are the form's fields by setting name, as settings.Store.Set takes them.
func (f settingsForm) values() map[string]string {
	return map[string]string{
		settings.FourEyes.Name:      f.FourEyes,
		settings.FlagRatio.Name:     strings.TrimSpace(f.FlagRatio),
		settings.FlagFloor.Name:     strings.TrimSpace(f.FlagFloor),
		settings.FlagHistory.Name:   strings.TrimSpace(f.FlagHistory),
		settings.FlagTotalJump.Name: strings.TrimSpace(f.FlagTotalJump),
	}
}

// newSettingsPage builds the page from the settings' texts by name: their
// stored values, or what was submitted.
func (s *Server) newSettingsPage(c echo.Context, text map[string]string) settingsPage {
	p := settingsPage{Page: s.titled(c, i18n.M("settings.page.title"))}
	for _, st := range settings.All() {
		f := settingField{Setting: st, ID: st.Name, Value: text[st.Name], Default: i18n.M("settings.page.default", "value", settingWords(st, st.Default))}
		if st.Kind == settings.Bool {
			f.Checked = checked(text[st.Name])
			p.FourEyes = f
			continue
		}
		p.Checks = append(p.Checks, f)
	}
	return p
}

// settingText is a stored value as the form shows it.
func settingText(st settings.Setting, v float64) string {
	if st.Kind == settings.Bool {
		if v != 0 {
			return "on"
		}
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// settingWords is a value as a person reads it: on or off, or the number.
func settingWords(st settings.Setting, v float64) any {
	switch {
	case st.Kind == settings.Bool && v != 0:
		return i18n.M("settings.page.on")
	case st.Kind == settings.Bool:
		return i18n.M("settings.page.off")
	case st.Whole:
		return int64(v)
	}
	return v
}

func (s *Server) settingsPage(c echo.Context) error {
	v, err := settings.NewStore(s.db).Load(c.Request().Context(), nil)
	if err != nil {
		return err
	}
	text := map[string]string{}
	for _, st := range settings.All() {
		text[st.Name] = settingText(st, v.Number(st))
	}
	return c.Render(http.StatusOK, "settings", s.newSettingsPage(c, text))
}

// saveSettings saves the whole form or nothing; the confirmation names each
// setting that changed, from what to what.
func (s *Server) saveSettings(c echo.Context) error {
	var f settingsForm
	if err := decode(c, &f); err != nil {
		return err
	}
	ctx := c.Request().Context()
	st := settings.NewStore(s.db)
	before, err := st.Load(ctx, nil)
	if err != nil {
		return err
	}
	in := f.values()
	var v *apperr.ValidationError
	if err := st.Set(ctx, currentUser(c).Actor(), in); errors.As(err, &v) {
		p := s.newSettingsPage(c, in)
		p.Errors = v
		return c.Render(http.StatusUnprocessableEntity, "settings", p)
	} else if err != nil {
		return err
	}
	after, err := st.Load(ctx, nil)
	if err != nil {
		return err
	}
	var changes []i18n.Msg
	for _, set := range settings.All() {
		if b, a := before.Number(set), after.Number(set); b != a {
			changes = append(changes, i18n.M("settings.page.change", "setting", set.Label(), "before", settingWords(set, b), "after", settingWords(set, a)))
		}
	}
	if len(changes) == 0 {
		s.flash(c, i18n.M("settings.page.unchanged"))
	} else {
		s.flash(c, i18n.M("settings.page.saved", "changes", changes))
	}
	return c.Redirect(http.StatusSeeOther, "/admin/settings")
}
