package plt

import (
	"fmt"
	"image"
	"image/color"
	stddraw "image/draw"
	"math"
	"strconv"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// imageArtist is an Imshow image: one cell per grid value, filling the
// data rectangle ext (left, right, bottom, top) with row 0 along the top
// edge (origin "upper") or the bottom one (origin "lower").
type imageArtist struct {
	rows, cols int
	img        *image.RGBA // row 0 first
	ext        [4]float64
	lower      bool
}

func (im *imageArtist) bounds() (float64, float64, float64, float64) {
	e := im.ext
	return math.Min(e[0], e[1]), math.Max(e[0], e[1]), math.Min(e[2], e[3]), math.Max(e[2], e[3])
}

func (im *imageArtist) sticky() bool { return true }

func (im *imageArtist) draw(c *draw.Canvas, t *xform) {
	e := im.ext
	if !t.ok(e[0], e[2]) || !t.ok(e[1], e[3]) {
		return
	}
	xl, xr := t.x(e[0]), t.x(e[1])
	y0, y1 := t.y(e[3]), t.y(e[2]) // row 0's edge and the last row's
	if im.lower {
		y0, y1 = y1, y0
	}
	r := vg.Rectangle{Min: vg.Point{X: min(xl, xr), Y: min(y0, y1)}, Max: vg.Point{X: max(xl, xr), Y: max(y0, y1)}}
	// On a raster canvas, each pixel takes the colour of the cell under
	// it: crisp cells, clipped to the data area, and no resampling.
	in := vg.Rectangle{Min: vg.Point{X: max(r.Min.X, c.Min.X), Y: max(r.Min.Y, c.Min.Y)}, Max: vg.Point{X: min(r.Max.X, c.Max.X), Y: min(r.Max.Y, c.Max.Y)}}
	if paintPixels(c, in, func(xs, ys []float64, img *image.RGBA) {
		col := make([]int, len(xs))
		for px, x := range xs {
			col[px] = min(max(int((x-float64(xl))/float64(xr-xl)*float64(im.cols)), 0), im.cols-1)
		}
		for py, y := range ys {
			row := min(max(int((y-float64(y0))/float64(y1-y0)*float64(im.rows)), 0), im.rows-1)
			src := im.img.Pix[row*im.img.Stride:]
			dst := img.Pix[py*img.Stride:]
			for px, c := range col {
				copy(dst[4*px:4*px+4], src[4*c:4*c+4])
			}
		}
	}) {
		return
	}
	// DrawImage puts the image's first row at the top of r.
	c.DrawImage(r, flip(im.img, xl > xr, y0 < y1))
}

// paintPixels fills rectangle r of a raster canvas pixel by pixel: paint
// gets the canvas x of each pixel column's centre, the canvas y of each
// row's (top row first) and an image of that many pixels to fill, which
// is then drawn over the canvas as it is, without resampling (resampling
// costs more than computing the pixels). It reports false, painting
// nothing, when c is not a raster canvas.
func paintPixels(c *draw.Canvas, r vg.Rectangle, paint func(xs, ys []float64, img *image.RGBA)) bool {
	v, ok := baseCanvas(c).(*vgimg.Canvas)
	if !ok {
		return false
	}
	dst, ok := v.Image().(*image.RGBA)
	if !ok {
		return false
	}
	dots := v.DPI() / float64(vg.Inch)
	// vgimg's canvas y runs up from the bottom of the image.
	hpx := dst.Bounds().Dy()
	px0, px1 := int(math.Round(float64(r.Min.X)*dots)), int(math.Round(float64(r.Max.X)*dots))
	py0, py1 := hpx-int(math.Round(float64(r.Max.Y)*dots)), hpx-int(math.Round(float64(r.Min.Y)*dots))
	w, h := px1-px0, py1-py0
	if w <= 0 || h <= 0 {
		return true
	}
	xs, ys := make([]float64, w), make([]float64, h)
	for i := range xs {
		xs[i] = (float64(px0+i) + 0.5) / dots
	}
	for i := range ys {
		ys[i] = (float64(hpx-py0-i) - 0.5) / dots
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	paint(xs, ys, img)
	stddraw.Draw(dst, image.Rect(px0, py0, px1, py1), img, image.Point{}, stddraw.Over)
	return true
}

// flip mirrors src left to right (h) and/or top to bottom (v).
func flip(src *image.RGBA, h, v bool) *image.RGBA {
	if !h && !v {
		return src
	}
	b := src.Bounds()
	dst := image.NewRGBA(b)
	for y := 0; y < b.Dy(); y++ {
		sy := y
		if v {
			sy = b.Dy() - 1 - y
		}
		for x := 0; x < b.Dx(); x++ {
			sx := x
			if h {
				sx = b.Dx() - 1 - x
			}
			dst.SetRGBA(x, y, src.RGBAAt(sx, sy))
		}
	}
	return dst
}

// imageGrid reads Imshow's input: a 2-D grid, or a single-channel image
// shaped (1, H, W) or (H, W, 1) as a tensor from a dataset is.
func imageGrid(fn string, Z any) (rows, cols int, z []float64) {
	if s, ok := Z.(Shaper); ok {
		if sh := s.Shape(); len(sh) == 3 && (sh[0] == 1 || sh[2] == 1) {
			z = toFloats(fn, Z)
			if sh[0] == 1 {
				return sh[1], sh[2], z
			}
			return sh[0], sh[1], z
		} else if len(sh) > 2 {
			panic(fmt.Sprintf("%s: want a 2-D grid (or one channel, 1xHxW), got shape %v", fn, sh))
		}
	}
	return toGrid(fn, Z)
}

// Imshow shows a 2-D grid as an image (a heat map): one cell per value,
// coloured by Cmap (default viridis) between VMin and VMax (default the
// data range). As matplotlib: row 0 at the top (Origin("lower") puts it
// at the bottom), cells centred on integer coordinates unless Extent
// gives the rectangle the image fills, equal aspect unless
// Aspect("auto"). Annot writes each value in its cell. Add a colour bar
// with Colorbar. A single-channel image shaped 1xHxW or HxWx1 is shown
// as HxW.
func (a *Axes) Imshow(Z any, opts ...Option) {
	const fn = "plt.Imshow"
	rows, cols, z := imageGrid(fn, Z)
	if rows*cols == 0 {
		panic(fmt.Sprintf("%s: the grid is empty (%dx%d)", fn, rows, cols))
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
			img.SetRGBA(j, i, m.cmap.at(m.frac(v)))
		}
	}
	if bad > 0 {
		a.notes = append(a.notes, fmt.Sprintf("%s: %d of %d values are NaN or Inf (blank)", fn, bad, rows*cols))
	}
	im := &imageArtist{rows: rows, cols: cols, img: img, lower: o.origin == "lower"}
	if o.extent != nil {
		im.ext = *o.extent
	} else if im.lower {
		im.ext = [4]float64{-0.5, float64(cols) - 0.5, -0.5, float64(rows) - 0.5}
	} else {
		im.ext = [4]float64{-0.5, float64(cols) - 0.5, float64(rows) - 0.5, -0.5}
	}
	// The axes run as the extent does: top above bottom, so the default
	// extent (bottom = rows - 0.5, top = -0.5) turns the y axis down.
	a.xFlip, a.yFlip = im.ext[0] > im.ext[1], im.ext[2] > im.ext[3]
	a.equalAspect = o.aspect != "auto"
	a.mappable = m
	a.artists = append(a.artists, im)
	if o.annot != nil {
		a.artists = append(a.artists, newCellText(im, z, m, *o.annot))
	}
}

// Imshow shows a grid as an image on the current axes; see Axes.Imshow.
func Imshow(Z any, opts ...Option) { Gca().Imshow(Z, opts...) }

// cellText writes a value in each cell of an image (Annot, and
// ConfusionMatrix's counts), in the colour map's darkest colour on light
// cells and its lightest on dark ones, at a size that fits the cells.
type cellText struct {
	im    *imageArtist
	texts []string
	light []bool // the cell is light: write in the dark colour
	dark  color.Color
	pale  color.Color
}

func newCellText(im *imageArtist, z []float64, m *colorMapped, format string) *cellText {
	k := &cellText{im: im, texts: make([]string, len(z)), light: make([]bool, len(z))}
	lo, hi := m.cmap.at(0), m.cmap.at(1)
	k.dark, k.pale = lo, hi
	if luminance(lo) > luminance(hi) {
		k.dark, k.pale = hi, lo
	}
	integral := true
	for _, v := range z {
		if finite(v) && v != math.Trunc(v) {
			integral = false
		}
	}
	for i, v := range z {
		if !finite(v) {
			continue
		}
		switch {
		case format != "":
			k.texts[i] = fmt.Sprintf(format, v)
		case integral && math.Abs(v) < 1e15:
			k.texts[i] = strconv.FormatFloat(v, 'f', 0, 64)
		default:
			k.texts[i] = strconv.FormatFloat(v, 'f', 2, 64)
		}
		k.light[i] = luminance(m.cmap.at(m.frac(v))) > 0.5
	}
	return k
}

// luminance is c's relative brightness, 0 (black) to 1 (white).
func luminance(c color.RGBA) float64 {
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255
}

func (k *cellText) bounds() (float64, float64, float64, float64) {
	n := math.NaN()
	return n, n, n, n
}

func (k *cellText) draw(c *draw.Canvas, t *xform) {
	im := k.im
	e := im.ext
	if !t.ok(e[0], e[2]) || !t.ok(e[1], e[3]) {
		return
	}
	cw := vg.Length(math.Abs(float64(t.x(e[1])-t.x(e[0])))) / vg.Length(im.cols)
	ch := vg.Length(math.Abs(float64(t.y(e[3])-t.y(e[2])))) / vg.Length(im.rows)
	// 10 points, as matplotlib's text, or smaller when the widest number
	// would not fit its cell.
	size := 10.0
	sty := textStyle(size, draw.XCenter, draw.YCenter)
	var widest vg.Length
	for _, s := range k.texts {
		widest = max(widest, sty.Width(s))
	}
	if widest > 0 {
		size = math.Min(size, 10*float64(cw)*0.85/float64(widest))
	}
	size = math.Min(size, float64(ch)*0.6)
	if size < 3 {
		return // too small to read
	}
	sty = textStyle(size, draw.XCenter, draw.YCenter)
	for i, s := range k.texts {
		if s == "" {
			continue
		}
		row, col := i/im.cols, i%im.cols
		// Cell centres in data coordinates.
		fx := (float64(col) + 0.5) / float64(im.cols)
		fy := (float64(row) + 0.5) / float64(im.rows)
		x := e[0] + fx*(e[1]-e[0])
		y := e[3] + fy*(e[2]-e[3]) // row 0 along the top edge
		if im.lower {
			y = e[2] + fy*(e[3]-e[2])
		}
		p := vg.Point{X: t.x(x), Y: t.y(y)}
		if !inside(c, p) {
			continue
		}
		sty.Color = k.pale
		if k.light[i] {
			sty.Color = k.dark
		}
		c.FillText(sty, p, s)
	}
}

// ConfusionMatrix draws a confusion matrix as scikit-learn's
// ConfusionMatrixDisplay does: cm[i][j] counts the samples of true class i
// predicted as j, drawn as a heat map (Cmap, default "Blues") with the
// count in each cell, the class names (labels, nil for 0, 1, 2, ...) on
// both axes, "Predicted label" and "True label", and a colour bar. Long
// class names on the x axis are turned 45 degrees; Rotation sets it.
func (a *Axes) ConfusionMatrix(cm any, labels []string, opts ...Option) {
	const fn = "plt.ConfusionMatrix"
	rows, cols, _ := imageGrid(fn, cm)
	if rows != cols {
		panic(fmt.Sprintf("%s: want a square matrix (classes x classes), got %dx%d", fn, rows, cols))
	}
	if labels != nil && len(labels) != rows {
		panic(fmt.Sprintf("%s: %d labels for %d classes", fn, len(labels), rows))
	}
	o := collect(opts)
	cmap := o.cmap
	if cmap == "" {
		cmap = "Blues"
	}
	a.Imshow(cm, append([]Option{Cmap(cmap), Annot("")}, opts...)...)
	pos := make([]float64, rows)
	for i := range pos {
		pos[i] = float64(i)
	}
	var xopts []Option
	if !o.hasRotation && labels != nil {
		long := 0
		for _, l := range labels {
			long = max(long, len([]rune(l)))
		}
		if long > 4 && rows > 3 {
			xopts = append(xopts, Rotation(45))
		}
	} else if o.hasRotation {
		xopts = append(xopts, Rotation(o.rotation))
	}
	a.SetXTicks(pos, labels, xopts...)
	a.SetYTicks(pos, labels)
	a.SetXLabel("Predicted label")
	a.SetYLabel("True label")
	a.Colorbar()
}

// ConfusionMatrix draws a confusion matrix on the current axes; see
// Axes.ConfusionMatrix.
func ConfusionMatrix(cm any, labels []string, opts ...Option) {
	Gca().ConfusionMatrix(cm, labels, opts...)
}
