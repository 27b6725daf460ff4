package autograd

import (
	"runtime"
	"sync"
)

// gemm computes c = a·b for row-major m x k and k x n operands (either
// possibly transposed, see matArg); c has leading dimension ldc.
func gemm[T float32 | float64](m, n, k int, a []T, lda int, ta bool, b []T, ldb int, tb bool, c []T, ldc int) {
	if ta { // make A row-major so each row of C reads one row of A
		p := make([]T, m*k)
		for i := 0; i < m; i++ {
			for j := 0; j < k; j++ {
				p[i*k+j] = a[j*lda+i]
			}
		}
		a, lda = p, k
	}
	if tb {
		p := make([]T, k*n)
		for i := 0; i < k; i++ {
			for j := 0; j < n; j++ {
				p[i*n+j] = b[j*ldb+i]
			}
		}
		b, ldb = p, n
	}
	rows := func(i0, i1 int) {
		for i := i0; i < i1; i++ {
			crow := c[i*ldc : i*ldc+n]
			clear(crow)
			arow := a[i*lda : i*lda+k]
			for p, av := range arow {
				brow := b[p*ldb : p*ldb+n]
				for j := range crow {
					crow[j] += av * brow[j]
				}
			}
		}
	}
	parallelRows(m, m*n*k, rows)
}

// parallelRows splits [0, m) over the cores when the work is large enough
// to pay for the goroutines, and checks for an interrupt per chunk.
func parallelRows(m, work int, f func(i0, i1 int)) {
	procs := runtime.GOMAXPROCS(0)
	if work < 1<<18 || procs == 1 || m < 2 {
		CheckInterrupt("Matmul")
		f(0, m)
		return
	}
	chunks := procs * 4
	if chunks > m {
		chunks = m
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var perr any
	next := 0
	for w := 0; w < procs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					perr = r
					mu.Unlock()
				}
			}()
			for {
				mu.Lock()
				ci := next
				next++
				mu.Unlock()
				if ci >= chunks {
					return
				}
				CheckInterrupt("Matmul")
				f(ci*m/chunks, (ci+1)*m/chunks)
			}
		}()
	}
	wg.Wait()
	if perr != nil {
		panic(perr)
	}
}
