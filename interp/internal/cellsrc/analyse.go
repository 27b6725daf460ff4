package cellsrc

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"reflect"
	"strconv"
	"strings"

	"github.com/gradlab/gradlab/interp/internal/rewrite"
)

// Kind is the kind of a declaration.
type Kind int

const (
	Var Kind = iota
	Const
	Func
	Type
	Method
)

func (k Kind) String() string {
	return [...]string{"var", "const", "func", "type", "method"}[k]
}

// Def is a declaration found in a cell.
type Def struct {
	Names    []string
	Kind     Kind
	Recv     string          // methods: the receiver's type name
	Piece    *Piece          // the declaration's source
	Deps     map[string]bool // package-level names it uses (its own aside; a method's receiver type included)
	Doc      string
	Sig      string // the declaration without its body
	Seg      int    // index of its segment
	NRes     int    // funcs: number of results
	RType    string // funcs with one result: its type
	SelfCall bool   // the body calls its own name
}

// Analysis is what a cell contains.
type Analysis struct {
	Segs     []Segment
	Imports  [][2]string             // name, path, in order
	Defs     []*Def                  // declarations, in order
	SegDefs  [][]string              // names defined per segment
	VarDefs  map[string]bool         // variables the cell's top-level statements define (:=)
	Free     map[string]token.Pos    // names the cell uses but does not define, at their first use
	LastOff  int                     // offset of the last expression statement, or -1
	LastN    int                     // how many values it has (-1: unknown)
	VarEnds  map[int]map[string]int  // stmt segment -> variable -> end offset of its last definition
	VarType  map[string]string       // variable -> type guessed from its definition
	Operands map[string]reflect.Type // operands of top-level index expressions -> the types native code gives them (nil: ambiguous), see types.go
	HasMain  bool
	Parsed   map[int]*ParsedSeg // statement segments, as parsed here
	BadIndex string             // Go's error for an index of what cannot be indexed, to report if the compile fails (badindex.go)
}

// Resolver is what the analysis asks of the session: what its names mean,
// and what the preloaded packages hold.
type Resolver interface {
	// Defined tells whether the session gives name a meaning (a cell's
	// definition, a package, a predeclared name).
	Defined(name string) bool
	// Undefined says why name is undefined, or what it lacks ("" if
	// nothing to say).
	Undefined(name string) string
	// Package returns the import path of the package name means in the
	// session (imported, or usable without an import line), else "".
	Package(name string) string
	// Importable returns the name of the preloaded package path.
	Importable(path string) (name string, ok bool)
	// Symbol returns the exported symbol name of the package path.
	Symbol(path, name string) (reflect.Value, bool)
	// Func describes a func a cell defined: its number of results and the
	// type of a single one.
	Func(name string) (nres int, rtype string, ok bool)
	// MethodResults tells how many results v.method() has, v a name of the
	// session (n -1: unknown); ok is false when v is not one.
	MethodResults(v, method string) (n int, ok bool)
	// GlobalTypes returns the types of the session's global variables.
	GlobalTypes() map[string]reflect.Type
}

// ImportError is the import of a package that is not preloaded.
type ImportError struct {
	Pos  token.Position
	Path string
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("%s: cannot import %q: not preloaded in this kernel", e.Pos, e.Path)
}

// FirstErrors keeps the first ten errors of a parse: more say nothing new.
func FirstErrors(err error) error {
	var el scanner.ErrorList
	if errors.As(err, &el) && len(el) > 10 {
		return el[:10]
	}
	return err
}

// ParsedSeg is a statement segment as analyse parsed it, on the
// interpreter's FileSet: the real compile of the units cut from it takes
// their statements from here instead of parsing the text again (once; a
// rebuild, e.g. on the trial interpreter, parses the unit's text).
type ParsedSeg struct {
	fset *token.FileSet
	file *ast.File
	offs []int // offset in the cell of each statement of the body
}

// Take returns a file holding the statements of ps that start in
// [start, end) of the cell, or nil when fset is not the one ps was parsed
// on.
func (ps *ParsedSeg) Take(fset *token.FileSet, start, end int) *ast.File {
	if ps == nil || fset != ps.fset {
		return nil
	}
	fd := ps.file.Decls[0].(*ast.FuncDecl)
	var list []ast.Stmt
	for i, st := range fd.Body.List {
		if ps.offs[i] >= start && ps.offs[i] < end {
			list = append(list, st)
		}
	}
	body := &ast.BlockStmt{Lbrace: fd.Body.Lbrace, List: list, Rbrace: fd.Body.Rbrace}
	nfd := *fd
	nfd.Body = body
	nf := *ps.file
	nf.Decls = []ast.Decl{&nfd}
	return &nf
}

// analyser holds what analyse learns of a cell while it goes through the
// cell's segments in order.
type analyser struct {
	r     Resolver
	a     *Analysis
	src   string
	count int
	fset  *token.FileSet
	local map[string]bool // names the cell defines at its top level, or imports
	frees []*ast.Ident    // identifiers that name nothing their segment declares
	ty    *typer          // nil: the cell has no index expression (typedindex.go)
	// Top-level `:=` statements, typed once the cell's declarations are known.
	defines []*ast.AssignStmt
	// Identifiers used as types in func signatures (functype.go).
	sigTypes []*ast.Ident
	files    []*ast.File             // the cell's declarations and statements, as parsed (badindex.go)
	stmtBody map[*ast.BlockStmt]bool // the bodies of the funcs statement segments are parsed in
}

// Analyse parses cell count's source src once, on fset, to learn what it
// defines and uses: each segment by its kind (imports, declarations,
// statements), then the types of its top-level index operands, then its
// free names, which must all mean something to r. Parsed on the
// interpreter's FileSet, the statements are reused by the real compile
// (ParsedSeg). Its errors are in the cell's coordinates.
func Analyse(fset *token.FileSet, src string, count int, r Resolver) (*Analysis, error) {
	an := &analyser{r: r, src: src, count: count, local: map[string]bool{}, fset: fset,
		a: &Analysis{Segs: Split(src), VarDefs: map[string]bool{}, Free: map[string]token.Pos{}, LastOff: -1, VarEnds: map[int]map[string]int{}, VarType: map[string]string{}},
	}
	a := an.a
	if strings.Contains(src, "[") { // for the top-level index rewrite (types.go)
		an.ty = &typer{vars: r.GlobalTypes(), symbol: r.Symbol, pkg: func(name string) string {
			if an.local[name] || a.VarDefs[name] {
				return ""
			}
			return an.pkgOf(name)
		}}
	}
	for si, seg := range a.Segs {
		p := &Piece{Text: src[seg.Start:seg.End], Cell: count, Line: seg.Line, Col: seg.Col}
		var defined []string
		var err error
		switch seg.Kind {
		case SegImport:
			err = an.imports(p)
		case SegDecl:
			defined, err = an.decls(si, seg, p)
		case SegStmt:
			defined, err = an.stmts(si, seg, p)
		}
		if err != nil {
			var el scanner.ErrorList
			if errors.As(err, &el) {
				// A stray } ends the function a statement segment is
				// parsed in: the parser's error names a later token, or
				// a line past the cell's end.
				if tok, line, col, ok := StrayClose(src); ok {
					return nil, fmt.Errorf("cell[%d]:%d:%d: unexpected %s: it closes no open block or bracket", count, line, col, tok)
				}
			}
			return nil, err
		}
		for _, n := range defined {
			an.local[n] = true
		}
		a.SegDefs = append(a.SegDefs, defined)
	}
	if err := an.checkSigTypes(); err != nil {
		return nil, err
	}
	an.typeIndexOperands()
	a.BadIndex = an.badIndex()
	an.freeNames()
	if err := an.checkDefined(); err != nil {
		return nil, err
	}
	return a, nil
}

// imports reads an import segment: each package must be preloaded, and
// dot imports are refused.
func (an *analyser) imports(p *Piece) error {
	f, err := Parse(an.fset, p, SegDecl, parser.ImportsOnly)
	if err != nil {
		return FirstErrors(err)
	}
	for _, im := range f.Imports {
		path, _ := strconv.Unquote(im.Path.Value)
		name := ""
		if im.Name != nil {
			name = im.Name.Name
		}
		pkgName, ok := an.r.Importable(path)
		if !ok {
			return &ImportError{Pos: an.fset.Position(im.Path.Pos()), Path: path}
		}
		if name == "" {
			name = pkgName
		}
		if name == "." {
			pos := an.fset.Position(im.Pos())
			return fmt.Errorf("%s: dot imports are not supported; import %q and qualify its names", pos, path)
		}
		an.a.Imports = append(an.a.Imports, [2]string{name, path})
		an.local[name] = true
	}
	return nil
}

// decls reads a declaration segment into one Def per declaration,
// with the session-level names it depends on; it returns the names the
// segment defines (methods aside).
func (an *analyser) decls(si int, seg Segment, p *Piece) ([]string, error) {
	f, err := Parse(an.fset, p, SegDecl, parser.ParseComments)
	if err != nil {
		return nil, FirstErrors(err)
	}
	hl := HeaderLen(p, SegDecl)
	var defined []string
	for _, d := range f.Decls {
		start, end := an.fset.PositionFor(d.Pos(), false).Offset-hl, an.fset.PositionFor(d.End(), false).Offset-hl
		line, col := LineCol(an.src, seg.Start+start)
		// text starts at d.Pos; the //line directive gives its column.
		dp := &Piece{Text: p.Text[start:end], Cell: an.count, Line: line, Col: col}
		def := &Def{Piece: dp, Deps: map[string]bool{}, Seg: si}
		switch d := d.(type) {
		case *ast.FuncDecl:
			an.funcDef(def, d, p.Text, hl)
			an.sigTypes = append(an.sigTypes, sigTypeNames(d)...)
		case *ast.GenDecl:
			an.genDef(def, d)
			def.Sig = p.Text[start:end]
		}
		rewrite.PackageRefs(&ast.File{Decls: []ast.Decl{d}}, func(id *ast.Ident, _ bool) {
			def.Deps[id.Name] = true
		})
		for _, n := range def.Names {
			delete(def.Deps, n) // recursion is not a dependency
		}
		if def.Kind == Method {
			def.Deps[def.Recv] = true
		}
		an.a.Defs = append(an.a.Defs, def)
		if def.Kind != Method {
			defined = append(defined, def.Names...)
		}
	}
	an.addFrees(f)
	return defined, nil
}

// funcDef fills def from a func or method declaration.
func (an *analyser) funcDef(def *Def, d *ast.FuncDecl, text string, hl int) {
	def.Kind = Func
	def.Names = []string{d.Name.Name}
	if d.Recv != nil && len(d.Recv.List) == 1 {
		def.Kind = Method
		def.Recv = rewrite.RecvName(d.Recv.List[0].Type)
	}
	if d.Name.Name == "main" && d.Recv == nil {
		an.a.HasMain = true
	}
	def.Doc = d.Doc.Text()
	def.Sig = nodeText(text, an.fset, hl, d.Pos(), bodyStart(d))
	def.NRes = d.Type.Results.NumFields()
	def.SelfCall = callsName(d.Body, d.Name.Name, d.Recv != nil)
	if def.NRes == 1 {
		def.RType = types.ExprString(d.Type.Results.List[0].Type)
	}
}

// genDef fills def from a type, const or var declaration, noting the
// variables' types when the declaration says them.
func (an *analyser) genDef(def *Def, d *ast.GenDecl) {
	switch d.Tok {
	case token.TYPE:
		def.Kind = Type
	case token.CONST:
		def.Kind = Const
	case token.VAR:
		def.Kind = Var
	}
	for _, sp := range d.Specs {
		switch sp := sp.(type) {
		case *ast.TypeSpec:
			def.Names = append(def.Names, sp.Name.Name)
		case *ast.ValueSpec:
			for i, n := range sp.Names {
				if n.Name != "_" {
					def.Names = append(def.Names, n.Name)
					if sp.Type != nil {
						an.a.VarType[n.Name] = types.ExprString(sp.Type)
					} else if i < len(sp.Values) && len(sp.Values) == len(sp.Names) {
						an.a.VarType[n.Name] = an.typeGuess(sp.Values[i], an.a)
					}
				}
			}
		}
	}
	def.Doc = d.Doc.Text()
}

// stmts reads a statement segment: the variables its top-level `:=`
// statements define (with where each definition ends, and a guess of their
// types), and, in the cell's last segment, the last expression statement
// and how many values it has. It returns the variables it defines.
func (an *analyser) stmts(si int, seg Segment, p *Piece) ([]string, error) {
	a, fset := an.a, an.fset
	f, err := Parse(fset, p, SegStmt, 0)
	if err != nil {
		return nil, FirstErrors(err)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	if an.stmtBody == nil {
		an.stmtBody = map[*ast.BlockStmt]bool{}
	}
	an.stmtBody[body] = true
	ends := map[string]int{}
	a.VarEnds[si] = ends
	hl := HeaderLen(p, SegStmt)
	ps := &ParsedSeg{fset: fset, file: f}
	for _, st := range body.List {
		ps.offs = append(ps.offs, seg.Start+fset.PositionFor(st.Pos(), false).Offset-hl)
	}
	if a.Parsed == nil {
		a.Parsed = map[int]*ParsedSeg{}
	}
	a.Parsed[si] = ps
	var defined []string
	for _, st := range body.List {
		if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			if an.ty != nil {
				an.defines = append(an.defines, as)
			}
			for i, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && len(as.Lhs) == len(as.Rhs) {
					a.VarType[id.Name] = an.typeGuess(as.Rhs[i], a)
				}
				if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
					defined = append(defined, id.Name)
					a.VarDefs[id.Name] = true
					ends[id.Name] = seg.Start + fset.PositionFor(st.End(), false).Offset - hl
				}
			}
		}
	}
	if si == len(a.Segs)-1 && len(body.List) > 0 {
		if es, ok := body.List[len(body.List)-1].(*ast.ExprStmt); ok && !isPrintCall(es.X) {
			a.LastOff = seg.Start + fset.PositionFor(es.Pos(), false).Offset - hl
			a.LastN = an.resultCount(es.X, a)
		}
	}
	an.addFrees(f)
	return defined, nil
}

// addFrees notes the identifiers of f that name nothing f declares.
func (an *analyser) addFrees(f *ast.File) {
	an.files = append(an.files, f)
	rewrite.PackageRefs(f, func(id *ast.Ident, free bool) {
		if free {
			an.frees = append(an.frees, id)
		}
	})
}

// typeIndexOperands types the operands of index expressions on the right
// of the cell's top-level `:=` statements (typedindex.go), in order.
func (an *analyser) typeIndexOperands() {
	if an.ty == nil || len(an.defines) == 0 {
		return
	}
	// A name the cell declares (var x = ..., anywhere in the cell) is
	// not the session's global of that name.
	for _, d := range an.a.Defs {
		if d.Kind != Method {
			for _, n := range d.Names {
				delete(an.ty.vars, n)
			}
		}
	}
	for _, as := range an.defines {
		an.ty.define(as, an.a)
	}
}

// freeNames records the names the cell uses and does not define, at their
// first use. Names used before their definition in the same cell resolve
// to it (the order of compile units handles the rest).
func (an *analyser) freeNames() {
	for _, id := range an.frees {
		if an.local[id.Name] || an.a.Free[id.Name] != token.NoPos {
			continue
		}
		an.a.Free[id.Name] = id.Pos()
	}
}

// checkDefined reports a free name that means nothing in the session,
// saying why when it was removed, or which import it lacks.
func (an *analyser) checkDefined() error {
	for name, pos := range an.a.Free {
		if rewrite.IsInternal(name) || name == "_" || name == "main" || an.r.Defined(name) {
			continue // main: a cell may call the func main it defines below
		}
		msg := fmt.Sprintf("%s: undefined: %s", an.fset.Position(pos), name)
		if why := an.r.Undefined(name); why != "" {
			msg += " (" + why + ")"
		}
		return errors.New(msg)
	}
	return nil
}

// pkgOf tells which package name refers to in the cell, if any: one the
// cell imports, else what the session says (a name the cell defines is no
// package).
func (an *analyser) pkgOf(name string) string {
	for _, im := range an.a.Imports {
		if im[0] == name {
			return im[1]
		}
	}
	return an.r.Package(name)
}

// resultCount tells how many values a call has when the callee is known:
// a func of the session or of this cell, or a package function.
func (an *analyser) resultCount(e ast.Expr, a *Analysis) int {
	if id, ok := e.(*ast.Ident); ok && id.Name == "nil" {
		return 0 // like None in IPython: nothing to show
	}
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return 1
	}
	switch f := c.Fun.(type) {
	case *ast.FuncLit:
		return f.Type.Results.NumFields()
	case *ast.Ident:
		for _, d := range a.Defs {
			if d.Kind == Func && d.Names[0] == f.Name {
				return d.NRes
			}
		}
		if nres, _, ok := an.r.Func(f.Name); ok {
			return nres
		}
	case *ast.SelectorExpr:
		x, ok := f.X.(*ast.Ident)
		if !ok {
			return -1
		}
		if typ, ok := a.VarType[x.Name]; ok || a.VarDefs[x.Name] {
			// A variable of this cell: its type's method, if the cell says.
			for _, d := range a.Defs {
				if d.Kind == Method && d.Recv == strings.TrimPrefix(typ, "*") && d.Names[0] == f.Sel.Name {
					return d.NRes
				}
			}
			return -1
		}
		if n, ok := an.r.MethodResults(x.Name, f.Sel.Name); ok {
			return n
		}
		if v, ok := an.r.Symbol(an.pkgOf(x.Name), f.Sel.Name); ok && v.Kind() == reflect.Func {
			return v.Type().NumOut()
		}
	}
	return -1
}

// typeGuess returns the type of e when the syntax says it (composite
// literals, new, calls of funcs with a declared result type).
func (an *analyser) typeGuess(e ast.Expr, a *Analysis) string {
	switch x := e.(type) {
	case *ast.CompositeLit:
		if x.Type != nil {
			return types.ExprString(x.Type)
		}
	case *ast.Ident: // a variable the cell defined before: p := &a
		return a.VarType[x.Name]
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			if t := an.typeGuess(x.X, a); t != "" {
				return "*" + t
			}
		}
	case *ast.CallExpr:
		if len(x.Args) == 1 && conversionSyntax(x.Fun) {
			return types.ExprString(ast.Unparen(x.Fun)) // (*[8]byte)(s), []byte(str)
		}
		switch f := x.Fun.(type) {
		case *ast.Ident:
			if f.Name == "new" && len(x.Args) == 1 {
				return "*" + types.ExprString(x.Args[0])
			}
			if f.Name == "make" && len(x.Args) >= 1 {
				return types.ExprString(x.Args[0])
			}
			for _, d := range a.Defs {
				if d.Kind == Func && d.Names[0] == f.Name {
					return d.RType
				}
			}
			if _, rtype, ok := an.r.Func(f.Name); ok {
				return rtype
			}
		}
	}
	return ""
}

// conversionSyntax tells whether fun, the function of a call, is a type
// by its syntax alone: a literal type ([]T, [N]T, map, chan, func) or a
// pointer to one, as in (*[8]byte)(s). A name can be a type or a
// function, and (*p)(x) can call through a pointer: those are not.
func conversionSyntax(fun ast.Expr) bool {
	fun = ast.Unparen(fun)
	if st, ok := fun.(*ast.StarExpr); ok {
		fun = ast.Unparen(st.X)
	}
	switch fun.(type) {
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.StructType:
		return true
	}
	return false
}

// isPrintCall reports calls whose results nobody wants to see (fmt.Println
// returns the byte count and an error).
func isPrintCall(e ast.Expr) bool {
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if sel.Sel.Name == "WriteString" || sel.Sel.Name == "Write" {
		return true
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return false
	}
	switch x.Name {
	case "fmt":
		return strings.HasPrefix(sel.Sel.Name, "Print") || strings.HasPrefix(sel.Sel.Name, "Fprint")
	}
	return false
}

func bodyStart(d *ast.FuncDecl) token.Pos {
	if d.Body != nil {
		return d.Body.Pos()
	}
	return d.End()
}

func nodeText(text string, fset *token.FileSet, hl int, from, to token.Pos) string {
	a, b := fset.PositionFor(from, false).Offset-hl, fset.PositionFor(to, false).Offset-hl
	if a < 0 || b > len(text) || a > b {
		return ""
	}
	return strings.TrimSpace(text[a:b])
}

// callsName reports whether body calls name (as name(...), or, for a
// method, as x.name(...)).
func callsName(body *ast.BlockStmt, name string, method bool) bool {
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			switch f := c.Fun.(type) {
			case *ast.Ident:
				found = found || (!method && f.Name == name)
			case *ast.SelectorExpr:
				found = found || (method && f.Sel.Name == name)
			}
		}
		return !found
	})
	return found
}
