package plt

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// outDir is where the figures go for a human to look at (/tmp/plots).
func outDir(t *testing.T) string {
	d := os.Getenv("PLT_OUT")
	if d == "" {
		d = filepath.Join(os.TempDir(), "plots")
	}
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

func arange(lo, hi, step float64) []float64 {
	var out []float64
	for x := lo; x < hi-1e-9; x += step {
		out = append(out, x)
	}
	return out
}

func mapf(xs []float64, f func(float64) float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// finish renders the current figure, saves it, checks it and closes it.
func finish(t *testing.T, name string) image.Image {
	t.Helper()
	f := Gcf()
	data := f.PNG(1)
	if err := os.WriteFile(filepath.Join(outDir(t), name+".png"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: PNG does not decode: %v", name, err)
	}
	wantW, wantH := int(f.Width*f.DPI+0.5), int(f.Height*f.DPI+0.5)
	if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
		t.Errorf("%s: image is %dx%d, want %dx%d", name, b.Dx(), b.Dy(), wantW, wantH)
	}
	if n := countNonWhite(img); n < wantW*wantH/200 {
		t.Errorf("%s: image is nearly blank (%d drawn pixels)", name, n)
	}
	Close()
	return img
}

func countNonWhite(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				n++
			}
		}
	}
	return n
}

// countColor counts pixels close to c.
func countColor(img image.Image, c color.Color) int {
	cr, cg, cb, _ := c.RGBA()
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if absDiff(r, cr) < 0x1800 && absDiff(g, cg) < 0x1800 && absDiff(bl, cb) < 0x1800 {
				n++
			}
		}
	}
	return n
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func TestTutorialPlots(t *testing.T) {
	CloseAll()
	// 004b: the curve and the descent path as red dashes and dots.
	x := arange(-10, 10, 0.1)
	Plot(x, mapf(x, func(v float64) float64 { return v*v + 4*v + 1 }), "b-")
	var xs, ys []float64
	v := -10.0
	for i := 0; i < 20; i++ {
		xs = append(xs, v)
		ys = append(ys, v*v+4*v+1)
		v -= 0.9 * (2*v + 4)
	}
	Plot(xs, ys, "r--")
	Scatter(xs, ys, S(50), Color("r"))
	img := finish(t, "004b_1d")
	if countColor(img, color.RGBA{0, 0, 255, 255}) < 100 || countColor(img, color.RGBA{255, 0, 0, 255}) < 100 {
		t.Error("004b_1d: blue curve or red path missing")
	}

	// 002: function and tangent with a legend.
	x = arange(0, 3, 0.1)
	Plot(x, mapf(x, func(v float64) float64 { return 3*v*v - 4*v }), "-", Label("f(x)"))
	Plot(x, mapf(x, func(v float64) float64 { return 2*v - 3 }), "m--", Label("Tangent line (x=1)"))
	XLabel("x")
	YLabel("f(x)")
	Grid(true)
	Legend()
	finish(t, "002_tangent")

	// 004c: six loss curves with a legend.
	Figure(0, 0, 0)
	names := []string{"SGD", "Momentum", "Adagrad", "RMSprop", "Adadelta", "Adam"}
	for k, n := range names {
		l := make([]float64, 50)
		for i := range l {
			l[i] = 0.92 + (1.5-0.1*float64(k))*math.Exp(-float64(i)/float64(2+3*k))
		}
		if n == "Adadelta" {
			for i := range l {
				l[i] = 2.3 - 0.009*float64(i)
			}
		}
		PlotY(l, "", Label(n))
	}
	Legend()
	XLabel("Epochs")
	YLabel("Loss")
	img = finish(t, "004c_six")
	for i := 0; i < 6; i++ {
		if countColor(img, tab10[i]) < 50 {
			t.Errorf("004c: series colour C%d missing", i)
		}
	}

	// 003: the loss curve with theta markers, one hollow.
	Figure(5, 3, 80)
	pts := []float64{12.1, 12.8, 14.9, 16.3, 17.2}
	mse := func(th float64) float64 {
		s := 0.0
		for _, p := range pts {
			s += (p - th) * (p - th)
		}
		return s / 5
	}
	th := arange(11, 18.01, 0.05)
	Plot(th, mapf(th, mse), "")
	XLim(11, 18)
	Title("mse")
	XLabel(`$ \theta $`)
	YLabel("Loss")
	Scatter([]float64{13.6}, []float64{mse(13.6)}, S(200), FaceColor("none"), EdgeColor("green"), EdgeWidth(2))
	Scatter([]float64{14.2}, []float64{mse(14.2)}, S(200), Color("green"))
	finish(t, "003_step")

	// 004a: a wide loss curve with a y limit.
	Figure(12, 4, 60)
	loss := make([]float64, 1000)
	for i := range loss {
		loss[i] = 3 + 12*math.Exp(-float64(i)/80) + 0.5*math.Sin(float64(i))
	}
	PlotY(loss, "")
	YLim(0, 15)
	XLabel("Epoch")
	YLabel("Loss")
	Title("Batch")
	finish(t, "004a_loss")

	// Extras: histogram, bars, reference lines, text.
	Figure(0, 0, 0)
	var data []float64
	for i := 0; i < 2000; i++ {
		u := float64(i)/2000 + 0.0001
		data = append(data, math.Sqrt(-2*math.Log(u))*math.Cos(2*math.Pi*float64(i*7919%2000)/2000))
	}
	counts := Hist(data, 30, Label("samples"), Alpha(0.7))
	if len(counts) != 30 {
		t.Errorf("Hist returned %d counts", len(counts))
	}
	AxVLine(0, "k--", Label("mean"))
	AxHLine(50, "C3:")
	Text(1.5, 150, "$\\sigma = 1$", FontSize(12))
	Legend()
	finish(t, "hist")

	Bar(nil, []float64{3, 5, 2}, Color("C2"), EdgeColor("k"))
	finish(t, "bar")

	// 004d: train and test, and a log-scale schedule.
	Figure(8, 4, 0)
	lr := make([]float64, 100)
	for i := range lr {
		lr[i] = 0.1 * math.Pow(0.95, float64(i))
	}
	PlotY(lr, "", Label("ExponentialLR"))
	YScale("log")
	Title("schedules")
	Legend()
	finish(t, "004d_log")
}
