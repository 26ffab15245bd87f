package web_test

import (
	"net/http"
	"testing"

	"hrx/internal/users"
)

// TestSectorsHaveHindiNames: /help/upload lists every sector's Hindi name, a
// file may name a sector in Hindi, and a Hindi reader sees sectors in Hindi.
func TestSectorsHaveHindiNames(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	st, help := b.get("/help/upload")
	if st != http.StatusOK {
		t.Fatalf("/help/upload: %d", st)
	}
	mustContain(t, text(help), "nursing_care Nursing care 介護 नर्सिंग देखभाल", "it_software IT and software 情報技術・ソフトウェア आईटी और सॉफ़्टवेयर",
		"other Other その他 अन्य")

	b.signIn("ed@example.gov.in")
	file := "month,direction,category,count,sector\n2025-09,IN-JP,ssw,37,नर्सिंग देखभाल\n"
	at, body := upload(t, b, "hindi.csv", []byte(file), "merge")
	mustContain(t, text(body), "Errors 0", "New figures 1", "Nursing care")
	b.get("/language?lang=hi")
	_, body = b.get(at)
	mustContain(t, text(body), "नर्सिंग देखभाल")
}

// TestHelpUploadExamplesAreAccepted: every example /help/upload gives reads
// without an error — Japanese headers, semicolons, each month and count form,
// names in English, Japanese and Hindi — and a month before January 2000 does not.
func TestHelpUploadExamplesAreAccepted(t *testing.T) {
	e := newEnv(t)
	e.addUser("ed@example.gov.in", users.Editor)
	b := e.browser()
	b.signIn("ed@example.gov.in")
	file := "月;方向;区分;人数;分野;出身地;就労地;状態;出典;備考\n" +
		"2025-09;IN-JP;engineer;1234;it_software;IN-KA;JP-13;final;ISA Japan;\n" +
		"2025/08;IN-JP;Students;\"1,234\";;;;provisional;MEA India;awaiting final count\n" +
		"2025-07-01;IN-JP;ssw;1,23,456;नर्सिंग देखभाल;;;;;\n" +
		"Sep 2024;JP-IN;student;1 234;;;IN-DL;;;\n" +
		"September 2024;IN-JP;ssw;5;介護;IN-OR;;;;\n" +
		"2025年9月;IN-JP;ssw;6;Nursing care;;;;;\n" +
		"2000-01;IN-JP;छात्र;7;;;;;;\n"
	_, body := upload(t, b, "examples.csv", []byte(file), "merge")
	mustContain(t, text(body), "Rows read 7", "New figures 7", "Errors 0")

	_, body = upload(t, b, "old.csv", []byte("month,direction,category,count\n1999-12,IN-JP,student,1\n"), "merge")
	mustContain(t, text(body), "Errors 1")
}
