package autograd

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Matrix product: GotoBLAS-style blocking. For each block of kc rows of B,
// B is packed into panels of nr columns (shared by the workers); each worker
// packs a block of A into panels of 6 rows and runs the 6 x nr micro-kernel
// (AVX2/FMA assembly on amd64, plain Go elsewhere) over every tile. Blocks
// of A are spread over the cores.

const (
	gemmMR = 6
	gemmKC = 256
	gemmMC = 96
)

func nrOf[T float32 | float64]() int {
	var z T
	if any(z) == any(float32(0)) {
		return 16
	}
	return 8
}

func kernelT[T float32 | float64](k int, a, b, c []T, ldc int) {
	switch a := any(a).(type) {
	case []float32:
		kernel32(k, a, any(b).([]float32), any(c).([]float32), ldc)
	case []float64:
		kernel64(k, a, any(b).([]float64), any(c).([]float64), ldc)
	}
}

// kernelGo is the portable micro-kernel: C[6 x nr] += A-panel x B-panel.
func kernelGo[T float32 | float64](k int, a, b, c []T, ldc, nr int) {
	var acc [gemmMR * 16]T
	for p := 0; p < k; p++ {
		ap := a[p*gemmMR : p*gemmMR+gemmMR]
		bp := b[p*nr : p*nr+nr]
		for r, av := range ap {
			row := acc[r*nr : r*nr+nr]
			for j, bv := range bp {
				row[j] += av * bv
			}
		}
	}
	for r := 0; r < gemmMR; r++ {
		row := c[r*ldc : r*ldc+nr]
		for j := range row {
			row[j] += acc[r*nr+j]
		}
	}
}

var bufPool32, bufPool64 sync.Pool

func getBuf[T float32 | float64](n int) *[]T {
	pool := &bufPool64
	var z T
	if any(z) == any(float32(0)) {
		pool = &bufPool32
	}
	if p, ok := pool.Get().(*[]T); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]T, n)
	return &s
}

func putBuf[T float32 | float64](p *[]T) {
	var z T
	if any(z) == any(float32(0)) {
		bufPool32.Put(p)
	} else {
		bufPool64.Put(p)
	}
}

// packB copies rows pc..pc+kb of B into panels of nr columns (zero-padded).
func packB[T float32 | float64](dst, b []T, ldb int, tb bool, pc, kb, n, nr int) {
	for j0, jp := 0, 0; j0 < n; j0, jp = j0+nr, jp+1 {
		nb := min(nr, n-j0)
		panel := dst[jp*kb*nr : (jp+1)*kb*nr]
		for p := 0; p < kb; p++ {
			row := panel[p*nr : p*nr+nr]
			if !tb {
				src := b[(pc+p)*ldb+j0:]
				copy(row[:nb], src[:nb])
			} else {
				for j := 0; j < nb; j++ {
					row[j] = b[(j0+j)*ldb+pc+p]
				}
			}
			clear(row[nb:])
		}
	}
}

// packA copies rows i0..i0+mb, columns pc..pc+kb of A into panels of 6 rows.
func packA[T float32 | float64](dst, a []T, lda int, ta bool, i0, mb, pc, kb int) {
	for r0, ip := 0, 0; r0 < mb; r0, ip = r0+gemmMR, ip+1 {
		rb := min(gemmMR, mb-r0)
		panel := dst[ip*kb*gemmMR : (ip+1)*kb*gemmMR]
		if ta { // column p of this panel is contiguous in memory
			for p := 0; p < kb; p++ {
				col := panel[p*gemmMR : p*gemmMR+gemmMR]
				copy(col[:rb], a[(pc+p)*lda+i0+r0:])
				clear(col[rb:])
			}
			continue
		}
		for r := 0; r < gemmMR; r++ {
			if r >= rb {
				for p := 0; p < kb; p++ {
					panel[p*gemmMR+r] = 0
				}
				continue
			}
			src := a[(i0+r0+r)*lda+pc : (i0+r0+r)*lda+pc+kb]
			for p, v := range src {
				panel[p*gemmMR+r] = v
			}
		}
	}
}

// gemm computes c = a·b for m x k and k x n operands, either possibly
// transposed (see matArg); c has leading dimension ldc.
func gemm[T float32 | float64](m, n, k int, a []T, lda int, ta bool, b []T, ldb int, tb bool, c []T, ldc int) {
	for i := 0; i < m; i++ {
		clear(c[i*ldc : i*ldc+n])
	}
	if k == 0 {
		return
	}
	if m*n*k <= 2048 { // tiny products: packing costs more than it saves
		for i := 0; i < m; i++ {
			for p := 0; p < k; p++ {
				var av T
				if ta {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				row := c[i*ldc : i*ldc+n]
				for j := range row {
					if tb {
						row[j] += av * b[j*ldb+p]
					} else {
						row[j] += av * b[p*ldb+j]
					}
				}
			}
		}
		return
	}
	nr := nrOf[T]()
	npan := (n + nr - 1) / nr
	procs := runtime.GOMAXPROCS(0)
	parallel := procs > 1 && m*n*k >= 1<<18
	mc := gemmMC
	if parallel && (m+mc-1)/mc < 4*procs { // enough blocks to balance the cores
		mc = max(gemmMR, (m/(4*procs)+gemmMR-1)/gemmMR*gemmMR)
	}
	nblocks := (m + mc - 1) / mc
	bp := getBuf[T](min(gemmKC, k) * npan * nr)
	defer putBuf(bp)
	for pc := 0; pc < k; pc += gemmKC {
		kb := min(gemmKC, k-pc)
		bpack := (*bp)[:kb*npan*nr]
		packB(bpack, b, ldb, tb, pc, kb, n, nr)
		CheckInterrupt("Matmul")
		block := func(blk int, apack []T, tmp []T) {
			i0 := blk * mc
			mb := min(mc, m-i0)
			packA(apack, a, lda, ta, i0, mb, pc, kb)
			for jp := 0; jp < npan; jp++ {
				j0 := jp * nr
				nb := min(nr, n-j0)
				bpanel := bpack[jp*kb*nr:]
				for r0, ip := 0, 0; r0 < mb; r0, ip = r0+gemmMR, ip+1 {
					rb := min(gemmMR, mb-r0)
					apanel := apack[ip*kb*gemmMR:]
					row := i0 + r0
					if rb == gemmMR && nb == nr {
						kernelT(kb, apanel, bpanel, c[row*ldc+j0:], ldc)
						continue
					}
					clear(tmp)
					kernelT(kb, apanel, bpanel, tmp, nr)
					for r := 0; r < rb; r++ {
						dst := c[(row+r)*ldc+j0 : (row+r)*ldc+j0+nb]
						for j := range dst {
							dst[j] += tmp[r*nr+j]
						}
					}
				}
			}
		}
		if !parallel {
			ap := getBuf[T](mc * kb)
			tp := getBuf[T](gemmMR * nr)
			for blk := 0; blk < nblocks; blk++ {
				block(blk, *ap, *tp)
			}
			putBuf(ap)
			putBuf(tp)
			continue
		}
		var next atomic.Int64
		var wg sync.WaitGroup
		var perr atomic.Value
		for w := 0; w < min(procs, nblocks); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					if r := recover(); r != nil {
						perr.Store(r)
					}
				}()
				ap := getBuf[T](mc * kb)
				tp := getBuf[T](gemmMR * nr)
				defer putBuf(ap)
				defer putBuf(tp)
				for {
					blk := int(next.Add(1) - 1)
					if blk >= nblocks {
						return
					}
					block(blk, *ap, *tp)
				}
			}()
		}
		wg.Wait()
		if r := perr.Load(); r != nil {
			panic(r)
		}
	}
}
