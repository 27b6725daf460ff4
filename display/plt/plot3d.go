package plt

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A 3-D axes draws by orthographic projection: gonum/plot has no 3-D,
// so the box, panes, grid, ticks and data are projected and drawn as
// ordinary 2-D paths (surfaces back to front; no hidden-line removal).

// artist3 is one 3-D drawing: a line (Plot3D), markers (Scatter3D) or a
// surface (Surface).
type artist3 struct {
	kind       byte // 'l', 's', 'S'
	xs, ys, zs []float64
	line       *lineArtist    // style of a line
	sc         *scatterArtist // style of markers
	g          *grid          // surface
	m          *colorMapped
	edge       color.Color
}

// the view: orthonormal screen axes u (right), v (up), and e (towards the
// viewer), for elevation and azimuth in degrees, as matplotlib's view_init.
type view3 struct {
	u, v, e [3]float64
	lo, hi  [3]float64 // data limits
	box     [3]float64 // half sizes of the box (aspect 4:4:3)
	scale   float64
	cx, cy  vg.Length
}

func newView(elev, azim float64) *view3 {
	el, az := elev*math.Pi/180, azim*math.Pi/180
	se, ce := math.Sincos(el)
	sa, ca := math.Sincos(az)
	return &view3{
		u:   [3]float64{-sa, ca, 0},
		v:   [3]float64{-se * ca, -se * sa, ce},
		e:   [3]float64{ce * ca, ce * sa, se},
		box: [3]float64{0.5, 0.5, 0.375},
	}
}

// norm maps a data point into the box's coordinates.
func (w *view3) norm(p [3]float64) [3]float64 {
	var q [3]float64
	for k := 0; k < 3; k++ {
		q[k] = ((p[k]-w.lo[k])/(w.hi[k]-w.lo[k])*2 - 1) * w.box[k]
	}
	return q
}

func dot(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

// screenN projects box coordinates onto the canvas.
func (w *view3) screenN(q [3]float64) vg.Point {
	return vg.Point{X: w.cx + vg.Length(dot(q, w.u)*w.scale), Y: w.cy + vg.Length(dot(q, w.v)*w.scale)}
}

func (w *view3) screen(p [3]float64) vg.Point { return w.screenN(w.norm(p)) }
func (w *view3) depth(p [3]float64) float64   { return dot(w.norm(p), w.e) }

func (a *Axes) make3D() {
	if !a.is3D && len(a.artists) > 0 {
		panic("plt: these axes already hold 2-D drawings; start a new Figure for a 3-D plot")
	}
	a.is3D = true
}

func xyzData(fn string, xs, ys, zs any) ([]float64, []float64, []float64) {
	x, y := xyData(fn, xs, ys)
	z := toFloats(fn+" zs", zs)
	if len(z) != len(x) {
		panic(fmt.Sprintf("%s: xs and ys have %d values but zs has %d; they must match", fn, len(x), len(z)))
	}
	return x, y, z
}

// Plot3D draws a 3-D line through (xs, ys, zs), with a format string as
// Plot. The axes become 3-D.
func (a *Axes) Plot3D(xs, ys, zs any, fmtStr string, opts ...Option) {
	const fn = "plt.Plot3D"
	x, y, z := xyzData(fn, xs, ys, zs)
	a.make3D()
	tmp := &Axes{lineCycle: a.lineCycle}
	tmp.Plot(x, y, fmtStr, opts...)
	a.lineCycle = tmp.lineCycle
	a.notes = append(a.notes, tmp.notes...)
	a.artists3 = append(a.artists3, &artist3{kind: 'l', xs: x, ys: y, zs: z, line: tmp.artists[0].(*lineArtist)})
}

// Scatter3D draws markers at (xs, ys, zs), with the options of Scatter.
func (a *Axes) Scatter3D(xs, ys, zs any, opts ...Option) {
	const fn = "plt.Scatter3D"
	x, y, z := xyzData(fn, xs, ys, zs)
	a.make3D()
	tmp := &Axes{patchCycle: a.patchCycle}
	tmp.Scatter(x, y, opts...)
	a.patchCycle = tmp.patchCycle
	s := tmp.artists[0].(*scatterArtist)
	if s.mapped != nil {
		a.mappable = s.mapped
	}
	a.artists3 = append(a.artists3, &artist3{kind: 's', xs: x, ys: y, zs: z, sc: s})
}

// Surface draws the surface Z over the grid X, Y (as Contour takes them),
// coloured by height with Cmap (default viridis) or one Color.
func (a *Axes) Surface(X, Y, Z any, opts ...Option) {
	const fn = "plt.Surface"
	g := readGrid(fn, X, Y, Z)
	a.make3D()
	o := collect(opts)
	nx, ny := g.Dims()
	var zs []float64
	for i := 0; i < nx; i++ {
		for j := 0; j < ny; j++ {
			zs = append(zs, g.z(i, j))
		}
	}
	s := &artist3{kind: 'S', g: g, m: newColorMapped(zs, o), edge: color.NRGBA{0, 0, 0, 40}}
	if o.hasColor {
		c := o.color
		s.m = nil
		s.edge = c
	}
	if o.hasEdge {
		s.edge = o.edge
	}
	if s.m != nil {
		a.mappable = s.m
	}
	a.artists3 = append(a.artists3, s)
}

// View sets the 3-D viewing angles in degrees (matplotlib's view_init;
// the default is elevation 30, azimuth -60).
func (a *Axes) View(elev, azim float64) { a.elev, a.azim = elev, azim; a.make3D() }

// Plot3D draws a 3-D line on the current axes; see Axes.Plot3D.
func Plot3D(xs, ys, zs any, fmtStr string, opts ...Option) { Gca().Plot3D(xs, ys, zs, fmtStr, opts...) }

// Scatter3D draws 3-D markers on the current axes; see Axes.Scatter3D.
func Scatter3D(xs, ys, zs any, opts ...Option) { Gca().Scatter3D(xs, ys, zs, opts...) }

// Surface draws a surface on the current axes; see Axes.Surface.
func Surface(X, Y, Z any, opts ...Option) { Gca().Surface(X, Y, Z, opts...) }

// View sets the current 3-D axes' viewing angles.
func View(elev, azim float64) { Gca().View(elev, azim) }

// limits3 returns the data limits of the three axes with small margins.
func (a *Axes) limits3() (lo, hi [3]float64) {
	for k := 0; k < 3; k++ {
		lo[k], hi[k] = math.Inf(1), math.Inf(-1)
	}
	add := func(x, y, z float64) {
		if finite(x) && finite(y) && finite(z) {
			p := [3]float64{x, y, z}
			for k := 0; k < 3; k++ {
				lo[k], hi[k] = math.Min(lo[k], p[k]), math.Max(hi[k], p[k])
			}
		}
	}
	for _, ar := range a.artists3 {
		if ar.g != nil {
			nx, ny := ar.g.Dims()
			for i := 0; i < nx; i++ {
				for j := 0; j < ny; j++ {
					add(ar.g.xs[i], ar.g.ys[j], ar.g.z(i, j))
				}
			}
			continue
		}
		for i := range ar.xs {
			add(ar.xs[i], ar.ys[i], ar.zs[i])
		}
	}
	lims := [3]*[2]float64{a.xlim, a.ylim, a.zlim}
	for k := 0; k < 3; k++ {
		if !finite(lo[k]) {
			lo[k], hi[k] = 0, 1
		} else if lo[k] == hi[k] {
			lo[k], hi[k] = expand(lo[k], hi[k], math.NaN(), math.NaN(), false)
		}
		if lims[k] != nil {
			lo[k], hi[k] = lims[k][0], lims[k][1]
		}
	}
	return lo, hi
}

func (a *Axes) draw3D(c draw.Canvas) {
	if a.title != "" {
		sty := textStyle(12, draw.XCenter, draw.YTop)
		sty.Handler = handlerFor(a.title)
		c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y}, a.title)
		c = draw.Crop(c, 0, 0, 0, -sty.Height(a.title)-vg.Points(6))
	}
	if a.colorbar != nil {
		cb := draw.Crop(c, c.Size().X-vg.Points(62), 0, 0, 0)
		c = draw.Crop(c, 0, -vg.Points(62), 0, 0)
		dc := draw.Crop(c, 0, 0, c.Size().Y*0.15, -c.Size().Y*0.15)
		defer a.drawColorbar(cb, dc)
	}
	w := newView(a.elev, a.azim)
	w.lo, w.hi = a.limits3()

	// Fit the projected box (plus room for labels) into the canvas.
	var minX, maxX, minY, maxY float64 = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	corners := boxCorners(w.box)
	for _, q := range corners {
		x, y := dot(q, w.u), dot(q, w.v)
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, y), math.Max(maxY, y)
	}
	room := vg.Points(46)
	sw := float64(c.Size().X - 2*room)
	sh := float64(c.Size().Y - 2*room)
	w.scale = math.Max(1, math.Min(sw/(maxX-minX), sh/(maxY-minY)))
	w.cx = c.Center().X - vg.Length((minX+maxX)/2*w.scale)
	w.cy = c.Center().Y - vg.Length((minY+maxY)/2*w.scale)

	a.drawPanes(&c, w)
	a.drawData3D(&c, w)
	if a.legend != nil {
		a.drawLegend(&c, nil)
	}
	if len(a.notes) > 0 {
		sty := textStyle(8, draw.XLeft, draw.YTop)
		sty.Color = color.RGBA{200, 0, 0, 255}
		y := c.Max.Y
		for _, n := range a.notes {
			c.FillText(sty, vg.Point{X: c.Min.X, Y: y}, n)
			y -= vg.Points(10)
		}
	}
}

func boxCorners(b [3]float64) [][3]float64 {
	var out [][3]float64
	for _, sx := range []float64{-1, 1} {
		for _, sy := range []float64{-1, 1} {
			for _, sz := range []float64{-1, 1} {
				out = append(out, [3]float64{sx * b[0], sy * b[1], sz * b[2]})
			}
		}
	}
	return out
}

// drawPanes draws the three back panes with grid lines, and each axis
// with ticks, tick labels and its label on an outer edge.
func (a *Axes) drawPanes(c *draw.Canvas, w *view3) {
	b := w.box
	// back[k] is the side (-1 or +1) of axis k away from the viewer.
	var back [3]float64
	for k := 0; k < 3; k++ {
		back[k] = -1
		if w.e[k] < 0 {
			back[k] = 1
		}
	}
	var ticks [3][]float64
	var steps [3]float64
	for k := 0; k < 3; k++ {
		ticks[k], steps[k] = niceTicks(w.lo[k], w.hi[k], 5)
	}
	nc := func(k int, v float64) float64 { return ((v-w.lo[k])/(w.hi[k]-w.lo[k])*2 - 1) * b[k] }
	paneFill := color.RGBA{0xf2, 0xf2, 0xf2, 0xff}
	gridSty := draw.LineStyle{Color: color.Gray{0xd8}, Width: vg.Points(0.8)}
	edgeSty := draw.LineStyle{Color: color.Gray{0xb0}, Width: vg.Points(0.8)}
	for k := 0; k < 3; k++ { // pane perpendicular to axis k
		i, j := (k+1)%3, (k+2)%3
		var poly []vg.Point
		for _, s := range [][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
			var q [3]float64
			q[k], q[i], q[j] = back[k]*b[k], s[0]*b[i], s[1]*b[j]
			poly = append(poly, w.screenN(q))
		}
		c.FillPolygon(paneFill, poly)
		c.StrokeLines(edgeSty, append(poly, poly[0]))
		for _, ax := range []int{i, j} {
			other := i + j - ax
			for _, tv := range ticks[ax] {
				var q0, q1 [3]float64
				q0[k], q1[k] = back[k]*b[k], back[k]*b[k]
				q0[ax], q1[ax] = nc(ax, tv), nc(ax, tv)
				q0[other], q1[other] = -b[other], b[other]
				c.StrokeLines(gridSty, []vg.Point{w.screenN(q0), w.screenN(q1)})
			}
		}
	}

	// The edges carrying the axes: x and y along the bottom on the
	// viewer's side, z on the vertical edge furthest left on screen.
	bottom := -b[2]
	if w.e[2] < 0 {
		bottom = b[2]
	}
	var edges [3][2][3]float64
	edges[0] = [2][3]float64{{-b[0], -back[1] * b[1], bottom}, {b[0], -back[1] * b[1], bottom}}
	edges[1] = [2][3]float64{{-back[0] * b[0], -b[1], bottom}, {-back[0] * b[0], b[1], bottom}}
	best := math.Inf(1)
	for _, sx := range []float64{-1, 1} {
		for _, sy := range []float64{-1, 1} {
			q := [3]float64{sx * b[0], sy * b[1], 0}
			if x := dot(q, w.u); x < best {
				best = x
				edges[2] = [2][3]float64{{sx * b[0], sy * b[1], -b[2]}, {sx * b[0], sy * b[1], b[2]}}
			}
		}
	}
	center := w.screenN([3]float64{})
	labels := [3]string{a.xlabel, a.ylabel, a.zlabel}
	axisSty := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}
	tickSty := textStyle(9, draw.XCenter, draw.YCenter)
	for k := 0; k < 3; k++ {
		e0, e1 := edges[k][0], edges[k][1]
		p0, p1 := w.screenN(e0), w.screenN(e1)
		c.StrokeLines(axisSty, []vg.Point{p0, p1})
		// Outward direction on screen: from the box centre to the edge's
		// middle, made perpendicular-ish by removing the edge direction.
		mid := vg.Point{X: (p0.X + p1.X) / 2, Y: (p0.Y + p1.Y) / 2}
		ox, oy := float64(mid.X-center.X), float64(mid.Y-center.Y)
		dx, dy := float64(p1.X-p0.X), float64(p1.Y-p0.Y)
		if l := dx*dx + dy*dy; l > 0 {
			t := (ox*dx + oy*dy) / l
			ox, oy = ox-t*dx, oy-t*dy
		}
		if l := math.Hypot(ox, oy); l > 0 {
			ox, oy = ox/l, oy/l
		} else {
			ox, oy = 0, -1
		}
		out := func(p vg.Point, d float64) vg.Point {
			return vg.Point{X: p.X + vg.Length(ox*d), Y: p.Y + vg.Length(oy*d)}
		}
		var maxW vg.Length
		for _, tv := range ticks[k] {
			q := e0
			q[k] = nc(k, tv)
			p := w.screenN(q)
			c.StrokeLines(axisSty, []vg.Point{p, out(p, 4)})
			lbl := tickLabel(tv, steps[k])
			c.FillText(tickSty, out(p, 14), lbl)
			maxW = vg.Length(math.Max(float64(maxW), float64(tickSty.Width(lbl))))
		}
		if labels[k] != "" {
			sty := textStyle(10, draw.XCenter, draw.YCenter)
			sty.Handler = handlerFor(labels[k])
			c.FillText(sty, out(mid, 30+float64(maxW)/3), labels[k])
		}
	}
}

// drawData3D draws surfaces back to front, then lines and markers.
func (a *Axes) drawData3D(c *draw.Canvas, w *view3) {
	ok := func(x, y, z float64) bool { return finite(x) && finite(y) && finite(z) }
	for _, ar := range a.artists3 {
		if ar.kind != 'S' {
			continue
		}
		g := ar.g
		nx, ny := g.Dims()
		type quad struct {
			pts   []vg.Point
			depth float64
			z     float64
		}
		var quads []quad
		for i := 0; i+1 < nx; i++ {
			for j := 0; j+1 < ny; j++ {
				var q quad
				good := true
				for _, d := range [][2]int{{0, 0}, {1, 0}, {1, 1}, {0, 1}} {
					x, y, z := g.xs[i+d[0]], g.ys[j+d[1]], g.z(i+d[0], j+d[1])
					if !ok(x, y, z) {
						good = false
						break
					}
					p := [3]float64{x, y, z}
					q.pts = append(q.pts, w.screen(p))
					q.depth += w.depth(p) / 4
					q.z += z / 4
				}
				if good {
					quads = append(quads, q)
				}
			}
		}
		sort.Slice(quads, func(i, j int) bool { return quads[i].depth < quads[j].depth })
		sty := draw.LineStyle{Color: ar.edge, Width: vg.Points(0.3)}
		for _, q := range quads {
			fill := ar.edge
			if ar.m != nil {
				fill = ar.m.color(q.z)
			}
			c.FillPolygon(fill, q.pts)
			c.StrokeLines(sty, append(q.pts, q.pts[0]))
		}
	}
	for _, ar := range a.artists3 {
		switch ar.kind {
		case 'l':
			l := ar.line
			if l.ls != "" && l.col != nil {
				var lines [][]vg.Point
				var cur []vg.Point
				for i := range ar.xs {
					if !ok(ar.xs[i], ar.ys[i], ar.zs[i]) {
						if len(cur) > 1 {
							lines = append(lines, cur)
						}
						cur = nil
						continue
					}
					cur = append(cur, w.screen([3]float64{ar.xs[i], ar.ys[i], ar.zs[i]}))
				}
				if len(cur) > 1 {
					lines = append(lines, cur)
				}
				if len(lines) > 0 {
					c.StrokeLines(l.style(), lines...)
				}
			}
			if l.marker != 0 {
				for i := range ar.xs {
					if ok(ar.xs[i], ar.ys[i], ar.zs[i]) {
						drawMarker(c, l.marker, w.screen([3]float64{ar.xs[i], ar.ys[i], ar.zs[i]}), l.msize, l.face, l.edge, l.ew)
					}
				}
			}
		case 's':
			s := ar.sc
			idx := make([]int, 0, len(ar.xs))
			for i := range ar.xs {
				if ok(ar.xs[i], ar.ys[i], ar.zs[i]) {
					idx = append(idx, i)
				}
			}
			depth := func(i int) float64 { return w.depth([3]float64{ar.xs[i], ar.ys[i], ar.zs[i]}) }
			sort.SliceStable(idx, func(p, q int) bool { return depth(idx[p]) < depth(idx[q]) })
			for _, i := range idx {
				size, face, edge := s.markerStyle(i)
				drawMarker(c, s.marker, w.screen([3]float64{ar.xs[i], ar.ys[i], ar.zs[i]}), size, face, edge, s.ew)
			}
		}
	}
}
