package display

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

type call struct {
	b      Bundle
	md     map[string]any
	id     string
	update bool
	clear  bool
}

type fakeSink struct{ calls []call }

func (f *fakeSink) Display(b Bundle, md map[string]any, id string, update bool) {
	f.calls = append(f.calls, call{b: b, md: md, id: id, update: update})
}
func (f *fakeSink) ClearOutput(wait bool) { f.calls = append(f.calls, call{clear: true}) }

func withSink(t *testing.T) *fakeSink {
	f := &fakeSink{}
	old := SetSink(f)
	t.Cleanup(func() { SetSink(old) })
	return f
}

type stringer struct{}

func (stringer) String() string { return "I am a stringer" }

type rich struct{}

func (rich) MIMEBundle() map[string]any { return map[string]any{"text/html": "<b>rich</b>"} }

type richMD struct{ rich }

func (richMD) MIMEMetadata() map[string]any { return map[string]any{"k": 1} }

func TestFormat(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	cases := []struct {
		v         any
		mime, has string
	}{
		{"hello", "text/plain", "hello"},
		{42, "text/plain", "42"},
		{[]float64{1, 2}, "text/plain", "[1 2]"},
		{stringer{}, "text/plain", "I am a stringer"},
		{errors.New("boom"), "text/plain", "boom"},
		{nil, "text/plain", "<nil>"},
		{rich{}, "text/html", "<b>rich</b>"},
		{rich{}, "text/plain", "rich"}, // text/plain is added for consoles
		{Bundle{"text/markdown": "# hi"}, "text/markdown", "# hi"},
	}
	for _, c := range cases {
		b, _ := Format(c.v)
		s, _ := b[c.mime].(string)
		if !strings.Contains(s, c.has) {
			t.Errorf("Format(%#v)[%s] = %q, want it to contain %q", c.v, c.mime, s, c.has)
		}
	}
	b, _ := Format(img)
	got, err := png.Decode(bytes.NewReader(b["image/png"].([]byte)))
	if err != nil || got.Bounds().Dx() != 3 || got.Bounds().Dy() != 2 {
		t.Fatalf("image -> PNG: %v %v", err, got)
	}
	if _, md := Format(richMD{}); md["k"] != 1 {
		t.Errorf("metadata from MetadataBundler lost: %v", md)
	}
}

type point struct{ X, Y int }

func TestFormatterRegistry(t *testing.T) {
	RegisterFormatter(func(v any) (Bundle, map[string]any, bool) {
		if p, ok := v.(point); ok {
			return Bundle{"text/plain": "P", "text/html": "<i>point</i>"}, map[string]any{"x": p.X}, true
		}
		return nil, nil, false
	})
	b, md := Format(point{3, 4})
	if b["text/html"] != "<i>point</i>" || md["x"] != 3 {
		t.Fatalf("formatter not used: %v %v", b, md)
	}
	if b, _ := Format(7); b["text/plain"] != "7" {
		t.Fatalf("formatter captured other values: %v", b)
	}
}

func TestDisplayAndUpdateShareID(t *testing.T) {
	f := withSink(t)
	h := Display("first")
	h.Update("second")
	h.UpdateHTML("<p>third</p>")
	h2 := HTML("<p>other</p>")
	ClearOutput(true)
	if len(f.calls) != 5 {
		t.Fatalf("got %d sink calls, want 5", len(f.calls))
	}
	c0, c1, c2, c3 := f.calls[0], f.calls[1], f.calls[2], f.calls[3]
	if c0.update || !c1.update || !c2.update || c3.update {
		t.Errorf("update flags wrong: %v %v %v %v", c0.update, c1.update, c2.update, c3.update)
	}
	if c0.id == "" || c1.id != c0.id || c2.id != c0.id || h.ID() != c0.id {
		t.Errorf("update does not reuse the display id: %q %q %q", c0.id, c1.id, c2.id)
	}
	if h2.ID() == h.ID() {
		t.Error("two displays share an id")
	}
	if c1.b["text/plain"] != "second" || c2.b["text/html"] != "<p>third</p>" {
		t.Errorf("update contents wrong: %v %v", c1.b, c2.b)
	}
	if !f.calls[4].clear {
		t.Error("ClearOutput did not reach the sink")
	}
}

func TestConvenienceCalls(t *testing.T) {
	f := withSink(t)
	Markdown("# title")
	Latex(`$x^2$`)
	SVG(`<svg xmlns="http://www.w3.org/2000/svg"/>`)
	JSON(map[string]int{"a": 1})
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 5, 4)))
	PNG(buf.Bytes())
	Image(image.NewGray(image.Rect(0, 0, 2, 2)))
	want := []string{"text/markdown", "text/latex", "image/svg+xml", "application/json", "image/png", "image/png"}
	for i, m := range want {
		if _, ok := f.calls[i].b[m]; !ok {
			t.Errorf("call %d lacks %s: %v", i, m, f.calls[i].b)
		}
		if _, ok := f.calls[i].b["text/plain"]; !ok {
			t.Errorf("call %d lacks text/plain", i)
		}
	}
	raw, _ := json.Marshal(f.calls[3].b["application/json"])
	if string(raw) != `{"a":1}` {
		t.Errorf("JSON payload = %s", raw)
	}
	if f.calls[4].b["text/plain"] != "<PNG image 5x4>" {
		t.Errorf("PNG text = %v", f.calls[4].b["text/plain"])
	}
}

func TestBadInputPanicsClearly(t *testing.T) {
	withSink(t)
	for name, f := range map[string]func(){
		"PNG":  func() { PNG([]byte("not a png")) },
		"JSON": func() { JSON(func() {}) },
	} {
		func() {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.Contains(s, "display."+name) {
					t.Errorf("%s: panic %v, want a message naming display.%s", name, r, name)
				}
			}()
			f()
		}()
	}
}

func TestEndCellRunsHooks(t *testing.T) {
	n := 0
	OnCellEnd(func() { n++ })
	EndCell()
	EndCell()
	if n != 2 {
		t.Fatalf("hook ran %d times, want 2", n)
	}
}

func TestTextSinkSavesImages(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	textDisplay(&out, dir, Bundle{"text/plain": "<Figure>", "image/png": buf.Bytes()})
	if !strings.Contains(out.String(), "<Figure>") || !strings.Contains(out.String(), dir) {
		t.Fatalf("text sink output %q", out.String())
	}
}

func TestUpdateWithAHandleSaysWhatToWrite(t *testing.T) {
	withSink(t)
	h := Display("x")
	defer func() {
		r := recover()
		if s, _ := r.(string); !strings.Contains(s, "UpdateHTML") {
			t.Errorf("panic = %v, want a message pointing at UpdateHTML", r)
		}
	}()
	h.Update(h)
}
