package nn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"

	ag "github.com/gradlab/gradlab/autograd"
)

// The safetensors format (huggingface/safetensors), which PyTorch users
// read with safetensors.torch.load_file: an 8-byte little-endian header
// length N, N bytes of JSON mapping each tensor's name to its dtype, shape
// and [begin, end) byte offsets into the data that follows (plus an
// optional "__metadata__" object of strings), then the tensors' bytes,
// little-endian and row-major, with no gaps. The reader checks all of it
// and names what is wrong.

type stEntry struct {
	DType   string  `json:"dtype"`
	Shape   []int   `json:"shape"`
	Offsets []int64 `json:"data_offsets"`
}

// stSizes are the element sizes of the dtypes the reader accepts.
var stSizes = map[string]int{"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}

// maxHeader bounds the JSON header, as the reference implementation does.
const maxHeader = 100 << 20

// EncodeSafetensors returns the safetensors encoding of tensors (float32
// as F32, float64 as F64, int64 as I64, bool as BOOL), in order, with
// optional string metadata.
func EncodeSafetensors(tensors []NamedTensor, metadata map[string]string) ([]byte, error) {
	header := map[string]any{}
	if len(metadata) > 0 {
		header["__metadata__"] = metadata
	}
	var data bytes.Buffer
	for _, nt := range tensors {
		if nt.Tensor == nil {
			return nil, fmt.Errorf("safetensors: tensor %q is nil", nt.Name)
		}
		if nt.Name == "" || nt.Name == "__metadata__" {
			return nil, fmt.Errorf("safetensors: invalid tensor name %q", nt.Name)
		}
		if _, dup := header[nt.Name]; dup {
			return nil, fmt.Errorf("safetensors: tensor name %q appears twice", nt.Name)
		}
		begin := int64(data.Len())
		var dt string
		switch nt.Tensor.DType() {
		case ag.Float64:
			dt = "F64"
			_ = binary.Write(&data, binary.LittleEndian, nt.Tensor.Float64s())
		case ag.Int64:
			dt = "I64"
			_ = binary.Write(&data, binary.LittleEndian, nt.Tensor.Int64s())
		case ag.Bool:
			dt = "BOOL"
			_ = binary.Write(&data, binary.LittleEndian, nt.Tensor.Bools())
		default:
			dt = "F32"
			_ = binary.Write(&data, binary.LittleEndian, nt.Tensor.Float32s())
		}
		shape := nt.Tensor.Shape()
		if shape == nil {
			shape = []int{}
		}
		header[nt.Name] = stEntry{DType: dt, Shape: shape, Offsets: []int64{begin, int64(data.Len())}}
	}
	h, err := json.Marshal(header)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %v", err)
	}
	for len(h)%8 != 0 { // the data starts 8-byte aligned, as the reference writer does
		h = append(h, ' ')
	}
	out := make([]byte, 8, 8+len(h)+data.Len())
	binary.LittleEndian.PutUint64(out, uint64(len(h)))
	out = append(out, h...)
	return append(out, data.Bytes()...), nil
}

// DecodeSafetensors parses a safetensors file's bytes into its tensors,
// in the order of their data, and its metadata. Floating-point tensors
// keep their precision (F64 as float64, F32, F16 and BF16 as float32);
// integer tensors become Int64 and BOOL ones Bool.
func DecodeSafetensors(b []byte) ([]NamedTensor, map[string]string, error) {
	bad := func(format string, args ...any) ([]NamedTensor, map[string]string, error) {
		return nil, nil, fmt.Errorf("safetensors: "+format, args...)
	}
	if len(b) < 8 {
		return bad("%d bytes is too short for the 8-byte header length", len(b))
	}
	n := binary.LittleEndian.Uint64(b)
	if n > maxHeader || n > uint64(len(b)-8) {
		return bad("header length %d exceeds the %d bytes after it (truncated or not a safetensors file)", n, len(b)-8)
	}
	hb, data := b[8:8+n], b[8+n:]
	if len(bytes.TrimSpace(hb)) == 0 || bytes.TrimSpace(hb)[0] != '{' {
		return bad("header does not start with a JSON object")
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hb, &raw); err != nil {
		return bad("header is not valid JSON: %v", err)
	}
	var meta map[string]string
	type item struct {
		name string
		e    stEntry
	}
	var items []item
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &meta); err != nil {
				return bad("__metadata__ must map strings to strings: %v", err)
			}
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(msg))
		dec.DisallowUnknownFields()
		var e stEntry
		if err := dec.Decode(&e); err != nil {
			return bad("tensor %q: bad header entry: %v", name, err)
		}
		size, ok := stSizes[e.DType]
		switch {
		case e.DType == "":
			return bad("tensor %q: no dtype", name)
		case !ok:
			return bad("tensor %q: unsupported dtype %q", name, e.DType)
		case e.Shape == nil:
			return bad("tensor %q: no shape", name)
		case len(e.Offsets) != 2:
			return bad("tensor %q: data_offsets must be [begin, end], got %v", name, e.Offsets)
		}
		count := int64(1)
		for _, d := range e.Shape {
			if d < 0 {
				return bad("tensor %q: negative dimension in shape %v", name, e.Shape)
			}
			count *= int64(d)
		}
		begin, end := e.Offsets[0], e.Offsets[1]
		if begin < 0 || end < begin || end > int64(len(data)) {
			return bad("tensor %q: data_offsets [%d, %d] fall outside the %d data bytes", name, begin, end, len(data))
		}
		if end-begin != count*int64(size) {
			return bad("tensor %q: data_offsets [%d, %d] hold %d bytes, but shape %v of %s needs %d", name, begin, end, end-begin, e.Shape, e.DType, count*int64(size))
		}
		items = append(items, item{name, e})
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].e.Offsets[0] != items[j].e.Offsets[0] {
			return items[i].e.Offsets[0] < items[j].e.Offsets[0]
		}
		return items[i].e.Offsets[1] < items[j].e.Offsets[1]
	})
	pos := int64(0)
	out := make([]NamedTensor, 0, len(items))
	for _, it := range items {
		if it.e.Offsets[0] != pos {
			if it.e.Offsets[0] < pos {
				return bad("tensor %q: data_offsets %v overlap the previous tensor's data", it.name, it.e.Offsets)
			}
			return bad("tensor %q: data_offsets %v leave a gap after byte %d", it.name, it.e.Offsets, pos)
		}
		pos = it.e.Offsets[1]
		out = append(out, NamedTensor{it.name, decodeTensor(it.e, data[it.e.Offsets[0]:it.e.Offsets[1]])})
	}
	if pos != int64(len(data)) {
		return bad("%d bytes of data after the last tensor (the header indexes %d of %d)", int64(len(data))-pos, pos, len(data))
	}
	return out, meta, nil
}

func decodeTensor(e stEntry, b []byte) *ag.Tensor {
	le := binary.LittleEndian
	shape := e.Shape
	switch e.DType {
	case "F64":
		v := make([]float64, len(b)/8)
		for i := range v {
			v[i] = math.Float64frombits(le.Uint64(b[8*i:]))
		}
		return ag.New64(v, shape...).Reshape(shape...)
	case "F32", "F16", "BF16":
		v := make([]float32, 0, len(b)/4)
		switch e.DType {
		case "F32":
			for i := 0; i+4 <= len(b); i += 4 {
				v = append(v, math.Float32frombits(le.Uint32(b[i:])))
			}
		case "BF16":
			for i := 0; i+2 <= len(b); i += 2 {
				v = append(v, math.Float32frombits(uint32(le.Uint16(b[i:]))<<16))
			}
		default:
			for i := 0; i+2 <= len(b); i += 2 {
				v = append(v, halfToFloat(le.Uint16(b[i:])))
			}
		}
		return ag.New32(v, shape...).Reshape(shape...)
	}
	if e.DType == "BOOL" {
		v := make([]bool, len(b))
		for i, x := range b {
			v[i] = x != 0
		}
		return ag.FromBools(v, shape...).Reshape(shape...)
	}
	size := stSizes[e.DType]
	v := make([]int64, len(b)/size)
	for i := range v {
		p := b[i*size:]
		switch e.DType {
		case "I64":
			v[i] = int64(le.Uint64(p))
		case "I32":
			v[i] = int64(int32(le.Uint32(p)))
		case "I16":
			v[i] = int64(int16(le.Uint16(p)))
		case "I8":
			v[i] = int64(int8(p[0]))
		default: // U8
			v[i] = int64(p[0])
		}
	}
	return ag.FromInt64s(v, shape...).Reshape(shape...)
}

// halfToFloat converts an IEEE 754 binary16 value.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // inf, NaN
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: frac · 2^-24
		f := float32(frac) / (1 << 24)
		if sign != 0 {
			f = -f
		}
		return f
	}
	return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
}

// SaveTensors writes tensors to path in the safetensors format.
func SaveTensors(path string, tensors []NamedTensor) error {
	b, err := EncodeSafetensors(tensors, map[string]string{"format": "pt"})
	if err != nil {
		return fmt.Errorf("SaveTensors %s: %w", path, err)
	}
	return os.WriteFile(path, b, 0o644)
}

// LoadTensors reads the tensors of a safetensors file.
func LoadTensors(path string) ([]NamedTensor, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ts, _, err := DecodeSafetensors(b)
	if err != nil {
		return nil, fmt.Errorf("LoadTensors %s: %w", path, err)
	}
	return ts, nil
}

// Save writes m's state dict (parameters and buffers, by PyTorch's dotted
// names) to path as safetensors, which PyTorch loads with
// model.load_state_dict(safetensors.torch.load_file(path)).
func Save(m Module, path string) error {
	sd := StateDict(m)
	if len(sd) == 0 {
		return fmt.Errorf("Save %s: the model has no parameters or buffers to save", path)
	}
	b, err := EncodeSafetensors(sd, map[string]string{"format": "pt"})
	if err != nil {
		return fmt.Errorf("Save %s: %w", path, err)
	}
	return os.WriteFile(path, b, 0o644)
}

// Load reads a safetensors file (from Save, or from PyTorch's
// safetensors.torch.save_file(model.state_dict(), path)) into m's
// parameters and buffers. It changes nothing and names every problem when
// the file is corrupt or does not match m's names and shapes.
func Load(m Module, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("Load: %w", err)
	}
	ts, _, err := DecodeSafetensors(b)
	if err != nil {
		return fmt.Errorf("Load %s: %w", path, err)
	}
	if err := LoadStateDict(m, ts); err != nil {
		return fmt.Errorf("Load %s: %w", path, err)
	}
	return nil
}
