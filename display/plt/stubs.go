package plt

import (
	"image/color"

	"gonum.org/v1/plot/vg/draw"
)

// temporary: filled in by colormap.go and plot3d.go
type colorMapped struct{}

func newColorMapped(v []float64, o *options) *colorMapped  { return &colorMapped{} }
func (m *colorMapped) color(v float64) color.Color          { return nil }
func lookupCmap(name string)                                {}
func (a *Axes) draw3D(c draw.Canvas)                        {}
func (a *Axes) drawColorbar(cb, c draw.Canvas)              {}
