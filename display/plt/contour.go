package plt

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// grid is a rectilinear grid: z at (xs[i], ys[j]).
type grid struct {
	xs, ys []float64
	z      func(i, j int) float64
}

func (g *grid) Dims() (c, r int)   { return len(g.xs), len(g.ys) }
func (g *grid) Z(c, r int) float64 { return g.z(c, r) }
func (g *grid) X(c int) float64    { return g.xs[c] }
func (g *grid) Y(r int) float64    { return g.ys[r] }

// readGrid reads contour input. X and Y may be vectors (len nx, ny; Z has
// ny rows of nx, as matplotlib) or 2-D grids from meshgrid with either
// indexing ("xy": x varies along rows' columns; "ij": x varies down).
func readGrid(fn string, X, Y, Z any) *grid {
	zr, zc, z := toGrid(fn+" Z", Z)
	xr, xc, x := toGrid(fn+" X", X)
	yr, yc, y := toGrid(fn+" Y", Y)
	if zr < 2 || zc < 2 {
		panic(fmt.Sprintf("%s: Z must be a 2-D grid of at least 2x2, got %dx%d", fn, zr, zc))
	}
	if xr == 1 && yr == 1 { // vectors
		if xc != zc || yc != zr {
			panic(fmt.Sprintf("%s: X has %d values and Y %d, but Z is %dx%d (want len(Y) rows of len(X))", fn, xc, yc, zr, zc))
		}
		return &grid{xs: x, ys: y, z: func(i, j int) float64 { return z[j*zc+i] }}
	}
	if xr != zr || xc != zc || yr != zr || yc != zc {
		panic(fmt.Sprintf("%s: X is %dx%d, Y is %dx%d and Z is %dx%d; they must match", fn, xr, xc, yr, yc, zr, zc))
	}
	if x[1] != x[0] { // "xy": x along columns, y down rows
		xs := x[:zc]
		ys := make([]float64, zr)
		for j := range ys {
			ys[j] = y[j*zc]
		}
		return &grid{xs: xs, ys: ys, z: func(i, j int) float64 { return z[j*zc+i] }}
	}
	// "ij": x down rows, y along columns
	xs := make([]float64, zr)
	for i := range xs {
		xs[i] = x[i*zc]
	}
	ys := y[:zc]
	return &grid{xs: xs, ys: ys, z: func(i, j int) float64 { return z[i*zc+j] }}
}

func (g *grid) zRange() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	c, r := g.Dims()
	for i := 0; i < c; i++ {
		for j := 0; j < r; j++ {
			if v := g.z(i, j); finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}

type colorList []color.Color

func (l colorList) Colors() []color.Color { return l }

// contourArtist is a set of contour lines.
type contourArtist struct {
	g      *grid
	levels []float64
	cols   colorList
	width  vg.Length
	lbl    string
	zlo    float64
	zhi    float64
}

func (k *contourArtist) bounds() (float64, float64, float64, float64) {
	x0, x1 := minMax(k.g.xs)
	y0, y1 := minMax(k.g.ys)
	return x0, x1, y0, y1
}
func (k *contourArtist) label() string { return k.lbl }
func (k *contourArtist) sticky() bool  { return true }
func (k *contourArtist) thumb(c *draw.Canvas, r vg.Rectangle) {
	y := (r.Min.Y + r.Max.Y) / 2
	c.StrokeLine2(draw.LineStyle{Color: k.cols[len(k.cols)/2], Width: k.width}, r.Min.X, y, r.Max.X, y)
}

func (k *contourArtist) draw(c *draw.Canvas, t *xform) {
	if len(k.levels) == 0 || !(k.zlo <= k.zhi) || t.xlog || t.ylog {
		return
	}
	ct := plotter.NewContour(k.g, k.levels, k.cols)
	ct.LineStyles = []draw.LineStyle{{Width: k.width}}
	ct.Min, ct.Max = k.zlo, k.zhi
	ct.Plot(*c, t.p)
}

func minMax(v []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if finite(x) {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	return lo, hi
}

// Contour draws contour lines of Z over the grid X, Y (vectors or
// meshgrid-style 2-D grids, tensors or [][]float64). Levels(n) asks for
// about n nicely rounded levels (default 7), LevelValues for given ones;
// lines are coloured by level with Cmap (default viridis), or all one
// Color.
func (a *Axes) Contour(X, Y, Z any, opts ...Option) {
	const fn = "plt.Contour"
	g := readGrid(fn, X, Y, Z)
	o := collect(opts)
	lo, hi := g.zRange()
	if !finite(lo) {
		a.notes = append(a.notes, fn+": Z has no finite values")
	}
	levels := o.levelVals
	if levels == nil && finite(lo) {
		n := 7
		if o.levels > 0 {
			n = o.levels
		}
		ticks, _ := niceTicks(lo, hi, n+1)
		for _, v := range ticks {
			if v > lo && v < hi {
				levels = append(levels, v)
			}
		}
		if len(levels) == 0 {
			levels = []float64{(lo + hi) / 2}
		}
	}
	k := &contourArtist{g: g, levels: levels, width: vg.Points(1.5), lbl: o.label, zlo: lo, zhi: hi}
	if o.lineWidth > 0 {
		k.width = vg.Points(o.lineWidth)
	}
	m := newColorMapped(levels, o)
	for _, l := range levels {
		col := m.color(l)
		if o.hasColor {
			col = o.color
		}
		k.cols = append(k.cols, withAlpha(col, o.alpha))
	}
	if !o.hasColor {
		a.mappable = m
	}
	a.artists = append(a.artists, k)
}

// Contour draws contour lines on the current axes; see Axes.Contour.
func Contour(X, Y, Z any, opts ...Option) { Gca().Contour(X, Y, Z, opts...) }

// imageArtist is an Imshow image: one cell per grid value.
type imageArtist struct {
	rows, cols int
	img        *image.RGBA
}

func (im *imageArtist) bounds() (float64, float64, float64, float64) {
	return -0.5, float64(im.cols) - 0.5, -0.5, float64(im.rows) - 0.5
}
func (im *imageArtist) sticky() bool { return true }

func (im *imageArtist) draw(c *draw.Canvas, t *xform) {
	x0, x1 := t.x(-0.5), t.x(float64(im.cols)-0.5)
	ya, yb := t.y(-0.5), t.y(float64(im.rows)-0.5)
	r := vg.Rectangle{Min: vg.Point{X: min(x0, x1), Y: min(ya, yb)}, Max: vg.Point{X: max(x0, x1), Y: max(ya, yb)}}
	img := image.Image(im.img)
	// Raster canvases smooth scaled images; scale up by whole pixels
	// first so that cells stay crisp squares.
	if d, ok := baseCanvas(c).(interface{ DPI() float64 }); ok {
		k := int(float64(r.Size().X.Dots(d.DPI())) / float64(im.cols))
		if k > 1 {
			img = upscale(im.img, k)
		}
	}
	if ya > yb { // row 0 at the top of the image is at y = -0.5
		c.DrawImage(r, img)
	} else {
		c.DrawImage(r, flipV(img))
	}
}

func upscale(src *image.RGBA, k int) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx()*k, b.Dy()*k))
	for y := 0; y < b.Dy()*k; y++ {
		for x := 0; x < b.Dx()*k; x++ {
			dst.SetRGBA(x, y, src.RGBAAt(x/k, y/k))
		}
	}
	return dst
}

func flipV(src image.Image) image.Image {
	b := src.Bounds()
	dst := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			dst.Set(x, b.Max.Y-1-(y-b.Min.Y), src.At(x, y))
		}
	}
	return dst
}

// Imshow shows a 2-D grid as an image (a heat map): row 0 at the top,
// one square cell per value, coloured by Cmap (default viridis) between
// VMin and VMax (default the data range). Add a colour bar with Colorbar.
func (a *Axes) Imshow(Z any, opts ...Option) {
	const fn = "plt.Imshow"
	rows, cols, z := toGrid(fn, Z)
	if rows*cols == 0 {
		panic(fmt.Sprintf("%s: empty grid", fn))
	}
	o := collect(opts)
	m := newColorMapped(z, o)
	img := image.NewRGBA(image.Rect(0, 0, cols, rows))
	bad := 0
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			v := z[i*cols+j]
			if !finite(v) {
				bad++
				continue // transparent
			}
			img.Set(j, i, m.cmap.at(m.frac(v)))
		}
	}
	if bad > 0 {
		a.notes = append(a.notes, fmt.Sprintf("%s: %d of %d values are NaN or Inf (blank)", fn, bad, rows*cols))
	}
	a.imageAxes = true
	a.mappable = m
	a.artists = append(a.artists, &imageArtist{rows: rows, cols: cols, img: img})
}

// Imshow shows a grid as an image on the current axes; see Axes.Imshow.
func Imshow(Z any, opts ...Option) { Gca().Imshow(Z, opts...) }

// baseCanvas unwraps the draw.Canvas layers that cropping adds.
func baseCanvas(c *draw.Canvas) vg.Canvas {
	var v vg.Canvas = c.Canvas
	for {
		d, ok := v.(draw.Canvas)
		if !ok {
			return v
		}
		v = d.Canvas
	}
}
