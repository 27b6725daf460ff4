// Package plt draws matplotlib-style figures over gonum.org/v1/plot and
// shows them inline in a gradlab notebook.
//
// It keeps matplotlib's habits: a current figure and axes, format strings
// ("r--o"), the tab10 colour cycle, automatic legends placed where they
// hide the least data, and figures that show themselves when the cell ends
// (like the inline backend):
//
//	plt.Plot(xs, ys, "b-")
//	plt.Plot(path, fpath, "r--o", plt.Label("descent"))
//	plt.XLabel("x")
//	plt.Legend()
//
// Also: Scatter (sizes, colours, colour maps), Contour and Contourf,
// Imshow (Extent, Origin, Annot) with Colorbar, ConfusionMatrix, Bar,
// Hist, AxHLine/AxVLine, Text, log scales, limits, XTicks/YTicks with
// labels, Axis("off"), Grid;
// 3-D lines, scatters and surfaces by projection (Plot3D, Scatter3D,
// Surface, View); Figure(w, h, dpi), Subplots/Subplot/Sca; Savefig (.png,
// .svg, .pdf) and Show. Figures show inline as high-DPI PNG by default,
// or SetFormat("png"/"svg"). A *plot.Plot built with gonum shows too.
// Options (Label, Color, LineWidth, S, ...) are plain functions so that
// interpreted code can pass them.
//
// Data may be []float64, []float32, []int, or anything with
// Float64s() []float64 (a tensor); grids also [][]float64 or values with
// Shape() []int. plt does not import the tensor package.
//
// Bad input (lengths that differ, unknown format) panics with a message
// naming the call; empty data draws nothing, as matplotlib; NaN and Inf
// values leave gaps and a note on the axes saying how many were skipped.
package plt

import (
	"fmt"
	"image/color"
	"math"
	"sync"

	"github.com/gradlab/gradlab/display"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Matplotlib's defaults.
const (
	defaultW, defaultH = 6.4, 4.8 // inches
	defaultDPI         = 100
)

func init() {
	// Sans text, as matplotlib; also for gonum plots users build
	// themselves after importing plt.
	plot.DefaultFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	display.OnCellEnd(showOpen)
	display.RegisterFormatter(formatPlot)
}

// Fig is a figure: a canvas of Width x Height inches holding a grid of
// axes. Most code never names it: the package functions draw on the
// current figure.
type Fig struct {
	Width, Height float64 // inches
	DPI           float64 // pixels per inch of the logical (1x) image
	rows, cols    int
	axes          []*Axes
	cur           *Axes
	suptitle      string
	shown         bool // displayed by Show or at the end of this cell
}

var (
	mu        sync.Mutex // guards the figure list; drawing itself is single-threaded
	figs      []*Fig
	curFig    *Fig
	inline    = "retina"
	justShown []*Fig // shown in the cell that is ending
)

// Figure starts a new figure of w x h inches at dpi and makes it current.
// Zero values mean matplotlib's defaults (6.4 x 4.8 inches, 100 dpi).
func Figure(w, h, dpi float64) *Fig {
	if w <= 0 {
		w = defaultW
	}
	if h <= 0 {
		h = defaultH
	}
	if dpi <= 0 {
		dpi = defaultDPI
	}
	if !(w >= 1 && h >= 1 && dpi >= 10) { // written so that NaN fails too
		panic(fmt.Sprintf("plt.Figure: %gx%g inches at %g dpi is too small (at least 1x1 inch, 10 dpi)", w, h, dpi))
	}
	if !(w <= 100 && h <= 100 && w*h*dpi*dpi <= 1e9/4) {
		panic(fmt.Sprintf("plt.Figure: %gx%g inches at %g dpi is too large", w, h, dpi))
	}
	f := &Fig{Width: w, Height: h, DPI: dpi, rows: 1, cols: 1}
	mu.Lock()
	figs = append(figs, f)
	curFig = f
	mu.Unlock()
	return f
}

// Gcf returns the current figure, creating one if there is none.
func Gcf() *Fig {
	mu.Lock()
	f := curFig
	mu.Unlock()
	if f == nil {
		f = Figure(0, 0, 0)
	}
	return f
}

// Gca returns the current axes of the current figure, creating them if
// needed.
func Gca() *Axes { return Gcf().Gca() }

// Gca returns the figure's current axes, creating a single one if needed.
func (f *Fig) Gca() *Axes {
	if f.cur == nil {
		f.cur = f.addAxes(0, 0)
	}
	return f.cur
}

func (f *Fig) addAxes(row, col int) *Axes {
	a := &Axes{fig: f, row: row, col: col, elev: 30, azim: -60}
	f.axes = append(f.axes, a)
	return a
}

// Subplots starts a new figure with rows x cols axes and returns them in
// row-major order (axs[r*cols+c]); the first is current. Draw on one with
// its methods (axs[1].Plot(...)) or make it current with Sca.
func Subplots(rows, cols int) []*Axes {
	if rows < 1 || cols < 1 || rows*cols > 100 {
		panic(fmt.Sprintf("plt.Subplots: cannot make %d x %d axes", rows, cols))
	}
	f := Figure(0, 0, 0)
	f.rows, f.cols = rows, cols
	if cols > 1 && rows == 1 {
		f.Width = math.Min(4*float64(cols), 16) // wide rows stay readable
	}
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			f.addAxes(r, c)
		}
	}
	f.cur = f.axes[0]
	out := make([]*Axes, len(f.axes))
	copy(out, f.axes)
	return out
}

// Subplot makes the index-th (1-based, row-major) axes of a rows x cols
// grid in the current figure current, creating it if needed, as
// matplotlib's subplot(rows, cols, index).
func Subplot(rows, cols, index int) *Axes {
	if rows < 1 || cols < 1 || index < 1 || index > rows*cols {
		panic(fmt.Sprintf("plt.Subplot: index %d is outside a %d x %d grid", index, rows, cols))
	}
	f := Gcf()
	if f.rows != rows || f.cols != cols {
		if len(f.axes) > 0 && (f.rows != 1 || f.cols != 1) {
			panic(fmt.Sprintf("plt.Subplot: the figure already has a %d x %d grid", f.rows, f.cols))
		}
		f.rows, f.cols = rows, cols
		for _, a := range f.axes { // a lone earlier axes becomes cell 1
			a.row, a.col = 0, 0
		}
	}
	r, c := (index-1)/cols, (index-1)%cols
	for _, a := range f.axes {
		if a.row == r && a.col == c {
			f.cur = a
			return a
		}
	}
	f.cur = f.addAxes(r, c)
	return f.cur
}

// Sca makes ax and its figure current.
func Sca(ax *Axes) {
	mu.Lock()
	defer mu.Unlock()
	curFig = ax.fig
	ax.fig.cur = ax
}

// Suptitle sets a title above all the figure's axes.
func Suptitle(s string) { Gcf().suptitle = s }

// Close closes the current figure without showing it.
func Close() {
	mu.Lock()
	f := curFig
	mu.Unlock()
	if f != nil {
		f.Close()
	}
}

// Close closes the figure: it will not show at the end of the cell.
func (f *Fig) Close() {
	mu.Lock()
	defer mu.Unlock()
	for i, g := range figs {
		if g == f {
			figs = append(figs[:i], figs[i+1:]...)
			break
		}
	}
	if curFig == f {
		curFig = nil
		if len(figs) > 0 {
			curFig = figs[len(figs)-1]
		}
	}
}

// CloseAll closes every open figure without showing it.
func CloseAll() {
	mu.Lock()
	figs, curFig = nil, nil
	mu.Unlock()
}

// Clf clears the current figure.
func Clf() {
	f := Gcf()
	f.axes, f.cur, f.rows, f.cols, f.suptitle = nil, nil, 1, 1, ""
}

// SetFormat chooses how figures show inline: "retina" (PNG at twice the
// resolution, shown at the logical size; the default), "png", or "svg".
func SetFormat(format string) {
	switch format {
	case "retina", "png", "svg":
		mu.Lock()
		inline = format
		mu.Unlock()
	default:
		panic(fmt.Sprintf("plt.SetFormat: unknown format %q (use retina, png or svg)", format))
	}
}

// Show displays the current figure now and closes it, as matplotlib's
// inline show does. Outside a notebook it prints a one-line summary (see
// display's text sink for saving images).
func Show() {
	mu.Lock()
	f := curFig
	mu.Unlock()
	if f == nil {
		return
	}
	Close()
	f.display()
}

// blank reports whether nothing was drawn or written on the figure (as
// after a Plot call that panicked on bad input): it is not worth showing.
func (f *Fig) blank() bool {
	if f.suptitle != "" {
		return false
	}
	for _, a := range f.axes {
		if len(a.artists) > 0 || len(a.artists3) > 0 || a.title != "" || a.xlabel != "" || a.ylabel != "" {
			return false
		}
	}
	return true
}

func (f *Fig) display() {
	b, md := f.bundle()
	display.DisplayBundle(b, md)
	mu.Lock()
	f.shown = true
	justShown = append(justShown, f)
	mu.Unlock()
}

// showOpen shows the figures still open when a cell ends, then closes
// them. A figure that fails to draw shows its error instead of breaking
// the session.
func showOpen() {
	mu.Lock()
	open := figs
	figs, curFig = nil, nil
	for _, f := range justShown { // shown in the previous cell
		f.shown = false
	}
	justShown = nil
	mu.Unlock()
	for _, f := range open {
		if f.blank() {
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					display.Text(fmt.Sprintf("plt: cannot draw the figure: %v", r))
				}
			}()
			f.display()
		}()
	}
}

// draw draws the whole figure: a white page, the suptitle, each axes in
// its cell of the grid.
func (f *Fig) draw(c draw.Canvas) {
	if !isRaster(c) { // raster canvases start white
		c.SetColor(color.White)
		c.Fill(c.Rectangle.Path())
	}
	pad := vg.Points(7)
	c = draw.Crop(c, pad, -pad, pad, -pad)
	if f.suptitle != "" {
		sty := textStyle(13, draw.XCenter, draw.YTop)
		c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y}, f.suptitle)
		c = draw.Crop(c, 0, 0, 0, -sty.Height(f.suptitle)-vg.Points(6))
	}
	rows, cols := f.rows, f.cols
	if rows < 1 {
		rows = 1
	}
	if cols < 1 {
		cols = 1
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(14), PadY: vg.Points(10)}
	for _, a := range f.axes {
		a.draw(tiles.At(c, a.col, a.row))
	}
}
