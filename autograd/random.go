package autograd

import (
	"math"
	"sync"
)

// Generator is a deterministic pseudo-random source (xoshiro256**, seeded
// through splitmix64). It uses only integer arithmetic and IEEE operations,
// so a seed gives the same numbers on every machine.
type Generator struct {
	mu    sync.Mutex
	s     [4]uint64
	spare float64 // second normal of the last Box-Muller pair
	has   bool
}

// NewGenerator returns a generator seeded with seed.
func NewGenerator(seed int64) *Generator {
	g := &Generator{}
	g.Seed(seed)
	return g
}

// Seed resets the generator to the state for seed.
func (g *Generator) Seed(seed int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	x := uint64(seed)
	for i := range g.s {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		g.s[i] = z ^ (z >> 31)
	}
	g.has = false
}

func rotl(x uint64, k uint) uint64 { return (x << k) | (x >> (64 - k)) }

func (g *Generator) next() uint64 {
	s := &g.s
	r := rotl(s[1]*5, 7) * 9
	t := s[1] << 17
	s[2] ^= s[0]
	s[3] ^= s[1]
	s[1] ^= s[2]
	s[0] ^= s[3]
	s[2] ^= t
	s[3] = rotl(s[3], 45)
	return r
}

func (g *Generator) uniform() float64 { return float64(g.next()>>11) / (1 << 53) }

func (g *Generator) normal() float64 {
	if g.has {
		g.has = false
		return g.spare
	}
	// Box-Muller on (0, 1] so the log is finite
	u1 := 1 - g.uniform()
	u2 := g.uniform()
	r := math.Sqrt(-2 * math.Log(u1))
	g.spare = r * math.Sin(2*math.Pi*u2)
	g.has = true
	return r * math.Cos(2*math.Pi*u2)
}

func (g *Generator) intn(n int) int {
	if n <= 0 {
		fail("Randint: empty range")
	}
	// Lemire's multiply-shift with rejection: unbiased and deterministic
	un := uint64(n)
	for {
		x := g.next()
		hi, lo := mul64(x, un)
		if lo >= un || lo >= (-un)%un {
			return int(hi)
		}
	}
}

func mul64(x, y uint64) (hi, lo uint64) {
	const mask32 = 1<<32 - 1
	x0, x1 := x&mask32, x>>32
	y0, y1 := y&mask32, y>>32
	w0 := x0 * y0
	t := x1*y0 + w0>>32
	w1 := t&mask32 + x0*y1
	hi = x1*y1 + t>>32 + w1>>32
	lo = x * y
	return
}

// Float64 returns a uniform number in [0, 1).
func (g *Generator) Float64() float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.uniform()
}

// NormFloat64 returns a standard normal number.
func (g *Generator) NormFloat64() float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.normal()
}

// Intn returns a uniform int in [0, n).
func (g *Generator) Intn(n int) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.intn(n)
}

// Perm returns a random permutation of 0..n-1 (Fisher-Yates).
func (g *Generator) Perm(n int) []int {
	g.mu.Lock()
	defer g.mu.Unlock()
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := g.intn(i + 1)
		p[i], p[j] = p[j], p[i]
	}
	return p
}

func (g *Generator) fillWith(t *Tensor, f func() float64) *Tensor {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t.dtype == Float64 {
		for i := range t.d64 {
			t.d64[i] = f()
		}
	} else {
		for i := range t.d32 {
			t.d32[i] = float32(f())
		}
	}
	return t
}

// Rand returns float32 values uniform in [0, 1).
func (g *Generator) Rand(shape ...int) *Tensor {
	checkNew("Rand", Float32, shape)
	// 24 random bits: exactly representable in float32, so never rounds up to 1
	return g.fillWith(Zeros(shape...), func() float64 { return float64(g.next()>>40) / (1 << 24) })
}

// Randn returns float32 standard normal values.
func (g *Generator) Randn(shape ...int) *Tensor {
	checkNew("Randn", Float32, shape)
	return g.fillWith(Zeros(shape...), g.normal)
}

// Uniform returns float32 values uniform in [lo, hi).
func (g *Generator) Uniform(lo, hi float64, shape ...int) *Tensor {
	checkNew("Uniform", Float32, shape)
	return g.fillWith(Zeros(shape...), func() float64 { return lo + (hi-lo)*g.uniform() })
}

// Randint returns float32 integers uniform in [low, high).
func (g *Generator) Randint(low, high int, shape ...int) *Tensor {
	if high <= low {
		fail("Randint: empty range [%d, %d)", low, high)
	}
	checkNew("Randint", Float32, shape)
	return g.fillWith(Zeros(shape...), func() float64 { return float64(low + g.intn(high-low)) })
}

var global = NewGenerator(0)

// ManualSeed reseeds the global generator used by Rand, Randn, Randint and
// the default initialisation of nn layers.
func ManualSeed(seed int64) { global.Seed(seed) }

// DefaultGenerator returns the global generator.
func DefaultGenerator() *Generator { return global }

// Rand returns float32 values uniform in [0, 1) from the global generator.
func Rand(shape ...int) *Tensor { return global.Rand(shape...) }

// Randn returns float32 standard normal values from the global generator.
func Randn(shape ...int) *Tensor { return global.Randn(shape...) }

// Randint returns float32 integers in [low, high) from the global generator.
func Randint(low, high int, shape ...int) *Tensor { return global.Randint(low, high, shape...) }

// Randperm returns a random permutation of 0..n-1 from the global generator.
func Randperm(n int) []int { return global.Perm(n) }

// RandLike returns uniform values with t's shape and dtype.
func RandLike(t *Tensor) *Tensor {
	if t.dtype == Float64 {
		return global.fillWith(newTensor(Float64, t.shape), global.uniform)
	}
	return global.Rand(t.shape...)
}

// RandnLike returns normal values with t's shape and dtype.
func RandnLike(t *Tensor) *Tensor {
	needFloat("RandnLike", t)
	return global.fillWith(newTensor(t.dtype, t.shape), global.normal)
}

// Randn64 returns float64 standard normal values from the global generator.
func Randn64(shape ...int) *Tensor {
	checkNew("Randn64", Float64, shape)
	return global.fillWith(newTensor(Float64, shape), global.normal)
}

// Rand64 returns float64 values uniform in [0, 1) from the global generator.
func Rand64(shape ...int) *Tensor {
	checkNew("Rand64", Float64, shape)
	return global.fillWith(newTensor(Float64, shape), global.uniform)
}
