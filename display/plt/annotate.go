package plt

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// spanArtist is a line across the whole axes (AxHLine, AxVLine).
type spanArtist struct {
	vertical bool
	v        float64
	l        *lineArtist
}

func (s *spanArtist) bounds() (float64, float64, float64, float64) {
	n := math.NaN()
	if s.vertical {
		return s.v, s.v, n, n
	}
	return n, n, s.v, s.v
}
func (s *spanArtist) label() string                        { return s.l.lbl }
func (s *spanArtist) thumb(c *draw.Canvas, r vg.Rectangle) { s.l.thumb(c, r) }

func (s *spanArtist) draw(c *draw.Canvas, t *xform) {
	if s.vertical {
		if !t.ok(s.v, 1) {
			return
		}
		x := t.x(s.v)
		if c.ContainsX(x) {
			c.StrokeLine2(s.l.style(), x, c.Min.Y, x, c.Max.Y)
		}
		return
	}
	if !t.ok(1, s.v) {
		return
	}
	y := t.y(s.v)
	if c.ContainsY(y) {
		c.StrokeLine2(s.l.style(), c.Min.X, y, c.Max.X, y)
	}
}

func (a *Axes) span(fn string, vertical bool, v float64, fmtStr string, opts []Option) {
	if !finite(v) {
		panic(fmt.Sprintf("%s: position must be finite, got %g", fn, v))
	}
	tmp := &Axes{lineCycle: a.lineCycle}
	tmp.Plot([]float64{0, 1}, []float64{0, 1}, fmtStr, opts...)
	a.lineCycle = tmp.lineCycle
	a.artists = append(a.artists, &spanArtist{vertical: vertical, v: v, l: tmp.artists[0].(*lineArtist)})
}

// AxHLine draws a horizontal line across the axes at y, styled by a
// format string and options as Plot.
func (a *Axes) AxHLine(y float64, fmtStr string, opts ...Option) {
	a.span("plt.AxHLine", false, y, fmtStr, opts)
}

// AxVLine draws a vertical line across the axes at x.
func (a *Axes) AxVLine(x float64, fmtStr string, opts ...Option) {
	a.span("plt.AxVLine", true, x, fmtStr, opts)
}

// AxHLine draws a horizontal line across the current axes.
func AxHLine(y float64, fmtStr string, opts ...Option) { Gca().AxHLine(y, fmtStr, opts...) }

// AxVLine draws a vertical line across the current axes.
func AxVLine(x float64, fmtStr string, opts ...Option) { Gca().AxVLine(x, fmtStr, opts...) }

// textArtist is a Text annotation at data coordinates.
type textArtist struct {
	x, y float64
	s    string
	col  color.Color
	size float64
	xa   text.XAlignment
	ya   text.YAlignment
}

func (k *textArtist) bounds() (float64, float64, float64, float64) {
	n := math.NaN()
	return n, n, n, n
}
func (k *textArtist) draw(c *draw.Canvas, t *xform) {
	if !t.ok(k.x, k.y) {
		return
	}
	sty := textStyle(k.size, k.xa, k.ya)
	sty.Color = k.col
	sty.Handler = handlerFor(k.s)
	c.FillText(sty, vg.Point{X: t.x(k.x), Y: t.y(k.y)}, k.s)
}

// Text writes s with its lower left corner at data point (x, y).
// Options: Color, FontSize, HA and VA (the alignment on the point).
func (a *Axes) Text(x, y float64, s string, opts ...Option) {
	o := collect(opts)
	k := &textArtist{x: x, y: y, s: s, col: color.Black, size: 10, xa: draw.XLeft, ya: draw.YBottom}
	switch o.ha {
	case "center":
		k.xa = draw.XCenter
	case "right":
		k.xa = draw.XRight
	}
	switch o.va {
	case "center":
		k.ya = draw.YCenter
	case "top":
		k.ya = draw.YTop
	}
	if o.hasColor && o.color != nil {
		k.col = o.color
	}
	if o.fontSize > 0 {
		k.size = o.fontSize
	}
	a.artists = append(a.artists, k)
}

// Text writes s at (x, y) on the current axes.
func Text(x, y float64, s string, opts ...Option) { Gca().Text(x, y, s, opts...) }

// FontSize sets the text size in points for Text.
func FontSize(pt float64) Option { return func(o *options) { o.fontSize = pt } }
