// Package web holds the templates and static files, embedded in the binary.
package web

import "embed"

// Templates are the page templates: layouts/, partials/ and pages/.
//
//go:embed templates
var Templates embed.FS

// Static are the stylesheets, scripts and icons served under /static/.
//
//go:embed static
var Static embed.FS
