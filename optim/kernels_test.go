package optim

import (
	"math"
	"math/rand"
	"testing"
)

// randomVec returns n values spanning many magnitudes and both signs, with a
// few zeros of either sign, subnormals, infinities and NaNs.
func randomVec[T float](r *rand.Rand, n int) []T {
	v := make([]T, n)
	for i := range v {
		x := T(r.NormFloat64() * math.Pow(10, float64(r.Intn(7)-3)))
		switch r.Intn(200) {
		case 0, 1, 2, 3:
			x = 0
		case 4:
			x = T(math.Copysign(0, -1))
		case 5: // subnormal in either dtype
			if is32[T]() {
				x = T(math.Float32frombits(uint32(r.Intn(1<<23)) + 1))
			} else {
				x = T(math.Float64frombits(uint64(r.Int63n(1<<52)) + 1))
			}
		case 6:
			x = T(math.Inf(1 - 2*r.Intn(2)))
		case 7:
			x = T(math.NaN())
		}
		v[i] = x
	}
	return v
}

func same[T float](t *testing.T, what string, a, b []T) {
	t.Helper()
	for i := range a {
		if a[i] != a[i] && b[i] != b[i] {
			continue // both NaN (payloads may differ)
		}
		if math.Float64bits(float64(a[i])) != math.Float64bits(float64(b[i])) {
			t.Fatalf("%s[%d]: assembly %v, Go %v", what, i, a[i], b[i])
		}
	}
}

// TestAssemblyMatchesGo checks that the AVX2 loops compute bit for bit what
// the Go loops (held to PyTorch by the golden tests) compute, for every
// option, over 30 steps on 1003-element vectors (a tail the Go loop finishes),
// in float32 and float64.
func TestAssemblyMatchesGo(t *testing.T) {
	if !detectAVX2FMA() {
		t.Skip("no AVX2/FMA on this CPU")
	}
	defer SetAVX2(SetAVX2(true))
	t.Run("float32", func(t *testing.T) { assemblyMatchesGo[float32](t) })
	t.Run("float64", func(t *testing.T) { assemblyMatchesGo[float64](t) })
}

func assemblyMatchesGo[T float](t *testing.T) {
	const n = 1003
	r := rand.New(rand.NewSource(7))
	clone := func(v []T) []T { return append([]T(nil), v...) }
	zeros := func() []T { return make([]T, n) }
	for _, c := range []struct {
		mom, damp, wd      float64
		nesterov, maximize bool
	}{{0, 0, 0, false, false}, {0.9, 0, 0, false, false}, {0.9, 0.3, 0, false, false},
		{0.8, 0, 0, true, false}, {0, 0, 0.01, false, true}, {0.7, 0, 0.05, true, true}, {0.9, 0.1, 0.01, false, false}} {
		pa := randomVec[T](r, n)
		pb := clone(pa)
		var ba, bb []T
		if c.mom != 0 {
			ba, bb = zeros(), zeros()
		}
		for step := 0; step < 30; step++ {
			g := randomVec[T](r, n)
			useAVX2 = true
			sgdStep(pa, g, ba, step == 0, 0.01, c.mom, c.damp, c.wd, c.nesterov, c.maximize)
			useAVX2 = false
			sgdStep(pb, g, bb, step == 0, 0.01, c.mom, c.damp, c.wd, c.nesterov, c.maximize)
		}
		same(t, "sgd p", pa, pb)
		same(t, "sgd buf", ba, bb)
	}
	for _, c := range []struct {
		decoupled, maximize, amsgrad bool
		wd                           float64
	}{{false, false, false, 0}, {true, false, false, 0.05}, {false, true, false, 0}, {false, false, false, 0.1},
		{true, true, false, 0.01}, {false, true, false, 0.01}, {false, false, true, 0}, {true, true, true, 0.01}} {
		pa := randomVec[T](r, n)
		pb := clone(pa)
		ma, mb, va, vb := zeros(), zeros(), zeros(), zeros()
		var xa, xb []T
		if c.amsgrad {
			xa, xb = zeros(), zeros()
		}
		for step := 1; step <= 30; step++ {
			g := randomVec[T](r, n)
			k := newAdamScalars(step, 1e-3, 0.9, 0.999, 1e-8, c.wd)
			useAVX2 = true
			adamStep(pa, g, ma, va, xa, k, c.decoupled, c.maximize)
			useAVX2 = false
			adamStep(pb, g, mb, vb, xb, k, c.decoupled, c.maximize)
		}
		same(t, "adam p", pa, pb)
		same(t, "adam m", ma, mb)
		same(t, "adam v", va, vb)
		same(t, "adam max_exp_avg_sq", xa, xb)
	}
	for _, c := range []struct {
		wd                          float64
		maximize, centered, withMom bool
	}{{0, false, false, false}, {0.1, false, false, false}, {0, true, false, false}, {0, false, true, false},
		{0, false, false, true}, {0.01, true, true, true}} {
		pa := randomVec[T](r, n)
		pb, ra, rb, aa, ab := clone(pa), clone(pa), clone(pa), clone(pa), clone(pa)
		sa, sb, qa, qb := zeros(), zeros(), zeros(), zeros()
		da, db, ea, eb := zeros(), zeros(), zeros(), zeros()
		var gaA, gaB, bufA, bufB []T
		mom := 0.0
		if c.centered {
			gaA, gaB = zeros(), zeros()
		}
		if c.withMom {
			bufA, bufB, mom = zeros(), zeros(), 0.9
		}
		for step := 1; step <= 30; step++ {
			g := randomVec[T](r, n)
			clr := 0.01 / (1 + float64(step-1)*0.01)
			useAVX2 = true
			adagradStep(pa, g, sa, clr, c.wd, 1e-10, c.maximize)
			rmspropStep(ra, g, qa, gaA, bufA, 0.01, 0.99, 1e-8, c.wd, mom, c.maximize)
			adadeltaStep(aa, g, da, ea, 1.0, 0.9, 1e-6, c.wd, c.maximize)
			useAVX2 = false
			adagradStep(pb, g, sb, clr, c.wd, 1e-10, c.maximize)
			rmspropStep(rb, g, qb, gaB, bufB, 0.01, 0.99, 1e-8, c.wd, mom, c.maximize)
			adadeltaStep(ab, g, db, eb, 1.0, 0.9, 1e-6, c.wd, c.maximize)
		}
		same(t, "adagrad p", pa, pb)
		same(t, "adagrad sum", sa, sb)
		same(t, "rmsprop p", ra, rb)
		same(t, "rmsprop sq", qa, qb)
		same(t, "rmsprop grad_avg", gaA, gaB)
		same(t, "rmsprop buf", bufA, bufB)
		same(t, "adadelta p", aa, ab)
		same(t, "adadelta sq", da, db)
		same(t, "adadelta acc", ea, eb)
	}
}

// TestFMA32 checks the float32 fused multiply-add on cases where rounding
// the float64 result again would be wrong.
func TestFMA32(t *testing.T) {
	// x*y + z = 1 + 2^-11 + 2^-24 + 2^-60: float64 rounds it to the midpoint
	// 1 + 2^-11 + 2^-24 between two float32s, which would then round to even
	// (down); the exact sum is above it, so the float32 FMA rounds up.
	x := float32(1 + 1.0/(1<<12))
	z := float32(math.Ldexp(1, -60))
	if got, want := fma(x, x, z), float32(1+1.0/(1<<11)+1.0/(1<<23)); got != want {
		t.Fatalf("fma(%v, %v, %v) = %v, want %v", x, x, z, got, want)
	}
	if got, want := fma(-x, x, -z), -float32(1+1.0/(1<<11)+1.0/(1<<23)); got != want {
		t.Fatalf("fma(%v, %v, %v) = %v, want %v", -x, x, -z, got, want)
	}
	if got, want := fma(x, x, -z), float32(1+1.0/(1<<11)); got != want {
		t.Fatalf("fma(%v, %v, %v) = %v, want %v", x, x, -z, got, want)
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 200000; i++ {
		a, b, c := float32(r.NormFloat64()), float32(r.NormFloat64()), float32(r.NormFloat64())
		if i%2 == 0 { // make near-ties likely: c cancels most of a*b
			c = -float32(float64(a) * float64(b))
		}
		got := fma(a, b, c)
		// exact reference with big enough precision: a*b exact in float64,
		// the sum carried as double-double, rounded once to float32 by
		// comparing with neighbours.
		want := refFMA32(a, b, c)
		if math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("fma(%v, %v, %v) = %v, want %v", a, b, c, got, want)
		}
	}
}

// refFMA32 rounds a*b+c to float32 exactly, by comparing the exact sum (as
// an unevaluated float64 pair) with the midpoints around the candidate.
func refFMA32(a, b, c float32) float32 {
	p := float64(a) * float64(b) // exact
	s := p + float64(c)
	e := (p - (s - (s - p))) + (float64(c) - (s - p)) // s + e == p + c exactly
	f := float32(s)
	// candidate neighbours
	lo, hi := f, f
	if float64(f) > s || (float64(f) == s && e < 0) {
		lo = math.Nextafter32(f, float32(math.Inf(-1)))
	} else {
		hi = math.Nextafter32(f, float32(math.Inf(1)))
	}
	if lo == hi {
		return f
	}
	mid := (float64(lo) + float64(hi)) / 2 // exact in float64
	// compare s+e with mid
	d := (s - mid) + e
	switch {
	case d < 0:
		return lo
	case d > 0:
		return hi
	}
	if math.Float32bits(lo)&1 == 0 {
		return lo
	}
	return hi
}
