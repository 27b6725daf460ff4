package plt

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"

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

// contourfArtist is a set of filled contour bands: band k covers
// levels[k] <= z <= levels[k+1], in colour cols[k].
type contourfArtist struct {
	g      *grid
	levels []float64 // ascending band edges
	cols   []color.Color
	lbl    string
}

func (k *contourfArtist) bounds() (float64, float64, float64, float64) {
	x0, x1 := minMax(k.g.xs)
	y0, y1 := minMax(k.g.ys)
	return x0, x1, y0, y1
}
func (k *contourfArtist) label() string { return k.lbl }
func (k *contourfArtist) sticky() bool  { return true }
func (k *contourfArtist) thumb(c *draw.Canvas, r vg.Rectangle) {
	if len(k.cols) > 0 {
		c.FillPolygon(k.cols[len(k.cols)/2], []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
	}
}

// band returns the band z lies in, or -1 outside the levels (not drawn,
// as matplotlib's contourf without extend).
func (k *contourfArtist) band(z float64) int {
	n := len(k.levels) - 1
	if !(z >= k.levels[0] && z <= k.levels[n]) {
		return -1
	}
	// levels[b] < z <= levels[b+1], the lowest band for z on its edge
	return max(sort.SearchFloat64s(k.levels, z)-1, 0)
}

// zpt is a grid point with its value, for clipping cells into bands.
type zpt struct{ x, y, z float64 }

// draw fills each grid cell: a run of cells that lie in one band as one
// rectangle, other cells as two triangles cut into their bands (z linear
// on each triangle).
func (k *contourfArtist) draw(c *draw.Canvas, t *xform) {
	if len(k.levels) < 2 {
		return
	}
	if !t.xlog && !t.ylog && k.drawRaster(c, t) {
		return
	}
	g := k.g
	nx, ny := g.Dims()
	fill := func(col color.Color, pts []zpt) {
		poly := make([]vg.Point, 0, len(pts))
		for _, p := range pts {
			if !t.ok(p.x, p.y) {
				return
			}
			poly = append(poly, vg.Point{X: t.x(p.x), Y: t.y(p.y)})
		}
		poly = c.ClipPolygonXY(poly)
		if len(poly) < 3 {
			return
		}
		c.FillPolygon(col, poly)
		// A hairline of the same colour hides the seams that
		// anti-aliasing leaves between neighbouring pieces (not when
		// translucent: the overlaps would show darker).
		if _, _, _, a := col.RGBA(); a == 0xffff {
			c.StrokeLines(draw.LineStyle{Color: col, Width: vg.Points(0.35)}, append(poly, poly[0]))
		}
	}
	for j := 0; j+1 < ny; j++ {
		runBand, runStart := -1, 0
		flush := func(end int) {
			if runBand >= 0 {
				x0, x1, y0, y1 := g.xs[runStart], g.xs[end], g.ys[j], g.ys[j+1]
				fill(k.cols[runBand], []zpt{{x0, y0, 0}, {x1, y0, 0}, {x1, y1, 0}, {x0, y1, 0}})
			}
			runBand = -1
		}
		for i := 0; i+1 < nx; i++ {
			p := [4]zpt{
				{g.xs[i], g.ys[j], g.z(i, j)}, {g.xs[i+1], g.ys[j], g.z(i+1, j)},
				{g.xs[i+1], g.ys[j+1], g.z(i+1, j+1)}, {g.xs[i], g.ys[j+1], g.z(i, j+1)},
			}
			b := k.band(p[0].z)
			same := b >= 0
			for _, q := range p[1:] {
				if !finite(q.z) {
					same, b = false, -2 // masked: a gap, as matplotlib
					break
				}
				same = same && k.band(q.z) == b
			}
			if same {
				if runBand != b {
					flush(i)
					runBand, runStart = b, i
				}
				continue
			}
			flush(i)
			if b == -2 || !finite(p[0].z) {
				continue
			}
			for _, tri := range [2][3]zpt{{p[0], p[1], p[2]}, {p[0], p[2], p[3]}} {
				lo, hi := math.Min(tri[0].z, math.Min(tri[1].z, tri[2].z)), math.Max(tri[0].z, math.Max(tri[1].z, tri[2].z))
				for bk := range k.cols {
					if k.levels[bk+1] < lo || k.levels[bk] > hi {
						continue
					}
					poly := clipZ(tri[:], k.levels[bk], false)
					poly = clipZ(poly, k.levels[bk+1], true)
					if len(poly) >= 3 {
						fill(k.cols[bk], poly)
					}
				}
			}
		}
		flush(nx - 1)
	}
}

// drawRaster paints the bands pixel by pixel on a raster canvas: the same
// values as draw's triangles (z linear on each half of a cell), many times
// faster than filling thousands of small polygons, and without seams
// between them. It reports false when c is not a raster canvas.
func (k *contourfArtist) drawRaster(c *draw.Canvas, t *xform) bool {
	g := k.g
	nx, ny := g.Dims()
	// Canvas = a + b * data, on each axis.
	bx := float64(t.x(g.xs[nx-1])-t.x(g.xs[0])) / (g.xs[nx-1] - g.xs[0])
	ax := float64(t.x(g.xs[0])) - bx*g.xs[0]
	by := float64(t.y(g.ys[ny-1])-t.y(g.ys[0])) / (g.ys[ny-1] - g.ys[0])
	ay := float64(t.y(g.ys[0])) - by*g.ys[0]
	if !finite(ax) || !finite(bx) || !finite(ay) || !finite(by) || bx == 0 || by == 0 {
		return true // a degenerate grid: nothing to fill
	}
	// The grid's rectangle on the canvas, within the data area.
	x0, x1 := math.Min(float64(t.x(g.xs[0])), float64(t.x(g.xs[nx-1]))), math.Max(float64(t.x(g.xs[0])), float64(t.x(g.xs[nx-1])))
	y0, y1 := math.Min(float64(t.y(g.ys[0])), float64(t.y(g.ys[ny-1]))), math.Max(float64(t.y(g.ys[0])), float64(t.y(g.ys[ny-1])))
	x0, x1 = math.Max(x0, float64(c.Min.X)), math.Min(x1, float64(c.Max.X))
	y0, y1 = math.Max(y0, float64(c.Min.Y)), math.Min(y1, float64(c.Max.Y))
	return paintPixels(c, vg.Rectangle{Min: vg.Point{X: vg.Length(x0), Y: vg.Length(y0)}, Max: vg.Point{X: vg.Length(x1), Y: vg.Length(y1)}},
		func(xs, ys []float64, img *image.RGBA) {
			// cellOf finds the cell holding v among ascending or
			// descending edges, and v's fraction across it.
			cellOf := func(edges []float64, v float64) (int, float64) {
				n := len(edges)
				asc := edges[n-1] > edges[0]
				i := sort.Search(n, func(k int) bool { return (edges[k] > v) == asc && edges[k] != v })
				i = min(max(i-1, 0), n-2)
				return i, (v - edges[i]) / (edges[i+1] - edges[i])
			}
			ci, cu := make([]int, len(xs)), make([]float64, len(xs))
			for px, x := range xs {
				ci[px], cu[px] = cellOf(g.xs, (x-ax)/bx)
			}
			cols := make([]color.RGBA, len(k.cols))
			for i, col := range k.cols {
				r, gg, b, a := col.RGBA()
				cols[i] = color.RGBA{uint8(r >> 8), uint8(gg >> 8), uint8(b >> 8), uint8(a >> 8)}
			}
			for py, y := range ys {
				j, v := cellOf(g.ys, (y-ay)/by)
				row := img.Pix[py*img.Stride:]
				for px := range xs {
					i, u := ci[px], cu[px]
					if u < -1e-9 || u > 1+1e-9 || v < -1e-9 || v > 1+1e-9 {
						continue
					}
					z0, z1, z2, z3 := g.z(i, j), g.z(i+1, j), g.z(i+1, j+1), g.z(i, j+1)
					var z float64
					if u >= v { // the triangle p0 p1 p2, as draw splits a cell
						z = z0 + u*(z1-z0) + v*(z2-z1)
					} else {
						z = z0 + u*(z2-z3) + v*(z3-z0)
					}
					b := k.band(z)
					if b < 0 || !finite(z0+z1+z2+z3) {
						continue
					}
					p := row[4*px : 4*px+4 : 4*px+4]
					p[0], p[1], p[2], p[3] = cols[b].R, cols[b].G, cols[b].B, cols[b].A
				}
			}
		})
}

// clipZ keeps the part of polygon p where z >= level (below false) or
// z <= level (below true), z varying linearly along the edges
// (Sutherland-Hodgman).
func clipZ(p []zpt, level float64, below bool) []zpt {
	in := func(q zpt) bool {
		if below {
			return q.z <= level
		}
		return q.z >= level
	}
	var out []zpt
	for i, cur := range p {
		prev := p[(i+len(p)-1)%len(p)]
		if in(cur) != in(prev) {
			f := (level - prev.z) / (cur.z - prev.z)
			out = append(out, zpt{prev.x + f*(cur.x-prev.x), prev.y + f*(cur.y-prev.y), level})
		}
		if in(cur) {
			out = append(out, cur)
		}
	}
	return out
}

// bandLevels returns about n+1 nicely rounded band edges from at or below
// lo to at or above hi, as matplotlib's contourf chooses them.
func bandLevels(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		return []float64{lo, hi}
	}
	_, step := niceTicks(lo, hi, n)
	first := math.Floor(lo/step+1e-9) * step
	var out []float64
	for v := first; ; v += step {
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		out = append(out, v)
		if v >= hi-step*1e-9 || len(out) > 1001 {
			break
		}
	}
	return out
}

// Contourf fills the bands between contour levels of Z over the grid X, Y
// (taken as Contour takes them). Levels(n) asks for about n bands
// (default 7) with nicely rounded edges spanning the data; LevelValues
// gives the edges (values outside them are not filled). Bands are
// coloured by Cmap (default viridis) at their middle value; Colorbar shows
// the bands.
func (a *Axes) Contourf(X, Y, Z any, opts ...Option) {
	const fn = "plt.Contourf"
	g := readGrid(fn, X, Y, Z)
	o := collect(opts)
	lo, hi := g.zRange()
	var levels []float64
	switch {
	case o.levelVals != nil:
		levels = append(levels, o.levelVals...)
		sort.Float64s(levels)
		if len(levels) < 2 {
			panic(fmt.Sprintf("%s: want at least 2 level values (band edges), got %d", fn, len(levels)))
		}
	case finite(lo):
		n := 7
		if o.levels > 0 {
			n = o.levels
		}
		levels = bandLevels(lo, hi, n)
	default:
		a.notes = append(a.notes, fn+": Z has no finite values")
	}
	k := &contourfArtist{g: g, levels: levels, lbl: o.label}
	m := newColorMapped(levels, o)
	m.bands = levels
	for i := 0; i+1 < len(levels); i++ {
		col := m.color((levels[i] + levels[i+1]) / 2)
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

// Contourf fills contour bands on the current axes; see Axes.Contourf.
func Contourf(X, Y, Z any, opts ...Option) { Gca().Contourf(X, Y, Z, opts...) }
