package autograd

// Matmul returns the matrix product with torch.matmul's rules: 1-D·1-D is a
// dot product, 2-D·2-D a matrix product, 1-D operands get a dimension
// prepended/appended and removed again, and leading (batch) dimensions
// broadcast.
func (t *Tensor) Matmul(o *Tensor) *Tensor {
	needFloat("Matmul", t, o)
	checkDType("Matmul", t, o)
	switch {
	case len(t.shape) == 0 || len(o.shape) == 0:
		fail("Matmul: both arguments need at least 1 dimension, got shapes %v and %v", t.shape, o.shape)
	case len(t.shape) == 1 && len(o.shape) == 1:
		if t.shape[0] != o.shape[0] {
			fail("Matmul: shapes %v and %v cannot be multiplied (inner sizes %d and %d differ)", t.shape, o.shape, t.shape[0], o.shape[0])
		}
		return t.Unsqueeze(0).Matmul(o.Unsqueeze(1)).Reshape()
	case len(t.shape) == 1:
		return t.Unsqueeze(0).Matmul(o).SqueezeDim(-2)
	case len(o.shape) == 1:
		return t.Matmul(o.Unsqueeze(1)).SqueezeDim(-1)
	}
	m, k := t.shape[len(t.shape)-2], t.shape[len(t.shape)-1]
	k2, n := o.shape[len(o.shape)-2], o.shape[len(o.shape)-1]
	if k != k2 {
		fail("Matmul: shapes %v and %v cannot be multiplied (%dx%d and %dx%d)", t.shape, o.shape, m, k, k2, n)
	}
	var out *Tensor
	if len(t.shape) == 2 && len(o.shape) == 2 {
		out = mm(t, o)
	} else {
		batch := broadcastShapes("Matmul", t.shape[:len(t.shape)-2], o.shape[:len(o.shape)-2])
		nb := numelOf(batch)
		a := t.expandTo("Matmul", append(append([]int{}, batch...), m, k)).reshapeNoGrad([]int{nb, m, k})
		b := o.expandTo("Matmul", append(append([]int{}, batch...), k, n)).reshapeNoGrad([]int{nb, k, n})
		res := newTensor(t.dtype, []int{nb, m, n})
		for i := 0; i < nb; i++ {
			mmInto(res.narrowView(0, i, 1).reshapeNoGrad([]int{m, n}),
				a.narrowView(0, i, 1).reshapeNoGrad([]int{m, k}),
				b.narrowView(0, i, 1).reshapeNoGrad([]int{k, n}))
		}
		out = res.reshapeNoGrad(append(append([]int{}, batch...), m, n))
	}
	if tracking(t, o) {
		record(out, "Matmul", func(g *Tensor, gs []*Tensor) {
			if t.requiresGrad { // dL/dA = G · Bᵀ
				gs[0] = sumTo(g.Matmul(o.mT()), t.shape)
			}
			if o.requiresGrad { // dL/dB = Aᵀ · G
				gs[1] = sumTo(t.mT().Matmul(g), o.shape)
			}
		}, t, o)
	}
	return out
}

// Matmul is a.Matmul(b).
func Matmul(a, b *Tensor) *Tensor { return a.Matmul(b) }

// mm multiplies two 2-D tensors into a new one (no graph).
func mm(a, b *Tensor) *Tensor {
	out := newTensor(a.dtype, []int{a.shape[0], b.shape[1]})
	mmInto(out, a, b)
	return out
}

// matArg describes a 2-D operand for gemm, read transposed with tr:
// element (i, j) is at data[off + i*ld + j] when !trans, data[off + j*ld + i]
// when trans; rows and cols are its shape as read. ok is false for layouts
// gemm cannot read in place (strided both ways, or rows overlapping as in
// a broadcast view): the caller copies those.
func matArg(t *Tensor, tr bool) (off, ld, rows, cols int, trans, ok bool) {
	r, c := t.shape[0], t.shape[1]
	s0, s1 := t.strides[0], t.strides[1]
	if tr { // the transpose is the same data with the dimensions swapped
		r, c, s0, s1 = c, r, s1, s0
	}
	switch {
	case (s1 == 1 || c == 1) && (r == 1 || s0 >= c):
		if r == 1 {
			s0 = c
		}
		return t.offset, max(s0, c), r, c, false, true
	case (s0 == 1 || r == 1) && (c == 1 || s1 >= r):
		return t.offset, max(s1, r), r, c, true, true
	}
	return 0, 0, r, c, false, false
}

// mmInto computes out = a·b for 2-D tensors; out is contiguous.
func mmInto(out, a, b *Tensor) { mmAcc(out, a, false, b, false, false, nil, false) }

// mmAcc computes out = A·B for A = a (aT: aᵀ) and B = b (bT: bᵀ), 2-D, or
// out += A·B with accumulate, plus the 1-D bias (broadcast over rows) when
// not nil, and then max(out, 0) with relu. The transposes are read in place:
// no view is made for them.
func mmAcc(out, a *Tensor, aT bool, b *Tensor, bT bool, accumulate bool, bias *Tensor, relu bool) {
	aoff, lda, m, k, ta, ok := matArg(a, aT)
	if !ok {
		a = a.copyData()
		aoff, lda, m, k, ta, _ = matArg(a, aT)
	}
	boff, ldb, _, n, tb, ok := matArg(b, bT)
	if !ok {
		b = b.copyData()
		boff, ldb, _, n, tb, _ = matArg(b, bT)
	}
	if m == 0 || n == 0 {
		return
	}
	if a.dtype == Float64 {
		var bv []float64
		if bias != nil {
			bv = bias.contig64()
		}
		gemm(m, n, k, a.d64[aoff:], lda, ta, b.d64[boff:], ldb, tb, out.d64[out.offset:], n, accumulate, bv, relu)
	} else {
		var bv []float32
		if bias != nil {
			bv = bias.contig32()
		}
		gemm(m, n, k, a.d32[aoff:], lda, ta, b.d32[boff:], ldb, tb, out.d32[out.offset:], n, accumulate, bv, relu)
	}
}

// Linear returns x·wᵀ + b (b may be nil) for x of shape [..., in], w of
// shape [out, in] and b of shape [out], as torch.nn.functional.linear. It is
// one op on the tape: one output allocation, and its backward computes the
// weight gradient directly in w's layout.
func Linear(x, w, b *Tensor) *Tensor { return linear("Linear", x, w, b, false) }

// LinearReLU returns Linear(x, w, b).Relu() as one op, the way fused
// kernels do it: the ReLU is applied as the product is stored, so the
// pre-activation is never written out, and the backward masks the
// gradient with the output. nn.Sequential uses it for a Linear followed
// by a ReLU.
func LinearReLU(x, w, b *Tensor) *Tensor { return linear("LinearReLU", x, w, b, true) }

func linear(op string, x, w, b *Tensor, relu bool) *Tensor {
	needFloat(op, x, w)
	checkDType(op, x, w)
	if len(w.shape) != 2 {
		fail("%s: weight must be 2-D [out, in], got shape %v", op, w.shape)
	}
	out, in := w.shape[0], w.shape[1]
	if len(x.shape) == 0 || x.shape[len(x.shape)-1] != in {
		fail("%s: input shape %v does not end in %d features (weight %v)", op, x.shape, in, w.shape)
	}
	if b != nil {
		checkDType(op, x, b)
		if len(b.shape) != 1 || b.shape[0] != out {
			fail("%s: bias shape %v, want [%d]", op, b.shape, out)
		}
	}
	lead := x.shape[:len(x.shape)-1]
	n := numelOf(lead)
	x2 := x.reshapeNoGrad([]int{n, in})
	track := tracking(x, w) || (b != nil && tracking(b, nil))
	res := newOutPooled(x.dtype, []int{n, out}, track)
	mmAcc(res, x2, false, w, true, false, b, relu) // bias and activation go in as the product is stored
	y := res
	if len(lead) != 1 {
		y = res.view(append(append([]int{}, lead...), out), nil, 0)
		y.strides = contiguousStrides(y.shape)
		y.fn = res.fn
	}
	if track {
		bw := linearBackward
		if relu {
			bw = linearReLUBackward
		}
		nd := attach(y, op, bw, x, w)
		nd.in[2] = b
		if b != nil {
			nd.inputs = nd.in[:3]
			save(b)
		}
		if relu { // the backward reads the output: count it like an input
			nd.out = res
			save(res)
		}
	}
	return y
}

// linearReLUBackward passes the gradient where the output was positive,
// then on as Linear's; for float32 the masking and the bias gradient (its
// column sums, as Sum(0) forms them) take one pass.
func linearReLUBackward(p *pass, n *node, g *Tensor, gs []*Tensor) {
	y := n.out.reshapeNoGrad(g.shape)
	b := n.in[2]
	if g.dtype == Float32 && b != nil && b.requiresGrad && g.IsContiguous() {
		gz := p.alloc(g.dtype, g.shape)
		k := g.Numel()
		cols := b.shape[0]
		acc := make([]float64, cols)
		maskColSum32(gz.d32, g.d32[g.offset:g.offset+k], y.d32[y.offset:y.offset+k], acc, k/max(cols, 1), cols)
		gb := newTensor(b.dtype, b.shape)
		gb.setFloat64s(acc)
		linearGrads(p, n, gz, gs, gb)
		return
	}
	linearGrads(p, n, reluGrad(p, g, y), gs, nil)
}

// linearBackward: dL/dx = G·W, dL/dW = Gᵀ·X (already [out, in]), dL/db =
// column sums of G, for G and X flattened to 2-D.
func linearBackward(p *pass, n *node, g *Tensor, gs []*Tensor) { linearGrads(p, n, g, gs, nil) }

// linearGrads is linearBackward with the bias gradient gb, when not nil,
// already computed.
func linearGrads(p *pass, n *node, g *Tensor, gs []*Tensor, gb *Tensor) {
	x, w, b := n.in[0], n.in[1], n.in[2]
	out, in := w.shape[0], w.shape[1]
	rows := g.Numel() / out
	g2 := g.reshapeNoGrad([]int{rows, out})
	if x.requiresGrad {
		gx := p.alloc(x.dtype, []int{rows, in})
		mmInto(gx, g2, w)
		gs[0] = gx.reshapeNoGrad(x.shape)
	}
	if w.requiresGrad {
		x2 := x.reshapeNoGrad([]int{rows, in})
		if dst, add, ok := leafGradInto(w); ok { // a parameter: the product goes straight into its .Grad()
			mmAcc(dst, g2, true, x2, false, add, nil, false)
		} else {
			gw := p.alloc(w.dtype, w.shape)
			mmAcc(gw, g2, true, x2, false, false, nil, false)
			gs[1] = gw
		}
	}
	if b != nil && b.requiresGrad {
		if gb == nil {
			gb = reduce("sum", g2, []int{0}, false)
		}
		gs[2] = gb
	}
}

// mT is a view with the last two dimensions swapped, outside the graph.
func (t *Tensor) mT() *Tensor {
	n := len(t.shape)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	perm[n-1], perm[n-2] = n-2, n-1
	return t.Detach().permuteView(perm)
}
