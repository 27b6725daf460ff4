package plt

import (
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

func TestWriteSVGForLooking(t *testing.T) {
	CloseAll()
	x := arange(0, 3, 0.1)
	Figure(3.5, 2.5, 0)
	Plot(x, mapf(x, func(v float64) float64 { return 3*v*v - 4*v }), "-", Label("f(x)"))
	Plot(x, mapf(x, func(v float64) float64 { return 2*v - 3 }), "m--", Label("Tangent line (x=1)"))
	XLabel("x")
	YLabel("f(x)")
	Legend()
	if err := os.WriteFile(filepath.Join(outDir(t), "002_tangent.svg"), []byte(Gcf().SVG()), 0o644); err != nil {
		t.Fatal(err)
	}
	Close()
}

func TestWriteGonumPlotForLooking(t *testing.T) {
	p := plot.New()
	p.Title.Text = "made with gonum"
	p.X.Label.Text = "x"
	l, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}, {X: 2, Y: 0.5}})
	p.Add(l, plotter.NewGrid())
	b := Bundle(p)
	if err := os.WriteFile(filepath.Join(outDir(t), "gonum_plot.png"), b["image/png"].([]byte), 0o644); err != nil {
		t.Fatal(err)
	}
}
