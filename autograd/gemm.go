package autograd

import (
	"runtime"
	"sync"
	"time"
	"unsafe"

	"github.com/gradlab/gradlab/internal/costsplit"
	"github.com/gradlab/gradlab/internal/parallel"
)

// Matrix product: GotoBLAS-style blocking. For each block of kc rows of B
// (read in place, or packed into panels of nr columns when transposed), the
// mr x nr micro-kernel (assembly on amd64, plain Go elsewhere) runs down each
// block of mc rows of A, read in place; a bias and a ReLU go in as the last
// block is stored. Large products are cut into chunks of rows that the
// cores take as they come free.

const (
	gemmMRMax = 8 // the most rows a micro-kernel's tile has
	gemmKC    = 256
	gemmMC    = 96 // a multiple of every tile height (6 and 8)
)

// tileOf is the micro-kernel's tile for T: mr rows x nr columns. float32
// takes 8 x 32 with AVX-512 (16 of its 32 ZMM registers accumulate), else
// 6 x 16 (12 of AVX2's 16); float64 takes 6 x 8.
func tileOf[T float32 | float64]() (mr, nr int) {
	var z T
	if any(z) != any(float32(0)) {
		return 6, 8
	}
	if hasAVX512 {
		return 8, 32
	}
	return 6, 16
}

func kernelT[T float32 | float64](k int, a []T, ars, aps int, b []T, bps int, c []T, ldc int, add, relu bool, bias []T, tiles int) {
	switch a := any(a).(type) {
	case []float32:
		kernel32(k, a, ars, aps, any(b).([]float32), bps, any(c).([]float32), ldc, add, relu, any(bias).([]float32), tiles)
	case []float64:
		kernel64(k, a, ars, aps, any(b).([]float64), bps, any(c).([]float64), ldc, add, relu, any(bias).([]float64), tiles)
	}
}

// kernelGo is the portable micro-kernel: for each of tiles tiles of mr
// rows, one below the other, C[mr x nr] (+)= bias + A x B over k (C = ... without
// add; bias may be nil), then C = max(C, 0) with relu, with A's element
// (r, p) at a[r*ars+p*aps] and B's row p at b[p*bps:].
func kernelGo[T float32 | float64](k int, a []T, ars, aps int, b []T, bps int, c []T, ldc, mr, nr int, add, relu bool, bias []T, tiles int) {
	for t := 0; t < tiles; t++ {
		var acc [gemmMRMax * 32]T
		at, ct := a[t*mr*ars:], c[t*mr*ldc:]
		for p := 0; p < k; p++ {
			bp := b[p*bps : p*bps+nr]
			for r := 0; r < mr; r++ {
				av := at[r*ars+p*aps]
				row := acc[r*nr : r*nr+nr]
				for j, bv := range bp {
					row[j] += av * bv
				}
			}
		}
		for r := 0; r < mr; r++ {
			sums := acc[r*nr : r*nr+nr]
			if bias != nil {
				for j := range sums {
					sums[j] += bias[j]
				}
			}
			row := ct[r*ldc : r*ldc+nr]
			if add {
				for j := range row {
					sums[j] += row[j]
				}
			}
			if relu {
				reluInPlace(sums)
			}
			copy(row, sums)
		}
	}
}

// reluInPlace sets x[i] = max(x[i], 0), NaN to 0, as Relu and the
// kernels' VMAXPS do.
func reluInPlace[T float32 | float64](x []T) { maskPos(x, x, x) }

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

// packRowsL1 is how many rows of a transposed B panel packB fills at a
// time: 64 x 32 floats (8 KB), well inside L1 with the rows it reads.
const packRowsL1 = 64

// packB copies rows pc..pc+kb, columns j0.. of B into panels of nr
// columns (zero-padded), panel jp at dst[jp*kb*nr:].
func packB[T float32 | float64](dst, b []T, ldb int, tb bool, pc, kb, j0, n, nr int) {
	for jp := 0; j0 < n; j0, jp = j0+nr, jp+1 {
		nb := min(nr, n-j0)
		panel := dst[jp*kb*nr : (jp+1)*kb*nr]
		for p := 0; p < kb; p++ {
			row := panel[p*nr : p*nr+nr]
			if !tb {
				copy(row[:nb], b[(pc+p)*ldb+j0:])
			}
			clear(row[nb:])
		}
		if tb {
			// Column j of the panel is row j0+j of B: read each B row
			// in order (the prefetcher follows it) and scatter it down the
			// panel, instead of gathering nr rows per element of the
			// panel. By blocks of packRowsL1 panel rows, so that the part
			// being scattered into stays in L1 across the nb rows (a whole
			// panel of 256 x 32 floats does not).
			for p0 := 0; p0 < kb; p0 += packRowsL1 {
				pb := min(packRowsL1, kb-p0)
				blk := panel[p0*nr : (p0+pb)*nr]
				j := 0
				for ; j+8 <= nb; j += 8 { // eight rows: 8 contiguous elements per panel row
					at := (j0+j)*ldb + pc + p0
					s0, s1, s2, s3 := b[at:at+pb], b[at+ldb:at+ldb+pb], b[at+2*ldb:at+2*ldb+pb], b[at+3*ldb:at+3*ldb+pb]
					at += 4 * ldb
					s4, s5, s6, s7 := b[at:at+pb], b[at+ldb:at+ldb+pb], b[at+2*ldb:at+2*ldb+pb], b[at+3*ldb:at+3*ldb+pb]
					for p := range s0 {
						d := blk[p*nr+j : p*nr+j+8 : p*nr+j+8]
						d[0], d[1], d[2], d[3] = s0[p], s1[p], s2[p], s3[p]
						d[4], d[5], d[6], d[7] = s4[p], s5[p], s6[p], s7[p]
					}
				}
				for ; j < nb; j++ {
					src := b[(j0+j)*ldb+pc+p0 : (j0+j)*ldb+pc+p0+pb]
					for p, v := range src {
						blk[p*nr+j] = v
					}
				}
			}
		}
	}
}

// packRows copies rows i0..i0+rb (< mr) of A, columns pc..pc+kb, into one
// zero-padded panel (for products with fewer rows than a tile): element
// (r, p) at dst[p*mr+r].
func packRows[T float32 | float64](dst, a []T, lda int, ta bool, i0, rb, pc, kb, mr int) {
	clear(dst[:kb*mr])
	for r := 0; r < rb; r++ {
		for p := 0; p < kb; p++ {
			if ta {
				dst[p*mr+r] = a[(pc+p)*lda+i0+r]
			} else {
				dst[p*mr+r] = a[(i0+r)*lda+pc+p]
			}
		}
	}
}

// gemm computes c = a·b (c += a·b with accumulate) for m x k and k x n operands, either possibly
// transposed (see matArg); c has leading dimension ldc. The kernel reads A
// in place (row-major or transposed) and B in place when it is row-major;
// only partial edge panels and transposed B are packed.
func gemm[T float32 | float64](m, n, k int, a []T, lda int, ta bool, b []T, ldb int, tb bool, c []T, ldc int, accumulate bool, bias []T, relu bool) {
	if k == 0 || m*n*k <= 2048 || n == 1 || m == 1 || blasTakes(m, n, k) {
		// Paths without a bias and an activation of their own (tiny
		// products, matrix-vector, OpenBLAS): start C from the bias, and
		// apply the ReLU after.
		if relu {
			defer func() {
				for i := 0; i < m; i++ {
					reluInPlace(c[i*ldc : i*ldc+n])
				}
			}()
		}
		if bias != nil {
			switch {
			case !accumulate && ldc == n:
				fillRows(c[:m*n], bias[:n])
			default:
				for i := 0; i < m; i++ {
					row := c[i*ldc : i*ldc+n]
					if accumulate {
						for j := range row {
							row[j] += bias[j]
						}
					} else {
						copy(row, bias[:n])
					}
				}
			}
			accumulate, bias = true, nil
		}
	}
	if k == 0 || m*n*k <= 2048 {
		if !accumulate {
			for i := 0; i < m; i++ {
				clear(c[i*ldc : i*ldc+n])
			}
		}
	}
	if k == 0 {
		return
	}
	if m*n*k <= 2048 { // tiny products: blocking costs more than it saves
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			for p := 0; p < k; p++ {
				var av T
				if ta {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
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
	if n == 1 || m == 1 {
		gemv(m, n, k, a, lda, ta, b, ldb, tb, c, ldc, accumulate)
		return
	}
	if blasTakes(m, n, k) {
		CheckInterrupt("Matmul") // one call: checked before, not during
		blasGemm(m, n, k, a, lda, ta, b, ldb, tb, c, ldc, accumulate)
		return
	}
	procs := runtime.GOMAXPROCS(0)
	mr, nr := tileOf[T]()
	tiles := (m + mr - 1) / mr
	panels := (n + nr - 1) / nr
	// Split the larger side of C when B is packed. Row chunks each stream
	// all of B (and pack it), column chunks each a disjoint part of it
	// with A shared: with fewer rows than columns (a batch of 64 through
	// a 784x256 layer), row chunks would pack B once per chunk and cost
	// more than they save. B read in place costs row chunks nothing, and
	// rows are what an optimiser's split update takes (see chunks below):
	// a weight gradient Gᵀ·X goes by rows.
	byCols := m < n && packsB[T](tb, ldb)
	units := tiles
	if byCols {
		units = panels
	}
	swap := swapTransposed(m, n, ta, tb, accumulate, bias != nil)
	serial := func() {
		if swap {
			gemmSwapped(m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias, relu)
		} else {
			gemmBlocked(m, n, k, a, lda, ta, b, ldb, tb, c, ldc, accumulate, bias, relu, nil)
		}
	}
	if procs == 1 || m*n*k < gemmParallelMin || units < 2 {
		serial()
		return
	}
	// Whether the second core pays for a product of this shape depends on
	// whether it is free (a shared machine's other jobs, the DataLoader's
	// gather of the next batch): choose by the measured wall time.
	pol := gemmPolicy(m, n, k, ta, tb)
	if !pol.Choose(m * n * k) {
		start := time.Now()
		serial()
		pol.Record(m*n*k, false, time.Since(start))
		return
	}
	start := time.Now()
	defer func() { pol.Record(m*n*k, true, time.Since(start)) }()
	// Split, a product that would be swapped serially is swapped chunk by
	// chunk: each column chunk C[:, j0:j1] = A·B[j0:j1]ᵀ packs all of Aᵀ
	// for itself (a batch of 64 through a 784->256 layer: 200 KB per core)
	// and reads its rows of B, the weight rows it keeps, in place. Direct
	// chunks packed their part of Bᵀ instead, 400 KB each: in the
	// Fashion-MNIST MLP's step the forward product took 165-185 us
	// swapped against 173-206 direct (bench/README.md). One Aᵀ packed by
	// the caller for all chunks made the other core fetch its cache lines
	// from the caller's, and took as long as the serial product.
	// Chunks of whole tiles (rows) or panels (columns) go to the caller
	// and to hot helpers as they come free. Each chunk is an independent
	// product: no barrier between blocks of k. Products of a training
	// step's size get one chunk per core, the caller's first: step after
	// step the caller computes the same rows of a weight gradient and
	// the same output columns (weight rows) of a forward product, and
	// updates those weight rows (optim's split update gives it the first
	// part), so a weight's cache lines stay on one core instead of
	// crossing between them (on this VM, the MLP's split forward took as
	// long as the serial one with four chunks, 40% less with two). Larger
	// products take more chunks than cores, for a shared machine's cores
	// that are not equally fast.
	chunks := min(procs, units)
	if m*n*k > gemmAffinityMax {
		chunks = min(4*procs, max(procs, units/8), units)
	}
	// Row chunks all read the whole of B: when it has to be packed, pack
	// it once here for all of them instead of once per chunk.
	var packed []T
	if !byCols && chunks > 1 && packsB[T](tb, ldb) {
		pp := getBuf[T](k * panels * nr)
		defer putBuf(pp)
		packed = *pp
		for pc := 0; pc < k; pc += gemmKC {
			packB(packed[pc*panels*nr:], b, ldb, tb, pc, min(gemmKC, k-pc), 0, n, nr)
		}
	}
	parallel.For(chunks, procs, func(ch, _ int) {
		if byCols {
			j0 := panels * ch / chunks * nr
			j1 := min(n, panels*(ch+1)/chunks*nr)
			bs := b[j0:]
			if tb {
				bs = b[j0*ldb:]
			}
			var bv []T
			if bias != nil {
				bv = bias[j0:j1]
			}
			if swap {
				gemmSwapped(m, j1-j0, k, a, lda, bs, ldb, c[j0:], ldc, accumulate, bv, relu)
				return
			}
			gemmBlocked(m, j1-j0, k, a, lda, ta, bs, ldb, tb, c[j0:], ldc, accumulate, bv, relu, nil)
			return
		}
		r0 := tiles * ch / chunks * mr
		r1 := min(m, tiles*(ch+1)/chunks*mr)
		var as []T
		if ta {
			as = a[r0:]
		} else {
			as = a[r0*lda:]
		}
		gemmBlocked(r1-r0, n, k, as, lda, ta, b, ldb, tb, c[r0*ldc:], ldc, accumulate, bias, relu, packed)
	})
}

// gemmShape is a product's shape, as gemm's policies are kept.
type gemmShape struct {
	m, n, k int
	ta, tb  bool
}

var gemmPolicies struct {
	sync.Mutex
	m map[gemmShape]*costsplit.Policy
}

// gemmPolicy returns the serial-or-split policy of products of one shape
// (a training step has a few; the table starts again if a program makes
// many).
func gemmPolicy(m, n, k int, ta, tb bool) *costsplit.Policy {
	key := gemmShape{m, n, k, ta, tb}
	gemmPolicies.Lock()
	defer gemmPolicies.Unlock()
	p := gemmPolicies.m[key]
	if p == nil {
		if gemmPolicies.m == nil || len(gemmPolicies.m) >= 256 {
			gemmPolicies.m = map[gemmShape]*costsplit.Policy{}
		}
		p = &costsplit.Policy{}
		if m*n*k <= gemmAffinityMax {
			p.Favour = gemmFavour
		}
		gemmPolicies.m[key] = p
	}
	return p
}

// gemmParallelMin is the product size (multiply-adds) from which gemm
// spreads rows over the cores: about 40 us of work. Smaller products
// (the 1000x32x32 of the small MLP, 1M) lost more than they gained on
// this shared 2-core VM whenever the other core was busy.
const gemmParallelMin = 1 << 21

// gemmFavour is how much slower a split product of up to gemmAffinityMax
// multiply-adds may be timed than the serial one and still be split
// (costsplit.Policy.Favour). Such a product's chunks give each core the
// same rows of a weight as an optimiser's split update does, so in a
// training step each core reads and writes its rows from the forward
// product to the update; a serial product pulls the other core's rows into
// the caller's cache, and the next split part pulls them back, which the
// product's own timing does not see. In the Fashion-MNIST MLP's step the
// split forward product timed 10% slower than the serial one, but the
// step with it was 12-14% faster (bench/README.md, "The kernel's collector
// target").
const gemmFavour = 0.25

// gemmAffinityMax is the product size (multiply-adds) up to which a split
// product takes one chunk per core (a few hundred microseconds of work:
// the MLP's 12.8M products are 70 us a chunk).
const gemmAffinityMax = 1 << 25

// packsB reports whether gemmBlocked packs all of B: when it is
// transposed, or row-major with a leading dimension of a multiple of 4
// KiB, whose rows all fall into the same cache sets. Otherwise it reads B
// in place (packing only a partial last panel).
func packsB[T float32 | float64](tb bool, ldb int) bool {
	var z T
	return tb || (ldb*int(unsafe.Sizeof(z)))%4096 == 0
}

// gemmBlocked is gemm's blocked product on the calling goroutine. When
// prepacked is not nil, it holds all of B already packed (as gemm packs
// it for row chunks: block pc at prepacked[pc*panels*nr:]).
func gemmBlocked[T float32 | float64](m, n, k int, a []T, lda int, ta bool, b []T, ldb int, tb bool, c []T, ldc int, accumulate bool, bias []T, relu bool, prepacked []T) {
	mr, nr := tileOf[T]()
	npan := (n + nr - 1) / nr
	fullPan := n / nr
	kcMax := min(gemmKC, k)
	packAll := packsB[T](tb, ldb)
	packed := npan - fullPan // panels that need packing
	if packAll {
		packed = npan
	}
	bufLen := max(1, packed) * kcMax * nr
	if prepacked != nil {
		bufLen = 1
	}
	bp := getBuf[T](bufLen)
	defer putBuf(bp)
	tp := getBuf[T](mr * nr) // a tile computed aside, for edges
	defer putBuf(tp)
	tmp := *tp
	var edge []T // A's rows zero-padded to a tile, when there are fewer than mr
	if m < mr {
		ep := getBuf[T](mr * kcMax)
		defer putBuf(ep)
		edge = *ep
	}
	var biasPad []T // the bias of a partial last panel, zero-padded
	if bias != nil && fullPan < npan {
		pp := getBuf[T](nr)
		defer putBuf(pp)
		biasPad = *pp
		clear(biasPad)
		copy(biasPad, bias[fullPan*nr:n])
	}
	for pc := 0; pc < k; pc += gemmKC {
		kb := min(gemmKC, k-pc)
		add := accumulate || pc > 0 // the first block stores, so C needs no clearing
		act := relu && pc+kb == k   // the activation goes on with the last block
		var bpack []T
		switch {
		case prepacked != nil:
			bpack = prepacked[pc*npan*nr : (pc+kb)*npan*nr]
		case packAll:
			bpack = (*bp)[:packed*kb*nr]
			packB(bpack, b, ldb, tb, pc, kb, 0, n, nr)
		case packed > 0:
			bpack = (*bp)[:packed*kb*nr]
			packB(bpack, b, ldb, false, pc, kb, fullPan*nr, n, nr)
		}
		CheckInterrupt("Matmul")
		// A's rows from row on, for this block of k
		aAt := func(row int) ([]T, int, int) {
			if ta {
				return a[pc*lda+row:], 1, lda
			}
			return a[row*lda+pc:], lda, 1
		}
		for i0 := 0; i0 < m; i0 += gemmMC {
			mb := min(gemmMC, m-i0)
			full := mb / mr * mr
			for jp := 0; jp < npan; jp++ {
				j0 := jp * nr
				nb := min(nr, n-j0)
				var bs []T
				bps := nr
				switch {
				case packAll:
					bs = bpack[jp*kb*nr:]
				case jp < fullPan:
					bs, bps = b[pc*ldb+j0:], ldb
				default:
					bs = bpack
				}
				var bv []T // the bias goes in with the first block of k
				if pc == 0 && bias != nil {
					bv = biasPad
					if jp < fullPan {
						bv = bias[j0:]
					}
				}
				if full > 0 && nb == nr { // whole tiles, in one call
					as, ars, aps := aAt(i0)
					kernelT(kb, as, ars, aps, bs, bps, c[i0*ldc+j0:], ldc, add, act, bv, full/mr)
				} else {
					for r0 := 0; r0 < full; r0 += mr {
						as, ars, aps := aAt(i0 + r0)
						kernelT(kb, as, ars, aps, bs, bps, tmp, nr, false, false, bv, 1)
						putTile(c, ldc, i0+r0, j0, mr, nb, tmp, nr, add, act)
					}
				}
				if rb := mb - full; rb > 0 {
					// the last rb rows: the tile of mr rows ending there
					// (overlapping rows already done), computed aside
					skip := mr - rb
					var as []T
					var ars, aps int
					if i0+mb >= mr {
						as, ars, aps = aAt(i0 + mb - mr)
					} else {
						packRows(edge, a, lda, ta, i0+full, rb, pc, kb, mr)
						as, ars, aps, skip = edge, 1, mr, 0
					}
					kernelT(kb, as, ars, aps, bs, bps, tmp, nr, false, false, bv, 1)
					putTile(c, ldc, i0+full, j0, rb, nb, tmp[skip*nr:], nr, add, act)
				}
			}
		}
	}
}

// fillRows copies bias into every row of the row-major matrix m: one row,
// then copies of the filled part doubling each time (a few long copies
// rather than a call per row, which matters for one-column outputs).
func fillRows[T float32 | float64](m, bias []T) {
	k := len(bias)
	if k == 0 || len(m) < k {
		return
	}
	copy(m[:k], bias)
	for filled := k; filled < len(m); filled *= 2 {
		copy(m[filled:], m[:filled])
	}
}

// putTile stores (or adds, with add) rows x cols of a tile computed aside
// into C at (row, col), then applies the ReLU with relu.
func putTile[T float32 | float64](c []T, ldc, row, col, rows, cols int, tile []T, ldt int, add, relu bool) {
	for r := 0; r < rows; r++ {
		dst := c[(row+r)*ldc+col : (row+r)*ldc+col+cols]
		src := tile[r*ldt : r*ldt+cols]
		if add {
			for j := range dst {
				dst[j] += src[j]
			}
		} else {
			copy(dst, src)
		}
		if relu {
			reluInPlace(dst)
		}
	}
}

// gemv handles products with one output column or row (a matrix times a
// vector), where the mr x nr tiles would mostly compute padding: dot
// products along contiguous rows, or scaled rows added up (axpy).
func gemv[T float32 | float64](m, n, k int, a []T, lda int, ta bool, b []T, ldb int, tb bool, c []T, ldc int, accumulate bool) {
	if !accumulate {
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
	}
	vec := func(src []T, stride, length int) []T { // a contiguous copy when strided
		if stride == 1 {
			return src[:length]
		}
		v := make([]T, length)
		for i := range v {
			v[i] = src[i*stride]
		}
		return v
	}
	if n == 1 { // c[i] += A(i,:)·B(:,0)
		var bv []T
		if tb {
			bv = vec(b, 1, k)
		} else {
			bv = vec(b, ldb, k)
		}
		if !ta {
			gemvRows(a, lda, bv, c, ldc, m, k)
			return
		}
		// A(i,p) = a[p*lda+i]: the rows of Aᵀ scaled by b[p], added up
		out := c[:m]
		if ldc != 1 {
			out = make([]T, m)
		}
		gemvCols(a, lda, bv, out, k, m)
		if ldc != 1 {
			for i, v := range out {
				c[i*ldc] += v
			}
		}
		return
	}
	// m == 1: c[j] += A(0,:)·B(:,j)
	var av []T
	if ta {
		av = vec(a, lda, k)
	} else {
		av = vec(a, 1, k)
	}
	if !tb {
		gemvCols(b, ldb, av, c[:n], k, n)
		return
	}
	// B(p,j) = b[j*ldb+p]: dot products with the rows of Bᵀ
	gemvRows(b, ldb, av, c[:n], 1, n, k)
}

// gemvRows sets y[i*ldy] += A(i,:)·x for a row-major m x k A.
func gemvRows[T float32 | float64](a []T, lda int, x, y []T, ldy, m, k int) {
	if a32, ok := any(a).([]float32); ok && ldy == 1 {
		gemvRows32(a32, lda, any(x).([]float32), any(y).([]float32), m, k)
		return
	}
	for i := 0; i < m; i++ {
		y[i*ldy] += dotT(a[i*lda:i*lda+k], x)
	}
}

// gemvCols sets y += Σ_p x[p]·B(p,:) for a row-major k x n B.
func gemvCols[T float32 | float64](b []T, ldb int, x, y []T, k, n int) {
	if b32, ok := any(b).([]float32); ok {
		gemvCols32(b32, ldb, any(x).([]float32), any(y).([]float32), k, n)
		return
	}
	for p := 0; p < k; p++ {
		axpyT(x[p], b[p*ldb:p*ldb+n], y)
	}
}

func dotT[T float32 | float64](x, y []T) T {
	if x32, ok := any(x).([]float32); ok {
		return T(dot32(x32, any(y).([]float32)))
	}
	y = y[:len(x)]
	var s T
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

func axpyT[T float32 | float64](alpha T, x, y []T) {
	if x32, ok := any(x).([]float32); ok {
		axpy32(float32(alpha), x32, any(y).([]float32))
		return
	}
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// MatmulKernel names the float32 matrix-product kernel in use: "openblas"
// (build tag openblas), "avx512" or "avx2-fma" (assembly, amd64) or "go"
// (portable).
func MatmulKernel() string {
	switch {
	case haveBLAS:
		return "openblas"
	case hasAVX512:
		return "avx512"
	case hasAVX2FMA:
		return "avx2-fma"
	}
	return "go"
}

// gemmNoSwap turns gemmSwapped off (tests compare the two paths).
var gemmNoSwap bool

// swapTransposed reports whether gemm computes C = A·Bᵀ as Cᵀ = B·Aᵀ: B
// stored as n rows of k (a Linear's weight [out, in]) must be packed
// transposed, k·n values, before the kernel can read it, while B read as
// the kernel's A operand needs no packing and Aᵀ as its B operand packs
// k·m. With fewer rows than columns (a batch of 64 through a 784->256
// layer: 200 KB packed instead of 800 KB) the swap packs less. An
// accumulating product with a bias keeps the direct path (its rounding
// order, C + (bias + A·B), has no swapped equivalent).
func swapTransposed(m, n int, ta, tb, accumulate, bias bool) bool {
	return tb && !ta && m < n && !gemmNoSwap && !(accumulate && bias)
}

// gemmSwapped computes C = A·Bᵀ (+ C with accumulate, + bias, then the
// ReLU) through Cᵀ = B·Aᵀ into a scratch n x m matrix. The scratch starts
// as the bias (or Cᵀ, accumulating) and the kernel adds the product to
// it, which rounds as the direct path does (the kernel adds its block of
// k to the bias or to C, in the same order); the ReLU goes on as the
// result is transposed back. The values are those of the direct path,
// bit for bit.
func gemmSwapped[T float32 | float64](m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int, accumulate bool, bias []T, relu bool) {
	tp := getBuf[T](n * m)
	defer putBuf(tp)
	ct := *tp
	add := accumulate || bias != nil
	switch {
	case accumulate:
		transposeInto(ct, m, c, ldc, m, n)
	case bias != nil:
		for j, v := range bias[:n] {
			row := ct[j*m : j*m+m]
			for i := range row {
				row[i] = v
			}
		}
	}
	// B (n x k, row-major) is the kernel's A read in place; A (m x k,
	// row-major) read transposed is its B. On the calling goroutine: a
	// split product goes direct (see gemm).
	gemmBlocked(n, m, k, b, ldb, false, a, lda, true, ct, m, add, nil, false, nil)
	transposeInto(c, ldc, ct, m, n, m)
	if relu {
		for i := 0; i < m; i++ {
			reluInPlace(c[i*ldc : i*ldc+n])
		}
	}
}

// transposeInto sets dst (cols x rows, leading dimension ldd) to the
// transpose of src (rows x cols, leading dimension lds). By bands of 8
// columns of src (eight write streams into dst, reads that stay in L1),
// four rows of src at a time: four contiguous values per write.
func transposeInto[T float32 | float64](dst []T, ldd int, src []T, lds, rows, cols int) {
	for j0 := 0; j0 < cols; j0 += 8 {
		jn := min(8, cols-j0)
		i := 0
		for ; i+4 <= rows; i += 4 {
			s0 := src[i*lds+j0 : i*lds+j0+jn]
			s1 := src[(i+1)*lds+j0 : (i+1)*lds+j0+jn]
			s2 := src[(i+2)*lds+j0 : (i+2)*lds+j0+jn]
			s3 := src[(i+3)*lds+j0 : (i+3)*lds+j0+jn]
			for j := range s0 {
				d := dst[(j0+j)*ldd+i : (j0+j)*ldd+i+4 : (j0+j)*ldd+i+4]
				d[0], d[1], d[2], d[3] = s0[j], s1[j], s2[j], s3[j]
			}
		}
		for ; i < rows; i++ {
			for j, v := range src[i*lds+j0 : i*lds+j0+jn] {
				dst[(j0+j)*ldd+i] = v
			}
		}
	}
}
