package plt

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Axes is one plotting area: its series, labels, limits and legend. The
// package functions (Plot, Title, ...) act on the current axes; the
// methods act on a given one, e.g. from Subplots.
type Axes struct {
	fig      *Fig
	row, col int

	artists []artist
	title   string
	xlabel  string
	ylabel  string
	zlabel  string

	xlim, ylim, zlim *[2]float64
	xlog, ylog       bool
	grid             bool
	legend           *legendSpec
	lineCycle        int
	patchCycle       int
	notes            []string

	is3D       bool
	elev, azim float64
	artists3   []*artist3

	mappable *colorMapped // the last colour-mapped artist, for Colorbar
	colorbar *colorMapped

	// Set by Imshow or Axis: one data unit as long on both axes; axes
	// that run right to left or top to bottom (an image's extent).
	equalAspect  bool
	xFlip, yFlip bool
	axisOff      bool
	xticks       *tickSpec
	yticks       *tickSpec
}

// tickSpec is what XTicks or YTicks fixed.
type tickSpec struct {
	vals   []float64
	labels []string // nil: the values, formatted
	rot    float64  // degrees
}

// artist is one drawn thing: a line, a scatter, a contour set, an image.
// What only some artists do is asked for through the optional interfaces
// below, as gonum's plotter does with Thumbnailer and DataRanger.
type artist interface {
	// bounds is the data extent; NaN on an axis the artist does not span.
	bounds() (xmin, xmax, ymin, ymax float64)
	draw(c *draw.Canvas, t *xform)
}

// labeler is an artist that can have a legend entry.
type labeler interface{ label() string }

// thumbnailer draws an artist's sample in a legend entry's handle box.
type thumbnailer interface {
	thumb(c *draw.Canvas, r vg.Rectangle)
}

// vertexer gives the canvas points a "best" legend should not cover.
type vertexer interface{ vertices(t *xform) []vg.Point }

// stickyEdges is an artist with no margins around it (images, contours),
// as matplotlib's sticky edges.
type stickyEdges interface{ sticky() bool }

// stickyBase is an artist that stands on y = 0 with no margin below (bars).
type stickyBase interface{ stickyY0() bool }

func isSticky(ar artist) bool {
	s, ok := ar.(stickyEdges)
	return ok && s.sticky()
}

// xform maps data to canvas coordinates.
type xform struct {
	p          *plot.Plot
	x, y       func(float64) vg.Length
	xlog, ylog bool
}

func (t *xform) ok(x, y float64) bool {
	return finite(x) && finite(y) && (!t.xlog || x > 0) && (!t.ylog || y > 0)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func sansFont(size float64) font.Font {
	return font.From(plot.DefaultFont, vg.Points(size))
}

var latexHandler = mathHandler{text.Plain{Fonts: font.DefaultCache}}

// handlerFor renders text with $...$ as LaTeX (matplotlib's mathtext, e.g.
// "$\theta$"), other text as it is.
func handlerFor(s string) text.Handler {
	if strings.Count(s, "$") >= 2 {
		return latexHandler
	}
	return plot.DefaultTextHandler
}

func textStyle(size float64, xa text.XAlignment, ya text.YAlignment) text.Style {
	return text.Style{
		Color: color.Black, Font: sansFont(size), XAlign: xa, YAlign: ya,
		Handler: plot.DefaultTextHandler,
	}
}

// SetTitle sets the axes title.
func (a *Axes) SetTitle(s string) { a.title = s }

// SetXLabel labels the x axis.
func (a *Axes) SetXLabel(s string) { a.xlabel = s }

// SetYLabel labels the y axis.
func (a *Axes) SetYLabel(s string) { a.ylabel = s }

// SetZLabel labels the z axis of a 3-D plot.
func (a *Axes) SetZLabel(s string) { a.zlabel = s }

func checkLim(fn string, lo, hi float64) *[2]float64 {
	if !finite(lo) || !finite(hi) || lo == hi {
		panic(fmt.Sprintf("%s: limits must be finite and differ, got %g, %g", fn, lo, hi))
	}
	return &[2]float64{lo, hi}
}

// SetXLim fixes the x range (lo > hi flips the axis).
func (a *Axes) SetXLim(lo, hi float64) { a.xlim = checkLim("plt.XLim", lo, hi) }

// SetYLim fixes the y range.
func (a *Axes) SetYLim(lo, hi float64) { a.ylim = checkLim("plt.YLim", lo, hi) }

// SetZLim fixes the z range of a 3-D plot.
func (a *Axes) SetZLim(lo, hi float64) { a.zlim = checkLim("plt.ZLim", lo, hi) }

func scaleIsLog(fn, s string) bool {
	switch s {
	case "log":
		return true
	case "linear":
		return false
	}
	panic(fmt.Sprintf("%s: unknown scale %q (use \"linear\" or \"log\")", fn, s))
}

// SetXScale sets the x scale: "linear" or "log".
func (a *Axes) SetXScale(s string) { a.xlog = scaleIsLog("plt.XScale", s) }

// SetYScale sets the y scale: "linear" or "log".
func (a *Axes) SetYScale(s string) { a.ylog = scaleIsLog("plt.YScale", s) }

// Axis sets how the axes show, as matplotlib's axis(): "off" hides the
// frame, ticks and axis labels (the title stays), "on" shows them,
// "equal" makes one unit as long on both axes, "auto" lets the data fill
// the axes.
func (a *Axes) Axis(s string) {
	switch s {
	case "off":
		a.axisOff = true
	case "on":
		a.axisOff = false
	case "equal", "scaled", "image":
		a.equalAspect = true
	case "auto":
		a.equalAspect = false
	default:
		panic(fmt.Sprintf("plt.Axis: unknown setting %q (use \"off\", \"on\", \"equal\" or \"auto\")", s))
	}
}

// SetXTicks puts the x ticks at ticks (nil or empty: no ticks), labelled
// with labels (nil: the values). Rotation turns the labels.
func (a *Axes) SetXTicks(ticks any, labels []string, opts ...Option) {
	a.xticks = newTickSpec("plt.XTicks", ticks, labels, opts)
}

// SetYTicks puts the y ticks at ticks, labelled with labels (nil: the
// values).
func (a *Axes) SetYTicks(ticks any, labels []string, opts ...Option) {
	a.yticks = newTickSpec("plt.YTicks", ticks, labels, opts)
}

func newTickSpec(fn string, ticks any, labels []string, opts []Option) *tickSpec {
	var vals []float64
	if ticks != nil {
		vals = toFloats(fn, ticks)
	}
	for i, v := range vals {
		if !finite(v) {
			panic(fmt.Sprintf("%s: tick %d is %g; ticks must be finite", fn, i, v))
		}
	}
	if labels != nil && len(labels) != len(vals) {
		panic(fmt.Sprintf("%s: %d labels for %d ticks; they must match", fn, len(labels), len(vals)))
	}
	return &tickSpec{vals: vals, labels: append([]string(nil), labels...), rot: collect(opts).rotation}
}

// apply fixes ax's ticks; rotated labels of a horizontal axis hang from
// their tick by their right end, as matplotlib's rotation=45, ha="right".
func (ts *tickSpec) apply(ax *plot.Axis, vertical bool) {
	if ts == nil {
		return
	}
	step := math.Inf(1)
	for i := 1; i < len(ts.vals); i++ {
		if d := math.Abs(ts.vals[i] - ts.vals[i-1]); d > 0 {
			step = math.Min(step, d)
		}
	}
	if math.IsInf(step, 1) {
		step = 1
	}
	ticks := make([]plot.Tick, len(ts.vals))
	for i, v := range ts.vals {
		ticks[i] = plot.Tick{Value: v, Label: tickLabel(v, step)}
		if ts.labels != nil {
			ticks[i].Label = ts.labels[i]
		}
	}
	ax.Tick.Marker = plot.ConstantTicks(ticks)
	if ts.rot != 0 {
		ax.Tick.Label.Rotation = ts.rot * math.Pi / 180
		if !vertical {
			ax.Tick.Label.XAlign = draw.XRight
			if ts.rot < 0 {
				ax.Tick.Label.XAlign = draw.XLeft
			}
			ax.Tick.Label.YAlign = draw.YTop
		}
	}
}

// Grid turns the grid lines on or off.
func (a *Axes) Grid(on bool) { a.grid = on }

// legendSpec is what Legend asked for.
type legendSpec struct {
	loc    string
	labels []string // explicit labels for the series, in order
}

var legendLocs = []string{"best", "upper right", "upper left", "lower left", "lower right",
	"right", "center left", "center right", "lower center", "upper center", "center"}

func checkLoc(fn string, loc []string) string {
	if len(loc) == 0 || loc[0] == "" {
		return "best"
	}
	for _, l := range legendLocs {
		if l == loc[0] {
			return l
		}
	}
	panic(fmt.Sprintf("%s: unknown location %q (use %s)", fn, loc[0], strings.Join(legendLocs, ", ")))
}

// Legend shows a legend of the labelled series, at loc (default "best":
// the place that hides the fewest data points; or "upper right", "upper
// left", "lower left", "lower right", "right", "center left", "center
// right", "lower center", "upper center", "center").
func (a *Axes) Legend(loc ...string) {
	a.legend = &legendSpec{loc: checkLoc("plt.Legend", loc)}
}

// LegendLabels shows a legend naming the series in order, as matplotlib's
// legend(["f(x)", "tangent"]).
func (a *Axes) LegendLabels(labels []string, loc ...string) {
	a.legend = &legendSpec{loc: checkLoc("plt.LegendLabels", loc), labels: append([]string(nil), labels...)}
}

func (a *Axes) nextLineColor() color.Color {
	c := tab10[a.lineCycle%len(tab10)]
	a.lineCycle++
	return c
}

func (a *Axes) nextPatchColor() color.Color {
	c := tab10[a.patchCycle%len(tab10)]
	a.patchCycle++
	return c
}

// noteBad records how many values of a series cannot be drawn.
func (a *Axes) noteBad(fn string, xs, ys []float64) {
	bad := 0
	for i := range xs {
		if !finite(xs[i]) || !finite(ys[i]) {
			bad++
		}
	}
	if bad > 0 {
		a.notes = append(a.notes, fmt.Sprintf("%s: %d of %d points are NaN or Inf (not drawn)", fn, bad, len(xs)))
	}
}

// xyData reads the x and y of a 2-D call; a nil xs means 0, 1, 2, ...
func xyData(fn string, xs, ys any) ([]float64, []float64) {
	y := toFloats(fn+" ys", ys)
	var x []float64
	if xs == nil {
		x = make([]float64, len(y))
		for i := range x {
			x[i] = float64(i)
		}
	} else {
		x = toFloats(fn+" xs", xs)
	}
	if len(x) != len(y) {
		panic(fmt.Sprintf("%s: xs has %d values but ys has %d; they must match", fn, len(x), len(y)))
	}
	return x, y // empty data draws nothing, as matplotlib
}

// Plot draws ys against xs (xs nil: against 0, 1, 2, ...) with a
// matplotlib format string: colour (b g r c m y k w, C0-C9), line style
// (- -- : -.) and marker (o s ^ v < > x + . * D d p h), e.g. "r--o"; ""
// takes the next colour of the cycle and a solid line.
func (a *Axes) Plot(xs, ys any, fmtStr string, opts ...Option) {
	const fn = "plt.Plot"
	x, y := xyData(fn, xs, ys)
	f := parseFormat(fn, fmtStr)
	o := collect(opts)
	l := &lineArtist{series: series{xs: x, ys: y, lbl: o.label}}
	switch {
	case o.hasColor:
		l.col = o.color
	case f.hasColor:
		l.col = f.color
	default:
		l.col = a.nextLineColor()
	}
	l.ls, l.marker = f.lineStyle, f.marker
	if o.hasLS {
		l.ls = o.lineStyle
	}
	if l.ls == "none" {
		l.ls = ""
	}
	if o.hasMarker {
		l.marker = o.marker
	}
	l.width = vg.Points(1.5)
	if o.lineWidth > 0 {
		l.width = vg.Points(o.lineWidth)
	}
	l.msize = vg.Points(6)
	if o.markerSize > 0 {
		l.msize = vg.Points(o.markerSize)
	}
	l.face, l.edge, l.ew = l.col, l.col, vg.Points(1)
	if o.hasFace {
		l.face = o.face
	}
	if o.hasEdge {
		l.edge = o.edge
	}
	if o.edgeWidth > 0 {
		l.ew = vg.Points(o.edgeWidth)
	}
	l.col, l.face, l.edge = withAlpha(l.col, o.alpha), withAlpha(l.face, o.alpha), withAlpha(l.edge, o.alpha)
	a.noteBad(fn, x, y)
	a.artists = append(a.artists, l)
}

// PlotY draws ys against 0, 1, 2, ... (matplotlib's plot(ys)).
func (a *Axes) PlotY(ys any, fmtStr string, opts ...Option) { a.Plot(nil, ys, fmtStr, opts...) }

// Scatter draws markers at (xs, ys). Options: S (area in points², default
// 36) or Sizes (one per point), Color, or Values with Cmap to colour by
// value, Marker, FaceColor("none") with EdgeColor for hollow markers,
// EdgeWidth, Alpha, Label.
func (a *Axes) Scatter(xs, ys any, opts ...Option) {
	const fn = "plt.Scatter"
	x, y := xyData(fn, xs, ys)
	o := collect(opts)
	s := &scatterArtist{series: series{xs: x, ys: y, lbl: o.label}, marker: 'o', ew: vg.Points(1)}
	if o.hasMarker && o.marker != 0 {
		s.marker = o.marker
	}
	area := 36.0
	if o.size > 0 {
		area = o.size
	}
	s.size = vg.Points(math.Sqrt(area))
	if o.sizes != nil {
		if len(o.sizes) != len(x) {
			panic(fmt.Sprintf("%s: %d sizes for %d points", fn, len(o.sizes), len(x)))
		}
		s.sizes = make([]vg.Length, len(o.sizes))
		for i, v := range o.sizes {
			s.sizes[i] = vg.Points(math.Sqrt(math.Max(v, 0)))
		}
	}
	var base color.Color
	switch {
	case o.hasColor:
		base = o.color
	default:
		base = a.nextPatchColor()
	}
	s.face, s.edge = base, base
	if o.values != nil {
		if len(o.values) != len(x) {
			panic(fmt.Sprintf("%s: %d colour values for %d points", fn, len(o.values), len(x)))
		}
		s.mapped = newColorMapped(o.values, o)
		s.colors = make([]color.Color, len(x))
		for i, v := range o.values {
			s.colors[i] = withAlpha(s.mapped.color(v), o.alpha)
		}
		a.mappable = s.mapped
	}
	if o.hasFace {
		s.face = o.face
	}
	if o.hasEdge {
		s.edge = o.edge
	} else if o.hasFace && o.face == nil {
		s.edge = base
	}
	if o.edgeWidth > 0 {
		s.ew = vg.Points(o.edgeWidth)
	}
	s.face, s.edge = withAlpha(s.face, o.alpha), withAlpha(s.edge, o.alpha)
	a.noteBad(fn, x, y)
	a.artists = append(a.artists, s)
}

// limits returns the view: explicit limits, or the data range with 5%
// margins (none on the sides of images and contours), as matplotlib.
func (a *Axes) limits() (x0, x1, y0, y1 float64) {
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	sx0, sy0 := math.Inf(1), math.Inf(1)
	sx1, sy1 := math.Inf(-1), math.Inf(-1)
	for _, ar := range a.artists {
		ax0, ax1, ay0, ay1 := ar.bounds()
		if a.xlog || a.ylog {
			ax0, ax1, ay0, ay1 = a.positiveBounds(ar, ax0, ax1, ay0, ay1)
		}
		if finite(ax0) && finite(ax1) {
			x0, x1 = math.Min(x0, ax0), math.Max(x1, ax1)
		}
		if finite(ay0) && finite(ay1) {
			y0, y1 = math.Min(y0, ay0), math.Max(y1, ay1)
		}
		if isSticky(ar) {
			sx0, sx1 = math.Min(sx0, ax0), math.Max(sx1, ax1)
			sy0, sy1 = math.Min(sy0, ay0), math.Max(sy1, ay1)
		}
	}
	ydata0 := y0
	x0, x1 = expand(x0, x1, sx0, sx1, a.xlog)
	y0, y1 = expand(y0, y1, sy0, sy1, a.ylog)
	for _, ar := range a.artists { // bars stand on y = 0 without a margin below
		if s, ok := ar.(stickyBase); ok && s.stickyY0() && ydata0 >= 0 && y0 < 0 && !a.ylog {
			y0 = 0
		}
	}
	if a.xlim != nil {
		x0, x1 = a.xlim[0], a.xlim[1]
	}
	if a.ylim != nil {
		y0, y1 = a.ylim[0], a.ylim[1]
	}
	return x0, x1, y0, y1
}

// positiveBounds recomputes bounds over the values a log axis can show.
func (a *Axes) positiveBounds(ar artist, x0, x1, y0, y1 float64) (float64, float64, float64, float64) {
	var xs, ys []float64
	switch v := ar.(type) {
	case *lineArtist:
		xs, ys = v.xs, v.ys
	case *scatterArtist:
		xs, ys = v.xs, v.ys
	default:
		return x0, x1, y0, y1
	}
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	t := &xform{xlog: a.xlog, ylog: a.ylog}
	for i := range xs {
		if t.ok(xs[i], ys[i]) {
			x0, x1 = math.Min(x0, xs[i]), math.Max(x1, xs[i])
			y0, y1 = math.Min(y0, ys[i]), math.Max(y1, ys[i])
		}
	}
	return x0, x1, y0, y1
}

// expand adds 5% margins, not going past sticky edges the data lies within.
func expand(lo, hi, slo, shi float64, log bool) (float64, float64) {
	if !finite(lo) || !finite(hi) {
		if log {
			return 0.1, 10
		}
		return 0, 1
	}
	if log {
		l0, l1 := math.Log10(lo), math.Log10(hi)
		if l0 == l1 {
			l0, l1 = l0-1, l1+1
		}
		m := 0.05 * (l1 - l0)
		return math.Pow(10, l0-m), math.Pow(10, l1+m)
	}
	if lo == hi {
		d := math.Abs(lo) * 0.05
		if d == 0 {
			d = 0.05
		}
		return lo - d, hi + d
	}
	m := 0.05 * (hi - lo)
	nlo, nhi := lo-m, hi+m
	if finite(slo) && lo >= slo {
		nlo = math.Max(nlo, slo)
	}
	if finite(shi) && hi <= shi {
		nhi = math.Min(nhi, shi)
	}
	return nlo, nhi
}

// draw draws the axes into the canvas c (its cell of the figure).
func (a *Axes) draw(c draw.Canvas) {
	if a.is3D {
		a.draw3D(c)
		return
	}
	var cb draw.Canvas
	if a.colorbar != nil {
		cb = draw.Crop(c, c.Size().X-vg.Points(62), 0, 0, 0)
		c = draw.Crop(c, 0, -vg.Points(62), 0, 0)
	}
	p := a.plot(c)
	if a.equalAspect { // shrink the data area to the data's shape
		dc := p.DataCanvas(c)
		x0, x1, y0, y1 := p.X.Min, p.X.Max, p.Y.Min, p.Y.Max
		w, h := dc.Size().X, dc.Size().Y
		want := vg.Length(math.Abs((y1 - y0) / (x1 - x0)))
		if h/w > want { // too tall
			d := (h - w*want) / 2
			c = draw.Crop(c, 0, 0, d, -d)
		} else {
			d := (w - h/want) / 2
			c = draw.Crop(c, d, -d, 0, 0)
			if a.colorbar != nil { // keep the bar beside the image
				cb = draw.Crop(cb, -d, 0, 0, 0)
			}
		}
	}
	dc := p.DataCanvas(c)
	p.Draw(c)
	if a.colorbar != nil {
		a.drawColorbar(cb, dc)
	}
}

// plot builds the gonum plot for the axes, styled like matplotlib.
func (a *Axes) plot(c draw.Canvas) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	x0, x1, y0, y1 := a.limits()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = x0, x1, y0, y1
	w, h := c.Size().X.Points(), c.Size().Y.Points()
	styleAxis(&p.X, a.xlabel, a.xlog, nbins(w*0.8/30))
	styleAxis(&p.Y, a.ylabel, a.ylog, nbins(h*0.8/20))
	// gonum leaves a space's width after y tick labels but no gap under
	// the x ticks.
	p.X.Tick.Label.Handler = padded{Handler: p.X.Tick.Label.Handler, dy: vg.Points(2.5)}
	// Explicit limits run as given; otherwise an image's extent decides.
	p.X.Min, p.X.Max = math.Min(x0, x1), math.Max(x0, x1)
	if (a.xlim == nil && a.xFlip) || x0 > x1 {
		p.X.Scale = plot.InvertedScale{Normalizer: p.X.Scale}
	}
	p.Y.Min, p.Y.Max = math.Min(y0, y1), math.Max(y0, y1)
	if (a.ylim == nil && a.yFlip) || y0 > y1 {
		p.Y.Scale = plot.InvertedScale{Normalizer: p.Y.Scale}
	}
	a.xticks.apply(&p.X, false)
	a.yticks.apply(&p.Y, true)
	if a.axisOff {
		p.HideAxes()
		p.X.Label.Text, p.Y.Label.Text = "", ""
	}
	if a.title != "" {
		p.Title.Text = a.title
		p.Title.TextStyle = textStyle(12, draw.XCenter, draw.YTop)
		p.Title.TextStyle.Handler = handlerFor(a.title)
		p.Title.Padding = vg.Points(6)
	}
	p.Add(&layer{a: a})
	return p
}

func nbins(n float64) int {
	return int(math.Max(3, math.Min(9, math.Floor(n))))
}

func styleAxis(ax *plot.Axis, label string, log bool, bins int) {
	black := color.Black
	ax.Padding = 0
	ax.LineStyle = draw.LineStyle{Color: black, Width: vg.Points(0.8)}
	ax.Tick.LineStyle = draw.LineStyle{Color: black, Width: vg.Points(0.8)}
	ax.Tick.Length = vg.Points(3.5)
	ax.Tick.Label.Font = sansFont(10)
	ax.Label.Text = label
	ax.Label.TextStyle.Font = sansFont(10)
	ax.Label.Padding = vg.Points(4)
	ax.Label.TextStyle.Handler = handlerFor(label)
	if log {
		ax.Scale = plot.LogScale{}
		ax.Tick.Marker = logTicker{nbins: bins}
		ax.Tick.Label.Handler = latexHandler
	} else {
		ax.Tick.Marker = linearTicker{nbins: bins}
	}
}

// layer draws the axes' contents inside the data area.
type layer struct{ a *Axes }

func (l *layer) Plot(c draw.Canvas, p *plot.Plot) {
	a := l.a
	trX, trY := p.Transforms(&c)
	t := &xform{p: p, x: trX, y: trY, xlog: a.xlog, ylog: a.ylog}
	if a.grid {
		sty := draw.LineStyle{Color: color.Gray{0xb0}, Width: vg.Points(0.8)}
		for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
			if x := trX(tk.Value); !tk.IsMinor() && c.ContainsX(x) {
				c.StrokeLine2(sty, x, c.Min.Y, x, c.Max.Y)
			}
		}
		for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
			if y := trY(tk.Value); !tk.IsMinor() && c.ContainsY(y) {
				c.StrokeLine2(sty, c.Min.X, y, c.Max.X, y)
			}
		}
	}
	for _, ar := range a.artists {
		ar.draw(&c, t)
	}
	// The frame: all four spines, as matplotlib.
	if !a.axisOff {
		c.StrokeLines(draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}, []vg.Point{
			c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}, c.Min,
		})
	}
	if a.legend != nil {
		a.drawLegend(&c, t)
	}
	if len(a.notes) > 0 {
		sty := textStyle(8, draw.XLeft, draw.YTop)
		sty.Color = color.RGBA{200, 0, 0, 255}
		y := c.Max.Y - vg.Points(3)
		for _, n := range a.notes {
			c.FillText(sty, vg.Point{X: c.Min.X + vg.Points(4), Y: y}, n)
			y -= vg.Points(10)
		}
	}
}
