package nn

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	ag "github.com/gradlab/gradlab/autograd"
)

// Finding a model's tensors by walking its fields, as PyTorch's
// named_parameters does through __setattr__. A model is usually a struct
// defined in a notebook cell, which reaches this package as the value the
// interpreter wraps to implement Module: native code cannot type-assert
// it, but reflection sees its fields (yaegi builds the type with
// reflect.StructOf, renaming each unexported field f to Xf). So the walk
// goes by reflection, with these rules:
//
//   - a built-in layer (Linear, Conv2d, BatchNorm2d...) contributes its own
//     tensors under PyTorch's names (weight, bias, running_mean...) and its
//     children (a Sequential's layers are 0, 1, ...);
//   - a *ag.Tensor field that requires grad is a parameter (plain tensors,
//     as in PyTorch, are not part of the state);
//   - a field holding a module, a struct defined in a cell, or a slice,
//     array or string-keyed map of those is a child, named by the field
//     (index or key);
//   - names are the field's with its first letters lower-cased (Fc1 and
//     fc1 both give fc1, BN1 gives bn1), or a tag `nn:"name"` (`nn:"-"`
//     skips the field); an embedded field adds its tensors to its parent's;
//   - a bool field named Training (or training) is the user's own module's
//     mode, set by Train and Eval.
//
// A tensor or module reached twice (shared) is listed once, at its first name.

// NamedTensor is a tensor with its dotted PyTorch name, e.g. "fc1.weight".
type NamedTensor struct {
	Name   string
	Tensor *ag.Tensor
}

// builtin is implemented by this package's layers.
type builtin interface {
	Module
	fmt.Stringer
	// ownTensors lists the layer's own parameters and buffers by local name.
	ownTensors() (params, buffers []NamedTensor)
	// children lists the layer's submodules by local name.
	children() []namedModule
	setTraining(bool)
}

type namedModule struct {
	name string
	m    Module
}

// defaults of builtin for the embedded mode: no tensors, no children.
func (*mode) ownTensors() (params, buffers []NamedTensor) { return nil, nil }
func (*mode) children() []namedModule                     { return nil }
func (m *mode) setTraining(on bool)                       { m.eval = !on }

// modNode is one module of the tree the walk builds.
type modNode struct {
	name    string // the local name ("" for the root)
	desc    string
	params  []NamedTensor // own, with full dotted names
	buffers []NamedTensor
	kids    []*modNode
	set     func(training bool) // switches this module's mode; nil if it has none
}

var (
	moduleType = reflect.TypeOf((*Module)(nil)).Elem()
	tensorType = reflect.TypeOf((*ag.Tensor)(nil))
)

// builtinTypes are the layers that describe themselves (builtin): the
// exact types, so that a user's struct embedding one is walked by its
// own fields.
var builtinTypes = map[reflect.Type]bool{}

func init() {
	for _, m := range []builtin{&Linear{}, &ReLU{}, &Sigmoid{}, &Tanh{}, &Sequential{}, &Conv2d{}, &MaxPool2d{},
		&AvgPool2d{}, &AdaptiveAvgPool2d{}, &Flatten{}, &Dropout{}, &BatchNorm{}, &LayerNorm{}, &Embedding{},
		&LeakyReLU{}, &GELU{}, &Softmax{}, &LogSoftmax{}} {
		builtinTypes[reflect.TypeOf(m)] = true
	}
}

type walker struct {
	seenT map[*ag.Tensor]bool
	seenM map[uintptr]bool
}

// tree walks m into a module tree.
func tree(m Module) *modNode {
	w := &walker{seenT: map[*ag.Tensor]bool{}, seenM: map[uintptr]bool{}}
	root := &modNode{desc: "Module"}
	w.value(root, "", reflect.ValueOf(m), true)
	if len(root.kids) == 1 && root.kids[0].name == "" { // the model itself
		return root.kids[0]
	}
	return root
}

// unwrap follows interfaces and the interpreter's interface wrappers (a
// struct whose first field IValue holds the interpreted value).
func unwrap(v reflect.Value) reflect.Value {
	for v.IsValid() {
		switch {
		case v.Kind() == reflect.Interface:
			if v.IsNil() {
				return reflect.Value{}
			}
			v = v.Elem()
		case v.Kind() == reflect.Struct && strings.HasPrefix(v.Type().Name(), "_") &&
			v.NumField() > 0 && v.Type().Field(0).Name == "IValue":
			v = v.Field(0)
		default:
			return v
		}
	}
	return v
}

// readable makes an unexported field of a native struct readable (it must
// be addressable, which fields reached through a pointer are).
func readable(v reflect.Value) reflect.Value {
	if v.CanInterface() || !v.CanAddr() {
		return v
	}
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// interpreted reports whether t is a struct type built by the interpreter
// (unnamed), as opposed to a native one.
func interpreted(t reflect.Type) bool { return t.Kind() == reflect.Struct && t.Name() == "" }

// value adds what v holds to parent under the local name. module says v
// is known to be a module (the root): it becomes a node even when empty.
func (w *walker) value(parent *modNode, name string, v reflect.Value, module bool) {
	v = unwrap(readable(v))
	if !v.IsValid() || (v.Kind() == reflect.Pointer && v.IsNil()) {
		return
	}
	switch {
	case v.Type() == tensorType:
		t := v.Interface().(*ag.Tensor)
		if t.RequiresGrad() && !w.seenT[t] {
			w.seenT[t] = true
			parent.params = append(parent.params, NamedTensor{name, t})
		}
		return
	case builtinTypes[v.Type()] && v.CanInterface():
		if b, ok := v.Interface().(builtin); ok {
			if w.seenM[v.Pointer()] {
				return
			}
			w.seenM[v.Pointer()] = true
			n := &modNode{name: name, desc: b.String(), set: b.setTraining}
			ps, bs := b.ownTensors()
			for _, p := range ps {
				if p.Tensor != nil && !w.seenT[p.Tensor] {
					w.seenT[p.Tensor] = true
					n.params = append(n.params, p)
				}
			}
			for _, p := range bs {
				if p.Tensor != nil && !w.seenT[p.Tensor] {
					w.seenT[p.Tensor] = true
					n.buffers = append(n.buffers, p)
				}
			}
			for _, c := range b.children() {
				w.value(n, c.name, reflect.ValueOf(c.m), true)
			}
			parent.kids = append(parent.kids, n)
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		e := v.Elem()
		if e.Kind() != reflect.Struct || !(module || interpreted(e.Type()) || v.Type().Implements(moduleType)) {
			return
		}
		if w.seenM[v.Pointer()] {
			return
		}
		w.seenM[v.Pointer()] = true
		w.structNode(parent, name, e, module)
	case reflect.Struct:
		if module || interpreted(v.Type()) || v.Type().Implements(moduleType) {
			w.structNode(parent, name, v, module)
		}
	case reflect.Slice, reflect.Array:
		et := v.Type().Elem()
		if !walkable(et) {
			return
		}
		if et == tensorType { // a list of parameters: name.0, name.1... on the parent
			for i := 0; i < v.Len(); i++ {
				w.value(parent, join(name, strconv.Itoa(i)), v.Index(i), false)
			}
			return
		}
		n := &modNode{name: name, desc: "ModuleList"}
		for i := 0; i < v.Len(); i++ {
			w.value(n, strconv.Itoa(i), v.Index(i), false)
		}
		parent.addKid(n)
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String || !walkable(v.Type().Elem()) {
			return
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		n := &modNode{name: name, desc: "ModuleDict"}
		for _, k := range keys {
			w.value(n, k.String(), v.MapIndex(k), false)
		}
		parent.addKid(n)
	}
}

// walkable reports whether values of type t may hold modules or tensors.
func walkable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer:
		return t == tensorType || walkable(t.Elem())
	case reflect.Struct:
		return interpreted(t) || t.Implements(moduleType) || reflect.PointerTo(t).Implements(moduleType)
	case reflect.Slice, reflect.Array, reflect.Map:
		return walkable(t.Elem())
	}
	return false
}

// addKid adds n unless nothing was found under it.
func (p *modNode) addKid(n *modNode) {
	if len(n.params)+len(n.buffers)+len(n.kids) > 0 || n.set != nil {
		p.kids = append(p.kids, n)
	}
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// structNode walks the fields of a user's module struct s.
func (w *walker) structNode(parent *modNode, name string, s reflect.Value, module bool) {
	n := &modNode{name: name, desc: "Module"}
	if !interpreted(s.Type()) {
		n.desc = s.Type().Name()
	}
	w.fields(n, s)
	if module {
		parent.kids = append(parent.kids, n)
		return
	}
	parent.addKid(n)
}

// fields adds the fields of struct s to n (embedded structs flattened).
func (w *walker) fields(n *modNode, s reflect.Value) {
	t := s.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		fv := s.Field(i)
		tag := f.Tag.Get("nn")
		if tag == "-" {
			continue
		}
		if (f.Name == "Training" || f.Name == "Xtraining") && f.Type.Kind() == reflect.Bool {
			if fv.CanSet() {
				prev := n.set
				n.set = func(on bool) {
					fv.SetBool(on)
					if prev != nil {
						prev(on)
					}
				}
			}
			continue
		}
		if f.Anonymous && tag == "" {
			w.embedded(n, fv)
			continue
		}
		fname := tag
		if fname == "" {
			fname = torchName(f.Name, interpreted(t))
		}
		w.value(n, fname, fv, false)
	}
}

// embedded adds an embedded field's tensors and children to n itself.
func (w *walker) embedded(n *modNode, fv reflect.Value) {
	tmp := &modNode{}
	w.value(tmp, "", fv, false)
	for _, k := range tmp.kids {
		if k.name != "" {
			n.kids = append(n.kids, k)
			continue
		}
		n.params = append(n.params, k.params...)
		n.buffers = append(n.buffers, k.buffers...)
		n.kids = append(n.kids, k.kids...)
		if k.set != nil {
			prev, s := n.set, k.set
			n.set = func(on bool) {
				s(on)
				if prev != nil {
					prev(on)
				}
			}
		}
	}
	n.params = append(n.params, tmp.params...)
}

// torchName turns a Go field name into a PyTorch-style attribute name:
// the interpreter's X prefix of unexported fields dropped, and the leading
// capitals lower-cased (Fc1 -> fc1, BN1 -> bn1, URLMap -> urlMap).
func torchName(name string, interp bool) string {
	r := []rune(name)
	if interp && len(r) > 1 && r[0] == 'X' && (unicode.IsLower(r[1]) || r[1] == '_') {
		r = r[1:]
	}
	up := 0
	for up < len(r) && unicode.IsUpper(r[up]) {
		up++
	}
	switch {
	case up == 0:
	case up == 1 || up == len(r) || !unicode.IsLower(r[up]):
		for i := 0; i < up; i++ {
			r[i] = unicode.ToLower(r[i])
		}
	default: // URLMap: the last capital starts the next word
		for i := 0; i < up-1; i++ {
			r[i] = unicode.ToLower(r[i])
		}
	}
	return string(r)
}

// collect flattens the tree into full names, depth first, each module's
// own tensors before its children's (PyTorch's state_dict order).
func (n *modNode) collect(prefix string, params, buffers *[]NamedTensor) {
	for _, p := range n.params {
		*params = append(*params, NamedTensor{join(prefix, p.Name), p.Tensor})
	}
	for _, b := range n.buffers {
		*buffers = append(*buffers, NamedTensor{join(prefix, b.Name), b.Tensor})
	}
	for _, k := range n.kids {
		k.collect(join(prefix, k.name), params, buffers)
	}
}

// NamedParameters returns m's parameters with their dotted names, found
// from m's fields (see the package documentation's rules).
func NamedParameters(m Module) []NamedTensor {
	var ps, bs []NamedTensor
	tree(m).collect("", &ps, &bs)
	return ps
}

// Parameters returns m's parameters found from its fields, in the order
// of NamedParameters: a cell's module can implement Module with
//
//	func (n *Net) Parameters() []*ag.Tensor { return nn.Parameters(n) }
func Parameters(m Module) []*ag.Tensor {
	var out []*ag.Tensor
	for _, p := range NamedParameters(m) {
		out = append(out, p.Tensor)
	}
	return out
}

// NamedBuffers returns m's buffers (BatchNorm's running statistics) with
// their dotted names.
func NamedBuffers(m Module) []NamedTensor {
	var ps, bs []NamedTensor
	tree(m).collect("", &ps, &bs)
	return bs
}

// StateDict returns m's parameters and buffers by dotted name, in
// PyTorch's state_dict order. The tensors are m's own (not copies).
func StateDict(m Module) []NamedTensor {
	var ps []NamedTensor
	var walk func(n *modNode, prefix string)
	walk = func(n *modNode, prefix string) { // per module: parameters, then buffers
		for _, p := range n.params {
			ps = append(ps, NamedTensor{join(prefix, p.Name), p.Tensor})
		}
		for _, b := range n.buffers {
			ps = append(ps, NamedTensor{join(prefix, b.Name), b.Tensor})
		}
		for _, k := range n.kids {
			walk(k, join(prefix, k.name))
		}
	}
	walk(tree(m), "")
	return ps
}

// LoadStateDict copies the tensors of sd into m's parameters and buffers
// of the same names (converting the dtype). Like PyTorch's strict loading,
// it fails, changing nothing, when a name of m is missing from sd, sd has
// a name m does not, or shapes differ; the error lists every problem.
func LoadStateDict(m Module, sd []NamedTensor) error {
	own := StateDict(m)
	byName := map[string]*ag.Tensor{}
	for _, nt := range sd {
		byName[nt.Name] = nt.Tensor
	}
	known := map[string]bool{}
	var problems []string
	for _, nt := range own {
		known[nt.Name] = true
		src, ok := byName[nt.Name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("missing %q", nt.Name))
		case src == nil:
			problems = append(problems, fmt.Sprintf("%q is nil", nt.Name))
		case fmt.Sprint(src.Shape()) != fmt.Sprint(nt.Tensor.Shape()):
			problems = append(problems, fmt.Sprintf("%q has shape %v, the model's is %v", nt.Name, src.Shape(), nt.Tensor.Shape()))
		}
	}
	for _, nt := range sd {
		if !known[nt.Name] {
			problems = append(problems, fmt.Sprintf("unexpected %q", nt.Name))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("LoadStateDict: %s", strings.Join(problems, "; "))
	}
	ag.NoGrad(func() {
		for _, nt := range own {
			nt.Tensor.CopyFrom(byName[nt.Name])
		}
	})
	return nil
}

// Train puts m and every module inside it in training mode (dropout on,
// batch norm using and updating batch statistics), as model.train().
func Train(m Module) { tree(m).setMode(true) }

// Eval puts m and every module inside it in evaluation mode, as model.eval().
func Eval(m Module) { tree(m).setMode(false) }

func (n *modNode) setMode(on bool) {
	if n.set != nil {
		n.set(on)
	}
	for _, k := range n.kids {
		k.setMode(on)
	}
}

// Summary prints m's module tree, PyTorch-style, with each module's
// parameter count (its subtree's), its own parameters' and buffers'
// shapes, and the totals.
func Summary(m Module) string {
	type line struct{ text, count string }
	var lines []line
	total, trainable := 0, 0
	var write func(n *modNode, depth int)
	write = func(n *modNode, depth int) {
		ind := strings.Repeat("  ", depth)
		head := n.desc
		if len(n.kids) > 0 && strings.Contains(head, "\n") { // a container: its children follow
			head = head[:strings.Index(head, "(")]
		}
		if depth > 0 {
			head = "(" + n.name + "): " + head
		}
		lines = append(lines, line{ind + head, commas(n.count())})
		for _, p := range n.params {
			lines = append(lines, line{ind + "  " + p.Name + " " + fmt.Sprint(p.Tensor.Shape()), commas(p.Tensor.Numel())})
			total += p.Tensor.Numel()
			if p.Tensor.RequiresGrad() {
				trainable += p.Tensor.Numel()
			}
		}
		for _, p := range n.buffers {
			lines = append(lines, line{ind + "  " + p.Name + " " + fmt.Sprint(p.Tensor.Shape()) + " (buffer)", ""})
		}
		for _, k := range n.kids {
			write(k, depth+1)
		}
	}
	write(tree(m), 0)
	width := 0
	for _, l := range lines {
		width = max(width, utf8.RuneCountInString(l.text))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s %12s\n", width, "module / parameter", "parameters")
	for _, l := range lines {
		if l.count == "" {
			fmt.Fprintf(&b, "%s\n", l.text)
			continue
		}
		fmt.Fprintf(&b, "%-*s %12s\n", width, l.text, l.count)
	}
	fmt.Fprintf(&b, "total parameters: %s (trainable %s)", commas(total), commas(trainable))
	return b.String()
}

// count is the number of parameter elements in n's subtree.
func (n *modNode) count() int {
	c := 0
	for _, p := range n.params {
		c += p.Tensor.Numel()
	}
	for _, k := range n.kids {
		c += k.count()
	}
	return c
}

// commas formats n with thousands separators (1,234,567).
func commas(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
