package interp

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
)

// heapAfterGC is the heap in use after a full collection.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// soakCells are what a long session runs over and over: trivial
// expressions, a func defined again, a big temporary replaced by `:=`.
func soakCell(i int) string {
	switch i % 4 {
	case 0:
		return "relProbe + " + strconv.Itoa(i)
	case 1:
		return "func helper(x int) int { return x + " + strconv.Itoa(i) + " }\nhelper(1)"
	case 2:
		return "big := make([]float64, 1<<17)\nbig[0] = " + strconv.Itoa(i) + "\nlen(big)"
	default:
		return "s := 0\nfor k := 0; k < 10; k++ { s += k }\ns"
	}
}

// TestSoakMemoryFlat: a long session's heap must not grow with the number
// of cells run. Per cell it used to keep about 100 KB (compiled nodes,
// old values of redefined variables), 500 MB over 5,000 cells.
func TestSoakMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("soak: not in -short")
	}
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("SOAK_CELLS")); err == nil {
		n = v
	}
	s := newSession(t)
	run(t, s, 1, "relProbe := 1")
	warm := 200
	var base uint64
	for i := 2; i < n+2; i++ {
		if i == warm {
			base = heapAfterGC()
		}
		o := run(t, s, i, soakCell(i))
		if o.res.Err != nil {
			t.Fatalf("cell %d %q: %s: %s", i, soakCell(i), o.res.Err.Name, o.res.Err.Value)
		}
	}
	end := heapAfterGC()
	if p := os.Getenv("SOAK_HEAPPROFILE"); p != "" { // go tool pprof -sample_index=inuse_space
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		pprof.WriteHeapProfile(f)
		f.Close()
	}
	perCell := (float64(end) - float64(base)) / float64(n+2-warm)
	t.Logf("heap in use after GC: %d MB after %d cells, %d MB after %d cells (%.0f bytes/cell)", base>>20, warm, end>>20, n+2, perCell)
	// It measured 320 KB before the fix (the 1 MB temporary of every fourth
	// cell, the nodes of every cell), 3.4 KB after (the session's history).
	if limit := 8 << 10; perCell > float64(limit) {
		t.Errorf("the heap grows %.0f bytes per cell (bound %d): %s", perCell, limit, fmt.Sprint(end>>20, " MB in use"))
	}
}
