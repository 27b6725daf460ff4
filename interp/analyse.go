package interp

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

	"github.com/gradlab/gradlab/interp/internal/cellsrc"
	"github.com/gradlab/gradlab/interp/internal/rewrite"
)

// cellDef is a declaration found in a cell.
type cellDef struct {
	names    []string
	kind     entKind
	recv     string
	piece    *cellsrc.Piece
	deps     map[string]bool
	doc      string
	sig      string
	seg      int    // index of its segment
	nres     int    // funcs: number of results
	rtype    string // funcs with one result: its type
	selfCall bool   // the body calls its own name
}

// analysis is what a cell contains.
type analysis struct {
	segs     []cellsrc.Segment
	imports  [][2]string // name, path, in order
	defs     []*cellDef  // declarations, in order
	segDefs  [][]string  // names defined per segment
	varDefs  map[string]bool
	free     map[string]token.Pos    // names the cell uses but does not define locally
	lastOff  int                     // offset of the last expression statement, or -1
	lastN    int                     // how many values it has (-1: unknown)
	varEnds  map[int]map[string]int  // stmt segment -> variable -> end offset of its last definition
	varType  map[string]string       // variable -> type guessed from its definition
	operands map[string]reflect.Type // operands of top-level index expressions -> the types native code gives them (nil: ambiguous), see typedindex.go
	hasMain  bool
	parsed   map[int]*parsedSeg // statement segments, as parsed here
}

// parsedSeg is a statement segment as analyse parsed it, on the
// interpreter's FileSet: the real compile of the units cut from it takes
// their statements from here instead of parsing the text again (once; a
// rebuild, e.g. on the trial interpreter, parses the unit's text).
type parsedSeg struct {
	fset *token.FileSet
	file *ast.File
	offs []int // offset in the cell of each statement of the body
}

// take returns a file holding the statements of ps that start in
// [start, end) of the cell, or nil when fset is not the one ps was parsed
// on.
func (ps *parsedSeg) take(fset *token.FileSet, start, end int) *ast.File {
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

func compileErr(msg string) *Error {
	msg = rewrite.Clean(msg)
	return &Error{Name: "CompileError", Value: msg, Traceback: strings.Split(msg, "\n")}
}

func syntaxErr(err error) *Error {
	var el scanner.ErrorList
	if errors.As(err, &el) && len(el) > 10 {
		el = el[:10]
		err = el
	}
	return compileErr(err.Error())
}

// analyser holds what analyse learns of a cell while it goes through the
// cell's segments in order.
type analyser struct {
	s     *Session
	a     *analysis
	src   string
	count int
	fset  *token.FileSet
	local map[string]bool // names the cell defines at its top level, or imports
	frees []*ast.Ident    // identifiers the parser left unresolved
	ty    *typer          // nil: the cell has no index expression (typedindex.go)
	// Top-level `:=` statements, typed once the cell's declarations are known.
	defines []*ast.AssignStmt
}

// analyse parses the cell once to learn what it defines and uses: each
// segment by its kind (imports, declarations, statements), then the types
// of its top-level index operands, then its free names, which must all
// mean something.
func (s *Session) analyse(src string, count int) (*analysis, *Error) {
	an := &analyser{s: s, src: src, count: count, local: map[string]bool{},
		a: &analysis{segs: cellsrc.Split(src), varDefs: map[string]bool{}, free: map[string]token.Pos{}, lastOff: -1, varEnds: map[int]map[string]int{}, varType: map[string]string{}},
		// Parsed on the interpreter's FileSet: the real compile reuses the
		// statements (see parsedSeg).
		fset: s.in.FileSet(),
	}
	a := an.a
	if strings.Contains(src, "[") { // for the top-level index rewrite (typedindex.go)
		an.ty = &typer{vars: s.globalTypes(), pkg: func(name string) string {
			if an.local[name] || a.varDefs[name] {
				return ""
			}
			return a.pkgOf(name, s.tab)
		}}
	}
	for si, seg := range a.segs {
		p := &cellsrc.Piece{Text: src[seg.Start:seg.End], Cell: count, Line: seg.Line, Col: seg.Col}
		var defined []string
		var err *Error
		switch seg.Kind {
		case cellsrc.SegImport:
			err = an.imports(p)
		case cellsrc.SegDecl:
			defined, err = an.decls(si, seg, p)
		case cellsrc.SegStmt:
			defined, err = an.stmts(si, seg, p)
		}
		if err != nil {
			return nil, err
		}
		for _, n := range defined {
			an.local[n] = true
		}
		a.segDefs = append(a.segDefs, defined)
	}
	an.typeIndexOperands()
	an.freeNames()
	if err := an.checkDefined(); err != nil {
		return nil, err
	}
	return a, nil
}

// imports reads an import segment: each package must be preloaded, and
// dot imports are refused.
func (an *analyser) imports(p *cellsrc.Piece) *Error {
	f, err := cellsrc.Parse(an.fset, p, cellsrc.SegDecl, parser.ImportsOnly)
	if err != nil {
		return syntaxErr(err)
	}
	for _, im := range f.Imports {
		path, _ := strconv.Unquote(im.Path.Value)
		name := ""
		if im.Name != nil {
			name = im.Name.Name
		}
		if _, ok := packages[path]; !ok {
			pos := an.fset.Position(im.Path.Pos())
			return compileErr(fmt.Sprintf("%s: cannot import %q: not preloaded in this kernel\n%s", pos, path, availableText()))
		}
		if name == "" {
			name = packages[path]
		}
		if name == "." {
			pos := an.fset.Position(im.Pos())
			return compileErr(fmt.Sprintf("%s: dot imports are not supported; import %q and qualify its names", pos, path))
		}
		an.a.imports = append(an.a.imports, [2]string{name, path})
		an.local[name] = true
	}
	return nil
}

// decls reads a declaration segment into one cellDef per declaration,
// with the session-level names it depends on; it returns the names the
// segment defines (methods aside).
func (an *analyser) decls(si int, seg cellsrc.Segment, p *cellsrc.Piece) ([]string, *Error) {
	f, err := cellsrc.Parse(an.fset, p, cellsrc.SegDecl, parser.ParseComments)
	if err != nil {
		return nil, syntaxErr(err)
	}
	hl := cellsrc.HeaderLen(p, cellsrc.SegDecl)
	fileObjs := f.Scope
	unres := map[*ast.Ident]bool{}
	for _, id := range f.Unresolved {
		unres[id] = true
	}
	var defined []string
	for _, d := range f.Decls {
		start, end := an.fset.PositionFor(d.Pos(), false).Offset-hl, an.fset.PositionFor(d.End(), false).Offset-hl
		line, col := cellsrc.LineCol(an.src, seg.Start+start)
		// text starts at d.Pos; the //line directive gives its column.
		dp := &cellsrc.Piece{Text: p.Text[start:end], Cell: an.count, Line: line, Col: col}
		def := &cellDef{piece: dp, deps: map[string]bool{}, seg: si}
		switch d := d.(type) {
		case *ast.FuncDecl:
			an.funcDef(def, d, p.Text, hl)
		case *ast.GenDecl:
			an.genDef(def, d)
			def.sig = p.Text[start:end]
		}
		ast.Inspect(d, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			if unres[id] || (id.Obj != nil && fileObjs.Lookup(id.Name) == id.Obj) {
				def.deps[id.Name] = true
			}
			return true
		})
		for _, n := range def.names {
			delete(def.deps, n) // recursion is not a dependency
		}
		if def.kind == entMethod {
			def.deps[def.recv] = true
		}
		an.a.defs = append(an.a.defs, def)
		if def.kind != entMethod {
			defined = append(defined, def.names...)
		}
	}
	for id := range unres {
		an.frees = append(an.frees, id)
	}
	return defined, nil
}

// funcDef fills def from a func or method declaration.
func (an *analyser) funcDef(def *cellDef, d *ast.FuncDecl, text string, hl int) {
	def.kind = entFunc
	def.names = []string{d.Name.Name}
	if d.Recv != nil && len(d.Recv.List) == 1 {
		def.kind = entMethod
		def.recv = rewrite.RecvName(d.Recv.List[0].Type)
	}
	if d.Name.Name == "main" && d.Recv == nil {
		an.a.hasMain = true
	}
	def.doc = d.Doc.Text()
	def.sig = nodeText(text, an.fset, hl, d.Pos(), bodyStart(d))
	def.nres = d.Type.Results.NumFields()
	def.selfCall = callsName(d.Body, d.Name.Name, d.Recv != nil)
	if def.nres == 1 {
		def.rtype = types.ExprString(d.Type.Results.List[0].Type)
	}
}

// genDef fills def from a type, const or var declaration, noting the
// variables' types when the declaration says them.
func (an *analyser) genDef(def *cellDef, d *ast.GenDecl) {
	switch d.Tok {
	case token.TYPE:
		def.kind = entType
	case token.CONST:
		def.kind = entConst
	case token.VAR:
		def.kind = entVar
	}
	for _, sp := range d.Specs {
		switch sp := sp.(type) {
		case *ast.TypeSpec:
			def.names = append(def.names, sp.Name.Name)
		case *ast.ValueSpec:
			for i, n := range sp.Names {
				if n.Name != "_" {
					def.names = append(def.names, n.Name)
					if sp.Type != nil {
						an.a.varType[n.Name] = types.ExprString(sp.Type)
					} else if i < len(sp.Values) && len(sp.Values) == len(sp.Names) {
						an.a.varType[n.Name] = an.s.typeGuess(sp.Values[i], an.a)
					}
				}
			}
		}
	}
	def.doc = d.Doc.Text()
}

// stmts reads a statement segment: the variables its top-level `:=`
// statements define (with where each definition ends, and a guess of their
// types), and, in the cell's last segment, the last expression statement
// and how many values it has. It returns the variables it defines.
func (an *analyser) stmts(si int, seg cellsrc.Segment, p *cellsrc.Piece) ([]string, *Error) {
	a, fset := an.a, an.fset
	f, err := cellsrc.Parse(fset, p, cellsrc.SegStmt, 0)
	if err != nil {
		return nil, syntaxErr(err)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	ends := map[string]int{}
	a.varEnds[si] = ends
	hl := cellsrc.HeaderLen(p, cellsrc.SegStmt)
	ps := &parsedSeg{fset: fset, file: f}
	for _, st := range body.List {
		ps.offs = append(ps.offs, seg.Start+fset.PositionFor(st.Pos(), false).Offset-hl)
	}
	if a.parsed == nil {
		a.parsed = map[int]*parsedSeg{}
	}
	a.parsed[si] = ps
	var defined []string
	for _, st := range body.List {
		if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			if an.ty != nil {
				an.defines = append(an.defines, as)
			}
			for i, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && len(as.Lhs) == len(as.Rhs) {
					a.varType[id.Name] = an.s.typeGuess(as.Rhs[i], a)
				}
				if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
					defined = append(defined, id.Name)
					a.varDefs[id.Name] = true
					ends[id.Name] = seg.Start + fset.PositionFor(st.End(), false).Offset - hl
				}
			}
		}
	}
	if si == len(a.segs)-1 && len(body.List) > 0 {
		if es, ok := body.List[len(body.List)-1].(*ast.ExprStmt); ok && !isPrintCall(es.X) {
			a.lastOff = seg.Start + fset.PositionFor(es.Pos(), false).Offset - hl
			a.lastN = an.s.resultCount(es.X, a)
		}
	}
	an.frees = append(an.frees, f.Unresolved...)
	return defined, nil
}

// typeIndexOperands types the operands of index expressions on the right
// of the cell's top-level `:=` statements (typedindex.go), in order.
func (an *analyser) typeIndexOperands() {
	if an.ty == nil || len(an.defines) == 0 {
		return
	}
	// A name the cell declares (var x = ..., anywhere in the cell) is
	// not the session's global of that name.
	for _, d := range an.a.defs {
		if d.kind != entMethod {
			for _, n := range d.names {
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
		if an.local[id.Name] || an.a.free[id.Name] != token.NoPos {
			continue
		}
		an.a.free[id.Name] = id.Pos()
	}
}

// checkDefined reports a free name that means nothing in the session,
// saying why when it was removed, or which import it lacks.
func (an *analyser) checkDefined() *Error {
	t := an.s.tab
	for name, pos := range an.a.free {
		if rewrite.IsInternal(name) || t.lookup(name).defined() || name == "_" {
			continue
		}
		if name == "main" && t.ents["main"] == nil {
			continue
		}
		msg := fmt.Sprintf("%s: undefined: %s", an.fset.Position(pos), name)
		if why := t.removed[name]; why != "" {
			msg += " (" + why + ")"
		} else if p := packageNamed(name); p != "" {
			msg += fmt.Sprintf(" (import %q to use the package)", p)
		}
		return compileErr(msg)
	}
	return nil
}

// pkgOf tells which package name refers to in the cell, if any: one the
// cell imports, else what the session's table says (a cell's definition of
// that name is no package).
func (a *analysis) pkgOf(name string, t *table) string {
	for _, im := range a.imports {
		if im[0] == name {
			return im[1]
		}
	}
	return t.lookup(name).pkg
}

// resultCount tells how many values a call has when the callee is known:
// a func of the session or of this cell, or a package function.
func (s *Session) resultCount(e ast.Expr, a *analysis) int {
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
		for _, d := range a.defs {
			if d.kind == entFunc && d.names[0] == f.Name {
				return d.nres
			}
		}
		if en := s.tab.ents[f.Name]; en != nil && en.kind == entFunc {
			return en.nres
		}
	case *ast.SelectorExpr:
		x, ok := f.X.(*ast.Ident)
		if !ok {
			return -1
		}
		if typ, ok := a.varType[x.Name]; ok || a.varDefs[x.Name] {
			// A variable of this cell: its type's method, if the cell says.
			for _, d := range a.defs {
				if d.kind == entMethod && d.recv == strings.TrimPrefix(typ, "*") && d.names[0] == f.Sel.Name {
					return d.nres
				}
			}
			return -1
		}
		if e := s.tab.ents[x.Name]; e != nil {
			return s.methodResults(e, f.Sel.Name)
		}
		if v, ok := symbolsOf(a.pkgOf(x.Name, s.tab))[f.Sel.Name]; ok && v.Kind() == reflect.Func {
			return v.Type().NumOut()
		}
	}
	return -1
}

// methodResults tells how many values v.name() has, v a session variable:
// from the cell's declaration of the method, or from the native type.
func (s *Session) methodResults(v *entity, name string) int {
	if v.kind != entVar {
		return -1
	}
	if t := s.tab.ents[strings.TrimPrefix(v.typ, "*")]; t != nil && t.kind == entType {
		if m := t.methods[name]; m != nil {
			return m.nres
		}
	}
	val, ok := s.globalValue(v.internal)
	if !ok || !val.IsValid() {
		return -1
	}
	if mt, ok := methodOf(val.Type(), name); ok {
		return mt.NumOut()
	}
	return -1
}

// typeGuess returns the type of e when the syntax says it (composite
// literals, new, calls of funcs with a declared result type).
func (s *Session) typeGuess(e ast.Expr, a *analysis) string {
	switch x := e.(type) {
	case *ast.CompositeLit:
		if x.Type != nil {
			return types.ExprString(x.Type)
		}
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			if t := s.typeGuess(x.X, a); t != "" {
				return "*" + t
			}
		}
	case *ast.CallExpr:
		switch f := x.Fun.(type) {
		case *ast.Ident:
			if f.Name == "new" && len(x.Args) == 1 {
				return "*" + types.ExprString(x.Args[0])
			}
			if f.Name == "make" && len(x.Args) >= 1 {
				return types.ExprString(x.Args[0])
			}
			for _, d := range a.defs {
				if d.kind == entFunc && d.names[0] == f.Name {
					return d.rtype
				}
			}
			if en := s.tab.ents[f.Name]; en != nil && en.kind == entFunc {
				return en.rtype
			}
		}
	}
	return ""
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

// packageNamed returns the import path of the preloaded package called
// name, preferring the shortest path (strconv, not some/x/strconv).
func packageNamed(name string) string {
	best := ""
	for p, n := range packages {
		if n == name && !strings.Contains(p, "internal") && (best == "" || len(p) < len(best)) {
			best = p
		}
	}
	return best
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
