package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hrx/internal/imports"
	"hrx/internal/users"
)

// TestImportsListSaysWhenCut: the list of uploads shows the newest 200 and,
// when there are more, says how many and links to the older ones.
func TestImportsListSaysWhenCut(t *testing.T) {
	e := newEnv(t)
	e.addUser("vi@example.gov.in", users.Viewer)
	now := time.Now().UTC()
	for i := 1; i <= 205; i++ {
		im := imports.Import{Actor: "ed@example.gov.in", FileName: fmt.Sprintf("file-%03d.csv", i), SHA256: strings.Repeat("a", 64),
			Format: "CSV", Mode: "merge", State: "applied", CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)}
		if err := e.db.W.Create(&im).Error; err != nil {
			t.Fatal(err)
		}
	}
	b := e.browser()
	b.signIn("vi@example.gov.in")
	_, body := b.get("/imports")
	mustContain(t, text(body), "file-205.csv", "file-006.csv", "200 of 205 uploads shown, newest first. Older uploads →")
	if strings.Contains(body, "file-005.csv") {
		t.Error("the first page lists more than 200")
	}
	i := strings.Index(body, `href="/imports?before=`)
	if i < 0 {
		t.Fatal("no link to older uploads")
	}
	link := body[i+6 : i+6+strings.Index(body[i+6:], `"`)]
	_, body = b.get(link)
	mustContain(t, text(body), "file-005.csv", "file-001.csv", "5 of 5 uploads shown, newest first. ← The newest uploads")
	if strings.Contains(body, "file-006.csv") || strings.Contains(body, "Older uploads") {
		t.Error("the second page repeats the first or offers more")
	}
	_, body = b.get("/imports?lang=ja")
	mustContain(t, text(body), "205件中200件のアップロードを新しい順に表示しています。")
}
