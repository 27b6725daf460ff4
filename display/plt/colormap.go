package plt

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A colour map: anchor colours at positions 0..1, linearly interpolated.
type cmapDef struct {
	pos  []float64
	cols []color.RGBA
}

func hexes(hs ...string) []color.RGBA {
	out := make([]color.RGBA, len(hs))
	for i, h := range hs {
		c := mustColor("cmap", h).(color.NRGBA)
		out[i] = color.RGBA{c.R, c.G, c.B, 255}
	}
	return out
}

func evenly(n int) []float64 {
	p := make([]float64, n)
	for i := range p {
		p[i] = float64(i) / float64(n-1)
	}
	return p
}

var cmaps = map[string]cmapDef{
	// viridis and plasma sampled at 11 points from matplotlib's tables.
	"viridis":  {evenly(11), hexes("#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725")},
	"plasma":   {evenly(11), hexes("#0d0887", "#41049d", "#6a00a8", "#8f0da4", "#b12a90", "#cc4778", "#e16462", "#f2844b", "#fca636", "#fcce25", "#f0f921")},
	"gray":     {evenly(2), hexes("#000000", "#ffffff")},
	"binary":   {evenly(2), hexes("#ffffff", "#000000")},
	"Greys":    {evenly(2), hexes("#ffffff", "#000000")},
	"Greens":   {evenly(3), hexes("#f7fcf5", "#74c476", "#00441b")},
	"Oranges":  {evenly(3), hexes("#fff5eb", "#fd8d3c", "#7f2704")},
	"hot":      {[]float64{0, 0.375, 0.75, 1}, hexes("#0b0000", "#ff0000", "#ffff00", "#ffffff")},
	"jet":      {[]float64{0, 0.125, 0.375, 0.625, 0.875, 1}, hexes("#000080", "#0000ff", "#00ffff", "#ffff00", "#ff0000", "#800000")},
	"coolwarm": {evenly(3), hexes("#3b4cc0", "#dddddd", "#b40426")},
	"Blues":    {evenly(3), hexes("#f7fbff", "#6baed6", "#08306b")},
	"Reds":     {evenly(3), hexes("#fff5f0", "#fb6a4a", "#67000d")},
}

func lookupCmap(name string) cmapDef {
	if name == "" {
		name = "viridis"
	}
	if name == "grey" {
		name = "gray"
	}
	reversed := strings.HasSuffix(name, "_r")
	m, ok := cmaps[strings.TrimSuffix(name, "_r")]
	if !ok {
		var names []string
		for k := range cmaps {
			names = append(names, k)
		}
		sort.Strings(names)
		panic(fmt.Sprintf("plt.Cmap: unknown colour map %q (use %s, or a name with _r to reverse)", name, strings.Join(names, ", ")))
	}
	if reversed {
		r := cmapDef{make([]float64, len(m.pos)), make([]color.RGBA, len(m.cols))}
		for i := range m.pos {
			r.pos[i] = 1 - m.pos[len(m.pos)-1-i]
			r.cols[i] = m.cols[len(m.cols)-1-i]
		}
		return r
	}
	return m
}

// at returns the colour at f in [0, 1].
func (m cmapDef) at(f float64) color.RGBA {
	if math.IsNaN(f) {
		return color.RGBA{}
	}
	f = math.Max(0, math.Min(1, f))
	i := sort.SearchFloat64s(m.pos, f)
	if i == 0 {
		return m.cols[0]
	}
	if i >= len(m.pos) {
		return m.cols[len(m.cols)-1]
	}
	t := (f - m.pos[i-1]) / (m.pos[i] - m.pos[i-1])
	a, b := m.cols[i-1], m.cols[i]
	mix := func(x, y uint8) uint8 { return uint8(float64(x) + t*(float64(y)-float64(x)) + 0.5) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}

// colorMapped maps data values to colours (what a colour bar shows).
type colorMapped struct {
	cmap       cmapDef
	vmin, vmax float64
	bands      []float64 // Contourf's band edges: a bar of solid bands
}

func newColorMapped(vals []float64, o *options) *colorMapped {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		if finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if !finite(lo) {
		lo, hi = 0, 1
	}
	if o.vmin != nil {
		lo = *o.vmin
	}
	if o.vmax != nil {
		hi = *o.vmax
	}
	return &colorMapped{cmap: lookupCmap(o.cmap), vmin: lo, vmax: hi}
}

func (m *colorMapped) frac(v float64) float64 {
	if m.vmax == m.vmin {
		return 0.5
	}
	return (v - m.vmin) / (m.vmax - m.vmin)
}

func (m *colorMapped) color(v float64) color.Color {
	if !finite(v) {
		return color.RGBA{}
	}
	return m.cmap.at(m.frac(v))
}

// Colorbar adds a colour bar for the last colour-mapped drawing (Imshow,
// Contour, Scatter with Values) on the axes.
func (a *Axes) Colorbar() {
	if a.mappable == nil {
		panic("plt.Colorbar: nothing colour-mapped on these axes (use Imshow, Contour, or Scatter with Values)")
	}
	a.colorbar = a.mappable
}

// Colorbar adds a colour bar to the current axes.
func Colorbar() { Gca().Colorbar() }

// drawColorbar draws the bar in strip cb beside data area dc.
func (a *Axes) drawColorbar(cb draw.Canvas, dc draw.Canvas) {
	m := a.colorbar
	bar := vg.Rectangle{
		Min: vg.Point{X: cb.Min.X + vg.Points(10), Y: dc.Min.Y},
		Max: vg.Point{X: cb.Min.X + vg.Points(22), Y: dc.Max.Y},
	}
	lo, hi := m.vmin, m.vmax
	if len(m.bands) >= 2 && hi > lo {
		for i := 0; i+1 < len(m.bands); i++ {
			b0, b1 := m.bands[i], m.bands[i+1]
			y0 := bar.Min.Y + vg.Length((b0-lo)/(hi-lo))*bar.Size().Y
			y1 := bar.Min.Y + vg.Length((b1-lo)/(hi-lo))*bar.Size().Y
			cb.FillPolygon(m.color((b0+b1)/2), []vg.Point{{X: bar.Min.X, Y: y0}, {X: bar.Max.X, Y: y0}, {X: bar.Max.X, Y: y1}, {X: bar.Min.X, Y: y1}})
		}
	} else {
		img := image.NewRGBA(image.Rect(0, 0, 1, 256))
		for i := 0; i < 256; i++ {
			img.Set(0, 255-i, m.cmap.at(float64(i)/255))
		}
		cb.DrawImage(bar, img)
	}
	black := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}
	cb.StrokeLines(black, []vg.Point{bar.Min, {X: bar.Max.X, Y: bar.Min.Y}, bar.Max, {X: bar.Min.X, Y: bar.Max.Y}, bar.Min})
	if lo == hi {
		return
	}
	ticks, step := niceTicks(lo, hi, nbins(float64(bar.Size().Y.Points())/20))
	sty := textStyle(10, draw.XLeft, draw.YCenter)
	for _, v := range ticks {
		y := bar.Min.Y + vg.Length((v-lo)/(hi-lo))*bar.Size().Y
		cb.StrokeLine2(black, bar.Max.X, y, bar.Max.X+vg.Points(3.5), y)
		cb.FillText(sty, vg.Point{X: bar.Max.X + vg.Points(5.5), Y: y}, tickLabel(v, step))
	}
}
