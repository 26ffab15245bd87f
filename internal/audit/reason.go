package audit

// ImportReason reads the reason an import gives the cells it changed,
// "import #12 (oct.csv)": the import's id and file name; ok is false for any
// other reason.
func ImportReason(reason string) (id, file string, ok bool) {
	m := importReasonRe.FindStringSubmatch(reason)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}
