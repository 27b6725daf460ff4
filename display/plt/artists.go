package plt

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func dataBounds(xs, ys []float64) (x0, x1, y0, y1 float64) {
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	for i := range xs {
		if finite(xs[i]) && finite(ys[i]) {
			x0, x1 = math.Min(x0, xs[i]), math.Max(x1, xs[i])
			y0, y1 = math.Min(y0, ys[i]), math.Max(y1, ys[i])
		}
	}
	return
}

func project(xs, ys []float64, t *xform) []vg.Point {
	pts := make([]vg.Point, 0, len(xs))
	for i := range xs {
		if t.ok(xs[i], ys[i]) {
			pts = append(pts, vg.Point{X: t.x(xs[i]), Y: t.y(ys[i])})
		}
	}
	return pts
}

// series is the data and legend label that line and scatter artists
// share, with the artist methods that only need those.
type series struct {
	xs, ys []float64
	lbl    string
}

func (s *series) bounds() (float64, float64, float64, float64) { return dataBounds(s.xs, s.ys) }
func (s *series) label() string                                { return s.lbl }
func (s *series) vertices(t *xform) []vg.Point                 { return project(s.xs, s.ys, t) }

// lineArtist is a series from Plot: a polyline and/or markers.
type lineArtist struct {
	series
	col    color.Color
	width  vg.Length
	ls     string // "", "-", "--", ":", "-."
	marker byte
	msize  vg.Length
	face   color.Color
	edge   color.Color
	ew     vg.Length
}

func (l *lineArtist) style() draw.LineStyle {
	return draw.LineStyle{Color: l.col, Width: l.width, Dashes: dashPattern(l.ls, l.width)}
}

func (l *lineArtist) draw(c *draw.Canvas, t *xform) {
	if l.ls != "" && l.col != nil {
		// Split at points that cannot be drawn, leaving gaps as matplotlib.
		var lines [][]vg.Point
		var cur []vg.Point
		for i := range l.xs {
			if !t.ok(l.xs[i], l.ys[i]) {
				if len(cur) > 1 {
					lines = append(lines, cur)
				}
				cur = nil
				continue
			}
			cur = append(cur, vg.Point{X: t.x(l.xs[i]), Y: t.y(l.ys[i])})
		}
		if len(cur) > 1 {
			lines = append(lines, cur)
		}
		if len(lines) > 0 {
			c.StrokeLines(l.style(), c.ClipLinesXY(lines...)...)
		}
	}
	if l.marker != 0 {
		for _, p := range l.vertices(t) {
			if inside(c, p) {
				drawMarker(c, l.marker, p, l.msize, l.face, l.edge, l.ew)
			}
		}
	}
}

func (l *lineArtist) thumb(c *draw.Canvas, r vg.Rectangle) {
	y := (r.Min.Y + r.Max.Y) / 2
	if l.ls != "" && l.col != nil {
		c.StrokeLine2(l.style(), r.Min.X, y, r.Max.X, y)
	}
	if l.marker != 0 {
		drawMarker(c, l.marker, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: y}, l.msize, l.face, l.edge, l.ew)
	}
}

// inside reports whether p is in the data area (with a hair of slack so
// that points on the frame still show).
func inside(c *draw.Canvas, p vg.Point) bool {
	const e = 0.01
	return p.X >= c.Min.X-e && p.X <= c.Max.X+e && p.Y >= c.Min.Y-e && p.Y <= c.Max.Y+e
}

// scatterArtist is a Scatter call: markers with optional per-point size
// and colour.
type scatterArtist struct {
	series
	marker byte
	size   vg.Length   // diameter
	sizes  []vg.Length // per point, or nil
	face   color.Color
	edge   color.Color
	colors []color.Color // per point (colour map), or nil
	mapped *colorMapped
	ew     vg.Length
}

// markerStyle is point i's size and colours: per point when given.
func (s *scatterArtist) markerStyle(i int) (size vg.Length, face, edge color.Color) {
	size, face, edge = s.size, s.face, s.edge
	if s.sizes != nil {
		size = s.sizes[i]
	}
	if s.colors != nil {
		if face != nil {
			face = s.colors[i]
		}
		edge = s.colors[i]
	}
	return size, face, edge
}

func (s *scatterArtist) draw(c *draw.Canvas, t *xform) {
	for i := range s.xs {
		if !t.ok(s.xs[i], s.ys[i]) {
			continue
		}
		p := vg.Point{X: t.x(s.xs[i]), Y: t.y(s.ys[i])}
		if !inside(c, p) {
			continue
		}
		size, face, edge := s.markerStyle(i)
		drawMarker(c, s.marker, p, size, face, edge, s.ew)
	}
}

func (s *scatterArtist) thumb(c *draw.Canvas, r vg.Rectangle) {
	size, face, edge := s.size, s.face, s.edge
	if size > vg.Points(12) {
		size = vg.Points(12)
	}
	if s.colors != nil && len(s.colors) > 0 {
		face, edge = s.colors[len(s.colors)/2], s.colors[len(s.colors)/2]
	}
	drawMarker(c, s.marker, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}, size, face, edge, s.ew)
}

// drawMarker draws marker m of size d (points across, as matplotlib's
// markersize) centred at p.
func drawMarker(c *draw.Canvas, m byte, p vg.Point, d vg.Length, face, edge color.Color, ew vg.Length) {
	r := d / 2
	var path vg.Path
	poly := func(n int, rad vg.Length, rot float64) {
		for i := 0; i < n; i++ {
			a := rot + 2*math.Pi*float64(i)/float64(n)
			q := vg.Point{X: p.X + rad*vg.Length(math.Cos(a)), Y: p.Y + rad*vg.Length(math.Sin(a))}
			if i == 0 {
				path.Move(q)
			} else {
				path.Line(q)
			}
		}
		path.Close()
	}
	strokeOnly := false
	switch m {
	case 'o', '.':
		if m == '.' {
			r /= 2
		}
		path.Move(vg.Point{X: p.X + r, Y: p.Y})
		path.Arc(p, r, 0, 2*math.Pi)
		path.Close()
	case 's':
		poly(4, r*math.Sqrt2, math.Pi/4)
	case 'D':
		poly(4, r*math.Sqrt2, 0)
	case 'd':
		path.Move(vg.Point{X: p.X, Y: p.Y + r})
		path.Line(vg.Point{X: p.X + r*0.6, Y: p.Y})
		path.Line(vg.Point{X: p.X, Y: p.Y - r})
		path.Line(vg.Point{X: p.X - r*0.6, Y: p.Y})
		path.Close()
	case '^':
		poly(3, r, math.Pi/2)
	case 'v':
		poly(3, r, -math.Pi/2)
	case '<':
		poly(3, r, math.Pi)
	case '>':
		poly(3, r, 0)
	case 'p':
		poly(5, r, math.Pi/2)
	case 'h':
		poly(6, r, math.Pi/2)
	case '*':
		for i := 0; i < 10; i++ {
			rad := r
			if i%2 == 1 {
				rad = r * 0.4
			}
			a := math.Pi/2 + math.Pi*float64(i)/5
			q := vg.Point{X: p.X + rad*vg.Length(math.Cos(a)), Y: p.Y + rad*vg.Length(math.Sin(a))}
			if i == 0 {
				path.Move(q)
			} else {
				path.Line(q)
			}
		}
		path.Close()
	case '+', '|', '_':
		strokeOnly = true
		if m != '|' {
			path.Move(vg.Point{X: p.X - r, Y: p.Y})
			path.Line(vg.Point{X: p.X + r, Y: p.Y})
		}
		if m != '_' {
			path.Move(vg.Point{X: p.X, Y: p.Y - r})
			path.Line(vg.Point{X: p.X, Y: p.Y + r})
		}
	case 'x', 'X':
		strokeOnly = true
		k := r / math.Sqrt2
		path.Move(vg.Point{X: p.X - k, Y: p.Y - k})
		path.Line(vg.Point{X: p.X + k, Y: p.Y + k})
		path.Move(vg.Point{X: p.X - k, Y: p.Y + k})
		path.Line(vg.Point{X: p.X + k, Y: p.Y - k})
	default:
		return
	}
	if strokeOnly {
		col := edge
		if col == nil {
			col = face
		}
		if col == nil {
			return
		}
		w := ew
		if w < vg.Points(1) {
			w = vg.Points(1)
		}
		c.SetLineStyle(draw.LineStyle{Color: col, Width: w})
		c.Stroke(path)
		return
	}
	if face != nil {
		c.SetColor(face)
		c.Fill(path)
	}
	if edge != nil && ew > 0 {
		c.SetLineStyle(draw.LineStyle{Color: edge, Width: ew})
		c.Stroke(path)
	}
}
