package plt

import (
	"bytes"
	"math"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

func line200(w, h, dpi float64) *Fig {
	f := &Fig{Width: w, Height: h, DPI: dpi, rows: 1, cols: 1}
	a := f.Gca()
	xs := make([]float64, 200)
	ys := make([]float64, 200)
	for i := range xs {
		xs[i] = float64(i) / 20
		ys[i] = math.Sin(xs[i]) * math.Exp(-xs[i]/5)
	}
	a.Plot(xs, ys, "", Label("damped"))
	a.SetXLabel("t")
	a.SetYLabel("y")
	a.SetTitle("200 points")
	a.Legend()
	return f
}

// The yardstick: 6x4 in at 96 dpi, as gonum/plot's Save.
func BenchmarkLine200PNG(b *testing.B) {
	f := line200(6, 4, 96)
	for i := 0; i < b.N; i++ {
		f.PNG(1)
	}
}

// What a notebook gets by default: 6.4x4.8 in at 100 dpi, rendered 2x.
func BenchmarkLine200PNGInline(b *testing.B) {
	f := line200(defaultW, defaultH, defaultDPI)
	for i := 0; i < b.N; i++ {
		f.PNG(2)
	}
}

func BenchmarkLine200SVG(b *testing.B) {
	f := line200(6, 4, 96)
	for i := 0; i < b.N; i++ {
		_ = f.SVG()
	}
}

// Plain gonum/plot for comparison (default PNG compression).
func BenchmarkGonumLine200PNG(b *testing.B) {
	xy := make(plotter.XYs, 200)
	for i := range xy {
		xy[i].X = float64(i) / 20
		xy[i].Y = math.Sin(xy[i].X) * math.Exp(-xy[i].X/5)
	}
	for i := 0; i < b.N; i++ {
		p := plot.New()
		l, _ := plotter.NewLine(xy)
		p.Add(l)
		wt, _ := p.WriterTo(6*vg.Inch, 4*vg.Inch, "png")
		var buf bytes.Buffer
		wt.WriteTo(&buf)
	}
}

// The tutorial's contour: a 200x200 grid, 30 levels, with the path; inline PNG.
func BenchmarkContour200Inline(b *testing.B) {
	v := arange(-10, 10, 0.1)
	X, Y, Z := meshIJ(v, func(x, y float64) float64 { return x*x + 2*y*y })
	xs, ys, _ := descent2D()
	f := &Fig{Width: defaultW, Height: defaultH, DPI: defaultDPI, rows: 1, cols: 1}
	a := f.Gca()
	a.Contour(X, Y, Z, Levels(30))
	a.Plot(xs, ys, "r-")
	a.Scatter(xs, ys, S(50), Color("r"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.PNG(2)
	}
}

// A decision surface as a classification notebook draws it: Contourf of
// a 200x200 grid with 10 bands, inline (2x).
func BenchmarkContourf200Inline(b *testing.B) {
	f := &Fig{Width: defaultW, Height: defaultH, DPI: defaultDPI, rows: 1, cols: 1}
	v := make([]float64, 200)
	for i := range v {
		v[i] = -3 + 6*float64(i)/199
	}
	z := make([][]float64, len(v))
	for j, y := range v {
		for _, x := range v {
			z[j] = append(z[j], math.Sin(x)+math.Cos(y))
		}
	}
	f.Gca().Contourf(v, v, z, Levels(10))
	for b.Loop() {
		f.PNG(2)
	}
}
