package plt

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Legend sizes in points, from matplotlib's defaults (font 10).
const (
	legFont     = 10
	legHandle   = 20 // handlelength 2 em
	legTextPad  = 8  // handletextpad 0.8 em
	legBorder   = 4  // borderpad 0.4 em
	legSpacing  = 5  // labelspacing 0.5 em
	legAxesPad  = 5  // borderaxespad 0.5 em
	legRounding = 2
)

type legendEntry struct {
	a    thumbnailer
	text string
}

func (a *Axes) legendEntries() []legendEntry {
	var out []legendEntry
	artists := a.artists
	if a.is3D {
		artists = nil
		for _, ar := range a.artists3 {
			switch {
			case ar.line != nil:
				artists = append(artists, ar.line)
			case ar.sc != nil:
				artists = append(artists, ar.sc)
			}
		}
	}
	// Only artists with a legend handle take part (not text or images).
	var all []legendEntry
	for _, ar := range artists {
		if th, ok := ar.(thumbnailer); ok {
			e := legendEntry{a: th}
			if lb, ok := ar.(labeler); ok {
				e.text = lb.label()
			}
			all = append(all, e)
		}
	}
	if a.legend.labels != nil {
		for i, e := range all {
			if i < len(a.legend.labels) {
				out = append(out, legendEntry{e.a, a.legend.labels[i]})
			}
		}
		return out
	}
	for _, e := range all {
		if e.text != "" && e.text[0] != '_' {
			out = append(out, e)
		}
	}
	return out
}

// drawLegend draws the legend box inside the data area c (t nil: a 3-D
// axes, where "best" means upper right).
func (a *Axes) drawLegend(c *draw.Canvas, t *xform) {
	entries := a.legendEntries()
	if len(entries) == 0 {
		return
	}
	sty := textStyle(legFont, draw.XLeft, draw.YCenter)
	var textW vg.Length
	for _, e := range entries {
		sty.Handler = handlerFor(e.text)
		textW = vg.Length(math.Max(float64(textW), float64(sty.Width(e.text))))
	}
	ext := sty.FontExtents()
	rowH := ext.Ascent + ext.Descent
	n := vg.Length(len(entries))
	w := 2*vg.Points(legBorder) + vg.Points(legHandle+legTextPad) + textW
	h := 2*vg.Points(legBorder) + n*rowH + (n-1)*vg.Points(legSpacing)

	loc := a.legend.loc
	if loc == "best" {
		loc = "upper right"
		if t != nil {
			loc = bestLoc(c, t, a.artists, w, h)
		}
	}
	box := legendBox(c, loc, w, h)

	// The frame: white, slightly transparent, light grey edge, rounded.
	frame := roundedRect(box, vg.Points(legRounding))
	c.SetColor(color.NRGBA{255, 255, 255, 204})
	c.Fill(frame)
	c.SetLineStyle(draw.LineStyle{Color: color.Gray{0xcc}, Width: vg.Points(0.8)})
	c.Stroke(frame)

	y := box.Max.Y - vg.Points(legBorder) - rowH/2
	for _, e := range entries {
		x := box.Min.X + vg.Points(legBorder)
		hr := vg.Rectangle{Min: vg.Point{X: x, Y: y - rowH/2}, Max: vg.Point{X: x + vg.Points(legHandle), Y: y + rowH/2}}
		e.a.thumb(c, hr)
		sty.Handler = handlerFor(e.text)
		c.FillText(sty, vg.Point{X: x + vg.Points(legHandle+legTextPad), Y: y}, e.text)
		y -= rowH + vg.Points(legSpacing)
	}
}

func legendBox(c *draw.Canvas, loc string, w, h vg.Length) vg.Rectangle {
	pad := vg.Points(legAxesPad)
	x := c.Max.X - pad - w // right
	y := c.Max.Y - pad - h // upper
	switch loc {
	case "upper left", "lower left", "center left":
		x = c.Min.X + pad
	case "lower center", "upper center", "center":
		x = (c.Min.X + c.Max.X - w) / 2
	}
	switch loc {
	case "lower left", "lower right", "lower center":
		y = c.Min.Y + pad
	case "right", "center left", "center right", "center":
		y = (c.Min.Y + c.Max.Y - h) / 2
	}
	return vg.Rectangle{Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + w, Y: y + h}}
}

// bestLoc picks the location whose box covers the fewest data points and
// line segments, preferring matplotlib's order on ties.
func bestLoc(c *draw.Canvas, t *xform, artists []artist, w, h vg.Length) string {
	var polys [][]vg.Point
	for _, ar := range artists {
		var pts []vg.Point
		if v, ok := ar.(vertexer); ok {
			pts = v.vertices(t)
		}
		polys = append(polys, pts)
	}
	best, bestBad := "upper right", math.MaxInt
	for _, loc := range legendLocs[1:] {
		r := legendBox(c, loc, w, h)
		bad := 0
		for pi, pts := range polys {
			_, isLine := artists[pi].(*lineArtist)
			for i, p := range pts {
				if p.X >= r.Min.X && p.X <= r.Max.X && p.Y >= r.Min.Y && p.Y <= r.Max.Y {
					bad++
				}
				if isLine && i > 0 && segmentHitsRect(pts[i-1], p, r) {
					bad++
				}
			}
		}
		if bad < bestBad {
			best, bestBad = loc, bad
		}
	}
	return best
}

// segmentHitsRect reports whether segment ab crosses rectangle r
// (Liang-Barsky clipping).
func segmentHitsRect(a, b vg.Point, r vg.Rectangle) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	clip := func(p, q float64) bool {
		if p == 0 {
			return q >= 0
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return false
			}
			t0 = math.Max(t0, t)
		} else {
			if t < t0 {
				return false
			}
			t1 = math.Min(t1, t)
		}
		return true
	}
	return clip(-dx, float64(a.X-r.Min.X)) && clip(dx, float64(r.Max.X-a.X)) &&
		clip(-dy, float64(a.Y-r.Min.Y)) && clip(dy, float64(r.Max.Y-a.Y)) && t0 <= t1
}

func roundedRect(r vg.Rectangle, rad vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: r.Min.X + rad, Y: r.Min.Y})
	p.Line(vg.Point{X: r.Max.X - rad, Y: r.Min.Y})
	p.Arc(vg.Point{X: r.Max.X - rad, Y: r.Min.Y + rad}, rad, -math.Pi/2, math.Pi/2)
	p.Line(vg.Point{X: r.Max.X, Y: r.Max.Y - rad})
	p.Arc(vg.Point{X: r.Max.X - rad, Y: r.Max.Y - rad}, rad, 0, math.Pi/2)
	p.Line(vg.Point{X: r.Min.X + rad, Y: r.Max.Y})
	p.Arc(vg.Point{X: r.Min.X + rad, Y: r.Max.Y - rad}, rad, math.Pi/2, math.Pi/2)
	p.Line(vg.Point{X: r.Min.X, Y: r.Min.Y + rad})
	p.Arc(vg.Point{X: r.Min.X + rad, Y: r.Min.Y + rad}, rad, math.Pi, math.Pi/2)
	p.Close()
	return p
}
