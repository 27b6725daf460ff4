package plt

import (
	"image/color"
	"math"
	"testing"
)

// descent2D is the 2-D descent on x^2 + 2y^2 from (-10, -10), lr 0.1.
func descent2D() (xs, ys, zs []float64) {
	x, y := -10.0, -10.0
	for i := 0; i < 100; i++ {
		xs, ys, zs = append(xs, x), append(ys, y), append(zs, x*x+2*y*y)
		x, y = x-0.1*2*x, y-0.1*4*y
	}
	return
}

// meshIJ returns X, Y, Z as meshgrid(indexing="ij") of f.
func meshIJ(v []float64, f func(x, y float64) float64) (X, Y, Z [][]float64) {
	for _, a := range v {
		var xr, yr, zr []float64
		for _, b := range v {
			xr, yr, zr = append(xr, a), append(yr, b), append(zr, f(a, b))
		}
		X, Y, Z = append(X, xr), append(Y, yr), append(Z, zr)
	}
	return
}

func TestTutorialPlots3DAndContour(t *testing.T) {
	CloseAll()
	xs, ys, zs := descent2D()
	Plot3D(xs, ys, zs, "r-", Label("path"))
	Scatter3D(xs, ys, zs, S(50), Color("r"))
	Legend()
	img := finish(t, "004b_3d")
	if countColor(img, color.RGBA{255, 0, 0, 255}) < 100 {
		t.Error("3-D path not drawn in red")
	}

	v := arange(-10, 10, 0.1)
	X, Y, Z := meshIJ(v, func(x, y float64) float64 { return x*x + 2*y*y })
	Contour(X, Y, Z, Levels(30))
	Plot(xs, ys, "r-")
	Scatter(xs, ys, S(50), Color("r"))
	img = finish(t, "004b_2d")
	if countColor(img, color.RGBA{0xfd, 0xe7, 0x25, 255}) < 10 || countColor(img, color.RGBA{255, 0, 0, 255}) < 100 {
		t.Error("contour (viridis yellow) or red path missing")
	}

	// A surface with a colour bar, and an image with one.
	Figure(0, 0, 0)
	s := arange(-3, 3.01, 0.25)
	X, Y, Z = meshIJ(s, func(x, y float64) float64 { return math.Sin(x) * math.Cos(y) })
	Surface(X, Y, Z, Cmap("coolwarm"))
	Colorbar()
	Title("surface")
	XLabel("x")
	YLabel("y")
	ZLabel("z")
	finish(t, "surface3d")

	var grid [][]float64
	for i := 0; i < 8; i++ {
		var row []float64
		for j := 0; j < 12; j++ {
			row = append(row, float64(i*j))
		}
		grid = append(grid, row)
	}
	Imshow(grid)
	Colorbar()
	Title("imshow")
	finish(t, "imshow")

	// Subplots with a scatter coloured by value.
	axs := Subplots(1, 2)
	axs[0].Plot(nil, []float64{3, 1, 2}, "g-.", Label("a"))
	axs[0].Legend("lower left")
	axs[0].SetTitle("left")
	vals := arange(0, 50, 1)
	axs[1].Scatter(vals, mapf(vals, math.Sqrt), Values(vals), Cmap("plasma"), Sizes(mapf(vals, func(x float64) float64 { return 10 + 4*x })))
	axs[1].Colorbar()
	axs[1].SetTitle("right")
	finish(t, "subplots")
}
