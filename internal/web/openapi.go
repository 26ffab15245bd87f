package web

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// openAPIDoc is the OpenAPI 3.1 description of /api/v1; openapi_test.go checks
// every real response of the API against it.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPIETag changes only when the document does.
var openAPIETag = func() string {
	sum := sha256.Sum256(openAPIDoc)
	return `"openapi-` + hex.EncodeToString(sum[:8]) + `"`
}()

// apiOpenAPI serves the OpenAPI document: GET /api/v1/openapi.json.
func (s *Server) apiOpenAPI(c echo.Context) error {
	if err := onlyParams(c); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("ETag", openAPIETag)
	h.Set("Cache-Control", "public, max-age=300, stale-while-revalidate=3600")
	for _, t := range strings.Split(c.Request().Header.Get("If-None-Match"), ",") {
		if t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/")); t == openAPIETag || t == "*" {
			return c.NoContent(http.StatusNotModified)
		}
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDoc)
}
