package interp

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/gradlab/gradlab/display"
)

type recSink struct {
	mu      sync.Mutex
	bundles []display.Bundle
}

func (r *recSink) Display(b display.Bundle, _ map[string]any, _ string, _ bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bundles = append(r.bundles, b)
}
func (r *recSink) ClearOutput(bool) {}

var pngMagic = []byte("\x89PNG")

func TestRichValues(t *testing.T) {
	sink := &recSink{}
	old := display.SetSink(sink)
	defer display.SetSink(old)
	s := newSession(t)

	o := run(t, s, 1, "x := ag.FromInts([]int{1, 2, 3, 4}).Reshape(2, 2)\nx")
	if o.res.Err != nil || !strings.Contains(o.value(), "tensor(") || o.res.Value["text/html"] == nil {
		t.Errorf("tensor value: %+v %v", o.res.Err, o.res.Value)
	}
	o = run(t, s, 2, "import \"image\"\nimg := image.NewRGBA(image.Rect(0, 0, 4, 4))\nimg")
	if png, _ := o.res.Value["image/png"].([]byte); !bytes.HasPrefix(png, pngMagic) {
		t.Errorf("image value: %+v %v", o.res.Err, o.res.Value)
	}
	o = run(t, s, 3, "import \"gonum.org/v1/plot\"\np := plot.New()\np.Title.Text = \"t\"\np")
	if png, _ := o.res.Value["image/png"].([]byte); !bytes.HasPrefix(png, pngMagic) {
		t.Errorf("*plot.Plot value: %+v %v", o.res.Err, keys(o.res.Value))
	}
	o = run(t, s, 4, "type H struct{ N int }\nfunc (h H) MIMEBundle() map[string]any { return map[string]any{\"text/html\": fmt.Sprint(\"<b>\", h.N, \"</b>\")} }\nH{7}")
	if o.res.Value["text/html"] != "<b>7</b>" || o.value() == "" {
		t.Errorf("cell type with MIMEBundle: %+v %v", o.res.Err, o.res.Value)
	}
	o = run(t, s, 5, "display.Display(H{8})\ndisplay.Display(\"plain\")")
	sink.mu.Lock()
	n := len(sink.bundles)
	var got []string
	for _, b := range sink.bundles {
		h, _ := b["text/html"].(string)
		p, _ := b["text/plain"].(string)
		got = append(got, h+"|"+p)
	}
	sink.mu.Unlock()
	if o.res.Err != nil || n < 2 || !strings.Contains(strings.Join(got, ","), "<b>8</b>") || !strings.Contains(strings.Join(got, ","), "plain") {
		t.Errorf("display.Display: %+v %v", o.res.Err, got)
	}
	o = run(t, s, 51, "display.HTML(\"<b>bold</b>\")")
	if o.res.Value != nil {
		t.Errorf("display.HTML as the last line must not also give a value: %v", o.res.Value)
	}
	o = run(t, s, 6, "type E struct{}\nfunc (E) Error() string { return \"an error value\" }\nE{}")
	if o.value() != "an error value" {
		t.Errorf("cell type with Error: %q", o.value())
	}
	o = run(t, s, 7, "var err error\nerr")
	if o.value() != "<nil>" {
		t.Errorf("nil error: %q", o.value())
	}
}

func TestFiguresShowAtCellEnd(t *testing.T) {
	sink := &recSink{}
	old := display.SetSink(sink)
	defer display.SetSink(old)
	s := newSession(t)
	o := run(t, s, 1, "plt.Plot([]float64{1, 2, 3}, []float64{1, 4, 9}, \"b-\")")
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if o.res.Err != nil || len(sink.bundles) != 1 {
		t.Fatalf("want one figure shown at the end of the cell: %+v, %d bundles", o.res.Err, len(sink.bundles))
	}
	if png, _ := sink.bundles[0]["image/png"].([]byte); !bytes.HasPrefix(png, pngMagic) {
		t.Errorf("figure is not a PNG: %v", keys(sink.bundles[0]))
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestHugeValueIsCapped(t *testing.T) {
	s := newSession(t)
	o := run(t, s, 1, "make([]int, 1000000)")
	if n := len(o.value()); n > maxValueText+100 || !strings.HasSuffix(o.value(), "more bytes)") {
		t.Fatalf("value of %d bytes, ending %q", n, o.value()[len(o.value())-30:])
	}
}

func TestFigureValueKeepsItsDisplaySize(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	res := s.Execute(context.Background(), Cell{Code: `import "gonum.org/v1/plot"
p := plot.New()
p`, Count: 1, Out: func(string, string) {}})
	if res.Err != nil {
		t.Fatal(res.Err.Value)
	}
	if _, ok := res.Value["image/png"]; !ok {
		t.Fatalf("value bundle has no PNG: %v", keys(res.Value))
	}
	if res.Metadata["image/png"] == nil {
		t.Errorf("figure value lost its display metadata: %v", res.Metadata)
	}
}
