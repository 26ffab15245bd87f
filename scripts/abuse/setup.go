package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// The accounts the suite creates.
const (
	editorEmail    = "editor@example.gov.in"
	editorPassword = "amber-river-falcon-1937-kite"
	adminEmail     = "admin@example.gov.in"
	adminPassword  = "cobalt-meadow-lantern-2048-otter"
)

// seedMonths are the months the seeded figures fall in, inside the targets' windows.
const (
	seedFirst  = "2025-09"
	seedLast   = "2026-02"
	seedMonthN = 6
)

// build compiles hrx from the repository into dir.
func build(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "hrx")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/hrx")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/hrx: %v\n%s", err, out)
	}
	return bin, nil
}

// prepare migrates the database, adds the editor and the administrator, and
// loads n published figures.
func prepare(ctx context.Context, bin, dbURL, work string, n int) error {
	tmp := filepath.Join(work, "tmp-setup")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	type step struct {
		stdin string
		args  []string
	}
	steps := []step{
		{"", []string{"migrate"}},
		{editorPassword + "\n", []string{"user", "add", "--email", editorEmail, "--role", "editor", "--name", "Abuse editor"}},
		{adminPassword + "\n", []string{"user", "add", "--email", adminEmail, "--role", "admin", "--name", "Abuse admin"}},
	}
	if n > 0 {
		csv := filepath.Join(work, "figures.csv")
		if err := writeFigures(csv, n); err != nil {
			return err
		}
		steps = append(steps,
			step{"", []string{"import", "--as", editorEmail, csv}},
			step{"", []string{"month", "publish", seedFirst + ".." + seedLast, "--as", adminEmail}})
	}
	for _, s := range steps {
		t := time.Now()
		if _, err := runHRX(ctx, bin, dbURL, tmp, s.stdin, s.args...); err != nil {
			return err
		}
		progress("  hrx %s (%s)", strings.Join(s.args[:min(2, len(s.args))], " "), time.Since(t).Round(10*time.Millisecond))
	}
	return nil
}

// Reference codes for the generated figures (migrations/data).
var (
	seedCategories = strings.Fields("engineer hsp ssw titp student researcher language_teacher short_term business other")
	seedSectors    = strings.Fields("nursing_care building_cleaning industrial_manufacturing construction shipbuilding " +
		"automobile_maintenance aviation accommodation automobile_transport railway agriculture fisheries food_manufacturing " +
		"food_service forestry wood_industry it_software semiconductors research education healthcare business_services other")
	seedIndia = strings.Fields("IN-AN IN-AP IN-AR IN-AS IN-BR IN-CH IN-CG IN-DH IN-DL IN-GA IN-GJ IN-HR IN-HP IN-JK IN-JH IN-KA " +
		"IN-KL IN-LA IN-LD IN-MP IN-MH IN-MN IN-ML IN-MZ IN-NL IN-OD IN-PY IN-PB IN-RJ IN-SK IN-TN IN-TS IN-TR IN-UP IN-UK IN-WB")
)

// writeFigures writes n figures with distinct keys spread over the seed
// months, both directions, every category, sector and region pair.
func writeFigures(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "month,direction,category,count,sector,origin,destination,status,source")
	months := make([]string, seedMonthN)
	for i := range months {
		months[i] = fmt.Sprintf("%04d-%02d", 2025+(8+i)/12, (8+i)%12+1)
	}
	nc, ns, ni := len(seedCategories), len(seedSectors), len(seedIndia)
	if max := seedMonthN * 2 * nc * ns * ni * 47; n > max {
		return fmt.Errorf("-figures: at most %d distinct figures can be generated", max)
	}
	for i := range n {
		k := i
		m, dir := months[k%seedMonthN], k/seedMonthN%2
		k /= seedMonthN * 2
		cat, sec := seedCategories[k%nc], seedSectors[k/nc%ns]
		k /= nc * ns
		in, jp := seedIndia[k%ni], fmt.Sprintf("JP-%02d", k/ni%47+1)
		d, o, dest := "IN-JP", in, jp
		if dir == 1 {
			d, o, dest = "JP-IN", jp, in
		}
		fmt.Fprintf(w, "%s,%s,%s,%d,%s,%s,%s,final,abuse suite\n", m, d, cat, i%97+1, sec, o, dest)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
