package plt

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/gradlab/gradlab/display"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

type shown struct {
	b      display.Bundle
	md     map[string]any
	id     string
	update bool
}

type sink struct{ got []shown }

func (s *sink) Display(b display.Bundle, md map[string]any, id string, update bool) {
	s.got = append(s.got, shown{b, md, id, update})
}
func (s *sink) ClearOutput(bool) {}

func withSink(t *testing.T) *sink {
	t.Helper()
	CloseAll()
	s := &sink{}
	old := display.SetSink(s)
	t.Cleanup(func() { display.SetSink(old); CloseAll() })
	return s
}

func decodePNG(t *testing.T, b display.Bundle) (w, h int) {
	t.Helper()
	data, ok := b["image/png"].([]byte)
	if !ok {
		t.Fatalf("bundle has no image/png: %v", keys(b))
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("image/png does not decode: %v", err)
	}
	return img.Bounds().Dx(), img.Bounds().Dy()
}

func keys(b display.Bundle) []string {
	var k []string
	for m := range b {
		k = append(k, m)
	}
	return k
}

func TestInlineFigureShowsOnceAtCellEnd(t *testing.T) {
	s := withSink(t)
	Plot([]float64{1, 2, 3}, []float64{1, 4, 9}, "r--o", Label("squares"))
	Legend()
	if len(s.got) != 0 {
		t.Fatal("figure shown before the cell ended")
	}
	display.EndCell()
	if len(s.got) != 1 {
		t.Fatalf("cell end produced %d displays, want 1", len(s.got))
	}
	d := s.got[0]
	w, h := decodePNG(t, d.b)
	if w != 1280 || h != 960 {
		t.Errorf("inline PNG is %dx%d, want 1280x960 (2x of 640x480)", w, h)
	}
	md, _ := d.md["image/png"].(map[string]any)
	if md["width"] != 640 || md["height"] != 480 {
		t.Errorf("metadata %v, want the logical size 640x480", d.md)
	}
	if !strings.Contains(d.b["text/plain"].(string), "Figure size 640x480 with 1 Axes") {
		t.Errorf("text/plain %q", d.b["text/plain"])
	}
	display.EndCell()
	if len(s.got) != 1 {
		t.Error("the figure was shown again by the next cell: it was not closed")
	}
}

func TestShowDisplaysNowAndCloses(t *testing.T) {
	s := withSink(t)
	Figure(4, 3, 50)
	PlotY([]int{3, 1, 2}, "")
	Show()
	if len(s.got) != 1 {
		t.Fatalf("Show produced %d displays", len(s.got))
	}
	if w, h := decodePNG(t, s.got[0].b); w != 400 || h != 300 {
		t.Errorf("PNG %dx%d, want 400x300 (4x3 in at 50 dpi, 2x)", w, h)
	}
	display.EndCell()
	if len(s.got) != 1 {
		t.Error("a shown figure was shown again at cell end")
	}
}

func TestEmptyFigureNotShown(t *testing.T) {
	s := withSink(t)
	Figure(0, 0, 0)
	display.EndCell()
	func() { // a cell whose only Plot call panics shows no empty axes
		defer func() { recover() }()
		Plot([]float64{1}, []float64{1, 2}, "")
	}()
	display.EndCell()
	if len(s.got) != 0 {
		t.Errorf("an empty figure was shown: %v", s.got)
	}
}

func TestSVGFormatHasLegendText(t *testing.T) {
	s := withSink(t)
	SetFormat("svg")
	defer SetFormat("retina")
	Plot(nil, []float64{1, 2, 3}, "", Label("train loss"))
	Plot(nil, []float64{3, 2, 1}, "", Label("test <loss>"))
	Legend()
	Title("Losses")
	display.EndCell()
	if len(s.got) != 1 {
		t.Fatalf("%d displays", len(s.got))
	}
	svg, _ := s.got[0].b["image/svg+xml"].(string)
	for _, want := range []string{"<svg", "train loss", "test &lt;loss&gt;", "Losses", "sans-serif"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if _, ok := s.got[0].b["image/png"]; ok {
		t.Error("SVG format also rendered a PNG")
	}
}

func TestGonumPlotDisplays(t *testing.T) {
	s := withSink(t)
	p := plot.New()
	p.Title.Text = "made with gonum"
	l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		t.Fatal(err)
	}
	p.Add(l)
	display.Display(p)
	if len(s.got) != 1 {
		t.Fatalf("%d displays", len(s.got))
	}
	if w, _ := decodePNG(t, s.got[0].b); w != 1280 {
		t.Errorf("gonum plot PNG width %d, want 1280", w)
	}
	if md, _ := s.got[0].md["image/png"].(map[string]any); md["width"] != 640 {
		t.Errorf("metadata %v", s.got[0].md)
	}
	if w, _ := decodePNG(t, Bundle(p)); w != 1280 {
		t.Errorf("Bundle(p) width %d", w)
	}
}

type tensor struct {
	v     []float64
	shape []int
}

func (t tensor) Float64s() []float64 { return append([]float64(nil), t.v...) }
func (t tensor) Shape() []int        { return t.shape }

func TestInputs(t *testing.T) {
	want := []float64{1, 2, 3}
	for name, v := range map[string]any{
		"[]float64": []float64{1, 2, 3}, "[]float32": []float32{1, 2, 3}, "[]int": []int{1, 2, 3},
		"[]int64": []int64{1, 2, 3}, "tensor": tensor{v: want, shape: []int{3}}, "[3]float64": [3]float64{1, 2, 3},
		"[]any": []any{1, 2.0, float32(3)},
	} {
		got := toFloats("test", v)
		if len(got) != 3 || got[0] != 1 || got[2] != 3 {
			t.Errorf("%s: got %v", name, got)
		}
	}
	r, c, d := toGrid("test", tensor{v: []float64{1, 2, 3, 4, 5, 6}, shape: []int{2, 3}})
	if r != 2 || c != 3 || d[5] != 6 {
		t.Errorf("tensor grid: %d %d %v", r, c, d)
	}
	r, c, _ = toGrid("test", [][]float32{{1, 2}, {3, 4}, {5, 6}})
	if r != 3 || c != 2 {
		t.Errorf("[][]float32 grid: %d x %d", r, c)
	}
}

func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		s, _ := r.(string)
		if !strings.Contains(s, want) {
			t.Errorf("panic %v, want a message containing %q", r, want)
		}
	}()
	f()
}

func TestBadInputPanicsClearly(t *testing.T) {
	withSink(t)
	mustPanic(t, "xs has 2 values but ys has 3", func() { Plot([]float64{1, 2}, []float64{1, 2, 3}, "") })
	mustPanic(t, "cannot read format string", func() { Plot(nil, []float64{1}, "r-q") })
	mustPanic(t, "unknown colour", func() { Color("blurple") })
	mustPanic(t, "cannot use string as data", func() { Plot(nil, "abc", "") })
	mustPanic(t, "data is nil", func() { Scatter([]float64{1}, nil) })
	mustPanic(t, "grid is ragged", func() { Imshow([][]float64{{1, 2}, {3}}) })
	mustPanic(t, "want len(Y) rows of len(X)", func() { Contour([]float64{1, 2}, []float64{1, 2}, [][]float64{{1, 2, 3}, {4, 5, 6}}) })
	mustPanic(t, "they must match", func() {
		Contour([][]float64{{1, 2}, {1, 2}}, [][]float64{{1, 2}, {1, 2}}, [][]float64{{1, 2, 3}, {4, 5, 6}})
	})
	mustPanic(t, "unknown location", func() { Legend("top") })
	mustPanic(t, "unknown scale", func() { XScale("symlog") })
	mustPanic(t, "unknown colour map", func() { Cmap("nope") })
	mustPanic(t, "limits must be finite", func() { XLim(1, 1) })
	mustPanic(t, "too small", func() { Figure(3, 2, 0.4) })
	mustPanic(t, "too small", func() { Figure(math.NaN(), 2, 100) })
	mustPanic(t, "too large", func() { Figure(300, 2, 100) })
	mustPanic(t, "Savefig: cannot tell the format", func() { Savefig("/tmp/x.bmp") })
	mustPanic(t, "nothing colour-mapped", func() { Colorbar() })
	mustPanic(t, "2 labels for 3 ticks", func() { XTicks([]float64{0, 1, 2}, []string{"a", "b"}) })
	mustPanic(t, "ticks must be finite", func() { YTicks([]float64{0, math.NaN()}, nil) })
	mustPanic(t, `unknown setting "of"`, func() { Axis("of") })
	mustPanic(t, `unknown origin "top"`, func() { Origin("top") })
	mustPanic(t, "is empty", func() { Extent(0, 0, 1, 2) })
	mustPanic(t, "the grid is empty", func() { Imshow([]float64{}) })
	mustPanic(t, "want a square matrix", func() { ConfusionMatrix([][]float64{{1, 2, 3}, {4, 5, 6}}, nil) })
	mustPanic(t, "3 labels for 2 classes", func() { ConfusionMatrix([][]float64{{1, 2}, {3, 4}}, []string{"a", "b", "c"}) })
	mustPanic(t, "want a 2-D grid (or one channel", func() { Imshow(tensor{v: make([]float64, 12), shape: []int{3, 2, 2}}) })
	mustPanic(t, "at least 2 level values", func() {
		Contourf([]float64{0, 1}, []float64{0, 1}, [][]float64{{0, 1}, {1, 2}}, LevelValues([]float64{1}))
	})
}

func TestNaNLeavesGapsAndANote(t *testing.T) {
	s := withSink(t)
	ys := []float64{1, 2, math.NaN(), 4, math.Inf(1), 6}
	Plot(nil, ys, "o-")
	a := Gca()
	if len(a.notes) != 1 || !strings.Contains(a.notes[0], "2 of 6 points are NaN or Inf") {
		t.Errorf("notes %v", a.notes)
	}
	x0, x1, y0, y1 := a.limits()
	if !(x0 < 0 && x1 > 5 && y0 < 1 && y1 > 6 && y1 < 7) {
		t.Errorf("limits %v %v %v %v ignore NaN/Inf badly", x0, x1, y0, y1)
	}
	display.EndCell()
	if len(s.got) != 1 {
		t.Fatal("figure with NaN not shown")
	}
	decodePNG(t, s.got[0].b)

	// All NaN, and log axes with non-positive values: still a figure.
	Plot(nil, []float64{math.NaN(), math.NaN()}, "")
	Figure(0, 0, 0)
	Plot(nil, []float64{-1, 0, 1, 10}, "")
	YScale("log")
	display.EndCell()
	if len(s.got) != 3 {
		t.Fatalf("got %d displays, want 3", len(s.got))
	}
}

func TestFormatStrings(t *testing.T) {
	f := parseFormat("t", "r--o")
	if f.color != letterColors['r'] || f.lineStyle != "--" || f.marker != 'o' {
		t.Errorf("r--o: %+v", f)
	}
	f = parseFormat("t", "C3:")
	if f.color != tab10[3] || f.lineStyle != ":" || f.marker != 0 {
		t.Errorf("C3: : %+v", f)
	}
	if f = parseFormat("t", "o"); f.lineStyle != "" || f.marker != 'o' {
		t.Errorf("o alone must mean markers only: %+v", f)
	}
	if f = parseFormat("t", "g-."); f.lineStyle != "-." || f.color != letterColors['g'] {
		t.Errorf("g-.: %+v", f)
	}
	if f = parseFormat("t", ""); f.lineStyle != "-" || f.hasColor {
		t.Errorf("empty format: %+v", f)
	}
}

func TestColourCycle(t *testing.T) {
	withSink(t)
	PlotY([]float64{1, 2}, "")
	PlotY([]float64{1, 2}, "r-") // explicit colours do not advance the cycle
	PlotY([]float64{1, 2}, "")
	a := Gca()
	if a.artists[0].(*lineArtist).col != tab10[0] || a.artists[2].(*lineArtist).col != tab10[1] {
		t.Errorf("cycle: got %v and %v", a.artists[0].(*lineArtist).col, a.artists[2].(*lineArtist).col)
	}
}

func TestNiceTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		n      int
		want   string
	}{
		{-11, 11, 9, "−10.0 −7.5 −5.0 −2.5 0.0 2.5 5.0 7.5 10.0"},
		{0.9, 2.35, 9, "1.0 1.2 1.4 1.6 1.8 2.0 2.2"},
		{-2.45, 51.45, 9, "0 10 20 30 40 50"},
		{0, 1e-4, 5, "0 2e−05 4e−05 6e−05 8e−05 0.0001"},
	}
	for _, c := range cases {
		ticks, step := niceTicks(c.lo, c.hi, c.n)
		var labels []string
		for _, v := range ticks {
			labels = append(labels, tickLabel(v, step))
		}
		if got := strings.Join(labels, " "); got != c.want {
			t.Errorf("ticks(%g, %g): %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
}

func TestLegendBestAvoidsData(t *testing.T) {
	withSink(t)
	// Data fills the upper right and lower left: the legend must go
	// elsewhere than matplotlib's first choice, upper right.
	xs := arange(0, 10, 0.1)
	Plot(xs, xs, "", Label("diagonal"))
	Scatter([]float64{9, 9.5, 8.5}, []float64{9.5, 9, 9}, Label("corner"))
	a := Gca()
	c := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: 400, Y: 300}}}
	x0, x1, y0, y1 := a.limits()
	tf := &xform{
		x: func(v float64) vg.Length { return vg.Length((v - x0) / (x1 - x0) * 400) },
		y: func(v float64) vg.Length { return vg.Length((v - y0) / (y1 - y0) * 300) },
	}
	loc := bestLoc(&c, tf, a.artists, 90, 40)
	if loc != "upper left" && loc != "lower right" {
		t.Errorf("best legend location %q covers data", loc)
	}
}

func TestMathText(t *testing.T) {
	seg := segments(`loss $\theta^{-2}$ x`)
	if len(seg) != 3 || seg[0].s != "loss θ" || seg[1].s != "−2" || seg[1].shift != 1 || seg[2].s != " x" {
		t.Errorf("segments: %+v", seg)
	}
}

func TestSubplotSelection(t *testing.T) {
	withSink(t)
	axs := Subplots(2, 2)
	if len(axs) != 4 || Gca() != axs[0] {
		t.Fatal("Subplots: wrong axes or current axes")
	}
	Sca(axs[3])
	Plot(nil, []float64{1, 2}, "")
	if len(axs[3].artists) != 1 || len(axs[0].artists) != 0 {
		t.Error("Sca did not select the axes Plot draws on")
	}
	if a := Subplot(2, 2, 2); a != axs[1] || Gca() != axs[1] {
		t.Error("Subplot(2, 2, 2) did not select the second axes")
	}
}

func TestSavefig(t *testing.T) {
	withSink(t)
	Figure(3, 2, 100)
	Plot(nil, []float64{1, 3, 2}, "k:")
	dir := t.TempDir()
	Savefig(dir + "/f.png")
	Savefig(dir + "/f.svg")
	Savefig(dir + "/f.pdf")
}

func TestFigureAsCellValueShowsOnce(t *testing.T) {
	s := withSink(t)
	// The hook runs before the cell's value is shown.
	f := Figure(2, 2, 50)
	PlotY([]float64{1, 2}, "")
	display.EndCell()
	b, _ := display.Format(f)
	if _, ok := b["image/png"]; ok || len(s.got) != 1 {
		t.Errorf("a figure shown at cell end and returned as the value shows twice")
	}
	// In a later cell, the value shows the figure again.
	display.EndCell()
	b, md := display.Format(f)
	if _, ok := b["image/png"]; !ok || md == nil {
		t.Errorf("a figure from an earlier cell does not show as a value: %v", keys(b))
	}
	// Displayed explicitly during a cell: not shown again at its end.
	g := Figure(2, 2, 50)
	PlotY([]float64{1, 2}, "")
	display.Display(g)
	display.EndCell()
	if len(s.got) != 2 {
		t.Errorf("%d displays, want 2 (explicit display only)", len(s.got))
	}
}
