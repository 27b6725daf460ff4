package plt

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"
)

// tab10 is matplotlib's default colour cycle (C0..C9).
var tab10 = []color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x2c, 0xa0, 0x2c, 0xff},
	{0xd6, 0x27, 0x28, 0xff}, {0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff},
	{0xe3, 0x77, 0xc2, 0xff}, {0x7f, 0x7f, 0x7f, 0xff}, {0xbc, 0xbd, 0x22, 0xff},
	{0x17, 0xbe, 0xcf, 0xff},
}

// The one-letter colours of format strings, as matplotlib defines them.
var letterColors = map[byte]color.RGBA{
	'b': {0, 0, 255, 255}, 'g': {0, 128, 0, 255}, 'r': {255, 0, 0, 255},
	'c': {0, 191, 191, 255}, 'm': {191, 0, 191, 255}, 'y': {191, 191, 0, 255},
	'k': {0, 0, 0, 255}, 'w': {255, 255, 255, 255},
}

var namedColors = map[string]color.RGBA{
	"blue": {0, 0, 255, 255}, "green": {0, 128, 0, 255}, "red": {255, 0, 0, 255},
	"cyan": {0, 255, 255, 255}, "magenta": {255, 0, 255, 255}, "yellow": {255, 255, 0, 255},
	"black": {0, 0, 0, 255}, "white": {255, 255, 255, 255}, "gray": {128, 128, 128, 255},
	"grey": {128, 128, 128, 255}, "orange": {255, 165, 0, 255}, "purple": {128, 0, 128, 255},
	"brown": {165, 42, 42, 255}, "pink": {255, 192, 203, 255}, "olive": {128, 128, 0, 255},
	"navy": {0, 0, 128, 255}, "teal": {0, 128, 128, 255}, "lightgray": {211, 211, 211, 255},
	"darkgreen": {0, 100, 0, 255}, "darkred": {139, 0, 0, 255}, "darkblue": {0, 0, 139, 255},
	"gold": {255, 215, 0, 255}, "lime": {0, 255, 0, 255}, "steelblue": {70, 130, 180, 255},
	"tab:blue": tab10[0], "tab:orange": tab10[1], "tab:green": tab10[2], "tab:red": tab10[3],
	"tab:purple": tab10[4], "tab:brown": tab10[5], "tab:pink": tab10[6], "tab:gray": tab10[7],
	"tab:olive": tab10[8], "tab:cyan": tab10[9],
}

// parseColor reads a matplotlib colour: "r", "C3", "red", "tab:red",
// "#ff0000", "#f00", "#ff000080", "0.5" (grey level). "none" gives nil.
func parseColor(fn, s string) (color.Color, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	switch {
	case s == "none" || s == "":
		return nil, true
	case len(s) == 1 && letterColors[s[0]] != (color.RGBA{}):
		return letterColors[s[0]], true
	case len(s) == 2 && s[0] == 'c' && s[1] >= '0' && s[1] <= '9':
		return tab10[s[1]-'0'], true
	case strings.HasPrefix(s, "#"):
		h := s[1:]
		if len(h) == 3 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) == 6 {
			h += "ff"
		}
		if v, err := strconv.ParseUint(h, 16, 32); err == nil && len(h) == 8 {
			c := color.NRGBA{uint8(v >> 24), uint8(v >> 16), uint8(v >> 8), uint8(v)}
			return c, true
		}
	default:
		if c, ok := namedColors[s]; ok {
			return c, true
		}
		if g, err := strconv.ParseFloat(s, 64); err == nil && g >= 0 && g <= 1 {
			v := uint8(g*255 + 0.5)
			return color.RGBA{v, v, v, 255}, true
		}
	}
	panic(fmt.Sprintf("%s: unknown colour %q (use b g r c m y k w, C0-C9, a name like \"red\", or \"#rrggbb\")", fn, s))
}

func mustColor(fn, s string) color.Color {
	c, _ := parseColor(fn, s)
	return c
}

// withAlpha scales c's opacity by a.
func withAlpha(c color.Color, a float64) color.Color {
	if c == nil || a >= 1 {
		return c
	}
	r, g, b, al := c.RGBA()
	f := func(v uint32) uint8 { return uint8(float64(v>>8)*a + 0.5) }
	return color.RGBA{f(r), f(g), f(b), f(al)} // premultiplied
}

// dashes for matplotlib's line styles, in units of the line width, as
// matplotlib scales them.
func dashPattern(ls string, width vg.Length) []vg.Length {
	var unit []float64
	switch ls {
	case "--":
		unit = []float64{3.7, 1.6}
	case ":":
		unit = []float64{1, 1.65}
	case "-.":
		unit = []float64{6.4, 1.6, 1, 1.6}
	default:
		return nil
	}
	w := float64(width)
	if w < 1 {
		w = 1
	}
	d := make([]vg.Length, len(unit))
	for i, u := range unit {
		d[i] = vg.Length(u * w)
	}
	return d
}

var markerChars = "os^v<>xX+.*Ddph|_"

// format is a parsed matplotlib format string such as "r--o".
type format struct {
	color     color.Color
	hasColor  bool
	lineStyle string // "", "-", "--", ":", "-."
	marker    byte   // 0 for none
}

func parseFormat(fn, f string) format {
	var out format
	s := f
	for s != "" {
		switch {
		case strings.HasPrefix(s, "--"), strings.HasPrefix(s, "-."):
			out.lineStyle, s = s[:2], s[2:]
		case s[0] == '-' || s[0] == ':':
			out.lineStyle, s = s[:1], s[1:]
		case s[0] == 'C' && len(s) > 1 && s[1] >= '0' && s[1] <= '9':
			out.color, out.hasColor, s = tab10[s[1]-'0'], true, s[2:]
		case letterColors[s[0]] != (color.RGBA{}):
			out.color, out.hasColor, s = letterColors[s[0]], true, s[1:]
		case strings.IndexByte(markerChars, s[0]) >= 0:
			out.marker, s = s[0], s[1:]
		default:
			panic(fmt.Sprintf("%s: cannot read format string %q at %q (colours b g r c m y k w C0-C9, lines - -- : -., markers o s ^ v x + . * D)", fn, f, s))
		}
	}
	if out.lineStyle == "" && out.marker == 0 {
		out.lineStyle = "-"
	}
	return out
}

// options collects what Option functions set. Zero values mean "default".
type options struct {
	label       string
	color       color.Color
	hasColor    bool
	lineWidth   float64
	lineStyle   string
	hasLS       bool
	marker      byte
	hasMarker   bool
	markerSize  float64
	alpha       float64
	size        float64 // scatter marker area, pt^2
	sizes       []float64
	values      []float64
	cmap        string
	edge        color.Color
	hasEdge     bool
	face        color.Color
	hasFace     bool
	edgeWidth   float64
	levels      int
	levelVals   []float64
	vmin, vmax  *float64
	fontSize    float64
	extent      *[4]float64
	origin      string
	aspect      string
	annot       *string
	rotation    float64
	hasRotation bool
	ha, va      string
}

// Option adjusts one call: Plot(xs, ys, "r--", plt.Label("path"),
// plt.LineWidth(2)). Options are plain functions so that interpreted
// code can pass them.
type Option func(*options)

func collect(opts []Option) *options {
	o := &options{alpha: 1}
	for _, f := range opts {
		if f != nil {
			f(o)
		}
	}
	return o
}

// Label names the series in the legend.
func Label(s string) Option { return func(o *options) { o.label = s } }

// Color sets the colour: "r", "C1", "red", "tab:orange", "#1f77b4", "0.5".
func Color(c string) Option {
	col := mustColor("plt.Color", c)
	return func(o *options) { o.color, o.hasColor = col, true }
}

// LineWidth sets the line width in points (matplotlib's default is 1.5).
func LineWidth(w float64) Option { return func(o *options) { o.lineWidth = w } }

// LineStyle sets the line style: "-", "--", ":", "-." or "none".
func LineStyle(s string) Option {
	if s == "none" || s == "" || s == " " {
		s = "none"
	} else if s != "-" && s != "--" && s != ":" && s != "-." {
		panic(fmt.Sprintf("plt.LineStyle: unknown line style %q (use - -- : -. or none)", s))
	}
	return func(o *options) { o.lineStyle, o.hasLS = s, true }
}

// Marker sets the marker: o s ^ v < > x + . * D d p h, or "" for none.
func Marker(m string) Option {
	if len(m) > 1 || (m != "" && strings.IndexByte(markerChars, m[0]) < 0) {
		panic(fmt.Sprintf("plt.Marker: unknown marker %q (use one of %s)", m, markerChars))
	}
	var b byte
	if m != "" {
		b = m[0]
	}
	return func(o *options) { o.marker, o.hasMarker = b, true }
}

// MarkerSize sets the marker size in points (matplotlib's default is 6).
func MarkerSize(s float64) Option { return func(o *options) { o.markerSize = s } }

// Alpha sets the opacity, 0 (invisible) to 1.
func Alpha(a float64) Option { return func(o *options) { o.alpha = a } }

// S sets the scatter marker area in points² (matplotlib's s=; default 36).
func S(area float64) Option { return func(o *options) { o.size = area } }

// Sizes sets one scatter marker area (points²) per point.
func Sizes(areas any) Option {
	v := toFloats("plt.Sizes", areas)
	return func(o *options) { o.sizes = v }
}

// Values colours scatter points (or sets contour levels' colours) through
// the colour map: matplotlib's c=array.
func Values(v any) Option {
	f := toFloats("plt.Values", v)
	return func(o *options) { o.values = f }
}

// Cmap names the colour map: viridis (default), plasma, gray, binary
// (white to black) and Greys, hot, jet, coolwarm, Blues, Greens, Oranges,
// Reds; a name ending in _r is reversed.
func Cmap(name string) Option {
	lookupCmap(name)
	return func(o *options) { o.cmap = name }
}

// EdgeColor sets the marker edge colour ("none" for no edge).
func EdgeColor(c string) Option {
	col := mustColor("plt.EdgeColor", c)
	return func(o *options) { o.edge, o.hasEdge = col, true }
}

// FaceColor sets the marker fill colour ("none" for hollow markers).
func FaceColor(c string) Option {
	col := mustColor("plt.FaceColor", c)
	return func(o *options) { o.face, o.hasFace = col, true }
}

// EdgeWidth sets the marker edge width in points.
func EdgeWidth(w float64) Option { return func(o *options) { o.edgeWidth = w } }

// Levels asks Contour for about n nicely rounded levels (matplotlib's
// levels=n).
func Levels(n int) Option {
	if n < 1 || n > 1000 {
		panic(fmt.Sprintf("plt.Levels: want 1 to 1000 levels, got %d", n))
	}
	return func(o *options) { o.levels = n }
}

// LevelValues gives Contour its levels explicitly.
func LevelValues(v any) Option {
	f := toFloats("plt.LevelValues", v)
	if len(f) > 1000 {
		panic(fmt.Sprintf("plt.LevelValues: %d levels is too many (at most 1000)", len(f)))
	}
	return func(o *options) { o.levelVals = f }
}

// VMin and VMax fix the data range the colour map spans.
func VMin(v float64) Option { return func(o *options) { o.vmin = &v } }

// VMax: see VMin.
func VMax(v float64) Option { return func(o *options) { o.vmax = &v } }

// Extent gives the rectangle Imshow's image fills, in data coordinates:
// left, right, bottom, top (matplotlib's extent=).
func Extent(left, right, bottom, top float64) Option {
	for _, v := range []float64{left, right, bottom, top} {
		if !finite(v) {
			panic(fmt.Sprintf("plt.Extent: want finite values, got %g, %g, %g, %g", left, right, bottom, top))
		}
	}
	if left == right || bottom == top {
		panic(fmt.Sprintf("plt.Extent: the rectangle %g, %g, %g, %g is empty", left, right, bottom, top))
	}
	e := [4]float64{left, right, bottom, top}
	return func(o *options) { o.extent = &e }
}

// Origin puts Imshow's row 0 at the "upper" edge (the default) or the
// "lower" one.
func Origin(s string) Option {
	if s != "upper" && s != "lower" {
		panic(fmt.Sprintf("plt.Origin: unknown origin %q (use \"upper\" or \"lower\")", s))
	}
	return func(o *options) { o.origin = s }
}

// Aspect sets Imshow's aspect: "equal" (square cells, the default) or
// "auto" (fill the axes).
func Aspect(s string) Option {
	if s != "equal" && s != "auto" {
		panic(fmt.Sprintf("plt.Aspect: unknown aspect %q (use \"equal\" or \"auto\")", s))
	}
	return func(o *options) { o.aspect = s }
}

// Annot writes each value of an Imshow heat map in its cell, with a fmt
// format such as "%.2f"; "" shows whole numbers as such and others with
// two decimals (seaborn's annot=True).
func Annot(format string) Option { return func(o *options) { o.annot = &format } }

// Rotation turns tick labels (XTicks, YTicks) by deg degrees
// anticlockwise.
func Rotation(deg float64) Option {
	if !finite(deg) {
		panic(fmt.Sprintf("plt.Rotation: want a finite angle, got %g", deg))
	}
	return func(o *options) { o.rotation, o.hasRotation = deg, true }
}

// HA aligns Text horizontally on its point: "left" (the default),
// "center" or "right" (matplotlib's ha=).
func HA(s string) Option {
	if s != "left" && s != "center" && s != "right" {
		panic(fmt.Sprintf("plt.HA: unknown alignment %q (use left, center or right)", s))
	}
	return func(o *options) { o.ha = s }
}

// VA aligns Text vertically on its point: "bottom" (the default),
// "center" or "top" (matplotlib's va=).
func VA(s string) Option {
	if s != "bottom" && s != "center" && s != "top" && s != "baseline" {
		panic(fmt.Sprintf("plt.VA: unknown alignment %q (use bottom, center or top)", s))
	}
	return func(o *options) { o.va = s }
}
