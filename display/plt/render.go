package plt

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"github.com/gradlab/gradlab/display"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// PNG renders the figure as PNG at scale times its DPI (2 for high-DPI
// screens).
func (f *Fig) PNG(scale float64) []byte {
	if scale <= 0 {
		scale = 1
	}
	return renderPNG(f.Width, f.Height, f.DPI*scale, f.draw)
}

// SVG renders the figure as an SVG document.
func (f *Fig) SVG() string { return renderSVG(f.Width, f.Height, f.draw) }

func renderPNG(w, h, dpi float64, drawFn func(draw.Canvas)) []byte {
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(w)*vg.Inch, vg.Length(h)*vg.Inch), vgimg.UseDPI(int(dpi+0.5)))
	drawFn(draw.New(c))
	var buf bytes.Buffer
	var err error
	if rgba, ok := c.Image().(*image.RGBA); ok {
		err = encodePNG(&buf, rgba)
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, c.Image())
	}
	if err != nil {
		panic(fmt.Sprintf("plt: encoding PNG: %v", err))
	}
	return buf.Bytes()
}

func renderSVG(w, h float64, drawFn func(draw.Canvas)) string {
	c := vgsvg.New(vg.Length(w)*vg.Inch, vg.Length(h)*vg.Inch)
	drawFn(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		panic(fmt.Sprintf("plt: writing SVG: %v", err))
	}
	return fixSVGFonts(buf.String())
}

// fixSVGFonts gives browsers fallbacks for the Liberation fonts, which are
// rarely installed (without them the text would fall back to a serif).
func fixSVGFonts(s string) string {
	s = strings.ReplaceAll(s, "font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")
	return s
}

// Savefig writes the current figure to path, as PNG, SVG or PDF by the
// extension; PNG at the figure's DPI.
func Savefig(path string) { Gcf().Savefig(path) }

// Savefig writes the figure to path (.png, .svg or .pdf).
func (f *Fig) Savefig(path string) {
	var data []byte
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		data = f.PNG(1)
	case ".svg":
		data = []byte(f.SVG())
	case ".pdf":
		c := vgpdf.New(vg.Length(f.Width)*vg.Inch, vg.Length(f.Height)*vg.Inch)
		f.draw(draw.New(c))
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			panic(fmt.Sprintf("plt.Savefig: %v", err))
		}
		data = buf.Bytes()
	default:
		panic(fmt.Sprintf("plt.Savefig: cannot tell the format of %q (use .png, .svg or .pdf)", path))
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		panic(fmt.Sprintf("plt.Savefig: %v", err))
	}
}

func (f *Fig) String() string {
	return fmt.Sprintf("<Figure size %.0fx%.0f with %d Axes>", f.Width*f.DPI, f.Height*f.DPI, len(f.axes))
}

// MIMEBundle renders the figure in the inline format (see SetFormat), so
// a figure that is a cell's value, or given to display.Display, shows.
// The figure is closed, so it does not show again when the cell ends;
// if the end of this cell already showed it, only its text is returned,
// so that a cell ending in fig shows the image once.
func (f *Fig) MIMEBundle() map[string]any {
	mu.Lock()
	shown := f.shown
	mu.Unlock()
	if shown {
		return map[string]any{"text/plain": f.String()}
	}
	f.Close()
	b, _ := f.bundle()
	return b
}

// MIMEMetadata gives the logical size of a high-DPI PNG.
func (f *Fig) MIMEMetadata() map[string]any {
	mu.Lock()
	shown := f.shown
	mu.Unlock()
	if shown {
		return nil
	}
	_, md := f.bundleMeta(false)
	return md
}

func (f *Fig) bundle() (display.Bundle, map[string]any) { return f.bundleMeta(true) }

func (f *Fig) bundleMeta(render bool) (display.Bundle, map[string]any) {
	mu.Lock()
	format := inline
	mu.Unlock()
	b := display.Bundle{"text/plain": f.String()}
	w, h := int(f.Width*f.DPI+0.5), int(f.Height*f.DPI+0.5)
	var md map[string]any
	switch format {
	case "svg":
		if render {
			b["image/svg+xml"] = f.SVG()
		}
	case "png":
		if render {
			b["image/png"] = f.PNG(1)
		}
	default:
		if render {
			b["image/png"] = f.PNG(2)
		}
		md = map[string]any{"image/png": map[string]any{"width": w, "height": h}}
	}
	return b, md
}

// Bundle renders a plot built directly with gonum/plot the way figures
// show inline (matplotlib's default size, high-DPI PNG). Display(p) and a
// cell whose value is a *plot.Plot use it; its metadata is in
// BundleMetadata.
func Bundle(p *plot.Plot) display.Bundle {
	b, _ := plotBundle(p)
	return b
}

func plotBundle(p *plot.Plot) (display.Bundle, map[string]any) {
	if p == nil {
		return display.Bundle{"text/plain": "<nil *plot.Plot>"}, nil
	}
	f := &Fig{Width: defaultW, Height: defaultH, DPI: defaultDPI}
	drawFn := func(c draw.Canvas) {
		c.SetColor(color.White)
		c.Fill(c.Rectangle.Path())
		p.Draw(draw.Crop(c, 4, -4, 4, -4))
	}
	b := display.Bundle{"text/plain": fmt.Sprintf("<gonum plot %q>", p.Title.Text)}
	mu.Lock()
	format := inline
	mu.Unlock()
	var md map[string]any
	switch format {
	case "svg":
		b["image/svg+xml"] = renderSVG(f.Width, f.Height, drawFn)
	case "png":
		b["image/png"] = renderPNG(f.Width, f.Height, f.DPI, drawFn)
	default:
		b["image/png"] = renderPNG(f.Width, f.Height, 2*f.DPI, drawFn)
		md = map[string]any{"image/png": map[string]any{"width": int(f.Width * f.DPI), "height": int(f.Height * f.DPI)}}
	}
	return b, md
}

// BundleMetadata is the display metadata for Bundle(p): the logical size
// of the high-DPI PNG (nil for other formats).
func BundleMetadata() map[string]any {
	mu.Lock()
	defer mu.Unlock()
	if inline != "retina" {
		return nil
	}
	return map[string]any{"image/png": map[string]any{
		"width": int(defaultW * defaultDPI), "height": int(defaultH * defaultDPI)}}
}

func formatPlot(v any) (display.Bundle, map[string]any, bool) {
	if p, ok := v.(*plot.Plot); ok {
		b, md := plotBundle(p)
		return b, md, true
	}
	return nil, nil, false
}

func isRaster(c draw.Canvas) bool {
	_, ok := baseCanvas(&c).(*vgimg.Canvas)
	return ok
}
