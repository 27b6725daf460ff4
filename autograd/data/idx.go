package data

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"unsafe"

	"github.com/klauspost/compress/gzip"

	"github.com/gradlab/gradlab/autograd/internal/hugepage"
)

// IDX is the contents of an IDX file, the format of MNIST and
// Fashion-MNIST: unsigned bytes in row-major order with their dimensions
// (images: N x rows x cols; labels: N).
type IDX struct {
	Dims []int
	Data []uint8
}

// maxIDXBytes bounds what a header may announce, so that a corrupt header
// gets an error instead of a huge allocation.
const maxIDXBytes = 1 << 31

// ReadIDX reads an IDX file of unsigned bytes, gzipped or not (told by
// its first bytes, as torchvision does). Only unsigned-byte data (type
// 0x08) is supported: MNIST-style datasets use nothing else.
func ReadIDX(r io.Reader) (*IDX, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		return readIDX(zr)
	}
	return readIDX(br)
}

func readIDX(r io.Reader) (*IDX, error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, fmt.Errorf("not an IDX file: %w", eofIsShort(err, "the 4-byte magic number"))
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, fmt.Errorf("not an IDX file: it starts with % x, want 00 00 (then the type and the number of dimensions)", magic)
	}
	if magic[2] != 0x08 {
		return nil, fmt.Errorf("IDX data type 0x%02x is not supported (only 0x08, unsigned bytes)", magic[2])
	}
	nd := int(magic[3])
	if nd == 0 {
		return nil, errors.New("IDX header has no dimensions")
	}
	dims := make([]int, nd)
	size := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(r, binary.BigEndian, &d); err != nil {
			return nil, fmt.Errorf("IDX header: %w", eofIsShort(err, fmt.Sprintf("%d dimension sizes", nd)))
		}
		dims[i] = int(d)
		if d > 0 && size > maxIDXBytes/int(d) {
			return nil, fmt.Errorf("IDX header announces dimensions %v..., more than %d bytes: the file is corrupt", dims[:i+1], maxIDXBytes)
		}
		size *= int(d)
	}
	data := make([]uint8, size)
	if size > 0 {
		hugepage.Advise(unsafe.Pointer(&data[0]), size)
	}
	if n, err := io.ReadFull(r, data); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("IDX file is truncated: its header says %v (%d bytes of data), but it holds %d", dims, size, n)
		}
		return nil, err
	}
	// Reading on to the end also makes gzip check its CRC.
	var extra [1]byte
	n, err := io.ReadFull(r, extra[:])
	if n > 0 {
		return nil, fmt.Errorf("IDX file is longer than its header says (%v, %d bytes of data): the file is corrupt", dims, size)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return &IDX{Dims: dims, Data: data}, nil
}

func eofIsShort(err error, what string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("the file ends before %s", what)
	}
	return err
}

// LoadIDX reads the IDX file at path (gzipped or not); errors name the
// path.
func LoadIDX(path string) (*IDX, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	x, err := ReadIDX(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return x, nil
}
