package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hrx/internal/datapackage"
)

// dataPackage serves /datapackage.json: the Frictionless Data Package that
// describes the public export's columns, units, dialect and terms.
func (s *Server) dataPackage(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.JSONPretty(http.StatusOK, datapackage.PublicPackage(s.baseURL()), "  ")
}
