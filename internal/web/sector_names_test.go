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
