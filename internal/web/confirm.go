package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hrx/internal/i18n"
)

// confirmPage asks once before a consequential action (UX.md: publish, apply,
// revert, send back, reopen, disable, reset), stating the consequence in words
// and numbers. It is a plain form, so it works without scripts: it posts the
// same fields again with confirmed=yes.
type confirmPage struct {
	Page
	Heading      i18n.Msg
	Consequences []i18n.Msg
	Action       string // where the confirmed form posts
	Fields       []hiddenField
	Button       i18n.Msg
	Back         string // where "Cancel" goes
	Danger       bool   // the action takes something away (disable, revert)
}

// hiddenField is a field the confirmation posts again.
type hiddenField struct{ Name, Value string }

// Confirmation is the field every confirmable form carries (embedded, so exported for the binder).
type Confirmation struct {
	Confirmed string `form:"confirmed"`
}

// isConfirmed reports whether the person has already confirmed.
func (f Confirmation) isConfirmed() bool { return f.Confirmed == "yes" }

// askToConfirm renders the confirmation page.
func (s *Server) askToConfirm(c echo.Context, p confirmPage) error {
	p.Page = s.page(c, "")
	p.Title = p.L.Tr(p.Heading)
	return c.Render(http.StatusOK, "confirm", p)
}
