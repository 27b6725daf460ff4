package plt

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"io"
)

// encodePNG writes an opaque RGBA image (a rendered figure: the page is
// filled white first) as an 8-bit RGB PNG. Go's image/png tries every
// filter on every row, which costs more than drawing the figure; plots
// are flat colour with long vertical runs, so the "Up" filter on every
// row with the fastest deflate gives nearly the same size at a fraction
// of the time.
func encodePNG(w io.Writer, img *image.RGBA) error {
	b := img.Bounds()
	width, height := b.Dx(), b.Dy()
	if _, err := w.Write([]byte("\x89PNG\r\n\x1a\n")); err != nil {
		return err
	}
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(height))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits, RGB
	if err := writeChunk(w, "IHDR", ihdr[:]); err != nil {
		return err
	}
	idat := &chunkWriter{w: w}
	z, _ := zlib.NewWriterLevel(idat, zlib.BestSpeed)
	row := make([]byte, 1+3*width)
	row[0] = 2 // Up: each byte minus the one above
	var above []byte
	for y := 0; y < height; y++ {
		off := (y+b.Min.Y-img.Rect.Min.Y)*img.Stride + (b.Min.X-img.Rect.Min.X)*4
		pix := img.Pix[off : off+4*width]
		out := row[1:]
		if above == nil {
			for x, j := 0, 0; x < 4*width; x, j = x+4, j+3 {
				out[j], out[j+1], out[j+2] = pix[x], pix[x+1], pix[x+2]
			}
		} else {
			for x, j := 0, 0; x < 4*width; x, j = x+4, j+3 {
				out[j], out[j+1], out[j+2] = pix[x]-above[x], pix[x+1]-above[x+1], pix[x+2]-above[x+2]
			}
		}
		if _, err := z.Write(row); err != nil {
			return err
		}
		above = pix
	}
	if err := z.Close(); err != nil {
		return err
	}
	if err := idat.flush(); err != nil {
		return err
	}
	return writeChunk(w, "IEND", nil)
}

func writeChunk(w io.Writer, typ string, data []byte) error {
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[:4], uint32(len(data)))
	copy(hdr[4:], typ)
	crc := crc32.NewIEEE()
	crc.Write(hdr[4:])
	crc.Write(data)
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], crc.Sum32())
	for _, p := range [][]byte{hdr[:], data, tail[:]} {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return nil
}

// chunkWriter buffers compressed data into IDAT chunks of up to 64 KiB.
type chunkWriter struct {
	w   io.Writer
	buf bytes.Buffer
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	c.buf.Write(p)
	for c.buf.Len() >= 1<<16 {
		if err := writeChunk(c.w, "IDAT", c.buf.Next(1<<16)); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (c *chunkWriter) flush() error {
	if c.buf.Len() == 0 {
		return nil
	}
	return writeChunk(c.w, "IDAT", c.buf.Next(c.buf.Len()))
}
