package autograd

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Printing follows torch's _tensor_str: 4 decimals (or scientific notation
// when magnitudes differ by more than 1000x), integers shown as "1.",
// lines wrapped at 80 columns, summarised with "..." beyond 1000 elements.
// Int64 tensors print as integers (tensor([1, 2, 3])) and Bool tensors as
// True/False, padded to one width, as torch prints them.

const (
	printThreshold = 1000
	printEdge      = 3
	printWidth     = 80
)

type formatter struct {
	intMode, sci bool
	dtype        DType
	width        int
}

func fmtSpecial(v float64) (string, bool) {
	switch {
	case math.IsNaN(v):
		return "nan", true
	case math.IsInf(v, 1):
		return "inf", true
	case math.IsInf(v, -1):
		return "-inf", true
	}
	return "", false
}

func newFormatter(dt DType, vals []float64) *formatter {
	f := &formatter{intMode: true, dtype: dt}
	if !dt.IsFloat() {
		for _, v := range vals {
			f.width = max(f.width, len(f.raw(v)))
		}
		return f
	}
	lo, hi := math.Inf(1), 0.0
	any := false
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
			continue
		}
		a := math.Abs(v)
		any = true
		lo, hi = math.Min(lo, a), math.Max(hi, a)
		if a != math.Ceil(a) {
			f.intMode = false
		}
	}
	if any {
		if f.intMode {
			f.sci = hi/lo > 1000 || hi > 1e8
		} else {
			f.sci = hi/lo > 1000 || hi > 1e8 || lo < 1e-4
		}
	}
	for _, v := range vals {
		f.width = max(f.width, len(f.raw(v)))
	}
	return f
}

func (f *formatter) raw(v float64) string {
	switch f.dtype {
	case Int64:
		return strconv.FormatInt(int64(v), 10)
	case Bool:
		if v != 0 {
			return "True"
		}
		return "False"
	}
	if s, ok := fmtSpecial(v); ok {
		return s
	}
	switch {
	case f.sci:
		return fmt.Sprintf("%.4e", v)
	case f.intMode:
		return fmt.Sprintf("%.0f.", v)
	}
	return fmt.Sprintf("%.4f", v)
}

func (f *formatter) format(v float64) string {
	s := f.raw(v)
	return strings.Repeat(" ", max(0, f.width-len(s))) + s
}

// summarised returns the values printing will show.
func summarisedValues(t *Tensor, summarize bool) []float64 {
	if !summarize || len(t.shape) == 0 {
		return t.Float64s()
	}
	var out []float64
	n := t.shape[0]
	if n > 2*printEdge {
		for i := 0; i < printEdge; i++ {
			out = append(out, summarisedValues(t.narrowView(0, i, 1).squeezeView(), true)...)
		}
		for i := n - printEdge; i < n; i++ {
			out = append(out, summarisedValues(t.narrowView(0, i, 1).squeezeView(), true)...)
		}
		return out
	}
	for i := 0; i < n; i++ {
		out = append(out, summarisedValues(t.narrowView(0, i, 1).squeezeView(), true)...)
	}
	return out
}

// squeezeView drops dimension 0 (of size 1) without recording a graph.
func (t *Tensor) squeezeView() *Tensor {
	return t.view(t.shape[1:], t.strides[1:], t.offset)
}

func vectorStr(t *Tensor, indent int, summarize bool, f *formatter) string {
	perLine := max(1, (printWidth-indent)/(f.width+2))
	vals := t.Float64s()
	var data []string
	n := len(vals)
	if summarize && n > 2*printEdge {
		for _, v := range vals[:printEdge] {
			data = append(data, f.format(v))
		}
		data = append(data, " ...")
		for _, v := range vals[n-printEdge:] {
			data = append(data, f.format(v))
		}
	} else {
		for _, v := range vals {
			data = append(data, f.format(v))
		}
	}
	var lines []string
	for i := 0; i < len(data); i += perLine {
		lines = append(lines, strings.Join(data[i:min(i+perLine, len(data))], ", "))
	}
	return "[" + strings.Join(lines, ",\n"+strings.Repeat(" ", indent+1)) + "]"
}

func tensorStr(t *Tensor, indent int, summarize bool, f *formatter) string {
	dim := len(t.shape)
	switch dim {
	case 0:
		return f.raw(t.Item())
	case 1:
		return vectorStr(t, indent, summarize, f)
	}
	n := t.shape[0]
	var parts []string
	row := func(i int) string {
		return tensorStr(t.narrowView(0, i, 1).squeezeView(), indent+1, summarize, f)
	}
	if summarize && n > 2*printEdge {
		for i := 0; i < printEdge; i++ {
			parts = append(parts, row(i))
		}
		parts = append(parts, "...")
		for i := n - printEdge; i < n; i++ {
			parts = append(parts, row(i))
		}
	} else {
		for i := 0; i < n; i++ {
			parts = append(parts, row(i))
		}
	}
	return "[" + strings.Join(parts, ","+strings.Repeat("\n", dim-1)+strings.Repeat(" ", indent+1)) + "]"
}

// String prints t like PyTorch: tensor([0.3720, 0.4497]), tensor(-2.0000,
// requires_grad=true).
func (t *Tensor) String() string {
	if t == nil {
		return "<nil>"
	}
	const prefix = "tensor("
	indent := len(prefix)
	var suffixes []string
	var body string
	if t.Numel() == 0 {
		body = "[]"
		if len(t.shape) != 1 {
			suffixes = append(suffixes, fmt.Sprintf("size=%v", t.shape))
		}
	} else {
		summarize := t.Numel() > printThreshold
		f := newFormatter(t.dtype, summarisedValues(t, summarize))
		body = tensorStr(t, indent, summarize, f)
	}
	// as torch: the default dtypes of floats, integers and bools go
	// unnamed, except on an empty tensor, whose dtype nothing else shows
	if t.dtype == Float64 || (t.Numel() == 0 && t.dtype != Float32) {
		suffixes = append(suffixes, "dtype="+t.dtype.String())
	}
	if t.fn != nil {
		suffixes = append(suffixes, "grad_fn=<"+t.GradFn()+">")
	} else if t.requiresGrad {
		suffixes = append(suffixes, "requires_grad=true")
	}
	s := prefix + body
	var b strings.Builder
	b.WriteString(s)
	last := len(s) - strings.LastIndex(s, "\n") + 1
	for _, suf := range suffixes {
		if last+len(suf)+2 > printWidth {
			b.WriteString(",\n" + strings.Repeat(" ", indent) + suf)
			last = indent + len(suf)
		} else {
			b.WriteString(", " + suf)
			last += len(suf) + 2
		}
	}
	b.WriteString(")")
	return b.String()
}

// MIMEBundle gives the display package the tensor's rich form: the repr as
// text/plain, plus an HTML table for a 2-D tensor.
func (t *Tensor) MIMEBundle() map[string]any {
	b := map[string]any{"text/plain": t.String()}
	if len(t.shape) == 2 && t.Numel() > 0 {
		b["text/html"] = t.htmlTable()
	}
	return b
}

func (t *Tensor) htmlTable() string {
	const edge = 10
	r, c := t.shape[0], t.shape[1]
	pick := func(n int) []int { // indices shown, -1 for an ellipsis
		var ix []int
		if n <= 2*edge {
			for i := 0; i < n; i++ {
				ix = append(ix, i)
			}
			return ix
		}
		for i := 0; i < edge; i++ {
			ix = append(ix, i)
		}
		ix = append(ix, -1)
		for i := n - edge; i < n; i++ {
			ix = append(ix, i)
		}
		return ix
	}
	rows, cols := pick(r), pick(c)
	var vals []float64
	for _, i := range rows {
		for _, j := range cols {
			if i >= 0 && j >= 0 {
				vals = append(vals, t.At(i, j))
			}
		}
	}
	f := newFormatter(t.dtype, vals)
	var b strings.Builder
	b.WriteString(`<table class="gradlab-tensor" style="font-family:monospace;text-align:right">`)
	b.WriteString("<thead><tr><th></th>")
	for _, j := range cols {
		if j < 0 {
			b.WriteString("<th>…</th>")
		} else {
			fmt.Fprintf(&b, "<th>%d</th>", j)
		}
	}
	b.WriteString("</tr></thead><tbody>")
	for _, i := range rows {
		if i < 0 {
			b.WriteString("<tr><th>…</th>")
			for range cols {
				b.WriteString("<td>…</td>")
			}
			b.WriteString("</tr>")
			continue
		}
		fmt.Fprintf(&b, "<tr><th>%d</th>", i)
		for _, j := range cols {
			if j < 0 {
				b.WriteString("<td>…</td>")
			} else {
				b.WriteString("<td>" + html.EscapeString(f.raw(t.At(i, j))) + "</td>")
			}
		}
		b.WriteString("</tr>")
	}
	fmt.Fprintf(&b, "</tbody></table><p><small>%s, shape %v", t.dtype, t.shape)
	if t.requiresGrad {
		b.WriteString(", requires_grad=true")
	}
	b.WriteString("</small></p>")
	return b.String()
}
