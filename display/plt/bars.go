package plt

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// barArtist is a set of bars (Bar, Hist).
type barArtist struct {
	lefts, widths, heights []float64
	face, edge             color.Color
	ew                     vg.Length
	lbl                    string
}

func (b *barArtist) bounds() (float64, float64, float64, float64) {
	x0, x1 := math.Inf(1), math.Inf(-1)
	y0, y1 := 0.0, 0.0
	for i := range b.lefts {
		if finite(b.heights[i]) {
			x0, x1 = math.Min(x0, b.lefts[i]), math.Max(x1, b.lefts[i]+b.widths[i])
			y0, y1 = math.Min(y0, b.heights[i]), math.Max(y1, b.heights[i])
		}
	}
	return x0, x1, y0, y1
}
func (b *barArtist) label() string  { return b.lbl }
func (b *barArtist) stickyY0() bool { return true }
func (b *barArtist) vertices(t *xform) []vg.Point {
	var out []vg.Point
	for i := range b.lefts {
		for _, f := range []float64{0, 0.5, 1} {
			if x, y := b.lefts[i]+f*b.widths[i], b.heights[i]; t.ok(x, y) {
				out = append(out, vg.Point{X: t.x(x), Y: t.y(y)})
			}
		}
	}
	return out
}

func (b *barArtist) draw(c *draw.Canvas, t *xform) {
	base := 0.0
	if t.ylog {
		base = math.SmallestNonzeroFloat64
	}
	for i := range b.lefts {
		x0, x1, h := b.lefts[i], b.lefts[i]+b.widths[i], b.heights[i]
		if !t.ok(x0, h) || !t.ok(x1, h) {
			continue
		}
		yb := t.y(base)
		if t.ylog {
			yb = c.Min.Y
		}
		pts := []vg.Point{{X: t.x(x0), Y: yb}, {X: t.x(x1), Y: yb}, {X: t.x(x1), Y: t.y(h)}, {X: t.x(x0), Y: t.y(h)}}
		poly := c.ClipPolygonXY(pts)
		if len(poly) < 3 {
			continue
		}
		if b.face != nil {
			c.FillPolygon(b.face, poly)
		}
		if b.edge != nil && b.ew > 0 {
			c.StrokeLines(draw.LineStyle{Color: b.edge, Width: b.ew}, append(poly, poly[0]))
		}
	}
}

func (b *barArtist) thumb(c *draw.Canvas, r vg.Rectangle) {
	pts := []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}}
	if b.face != nil {
		c.FillPolygon(b.face, pts)
	}
}

func (a *Axes) bars(fn string, lefts, widths, heights []float64, o *options) {
	b := &barArtist{lefts: lefts, widths: widths, heights: heights, lbl: o.label}
	if o.hasColor {
		b.face = o.color
	} else {
		b.face = a.nextPatchColor()
	}
	if o.hasFace {
		b.face = o.face
	}
	if o.hasEdge {
		b.edge, b.ew = o.edge, vg.Points(1)
	}
	if o.edgeWidth > 0 {
		b.ew = vg.Points(o.edgeWidth)
	}
	b.face, b.edge = withAlpha(b.face, o.alpha), withAlpha(b.edge, o.alpha)
	a.artists = append(a.artists, b)
}

// Bar draws bars of the given heights centred at xs (nil: 0, 1, 2, ...),
// 0.8 wide. Options: Color, EdgeColor, Alpha, Label.
func (a *Axes) Bar(xs, heights any, opts ...Option) {
	const fn = "plt.Bar"
	x, h := xyData(fn, xs, heights)
	o := collect(opts)
	lefts := make([]float64, len(x))
	widths := make([]float64, len(x))
	for i := range x {
		lefts[i], widths[i] = x[i]-0.4, 0.8
	}
	a.noteBad(fn, x, h)
	a.bars(fn, lefts, widths, h, o)
}

// Hist draws a histogram of data in bins equal bins (0: 10) and returns
// the counts.
func (a *Axes) Hist(data any, bins int, opts ...Option) []float64 {
	const fn = "plt.Hist"
	v := toFloats(fn, data)
	if bins == 0 {
		bins = 10
	}
	if bins < 1 || bins > 100000 {
		panic(fmt.Sprintf("%s: want 1 to 100000 bins, got %d", fn, bins))
	}
	lo, hi := minMax(v)
	if !finite(lo) {
		if len(v) > 0 {
			panic(fmt.Sprintf("%s: no finite values in %d data", fn, len(v)))
		}
		lo, hi = 0, 1 // empty data: empty bins over [0, 1], as matplotlib
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	counts := make([]float64, bins)
	w := (hi - lo) / float64(bins)
	bad := 0
	for _, x := range v {
		if !finite(x) {
			bad++
			continue
		}
		i := int((x - lo) / w)
		if i >= bins {
			i = bins - 1
		}
		counts[i]++
	}
	if bad > 0 {
		a.notes = append(a.notes, fmt.Sprintf("%s: %d of %d values are NaN or Inf (not counted)", fn, bad, len(v)))
	}
	lefts := make([]float64, bins)
	widths := make([]float64, bins)
	for i := range lefts {
		lefts[i], widths[i] = lo+float64(i)*w, w
	}
	a.bars(fn, lefts, widths, counts, collect(opts))
	return append([]float64(nil), counts...)
}

// Bar draws bars on the current axes; see Axes.Bar.
func Bar(xs, heights any, opts ...Option) { Gca().Bar(xs, heights, opts...) }

// Hist draws a histogram on the current axes; see Axes.Hist.
func Hist(data any, bins int, opts ...Option) []float64 { return Gca().Hist(data, bins, opts...) }
