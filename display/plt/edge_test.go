package plt

import (
	"math"
	"testing"
)

// Odd but legal data must draw without panicking, in PNG and SVG.
func TestEdgeCasesRender(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := map[string]func(){
		"single point":     func() { Plot([]float64{3}, []float64{4}, "o") },
		"constant":         func() { PlotY([]float64{2, 2, 2}, "") },
		"zeros":            func() { PlotY([]float64{0, 0}, "") },
		"all NaN":          func() { PlotY([]float64{nan, nan}, "") },
		"Inf":              func() { PlotY([]float64{1, inf, -inf, 2}, "") },
		"huge":             func() { PlotY([]float64{-1e300, 1e300}, "") },
		"tiny":             func() { PlotY([]float64{1e-300, 2e-300}, "") },
		"tiny range":       func() { PlotY([]float64{1, 1 + 1e-15}, "") },
		"log non-positive": func() { PlotY([]float64{-1, 0}, ""); YScale("log"); XScale("log") },
		"log scatter":      func() { Scatter([]float64{1, 10, 100}, []float64{0, 1, 2}); XScale("log") },
		"flipped limits":   func() { PlotY([]float64{1, 2, 3}, ""); XLim(3, 0); YLim(4, 0) },
		"NaN grid":         func() { Contour([]float64{0, 1}, []float64{0, 1}, [][]float64{{nan, nan}, {nan, nan}}) },
		"flat grid":        func() { Contour([]float64{0, 1}, []float64{0, 1}, [][]float64{{1, 1}, {1, 1}}) },
		"imshow NaN":       func() { Imshow([][]float64{{nan, 1}, {2, inf}}); Colorbar() },
		"imshow constant":  func() { Imshow([][]float64{{1}}); Colorbar() },
		"3-D single point": func() { Scatter3D([]float64{1}, []float64{1}, []float64{1}) },
		"3-D NaN":          func() { Plot3D([]float64{1, nan, 3}, []float64{1, 2, 3}, []float64{nan, nan, nan}, "") },
		"hist constant":    func() { Hist([]float64{5, 5, 5}, 0) },
		"legend no labels": func() { PlotY([]float64{1, 2}, ""); Legend() },
		"long legend": func() {
			PlotY([]float64{1, 2}, "", Label("a very long label that is wider than the axes are, really very long indeed"))
			Legend()
		},
		"math label":    func() { PlotY([]float64{1, 2}, ""); Title(`$\alpha_{t}^{2$ broken {`); XLabel("$") },
		"tiny figure":   func() { Figure(1, 1, 10); PlotY([]float64{1, 2}, ""); Title("t"); XLabel("x"); YLabel("y") },
		"many subplots": func() { axs := Subplots(5, 5); axs[24].Plot(nil, []float64{1, 2}, "") },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			CloseAll()
			f()
			fig := Gcf()
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("rendering panicked: %v", r)
				}
			}()
			fig.PNG(1)
			fig.SVG()
		})
	}
	CloseAll()
}
