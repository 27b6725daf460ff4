package display

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"sync"
)

// MetadataBundler is a Bundler that also supplies display metadata, such as
// {"image/png": {"width": 640, "height": 480}} to show a high-DPI image at
// its logical size. display/plt's figures implement it.
type MetadataBundler interface {
	Bundler
	MIMEMetadata() map[string]any
}

// A Formatter returns the rich form of values of types it knows, or ok
// false. Packages register formatters for types they do not own (plt does
// so for gonum's *plot.Plot).
type Formatter func(v any) (b Bundle, metadata map[string]any, ok bool)

var (
	fmtMu      sync.RWMutex
	formatters []Formatter
)

// RegisterFormatter adds f to the formatters Format consults, after
// Bundler and before the built-in forms.
func RegisterFormatter(f Formatter) {
	fmtMu.Lock()
	defer fmtMu.Unlock()
	formatters = append(formatters, f)
}

// Format returns the richest MIME bundle for v and its metadata (nil when
// there is none): a Bundle as it is; a MetadataBundler or Bundler's own
// bundle; a registered Formatter's; an image.Image as PNG; an error's
// message; a fmt.Stringer's String(); a string as text; anything else as
// fmt's %v. The bundle always has "text/plain", for consoles.
func Format(v any) (Bundle, map[string]any) {
	var (
		b  Bundle
		md map[string]any
	)
	switch x := v.(type) {
	case nil:
		return Bundle{"text/plain": "<nil>"}, nil
	case Bundle:
		b = x
	case MetadataBundler:
		b, md = Bundle(x.MIMEBundle()), x.MIMEMetadata()
	case Bundler:
		b = Bundle(x.MIMEBundle())
	}
	if b == nil {
		fmtMu.RLock()
		fs := formatters
		fmtMu.RUnlock()
		for _, f := range fs {
			if fb, fmd, ok := f(v); ok {
				b, md = fb, fmd
				break
			}
		}
	}
	if b == nil {
		switch x := v.(type) {
		case image.Image:
			b = imageBundle(x)
		case error:
			b = Bundle{"text/plain": x.Error()}
		case fmt.Stringer:
			b = Bundle{"text/plain": x.String()}
		case string:
			b = Bundle{"text/plain": x}
		default:
			b = Bundle{"text/plain": fmt.Sprintf("%v", v)}
		}
	}
	if _, ok := b["text/plain"]; !ok {
		b = copyBundle(b)
		b["text/plain"] = fmt.Sprintf("<%T>", v)
	}
	return b, md
}

func copyBundle(b Bundle) Bundle {
	c := make(Bundle, len(b)+1)
	for k, v := range b {
		c[k] = v
	}
	return c
}

// Handle names one display output so that it can be replaced in place.
type Handle struct {
	id string
}

// ID returns the display_id the frontend knows the output by.
func (h *Handle) ID() string { return h.id }

// Update replaces the output with v's bundle (update_display_data), with
// the same rules as Display.
func (h *Handle) Update(v any) {
	if _, ok := v.(*Handle); ok {
		// display.HTML and friends have already shown a new output: say
		// what to write instead of silently showing it twice.
		panic("display: Handle.Update got a *display.Handle: display.HTML, Markdown, ... show a new output at once; pass the content instead, e.g. h.UpdateHTML(s), h.UpdateText(s) or h.Update(value)")
	}
	b, md := Format(v)
	h.UpdateBundle(b, md)
}

// UpdateBundle replaces the output with b and its metadata.
func (h *Handle) UpdateBundle(b Bundle, metadata map[string]any) {
	current().Display(b, metadata, h.id, true)
}

// UpdateHTML replaces the output with HTML.
func (h *Handle) UpdateHTML(s string) { h.UpdateBundle(htmlBundle(s), nil) }

// UpdateText replaces the output with plain text.
func (h *Handle) UpdateText(s string) { h.UpdateBundle(Bundle{"text/plain": s}, nil) }

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// Display shows v (see Format for how a value becomes a bundle) and returns
// a handle by which it can be updated.
func Display(v any) *Handle {
	b, md := Format(v)
	return DisplayBundle(b, md)
}

// DisplayBundle shows the bundle b with its metadata (which may be nil).
func DisplayBundle(b Bundle, metadata map[string]any) *Handle {
	h := &Handle{id: newID()}
	current().Display(b, metadata, h.id, false)
	return h
}

// ClearOutput clears the running cell's output; with wait the frontend
// clears it only when new output arrives, which avoids flicker when a cell
// redraws in a loop.
func ClearOutput(wait bool) { current().ClearOutput(wait) }

func htmlBundle(s string) Bundle {
	return Bundle{"text/html": s, "text/plain": "<HTML>"}
}

// HTML shows s as HTML.
func HTML(s string) *Handle { return DisplayBundle(htmlBundle(s), nil) }

// Markdown shows s as Markdown.
func Markdown(s string) *Handle {
	return DisplayBundle(Bundle{"text/markdown": s, "text/plain": s}, nil)
}

// Latex shows s as LaTeX, e.g. "$\\nabla_x \\|x\\|^2 = 2x$".
func Latex(s string) *Handle {
	return DisplayBundle(Bundle{"text/latex": s, "text/plain": s}, nil)
}

// SVG shows an SVG document.
func SVG(s string) *Handle {
	return DisplayBundle(Bundle{"image/svg+xml": s, "text/plain": "<SVG image>"}, nil)
}

// Text shows s as plain text.
func Text(s string) *Handle { return DisplayBundle(Bundle{"text/plain": s}, nil) }

// PNG shows PNG-encoded bytes. It panics if b is not a PNG image.
func PNG(b []byte) *Handle {
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		panic(fmt.Sprintf("display.PNG: not a PNG image (%v)", err))
	}
	return DisplayBundle(Bundle{
		"image/png":  b,
		"text/plain": fmt.Sprintf("<PNG image %dx%d>", cfg.Width, cfg.Height),
	}, nil)
}

// Image shows img, encoded as PNG.
func Image(img image.Image) *Handle { return DisplayBundle(imageBundle(img), nil) }

func imageBundle(img image.Image) Bundle {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		panic(fmt.Sprintf("display: encoding image as PNG: %v", err))
	}
	r := img.Bounds()
	return Bundle{
		"image/png":  buf.Bytes(),
		"text/plain": fmt.Sprintf("<image %dx%d>", r.Dx(), r.Dy()),
	}
}

// JSON shows v as application/json (frontends show a foldable tree). It
// panics if v cannot be encoded as JSON.
func JSON(v any) *Handle {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("display.JSON: %v", err))
	}
	text, _ := json.MarshalIndent(v, "", "  ")
	return DisplayBundle(Bundle{
		"application/json": json.RawMessage(raw),
		"text/plain":       string(text),
	}, nil)
}
