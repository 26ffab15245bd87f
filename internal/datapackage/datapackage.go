// Package datapackage describes the public export as a Frictionless Data Package.
package datapackage

import (
	"hrx/internal/figures"
	"hrx/internal/reference"
	"hrx/internal/rules"
	"hrx/internal/upload"
)

// A Frictionless Data Package (https://specs.frictionlessdata.io/) that
// describes the public export: its one resource, the columns of the upload
// format with their types, units and constraints, and the CSV dialect the
// export is written in. Machines read it, so it is in English, like the API.

// DataPackage is the descriptor of /datapackage.json.
type DataPackage struct {
	Profile     string     `json:"profile"`
	Name        string     `json:"name"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Homepage    string     `json:"homepage"`
	Licenses    []License  `json:"licenses"`
	Sources     []Ref      `json:"sources"`
	Resources   []Resource `json:"resources"`
}

// License names the terms the figures are published under.
type License struct {
	Title string `json:"title"`
	Path  string `json:"path"`
}

// Ref is a source: a title and a link.
type Ref struct {
	Title string `json:"title"`
	Path  string `json:"path"`
}

// Resource is one file of the package.
type Resource struct {
	Profile   string  `json:"profile"`
	Name      string  `json:"name"`
	Path      string  `json:"path"`
	Title     string  `json:"title"`
	Format    string  `json:"format"`
	MediaType string  `json:"mediatype"`
	Encoding  string  `json:"encoding"`
	Dialect   Dialect `json:"dialect"`
	Schema    Schema  `json:"schema"`
}

// Dialect is the CSV dialect (CSV Dialect spec) of a resource.
type Dialect struct {
	Delimiter      string `json:"delimiter"`
	LineTerminator string `json:"lineTerminator"`
	QuoteChar      string `json:"quoteChar"`
	DoubleQuote    bool   `json:"doubleQuote"`
	Header         bool   `json:"header"`
	SkipInitialSp  bool   `json:"skipInitialSpace"`
}

// Schema is a Table Schema.
type Schema struct {
	Fields        []Field  `json:"fields"`
	PrimaryKey    []string `json:"primaryKey"`
	MissingValues []string `json:"missingValues"`
}

// Field is one column of a Table Schema.
type Field struct {
	Name        string       `json:"name"`
	Title       string       `json:"title"`
	Type        string       `json:"type"`
	Format      string       `json:"format,omitempty"`
	Description string       `json:"description"`
	Unit        string       `json:"unit,omitempty"`
	Constraints *Constraints `json:"constraints,omitempty"`
}

// Constraints of a field (Table Schema).
type Constraints struct {
	Required  bool     `json:"required,omitempty"`
	Minimum   *int64   `json:"minimum,omitempty"`
	Maximum   *int64   `json:"maximum,omitempty"`
	MaxLength int      `json:"maxLength,omitempty"`
	Pattern   string   `json:"pattern,omitempty"`
	Enum      []string `json:"enum,omitempty"`
}

// fieldOf describes each column of the upload format, in the order of upload.Names.
var fieldOf = [upload.NumColumns]Field{
	upload.Month: {Title: "Month", Type: "string", Description: "The calendar month the people moved in, written YYYY-MM.",
		Constraints: &Constraints{Required: true, Pattern: `[0-9]{4}-(0[1-9]|1[0-2])`}},
	upload.Direction: {Title: "Direction", Type: "string", Description: "IN-JP: from India to Japan; JP-IN: from Japan to India.",
		Constraints: &Constraints{Required: true, Enum: []string{reference.IndiaToJapan, reference.JapanToIndia}}},
	upload.Category: {Title: "Category", Type: "string", Description: "The category's code (students, skilled workers, …), as the site's upload help lists them.",
		Constraints: &Constraints{Required: true}},
	upload.Count: {Title: "People", Type: "integer", Unit: "people", Description: "The number of people counted for the month, direction, category and breakdown.",
		Constraints: &Constraints{Required: true, Minimum: ptr(0), Maximum: ptr(figures.MaxCount)}},
	upload.Sector: {Title: "Sector", Type: "string", Description: "The sector's code; empty when the count is not broken down by sector."},
	upload.Origin: {Title: "Origin", Type: "string", Description: "The region people came from, as an ISO 3166-2 code (IN-KA, JP-13); empty when not broken down.",
		Constraints: &Constraints{Pattern: `(IN|JP)-[0-9A-Z]{1,3}`}},
	upload.Destination: {Title: "Destination", Type: "string", Description: "The region people went to, as an ISO 3166-2 code; empty when not broken down.",
		Constraints: &Constraints{Pattern: `(IN|JP)-[0-9A-Z]{1,3}`}},
	upload.Status: {Title: "Status", Type: "string", Description: "provisional or final; empty when the reporting body did not say.",
		Constraints: &Constraints{Enum: []string{figures.Provisional, figures.Final}}},
	upload.Source: {Title: "Source", Type: "string", Description: "Who reported the figure (free text). A text that a spreadsheet could read as a formula starts with an apostrophe.",
		Constraints: &Constraints{MaxLength: rules.MaxSource}},
	upload.Note: {Title: "Note", Type: "string", Description: "A note on the figure (free text). A text that a spreadsheet could read as a formula starts with an apostrophe.",
		Constraints: &Constraints{MaxLength: rules.MaxNote}},
}

func ptr(n int64) *int64 { return &n }

// Fields is the Table Schema of the upload format: one field per column, in
// the order of upload.Names.
func Fields() []Field {
	out := make([]Field, upload.NumColumns)
	for c := upload.Column(0); c < upload.NumColumns; c++ {
		f := fieldOf[c]
		f.Name = upload.Names[c]
		out[c] = f
	}
	return out
}

// PublicPackage is the descriptor of the public export at base (the site's
// address, no trailing slash). No licence of its own is stated for the
// figures: the package points at the terms of the site that publishes them.
func PublicPackage(base string) DataPackage {
	return DataPackage{
		Profile:     "tabular-data-package",
		Name:        "hrx-india-japan-human-resource-exchange",
		Title:       "HRX, India–Japan human resource exchange: published monthly figures",
		Description: "People moving between India and Japan each month, by direction and category, with optional sector and regions, as the reporting bodies published them. The export counts published months only; the same file uploads back unchanged.",
		Homepage:    base + "/",
		Licenses:    []License{{Title: "The terms of use of the site that publishes these figures", Path: base + "/"}},
		Sources:     []Ref{{Title: "HRX, India–Japan human resource exchange", Path: base + "/"}},
		Resources: []Resource{{
			Profile: "tabular-data-resource", Name: "figures", Path: base + "/export/figures.csv",
			Title: "Published figures", Format: "csv", MediaType: "text/csv", Encoding: "utf-8-sig",
			Dialect: Dialect{Delimiter: ",", LineTerminator: "\r\n", QuoteChar: `"`, DoubleQuote: true, Header: true},
			Schema: Schema{Fields: Fields(), PrimaryKey: []string{"month", "direction", "category", "sector", "origin", "destination"},
				MissingValues: []string{""}},
		}},
	}
}
