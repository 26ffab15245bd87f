package mail

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"hrx/internal/i18n"
)

//go:embed templates/*
var templateFS embed.FS

var (
	textTmpl = texttemplate.Must(texttemplate.New("message.txt").Funcs(texttemplate.FuncMap{"split": func(s string) []string { return strings.Split(s, "\n") }}).ParseFS(templateFS, "templates/message.txt"))
	htmlTmpl = htmltemplate.Must(htmltemplate.New("message.html").ParseFS(templateFS, "templates/message.html"))
)

// Email is what one e-mail says, as messages: Render writes it in the
// recipient's language and time zone (the Locale carries both).
type Email struct {
	Subject i18n.Msg
	Lines   []i18n.Msg // the paragraphs, first the one that says what happened
	// Quote is a person's own words (a send-back comment, a reopening's
	// reason), shown as written, under QuoteBy ("Comment from ed@…").
	Quote   string
	QuoteBy i18n.Msg
	Items   []i18n.Msg // a list after the paragraphs (reminders, the digest)
	// Link is where the e-mail leads (absolute), with LinkText on the button.
	Link     string
	LinkText i18n.Msg
	// Why says why the person received it; Prefs is where they turn it off.
	Why   i18n.Msg
	Prefs string
}

// Rendered is an e-mail in one language: its subject, plain text and HTML.
type Rendered struct {
	Subject, Text, HTML string
}

// view is what the templates see: every message already in the reader's words.
type view struct {
	Lang, Subject, Quote, QuoteBy, Link, LinkText, Why, Prefs, PrefsText, Sign string
	Lines, Items                                                               []string
}

// Render writes e in the language (and zone) of l.
func Render(l i18n.Locale, e Email) (Rendered, error) {
	v := view{Lang: string(l.Lang), Subject: l.Tr(e.Subject), Quote: strings.TrimSpace(e.Quote), Link: e.Link,
		Why: l.Tr(e.Why), Prefs: e.Prefs, Sign: l.Tr(i18n.M("mail.sign"))}
	if !e.QuoteBy.IsZero() {
		v.QuoteBy = l.Tr(e.QuoteBy)
	}
	if !e.LinkText.IsZero() {
		v.LinkText = l.Tr(e.LinkText)
	}
	if e.Prefs != "" {
		v.PrefsText = l.Tr(i18n.M("mail.prefs", "url", e.Prefs))
	}
	for _, m := range e.Lines {
		v.Lines = append(v.Lines, l.Tr(m))
	}
	for _, m := range e.Items {
		v.Items = append(v.Items, l.Tr(m))
	}
	var t, h bytes.Buffer
	if err := textTmpl.Execute(&t, v); err != nil {
		return Rendered{}, err
	}
	if err := htmlTmpl.Execute(&h, v); err != nil {
		return Rendered{}, err
	}
	return Rendered{Subject: v.Subject, Text: t.String(), HTML: h.String()}, nil
}
