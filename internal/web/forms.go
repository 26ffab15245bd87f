package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hrx/internal/i18n"
)

// decode reads a submitted form into dst, a struct whose fields have `form`
// tags: the one way handlers read their input. The checks are the domain's,
// shared with the API and the command line; a form that cannot be read at all
// (a number field with letters in it, say) is refused here.
//
// Two forms read their fields by pattern instead, since their names are made
// of data: the month grid (c.{DIRECTION}.{category}) and the targets form's
// milestone lines.
func decode(c echo.Context, dst any) error {
	if err := c.Bind(dst); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, i18n.M("error.form"))
	}
	return nil
}

// checked reports whether a checkbox was ticked (browsers send "on").
func checked(v string) bool { return v == "on" || v == "true" || v == "1" }
