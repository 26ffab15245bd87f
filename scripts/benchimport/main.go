// Command benchimport measures the monthly upload path on a large file: it
// generates a CSV with breakdowns, then previews (stages), applies and reverts
// it on a fresh database, reporting each step's time and the process's peak memory.
//
//	go run ./scripts/benchimport -gen /tmp/figures-1m.csv -rows 1000000
//	go run ./scripts/benchimport -file /tmp/figures-1m.csv
//
// scripts/bench-import.sh runs both and compares with sqlite3's .import.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"hrx/internal/audit"
	"hrx/internal/db"
	"hrx/internal/imports"
	"hrx/internal/month"
	"hrx/internal/reference"
)

func main() {
	gen := flag.String("gen", "", "write a generated CSV to this file and stop")
	rows := flag.Int("rows", 1_000_000, "rows to generate")
	file := flag.String("file", "", "the CSV to import")
	dsn := flag.String("database", "", "SQLite file or postgres:// URL (default: a new SQLite file in a temp dir)")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the import to this file")
	flag.Parse()
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	switch {
	case *gen != "":
		if err := generate(*gen, *rows); err != nil {
			log.Fatal(err)
		}
	case *file != "":
		if err := bench(*file, *dsn); err != nil {
			pprof.StopCPUProfile()
			log.Fatal(err)
		}
	default:
		flag.Usage()
		os.Exit(2)
	}
}

// generate writes rows figures with breakdowns and unique keys, months 2024-09 on.
func generate(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "month,direction,category,count,sector,origin,destination,status,source,note")
	cats := []string{"engineer", "hsp", "ssw", "titp", "student", "researcher", "language_teacher", "short_term", "business", "other"}
	sectors := []string{"nursing_care", "construction", "it_software", "semiconductors", "agriculture", "food_service", "research", "education", "healthcare", "business_services", "other"}
	var in, jp []string
	for _, c := range []string{"AP", "AS", "BR", "CG", "DL", "GA", "GJ", "HR", "HP", "JH", "KA", "KL", "MP", "MH", "MN", "OD", "PB", "RJ", "TN", "TS", "UP", "UK", "WB"} {
		in = append(in, "IN-"+c)
	}
	for i := 1; i <= 47; i++ {
		jp = append(jp, fmt.Sprintf("JP-%02d", i))
	}
	first := month.New(2024, 9)
	perCell := n/(26*2*len(cats)) + 1
	written := 0
	for m := first; m < first.Add(26) && written < n; m++ {
		for _, dir := range []string{reference.IndiaToJapan, reference.JapanToIndia} {
			for ci, cat := range cats {
				for k := 0; k < perCell && written < n; k++ {
					s := sectors[k%len(sectors)]
					o, d := in[(k/len(sectors))%len(in)], jp[(k/len(sectors)/len(in))%len(jp)]
					if dir == reference.JapanToIndia {
						o, d = jp[(k/len(sectors))%len(jp)], in[(k/len(sectors)/len(jp))%len(in)]
					}
					note := ""
					if k%50 == 0 {
						note = "\"checked, with \"\"quotes\"\"\""
					}
					fmt.Fprintf(w, "%s,%s,%s,%d,%s,%s,%s,final,Bench source %d,%s\n", m, dir, cat, (k*7+ci*13)%500+1, s, o, d, ci, note)
					written++
				}
			}
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Printf("wrote %d rows to %s\n", written, path)
	return f.Close()
}

func bench(path, dsn string) error {
	ctx := context.Background()
	if dsn == "" {
		dir, err := os.MkdirTemp("", "hrx-bench-import")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = filepath.Join(dir, "bench.db")
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, _ := f.Stat()
	s := imports.NewStore(d)
	actor := audit.System("benchmark")

	t0, c0 := time.Now(), cpuTime()
	im, err := s.Stage(ctx, actor, imports.Upload{Name: filepath.Base(path), Body: f})
	if err != nil {
		return err
	}
	tStage, cStage := time.Since(t0), cpuTime()-c0
	if im.ErrorCount > 0 {
		issues, _ := s.Issues(ctx, im.ID, "error", 5)
		return fmt.Errorf("the file has %d errors, e.g. %v", im.ErrorCount, issues)
	}
	t1, c1 := time.Now(), cpuTime()
	if im, err = s.Apply(ctx, actor, im.ID); err != nil {
		return err
	}
	tApply, cApply := time.Since(t1), cpuTime()-c1
	hwmApply := vmHWM()

	f.Seek(0, 0)
	t2, c2 := time.Now(), cpuTime()
	again, err := s.Stage(ctx, actor, imports.Upload{Name: filepath.Base(path), Body: f})
	if err != nil {
		return err
	}
	tRestage, cRestage := time.Since(t2), cpuTime()-c2

	t3, c3 := time.Now(), cpuTime()
	if _, err := s.Revert(ctx, actor, im.ID); err != nil {
		return err
	}
	tRevert, cRevert := time.Since(t3), cpuTime()-c3

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("HRX import benchmark  %s %s/%s GOMAXPROCS=%d  database: %s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), d.Dialect)
	fmt.Printf("file: %s, %.1f MB, %d rows (%s)\n", path, float64(st.Size())/1e6, im.RowCount, im.Format)
	fmt.Printf("preview (read, check, stage, count):   %7.2f s  %8.0f rows/s  new %d\n", tStage.Seconds(), float64(im.RowCount)/tStage.Seconds(), im.NewCount)
	fmt.Printf("apply (one transaction):               %7.2f s  %8.0f rows/s\n", tApply.Seconds(), float64(im.RowCount)/tApply.Seconds())
	fmt.Printf("preview + apply:                       %7.2f s  (goal: at most 2.0× sqlite3 .import); peak memory so far %s (goal: under 150 MB)\n", (tStage + tApply).Seconds(), hwmApply)
	fmt.Printf("same file again (preview):             %7.2f s  unchanged %d\n", tRestage.Seconds(), again.UnchangedCount)
	fmt.Printf("revert:                                %7.2f s  (goal: no longer than apply: %.2f×)\n", tRevert.Seconds(), tRevert.Seconds()/tApply.Seconds())
	fmt.Printf("peak memory of the whole run: %s (VmHWM), Go heap high-water %.0f MB\n", vmHWM(), float64(ms.HeapSys)/1e6)
	// On a machine shared with other work the times above stretch with the
	// load; the processor time each step used stretches much less.
	fmt.Printf("processor time (user + system): preview %.2f s, apply %.2f s, preview + apply %.2f s, same file again %.2f s, revert %.2f s\n",
		cStage.Seconds(), cApply.Seconds(), (cStage + cApply).Seconds(), cRestage.Seconds(), cRevert.Seconds())
	return nil
}

// cpuTime is the processor time the process has used so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// vmHWM is the process's peak resident memory, from /proc.
func vmHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
