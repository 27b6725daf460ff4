// Command soak runs many cells in one gradlab session and reports, every
// -every cells, the process's resident memory, the Go heap in use after a
// collection, and the cells' latency: a long session must stay flat.
//
//	go run ./bench/soak -cells 5000
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gradlab/gradlab/interp"
)

func main() {
	cells := flag.Int("cells", 5000, "cells to run")
	every := flag.Int("every", 500, "report every this many cells")
	big := flag.Int("big", 1<<20, "float64s in the temporary of every fourth cell")
	flag.Parse()
	s, err := interp.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer s.Close()
	stdout, _ := interp.Stdio() // the session captures the process's stdout
	report := func(format string, a ...any) { fmt.Fprintf(stdout, format, a...) }
	report("%6s %9s %9s %9s %9s %9s\n", "cells", "RSS MB", "heap MB", "p50 µs", "p99 µs", "max µs")
	var lat []time.Duration
	for i := 1; i <= *cells; i++ {
		code := cell(i, *big)
		t0 := time.Now()
		r := s.Execute(context.Background(), interp.Cell{Code: code, Count: i, Out: func(string, string) {}})
		lat = append(lat, time.Since(t0))
		if r.Err != nil {
			report("cell %d %q: %s: %s\n", i, code, r.Err.Name, r.Err.Value)
			os.Exit(1)
		}
		if i%*every == 0 || i == 1 {
			slices.Sort(lat)
			q := func(p float64) int64 { return lat[int(p*float64(len(lat)-1))].Microseconds() }
			report("%6d %9.1f %9.1f %9d %9d %9d\n", i, float64(rss())/(1<<20), float64(heap())/(1<<20), q(0.5), q(0.99), q(1))
			lat = lat[:0]
		}
	}
}

// cell is the i-th cell: a trivial expression, a func defined again, a
// big temporary replaced by `:=`, a loop.
func cell(i, big int) string {
	n := strconv.Itoa(i)
	switch i % 4 {
	case 0:
		return "relProbe + " + n
	case 1:
		return "relProbe := " + n + "\nfunc helper(x int) int { return x + " + n + " }\nhelper(1)"
	case 2:
		return "X := make([]float64, " + strconv.Itoa(big) + ")\nX[0] = " + n + "\nlen(X)"
	default:
		return "s := 0\nfor k := 0; k < 10; k++ { s += k }\ns"
	}
}

// heap is the Go heap in use after a collection.
func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// rss is the process's resident set size (Linux), 0 elsewhere.
func rss() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
