package i18n

// catalogs hold the translations of English messages. English needs none: the key is the text.
// Untranslated messages fall back to English. The catalogs themselves are in catalog_ja.go and
// catalog_hi.go.
var catalogs = map[Lang]map[string]string{
	JA: catalogJA,
	HI: catalogHI,
}
