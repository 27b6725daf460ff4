package plt

import (
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The figures a classification notebook draws: images in a grid, heat
// maps with numbers, filled contours of a decision surface, tick labels,
// log axes over a narrow range, and empty data.

// centroidY is the mean row of the pixels close to c, as a fraction of
// the image height (0 top, 1 bottom); NaN when there are none.
func centroidY(img image.Image, c color.Color) float64 {
	cr, cg, cb, _ := c.RGBA()
	b := img.Bounds()
	sum, n := 0.0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if absDiff(r, cr) < 0x1800 && absDiff(g, cg) < 0x1800 && absDiff(bl, cb) < 0x1800 {
				sum += float64(y - b.Min.Y)
				n++
			}
		}
	}
	return sum / float64(n) / float64(b.Dy())
}

var black, white = color.RGBA{0, 0, 0, 255}, color.RGBA{255, 255, 255, 255}

func TestImshowOriginPutsRowZeroAtTopOrBottom(t *testing.T) {
	CloseAll()
	// Row 0 black, row 1 white, on axes without frame or ticks.
	rows := [][]float64{{0, 0, 0}, {1, 1, 1}}
	for _, tc := range []struct {
		name  string
		opts  []Option
		upper bool
	}{
		{"upper", nil, true},
		{"lower", []Option{Origin("lower")}, false},
		{"extent upper", []Option{Extent(-3, 3, -1, 1)}, true},
		{"extent lower", []Option{Extent(-3, 3, -1, 1), Origin("lower")}, false},
		// An extent whose bottom is above its top turns the axis down (as
		// the default one does); row 0 follows the top edge, or the bottom
		// one with Origin("lower").
		{"extent turned upper", []Option{Extent(0, 3, 2, 0)}, true},
		{"extent turned lower", []Option{Extent(0, 3, 2, 0), Origin("lower")}, false},
	} {
		Imshow(rows, append([]Option{Cmap("gray")}, tc.opts...)...)
		Axis("off")
		img := finish(t, "imshow_origin_"+strings.ReplaceAll(tc.name, " ", "_"))
		dark := centroidY(img, black)
		if math.IsNaN(dark) {
			t.Fatalf("%s: no black row drawn", tc.name)
		}
		if got := dark < 0.5; got != tc.upper {
			t.Errorf("%s: the black row 0 is centred at %.2f of the height; want it in the %s half", tc.name, dark, map[bool]string{true: "upper", false: "lower"}[tc.upper])
		}
	}
}

func TestImshowExtentSetsTheLimits(t *testing.T) {
	CloseAll()
	Imshow([][]float64{{1, 2}, {3, 4}}, Extent(-3, 3, 10, 20))
	if x0, x1, y0, y1 := Gca().limits(); x0 != -3 || x1 != 3 || y0 != 10 || y1 != 20 {
		t.Errorf("limits %g %g %g %g, want the extent -3 3 10 20 with no margins", x0, x1, y0, y1)
	}
	finish(t, "imshow_extent")
	// Without an extent the cells are centred on 0..n-1.
	Imshow([][]float64{{1, 2, 3}})
	if x0, x1, y0, y1 := Gca().limits(); x0 != -0.5 || x1 != 2.5 || y0 != -0.5 || y1 != 0.5 {
		t.Errorf("limits %g %g %g %g, want -0.5 2.5 -0.5 0.5", x0, x1, y0, y1)
	}
	Close()
}

func TestImshowTakesOneChannelImages(t *testing.T) {
	CloseAll()
	v := make([]float64, 4*3)
	v[0] = 1
	for _, shape := range [][]int{{1, 4, 3}, {4, 3, 1}} {
		Imshow(tensor{v: v, shape: shape}, Cmap("gray"))
		im := Gca().artists[0].(*imageArtist)
		if im.rows != 4 || im.cols != 3 {
			t.Errorf("shape %v shown as %dx%d, want 4x3", shape, im.rows, im.cols)
		}
		Close()
	}
}

func TestAxisOffHidesFrameTicksAndLabels(t *testing.T) {
	CloseAll()
	red := color.RGBA{255, 0, 0, 255}
	draw := func(off bool) image.Image {
		Plot(nil, []float64{1, 3, 2}, "r-")
		XLabel("x")
		if off {
			Axis("off")
		}
		return finish(t, map[bool]string{true: "axis_off", false: "axis_on"}[off])
	}
	on, off := draw(false), draw(true)
	if countColor(on, black) == 0 {
		t.Fatal("with the axis on, no black frame or ticks were drawn")
	}
	if n := countColor(off, black); n != 0 {
		t.Errorf("Axis(\"off\") still drew %d black pixels (frame, ticks or labels)", n)
	}
	if countColor(off, red) == 0 {
		t.Error("Axis(\"off\") hid the data too")
	}
}

// ticksOf builds the axes' gonum plot and returns its x and y tick labels.
func ticksOf(a *Axes) (xs, ys []string) {
	c := draw.New(vgimg.New(vg.Points(400), vg.Points(300)))
	p := a.plot(c)
	label := func(ax *plot.Axis) []string {
		var out []string
		for _, tk := range ax.Tick.Marker.Ticks(ax.Min, ax.Max) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	return label(&p.X), label(&p.Y)
}

func TestXTicksAndYTicksPlaceLabels(t *testing.T) {
	CloseAll()
	Bar(nil, []float64{3, 5, 2}, Color("C0"))
	XTicks([]int{0, 1, 2}, []string{"cat", "dog", "bird"}, Rotation(45))
	YTicks([]float64{0, 2.5, 5}, nil)
	xs, ys := ticksOf(Gca())
	if strings.Join(xs, ",") != "cat,dog,bird" {
		t.Errorf("x tick labels %q, want cat,dog,bird", xs)
	}
	if strings.Join(ys, ",") != "0.0,2.5,5.0" {
		t.Errorf("y tick labels %q, want the values 0.0,2.5,5.0", ys)
	}
	finish(t, "xticks_rotated")
	PlotY([]float64{1, 2}, "")
	XTicks(nil, nil)
	if xs, _ := ticksOf(Gca()); len(xs) != 0 {
		t.Errorf("XTicks(nil, nil) left ticks %q", xs)
	}
	Close()
}

func TestLogAxisUnderOneDecadeHasLabels(t *testing.T) {
	labels := func(lo, hi float64) []string {
		var out []string
		for _, tk := range (logTicker{nbins: 5}).Ticks(lo, hi) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	for _, tc := range []struct {
		lo, hi float64
		want   string
	}{
		{1e-3, 1e3, `$10^{-3}$,$10^{-2}$,$10^{-1}$,$10^{0}$,$10^{1}$,$10^{2}$,$10^{3}$`}, // decades: powers only
		{0.25, 0.9, `$3\times10^{-1}$,$4\times10^{-1}$,$6\times10^{-1}$`},                // under a decade: some minors
		{0.25, 0.55, `$3\times10^{-1}$,$4\times10^{-1}$,$5\times10^{-1}$`},               // under 0.4: all minors
		{1.1, 1.9, `1.2,1.4,1.6,1.8`},                                                    // no minor inside: linear ticks
	} {
		if got := strings.Join(labels(tc.lo, tc.hi), ","); got != tc.want {
			t.Errorf("log ticks over [%g, %g]: %s, want %s", tc.lo, tc.hi, got, tc.want)
		}
	}
	CloseAll()
	// A loss curve between 0.3 and 0.6 on a log axis, drawn.
	Plot(nil, []float64{0.6, 0.45, 0.38, 0.33, 0.31}, "o-")
	YScale("log")
	if _, ys := ticksOf(Gca()); len(ys) < 2 {
		t.Errorf("log y axis over 0.3-0.6 has labels %q, want at least two", ys)
	}
	finish(t, "log_narrow")
}

func TestEmptyDataDrawsNothing(t *testing.T) {
	CloseAll()
	Plot([]float64{}, []float64{}, "r-o")
	Scatter([]int{}, []int{}, Color("r"))
	Bar(nil, []float64{}, Color("r"))
	if counts := Hist([]float64{}, 5, Color("r")); len(counts) != 5 || counts[0] != 0 {
		t.Errorf("Hist of no data: %v, want 5 empty bins", counts)
	}
	Title("empty")
	img := finish(t, "empty")
	if n := countColor(img, color.RGBA{255, 0, 0, 255}); n != 0 {
		t.Errorf("empty data drew %d red pixels", n)
	}
	Plot3D([]float64{}, []float64{}, []float64{}, "r-")
	Scatter3D([]float64{}, []float64{}, []float64{}, Color("r"))
	img = finish(t, "empty3d")
	if n := countColor(img, color.RGBA{255, 0, 0, 255}); n != 0 {
		t.Errorf("empty 3-D data drew %d red pixels", n)
	}
}

func TestContourfFillsEachBand(t *testing.T) {
	CloseAll()
	// z = x on [0, 1]: edges 0, 0.5, 1 give two bands, the left half and
	// the right half, in the colours of 0.25 and 0.75.
	xs := []float64{0, 0.25, 0.5, 0.75, 1}
	z := make([][]float64, len(xs))
	for j := range z {
		z[j] = append([]float64(nil), xs...)
	}
	Contourf(xs, xs, z, LevelValues([]float64{0, 0.5, 1}), Cmap("gray"))
	Axis("off")
	img := finish(t, "contourf_bands")
	lo, hi := cmaps["gray"].at(0.25), cmaps["gray"].at(0.75)
	nlo, nhi := countColor(img, lo), countColor(img, hi)
	if nlo == 0 || nhi == 0 || math.Abs(float64(nlo-nhi)) > 0.05*float64(nlo+nhi) {
		t.Errorf("band pixels %d (low) and %d (high), want two equal halves", nlo, nhi)
	}

	// A grid whose values cross band edges inside cells: every band has
	// pixels, and its area follows the data (z = x*y: the top band is the
	// smallest).
	v := arange(-1, 1.01, 0.1)
	Z := make([][]float64, len(v))
	for j, y := range v {
		for _, x := range v {
			Z[j] = append(Z[j], x*y)
		}
	}
	Contourf(v, v, Z, Levels(4), Cmap("gray"))
	k := Gca().artists[0].(*contourfArtist)
	if k.levels[0] > -1 || k.levels[len(k.levels)-1] < 1 {
		t.Errorf("levels %v do not span the data [-1, 1]", k.levels)
	}
	Colorbar()
	finish(t, "contourf_saddle")

	// The tutorial's decision surface: contour lines over filled bands.
	X, Y, ZZ := meshIJ(arange(-3, 3, 0.1), func(x, y float64) float64 { return math.Sin(x) + math.Cos(y) })
	Contourf(X, Y, ZZ, Levels(10), Cmap("coolwarm"), Alpha(0.8))
	Contour(X, Y, ZZ, Levels(10), Color("k"), LineWidth(0.5))
	Colorbar()
	Title("Contourf with Contour")
	finish(t, "contourf_surface")
}

func TestConfusionMatrixWritesEachCount(t *testing.T) {
	CloseAll()
	classes := []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}
	cm := make([][]float64, 10)
	for i := range cm {
		cm[i] = make([]float64, 10)
		for j := range cm[i] {
			if i == j {
				cm[i][j] = float64(800 + 17*i)
			} else {
				cm[i][j] = float64((i*7 + j*3) % 23)
			}
		}
	}
	Figure(8, 7, 0)
	ConfusionMatrix(cm, classes)
	Title("Fashion-MNIST test set")
	a := Gca()
	var k *cellText
	for _, ar := range a.artists {
		if c, ok := ar.(*cellText); ok {
			k = c
		}
	}
	if k == nil {
		t.Fatal("no numbers in the cells")
	}
	if k.texts[0] != "800" || k.texts[1] != "3" || k.texts[99] != "953" {
		t.Errorf("cell texts %q %q %q, want 800 3 953", k.texts[0], k.texts[1], k.texts[99])
	}
	// Counts on the dark diagonal are written light, others dark.
	if k.light[0] || !k.light[1] {
		t.Errorf("text colours: diagonal light=%v, off-diagonal light=%v; want a dark cell with light text and the reverse", k.light[0], k.light[1])
	}
	xs, ys := ticksOf(a)
	if len(xs) != 10 || xs[9] != "Ankle boot" || ys[0] != "T-shirt/top" {
		t.Errorf("tick labels x %q y %q, want the class names", xs, ys)
	}
	if a.xticks.rot != 45 {
		t.Errorf("long class names are turned %g degrees, want 45", a.xticks.rot)
	}
	img := finish(t, "confusion_matrix")
	if countColor(img, k.pale) < 100 || countColor(img, k.dark) < 1000 {
		t.Error("confusion matrix: light or dark text missing")
	}
}

func TestImageGridWithTitles(t *testing.T) {
	CloseAll()
	axs := Subplots(3, 4)
	Gcf().Width, Gcf().Height = 8, 6.5
	for i, ax := range axs {
		// A 28x28 "image": a ring whose radius grows with i.
		img := make([]float64, 28*28)
		for y := 0; y < 28; y++ {
			for x := 0; x < 28; x++ {
				r := math.Hypot(float64(x)-13.5, float64(y)-13.5)
				img[y*28+x] = math.Max(0, 1-math.Abs(r-float64(3+i))/2)
			}
		}
		ax.Imshow(tensor{v: img, shape: []int{1, 28, 28}}, Cmap("gray"))
		ax.SetTitle([]string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot", "T-shirt/top", "Bag"}[i])
		ax.Axis("off")
	}
	img := finish(t, "image_grid")
	// Twelve images, each mostly black: the black area is large, the
	// frames are gone (no thin black lines around white tiles).
	if n := countColor(img, black); n < img.Bounds().Dx()*img.Bounds().Dy()/5 {
		t.Errorf("the grid has %d black pixels; the images are missing", n)
	}
}

func TestImshowIsClippedToTheAxes(t *testing.T) {
	CloseAll()
	yellow := color.RGBA{0xfd, 0xe7, 0x25, 255} // viridis at 1
	Imshow([][]float64{{0, 1}})
	img := finish(t, "imshow_two_cells")
	if countColor(img, yellow) == 0 {
		t.Fatal("the yellow cell is not drawn")
	}
	Imshow([][]float64{{0, 1}})
	XLim(-0.5, 0.5) // only the first cell is in view
	if n := countColor(finish(t, "imshow_clipped"), yellow); n != 0 {
		t.Errorf("the cell outside the x limits drew %d pixels", n)
	}
}
