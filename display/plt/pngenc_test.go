package plt

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func BenchmarkDrawOnly(b *testing.B) {
	f := line200(6, 4, 96)
	for i := 0; i < b.N; i++ {
		c := vgimg.NewWith(vgimg.UseWH(6*vg.Inch, 4*vg.Inch), vgimg.UseDPI(96))
		f.draw(draw.New(c))
	}
}

func BenchmarkEncodeOnly(b *testing.B) {
	f := line200(6, 4, 96)
	c := vgimg.NewWith(vgimg.UseWH(6*vg.Inch, 4*vg.Inch), vgimg.UseDPI(96))
	f.draw(draw.New(c))
	img := c.Image()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		enc.Encode(&buf, img)
	}
}

func BenchmarkEncodeOwn(b *testing.B) {
	f := line200(6, 4, 96)
	c := vgimg.NewWith(vgimg.UseWH(6*vg.Inch, 4*vg.Inch), vgimg.UseDPI(96))
	f.draw(draw.New(c))
	img := c.Image().(*image.RGBA)
	b.ResetTimer()
	var n int
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		encodePNG(&buf, img)
		n = buf.Len()
	}
	var std bytes.Buffer
	(&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&std, img)
	b.ReportMetric(float64(n), "bytes")
	b.ReportMetric(float64(std.Len()), "std-bytes")
}

// The fast encoder must give exactly the pixels drawn.
func TestEncodePNGRoundTrip(t *testing.T) {
	f := line200(3, 2, 50)
	c := vgimg.NewWith(vgimg.UseWH(3*vg.Inch, 2*vg.Inch), vgimg.UseDPI(50))
	f.draw(draw.New(c))
	img := c.Image().(*image.RGBA)
	var buf bytes.Buffer
	if err := encodePNG(&buf, img); err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != img.Bounds() {
		t.Fatalf("bounds %v, want %v", got.Bounds(), img.Bounds())
	}
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			r1, g1, b1, _ := got.At(x, y).RGBA()
			r2, g2, b2, _ := img.At(x, y).RGBA()
			if r1>>8 != r2>>8 || g1>>8 != g2>>8 || b1>>8 != b2>>8 {
				t.Fatalf("pixel (%d,%d) differs", x, y)
			}
		}
	}
}
