package interp

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	yinterp "github.com/traefik/yaegi/interp"
)

type entKind int

const (
	entVar entKind = iota
	entConst
	entFunc
	entType
	entMethod
)

func (k entKind) String() string {
	return [...]string{"var", "const", "func", "type", "method"}[k]
}

// piece is a span of a cell's source, kept to be parsed again (for the
// trial interpreter, for re-emitting a declaration that depends on a
// redefined name).
type piece struct {
	text            string
	cell, line, col int
}

// entity is a name a cell defined.
type entity struct {
	name     string
	kind     entKind
	internal string          // name in the interpreter (types: fresh when redefined)
	piece    *piece          // declaration to re-emit; nil for variables
	deps     map[string]bool // session-level names the declaration uses
	recv     string          // methods: receiver type name
	methods  map[string]*entity
	cell     int
	nres     int    // funcs: number of results
	rtype    string // funcs: the type of a single result; vars: their type, when the cell says
	typ      string // vars: type guessed from the defining expression, for completion
	doc      string // doc comment
	sig      string // declaration without body, for inspection
}

// unit is one thing compiled and run: imports, a file of declarations, or
// a block of statements.
type unit struct {
	kind    segKind
	imports [][2]string // name, path
	pieces  []*piece
	rename  map[string]string
	show    int  // block: how the last expression statement becomes the value (showAssign, showDirect, or 0: it does not)
	noCheck bool // bootstrap code

	// What the rewriting needs to know of the session, fixed when the unit
	// is planned so that rebuilding it on the trial interpreter later gives
	// the same program.
	ints       map[string]bool   // session variables and constants of integer kind
	varTypes   map[string]string // variables -> their types, when the code says
	funcTypes  map[string]string // function-typed variables, and "call:f" -> f's result type
	osShadowed bool              // a cell defined its own os
}

var universe = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range types.Universe.Names() {
		m[n] = true
	}
	return m
}()

// cellDef is a declaration found in a cell.
type cellDef struct {
	names []string
	kind  entKind
	recv  string
	piece *piece
	deps  map[string]bool
	doc   string
	sig   string
	seg   int    // index of its segment
	nres  int    // funcs: number of results
	rtype string // funcs with one result: its type
}

// analysis is what a cell contains.
type analysis struct {
	segs    []segment
	imports [][2]string // name, path, in order
	defs    []*cellDef  // declarations, in order
	segDefs [][]string  // names defined per segment
	varDefs map[string]bool
	free    map[string]token.Pos   // names the cell uses but does not define locally
	lastOff int                    // offset of the last expression statement, or -1
	lastN   int                    // how many values it has (-1: unknown)
	varEnds map[int]map[string]int // stmt segment -> variable -> end offset of its last definition
	varType map[string]string      // variable -> type guessed from its definition
	hasMain bool
}

func compileErr(msg string) *Error {
	msg = cleanNames(msg)
	return &Error{Name: "CompileError", Value: msg, Traceback: strings.Split(msg, "\n")}
}

// parsePiece parses p on fset: declarations as a file, statements as the
// body of a function.
func parsePiece(fset *token.FileSet, p *piece, kind segKind, mode parser.Mode) (*ast.File, error) {
	var b strings.Builder
	b.WriteString("package main\n")
	if kind == segStmt {
		b.WriteString("func _() {\n")
	}
	fmt.Fprintf(&b, "//line cell[%d]:%d:%d\n", p.cell, p.line, p.col)
	b.WriteString(p.text)
	if kind == segStmt {
		b.WriteString("\n}")
	}
	// The file name matters to yaegi: it keys file-scoped names by it.
	return parser.ParseFile(fset, "cell.go", b.String(), mode|parser.AllErrors)
}

// headerLen is the length of what parsePiece puts before the text.
func headerLen(p *piece, kind segKind) int {
	n := len("package main\n") + len(fmt.Sprintf("//line cell[%d]:%d:%d\n", p.cell, p.line, p.col))
	if kind == segStmt {
		n += len("func _() {\n")
	}
	return n
}

func syntaxErr(err error) *Error {
	var el scanner.ErrorList
	if errors.As(err, &el) && len(el) > 10 {
		el = el[:10]
		err = el
	}
	return compileErr(err.Error())
}

// analyse parses the cell once to learn what it defines and uses.
func (s *Session) analyse(src string, count int) (*analysis, *Error) {
	a := &analysis{segs: splitCell(src), varDefs: map[string]bool{}, free: map[string]token.Pos{}, lastOff: -1, varEnds: map[int]map[string]int{}, varType: map[string]string{}}
	fset := token.NewFileSet()
	local := map[string]bool{}
	var frees []*ast.Ident
	for si, seg := range a.segs {
		p := &piece{text: src[seg.start:seg.end], cell: count, line: seg.line, col: seg.col}
		var defined []string
		switch seg.kind {
		case segImport:
			f, err := parsePiece(fset, p, segDecl, parser.ImportsOnly)
			if err != nil {
				return nil, syntaxErr(err)
			}
			for _, im := range f.Imports {
				path, _ := strconv.Unquote(im.Path.Value)
				name := ""
				if im.Name != nil {
					name = im.Name.Name
				}
				if _, ok := packages[path]; !ok {
					pos := fset.Position(im.Path.Pos())
					return nil, compileErr(fmt.Sprintf("%s: cannot import %q: not preloaded in this kernel\n%s", pos, path, availableText()))
				}
				if name == "" {
					name = packages[path]
				}
				if name == "." {
					pos := fset.Position(im.Pos())
					return nil, compileErr(fmt.Sprintf("%s: dot imports are not supported; import %q and qualify its names", pos, path))
				}
				a.imports = append(a.imports, [2]string{name, path})
				local[name] = true
			}
		case segDecl:
			f, err := parsePiece(fset, p, segDecl, parser.ParseComments)
			if err != nil {
				return nil, syntaxErr(err)
			}
			hl := headerLen(p, segDecl)
			fileObjs := f.Scope
			unres := map[*ast.Ident]bool{}
			for _, id := range f.Unresolved {
				unres[id] = true
			}
			for _, d := range f.Decls {
				start, end := fset.PositionFor(d.Pos(), false).Offset-hl, fset.PositionFor(d.End(), false).Offset-hl
				line, col := lineCol(src, seg.start+start)
				// text starts at d.Pos; the //line directive gives its column.
				dp := &piece{text: p.text[start:end], cell: count, line: line, col: col}
				def := &cellDef{piece: dp, deps: map[string]bool{}, seg: si}
				switch d := d.(type) {
				case *ast.FuncDecl:
					def.kind = entFunc
					def.names = []string{d.Name.Name}
					if d.Recv != nil && len(d.Recv.List) == 1 {
						def.kind = entMethod
						def.recv = recvName(d.Recv.List[0].Type)
					}
					if d.Name.Name == "main" && d.Recv == nil {
						a.hasMain = true
					}
					def.doc = d.Doc.Text()
					def.sig = nodeText(p.text, fset, hl, d.Pos(), bodyStart(d))
					def.nres = d.Type.Results.NumFields()
					if def.nres == 1 {
						def.rtype = types.ExprString(d.Type.Results.List[0].Type)
					}
				case *ast.GenDecl:
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
										a.varType[n.Name] = types.ExprString(sp.Type)
									} else if i < len(sp.Values) && len(sp.Values) == len(sp.Names) {
										a.varType[n.Name] = s.typeGuess(sp.Values[i], a)
									}
								}
							}
						}
					}
					def.doc = d.Doc.Text()
					if def.kind == entType {
						def.sig = p.text[start:end]
					} else {
						def.sig = p.text[start:end]
					}
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
				a.defs = append(a.defs, def)
				if def.kind != entMethod {
					defined = append(defined, def.names...)
				}
			}
			for id := range unres {
				frees = append(frees, id)
			}
			for _, n := range defined {
				local[n] = true
			}
		case segStmt:
			f, err := parsePiece(fset, p, segStmt, 0)
			if err != nil {
				return nil, syntaxErr(err)
			}
			body := f.Decls[0].(*ast.FuncDecl).Body
			ends := map[string]int{}
			a.varEnds[si] = ends
			for _, st := range body.List {
				if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
					for i, l := range as.Lhs {
						if id, ok := l.(*ast.Ident); ok && len(as.Lhs) == len(as.Rhs) {
							a.varType[id.Name] = s.typeGuess(as.Rhs[i], a)
						}
						if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
							defined = append(defined, id.Name)
							a.varDefs[id.Name] = true
							ends[id.Name] = seg.start + fset.PositionFor(st.End(), false).Offset - headerLen(p, segStmt)
						}
					}
				}
			}
			if si == len(a.segs)-1 && len(body.List) > 0 {
				if es, ok := body.List[len(body.List)-1].(*ast.ExprStmt); ok && !isPrintCall(es.X) {
					a.lastOff = seg.start + fset.PositionFor(es.Pos(), false).Offset - headerLen(p, segStmt)
					a.lastN = s.resultCount(es.X, a)
				}
			}
			frees = append(frees, f.Unresolved...)
			for _, n := range defined {
				local[n] = true
			}
		}
		a.segDefs = append(a.segDefs, defined)
	}
	// Names used before their definition in the same cell resolve to it too
	// (the order of compile units handles the rest).
	for _, id := range frees {
		if local[id.Name] || a.free[id.Name] != token.NoPos {
			continue
		}
		a.free[id.Name] = id.Pos()
	}
	for name, pos := range a.free {
		if universe[name] || strings.Contains(name, "ᐧ") || s.ents[name] != nil || s.imports[name] != "" || autoImports[name] != "" || name == "_" {
			continue
		}
		if name == "main" && s.ents["main"] == nil {
			continue
		}
		msg := fmt.Sprintf("%s: undefined: %s", fset.Position(pos), name)
		if why := s.removed[name]; why != "" {
			msg += " (" + why + ")"
		}
		return nil, compileErr(msg)
	}
	return a, nil
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
		if en := s.ents[f.Name]; en != nil && en.kind == entFunc {
			return en.nres
		}
	case *ast.SelectorExpr:
		x, ok := f.X.(*ast.Ident)
		if !ok || s.ents[x.Name] != nil {
			return -1
		}
		path := s.imports[x.Name]
		if path == "" {
			for _, im := range a.imports {
				if im[0] == x.Name {
					path = im[1]
				}
			}
		}
		if path == "" {
			path = autoImports[x.Name]
		}
		if v, ok := symbolsOf(path)[f.Sel.Name]; ok && v.Kind() == reflect.Func {
			return v.Type().NumOut()
		}
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
			if en := s.ents[f.Name]; en != nil && en.kind == entFunc {
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

func recvName(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
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

// plan turns an analysed cell into compile units and the entity changes
// to commit when they compile.
type plan struct {
	units   []*unit
	commit  map[string]*entity // new or replaced entities (methods under their type)
	methods []*entity          // new methods to attach
	reemit  []*entity          // dependants re-emitted
	dropped []*entity          // dependants that no longer compile: removed
	why     map[*entity]string
	count   int
	rename  map[string]string
	imports [][2]string
}

func (s *Session) freshName(name string) string {
	for {
		s.fresh++
		n := fmt.Sprintf("%sᐧ%d", name, s.fresh)
		if !s.sent[n] {
			return n
		}
	}
}

func (s *Session) makePlan(src string, count int, a *analysis, drop map[*entity]string) (*plan, *Error) {
	pl := &plan{commit: map[string]*entity{}, rename: map[string]string{}}
	// Imports: new ones, plus packages used without an import line.
	seen := map[string]bool{}
	addImport := func(name, path string) *Error {
		if seen[name] {
			return nil
		}
		seen[name] = true
		if old, ok := s.imports[name]; ok {
			if old != path {
				return compileErr(fmt.Sprintf("cell[%d]: %s is already the name of %q in this session; import %q under another name", count, name, old, path))
			}
			return nil
		}
		pl.imports = append(pl.imports, [2]string{name, path})
		return nil
	}
	for _, im := range a.imports {
		if err := addImport(im[0], im[1]); err != nil {
			return nil, err
		}
	}
	for name := range a.free {
		if p := autoImports[name]; p != "" && s.ents[name] == nil && s.imports[name] == "" && !seen[name] {
			if _, ok := packages[p]; ok {
				addImport(name, p)
			}
		}
	}
	sort.Slice(pl.imports, func(i, j int) bool { return pl.imports[i][0] < pl.imports[j][0] })

	// Current internal names.
	for n, e := range s.ents {
		if e.internal != n {
			pl.rename[n] = e.internal
		}
	}
	pl.rename["main"] = "ᐧmain"

	// What the cell defines, and which existing names change.
	changed := map[string]bool{}
	cellNames := map[string]bool{}
	cellMethods := map[string]bool{} // "T.M"
	for _, d := range a.defs {
		if d.kind == entMethod {
			cellMethods[d.recv+"."+d.names[0]] = true
			if t := s.ents[d.recv]; t != nil && t.methods[d.names[0]] != nil {
				changed[d.recv] = true
			}
			continue
		}
		for _, n := range d.names {
			cellNames[n] = true
			if s.ents[n] != nil {
				changed[n] = true
			}
		}
	}
	for n := range a.varDefs {
		cellNames[n] = true
		if s.ents[n] != nil {
			changed[n] = true
		}
	}
	// Close over dependants.
	reemit := map[string]*entity{} // key: name or "T.M"
	queue := make([]string, 0, len(changed))
	for n := range changed {
		queue = append(queue, n)
	}
	sort.Strings(queue)
	changeType := func(t string) {
		if !changed[t] {
			changed[t] = true
			queue = append(queue, t)
		}
	}
	// Who uses what: name -> entities (and types whose methods) use it.
	users := map[string][]*entity{}
	methodUsers := map[string][]*entity{} // name -> types with a method using it
	if len(queue) > 0 {
		for _, e := range s.sortedEnts() {
			for d := range e.deps {
				users[d] = append(users[d], e)
			}
			if e.kind == entType {
				for _, m := range sortedMethods(e) {
					if cellMethods[e.name+"."+m.name] || drop[m] != "" {
						continue
					}
					for d := range m.deps {
						if d != e.name {
							methodUsers[d] = append(methodUsers[d], e)
						}
					}
				}
			}
		}
	}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, t := range methodUsers[x] {
			changeType(t.name)
		}
		for _, e := range users[x] {
			if cellNames[e.name] || e.piece == nil || reemit[e.name] != nil || e.kind == entVar || drop[e] != "" {
				continue
			}
			reemit[e.name] = e
			queue = append(queue, e.name)
		}
		if t := s.ents[x]; t != nil && t.kind == entType {
			if !cellNames[x] && t.piece != nil {
				reemit[x] = t // its methods change: a new type with the new method set
			}
			for _, m := range sortedMethods(t) {
				if !cellMethods[t.name+"."+m.name] && drop[m] == "" {
					reemit[t.name+"."+m.name] = m
				}
			}
		}
	}
	// What depends on a dropped declaration goes too: its name will be
	// undefined.
	for grew := true; grew; {
		grew = false
		for k, e := range reemit {
			if drop[e] != "" {
				delete(reemit, k)
				continue
			}
			for d := range e.deps {
				for de, why := range drop {
					if de.kind != entMethod && de.name == d && drop[e] == "" {
						drop[e] = fmt.Sprintf("it uses %s, removed too (%s)", d, why)
						grew = true
					}
				}
			}
		}
	}
	pl.why, pl.count = drop, count
	for e := range drop {
		pl.dropped = append(pl.dropped, e)
	}
	sort.Slice(pl.dropped, func(i, j int) bool { return pl.dropped[i].name < pl.dropped[j].name })
	// Types that change get fresh names; new types keep theirs unless the
	// interpreter has seen the name before.
	newInternal := map[string]string{}
	for _, d := range a.defs {
		if d.kind != entType {
			continue
		}
		for _, n := range d.names {
			if s.sent[n] || s.ents[n] != nil {
				newInternal[n] = s.freshName(n)
			} else {
				newInternal[n] = n
			}
		}
	}
	for n, e := range reemit {
		if e.kind == entType {
			newInternal[n] = s.freshName(n)
		}
	}
	for n, in := range newInternal {
		if in == n {
			delete(pl.rename, n)
		} else {
			pl.rename[n] = in
		}
	}
	for n := range a.varDefs {
		delete(pl.rename, n)
	}
	for _, d := range a.defs {
		if d.kind == entFunc || d.kind == entVar || d.kind == entConst {
			for _, n := range d.names {
				if n != "main" {
					delete(pl.rename, n)
				}
			}
		}
	}

	for b := range builtinRenames { // a cell's own min, max or clear wins
		if s.ents[b] != nil || a.varDefs[b] {
			pl.rename[b] = b
		}
		for _, d := range a.defs {
			if d.kind != entMethod && len(d.names) > 0 && d.names[0] == b {
				pl.rename[b] = b
			}
		}
	}

	// Entities to commit.
	for _, d := range a.defs {
		if d.kind == entMethod {
			pl.methods = append(pl.methods, &entity{name: d.names[0], kind: entMethod, piece: d.piece, deps: d.deps, recv: d.recv, cell: count, doc: d.doc, sig: d.sig})
			continue
		}
		for _, n := range d.names {
			e := &entity{name: n, kind: d.kind, internal: n, piece: d.piece, deps: d.deps, cell: count, doc: d.doc, sig: d.sig}
			if in, ok := newInternal[n]; ok {
				e.internal = in
			}
			if n == "main" && d.kind == entFunc {
				e.internal = "ᐧmain"
			}
			if d.kind == entVar {
				e.piece = nil
			}
			pl.commit[n] = e
			e.nres = d.nres
			e.rtype = d.rtype
			e.typ = a.varType[n]
		}
	}
	for n := range a.varDefs {
		if pl.commit[n] == nil {
			pl.commit[n] = &entity{name: n, kind: entVar, internal: n, cell: count, typ: a.varType[n]}
		}
	}
	var reKeys []string
	for k := range reemit {
		reKeys = append(reKeys, k)
	}
	sort.Strings(reKeys)
	for _, k := range reKeys {
		pl.reemit = append(pl.reemit, reemit[k])
	}

	// Units, in source order; dependants go right after the last segment
	// that (re)defines a name they depend on, merged into it when it is a
	// declaration segment.
	lastChange := -1
	for i, names := range a.segDefs {
		for _, n := range names {
			if changed[n] {
				lastChange = i
			}
		}
	}
	for _, d := range a.defs {
		if d.kind == entMethod && changed[d.recv] && d.seg > lastChange {
			lastChange = d.seg
		}
	}
	if len(pl.reemit) > 0 && lastChange < 0 {
		lastChange = 0
	}
	if len(pl.imports) > 0 {
		pl.units = append(pl.units, &unit{kind: segImport, imports: pl.imports})
	}
	var reemitPieces []*piece
	for _, e := range pl.reemit {
		if !containsPiece(reemitPieces, e.piece) {
			reemitPieces = append(reemitPieces, e.piece)
		}
	}
	di := 0
	for i, seg := range a.segs {
		switch seg.kind {
		case segImport:
			continue
		case segDecl:
			u := &unit{kind: segDecl, rename: pl.rename}
			for di < len(a.defs) && a.defs[di].seg == i {
				if !containsPiece(u.pieces, a.defs[di].piece) {
					u.pieces = append(u.pieces, a.defs[di].piece)
				}
				di++
			}
			if i == lastChange {
				u.pieces = append(u.pieces, reemitPieces...)
				reemitPieces = nil
			}
			pl.units = append(pl.units, u)
		case segStmt:
			start := seg.start
			if i == lastChange && len(reemitPieces) > 0 {
				// Dependants of redefined variables go right after the
				// statement that defines the last of them.
				cut := -1
				for n, end := range a.varEnds[i] {
					if changed[n] && end > cut {
						cut = end
					}
				}
				if cut > start {
					pl.units = append(pl.units, &unit{kind: segStmt, pieces: []*piece{{text: src[start:cut], cell: count, line: seg.line, col: seg.col}}, rename: pl.rename})
					pl.units = append(pl.units, &unit{kind: segDecl, pieces: reemitPieces, rename: pl.rename})
					reemitPieces = nil
					start = cut
				}
			}
			line, col := lineCol(src, start)
			p := &piece{text: src[start:seg.end], cell: count, line: line, col: col}
			if a.lastOff >= start && a.lastOff < seg.end {
				if strings.TrimSpace(src[start:a.lastOff]) != "" {
					p.text = src[start:a.lastOff]
					pl.units = append(pl.units, &unit{kind: segStmt, pieces: []*piece{p}, rename: pl.rename})
				}
				line, col := lineCol(src, a.lastOff)
				lp := &piece{text: src[a.lastOff:seg.end], cell: count, line: line, col: col}
				show := showAssign
				switch {
				case a.lastN == 0:
					show = 0
				case a.lastN > 1:
					show = showDirect
				case a.lastN < 0:
					show = showProbe
				}
				pl.units = append(pl.units, &unit{kind: segStmt, pieces: []*piece{lp}, rename: pl.rename, show: show})
			} else {
				pl.units = append(pl.units, &unit{kind: segStmt, pieces: []*piece{p}, rename: pl.rename})
			}
		}
		if i == lastChange && len(reemitPieces) > 0 {
			pl.units = append(pl.units, &unit{kind: segDecl, pieces: reemitPieces, rename: pl.rename})
			reemitPieces = nil
		}
	}
	if a.hasMain {
		pl.units = append(pl.units, &unit{kind: segStmt, pieces: []*piece{{text: "main()", cell: count, line: 1, col: 1}}, rename: pl.rename})
	}
	ints := s.intGlobals()
	varTypes := map[string]string{}
	for n, e := range s.ents {
		if e.kind == entVar && e.typ != "" {
			varTypes[n] = e.typ
		}
	}
	for n, t := range a.varType {
		varTypes[n] = t
	}
	funcTypes := map[string]string{}
	for n, t := range varTypes {
		if strings.HasPrefix(t, "func(") {
			funcTypes[n] = t
		}
	}
	for n, e := range s.ents {
		if e.kind == entFunc && strings.HasPrefix(e.rtype, "func(") {
			funcTypes["call:"+n] = e.rtype
		}
	}
	for _, d := range a.defs {
		if d.kind == entFunc && strings.HasPrefix(d.rtype, "func(") {
			funcTypes["call:"+d.names[0]] = d.rtype
		}
	}
	for _, u := range pl.units {
		u.ints = ints
		u.varTypes = varTypes
		u.funcTypes = funcTypes
		u.osShadowed = s.ents["os"] != nil
	}
	return pl, nil
}

func containsPiece(ps []*piece, p *piece) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

func (s *Session) sortedEnts() []*entity {
	out := make([]*entity, 0, len(s.ents))
	for _, n := range s.names() {
		out = append(out, s.ents[n])
	}
	return out
}

func sortedMethods(t *entity) []*entity {
	var ks []string
	for k := range t.methods {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	out := make([]*entity, len(ks))
	for i, k := range ks {
		out[i] = t.methods[k]
	}
	return out
}

// runGo runs a cell of Go code.
func (s *Session) runGo(ctx context.Context, src string, count int) *Error {
	return s.runGoThen(ctx, src, count, nil)
}

// runGoThen runs a cell and then hands again, to then, a function that
// runs the cell's statements once more (for %%timeit).
func (s *Session) runGoThen(ctx context.Context, src string, count int, then func(again func() *Error) *Error) *Error {
	if strings.TrimSpace(src) == "" {
		return nil
	}
	s.globals = nil
	src = shellLines(src)
	a, perr := s.analyse(src, count)
	if perr != nil {
		return perr
	}
	// Trial compile: a cell that does not compile must change nothing. Code
	// of earlier cells that depends on what this cell redefines and no
	// longer compiles is removed (with a note), as a notebook user expects
	// of a cell that changes a type: the cell runs, and the earlier cell
	// can be fixed and run again.
	drop := map[*entity]string{}
	var pl *plan
	var trial bool
	for attempt := 0; ; attempt++ {
		var perr *Error
		pl, perr = s.makePlan(src, count, a, drop)
		if perr != nil {
			return perr
		}
		trial = s.needsTrial(a, pl)
		if !trial {
			break
		}
		err := s.trial(pl)
		if err == nil {
			break
		}
		e := pl.reemitAt(err)
		if e == nil || attempt > 30 {
			return err
		}
		drop[e] = err.Value
	}
	progs := make([]*yinterp.Program, len(pl.units))
	for i, u := range pl.units {
		p, err := s.compileShow(s.in, u, true)
		if err != nil {
			// The interpreter may now hold half-defined names, which the
			// session's own table hides; types it saw get fresh names.
			for n, e := range pl.commit {
				if e.kind == entType {
					s.sent[n], s.sent[e.internal] = true, true
				}
			}
			s.dropShadow()
			return err
		}
		progs[i] = p
		s.hist = append(s.hist, u)
		if u.kind == segImport { // imports stay, even if a later unit fails
			s.tabMu.Lock()
			for _, im := range u.imports {
				s.imports[im[0]] = im[1]
			}
			s.tabMu.Unlock()
		}
	}
	if trial && s.shadow != nil {
		s.shadowLen = len(s.hist) // the trial compiled the same units
	}
	s.commitPlan(pl)
	s.busy.Store(true)
	defer s.busy.Store(false)
	for _, p := range progs {
		if err := s.exec(ctx, s.in, p); err != nil {
			return err
		}
	}
	if then != nil {
		return then(func() *Error {
			for i, p := range progs {
				if pl.units[i].kind != segStmt {
					continue
				}
				if err := s.exec(ctx, s.in, p); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return nil
}

// shellLines turns `!cmd` lines into calls that run cmd, keeping the
// line structure (positions stay right).
func shellLines(src string) string {
	if !strings.Contains(src, "!") {
		return src
	}
	lines := strings.Split(src, "\n")
	changed := false
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t")
		if strings.HasPrefix(t, "!") && !strings.HasPrefix(t, "!=") && len(t) > 1 && !strings.ContainsAny(t[1:2], "(!") {
			lines[i] = l[:len(l)-len(t)] + "ᐧs.Shell(" + strconv.Quote(t[1:]) + ")"
			changed = true
		}
	}
	if !changed {
		return src
	}
	return strings.Join(lines, "\n")
}

// needsTrial tells whether a failed compile could damage the session:
// redefinitions, methods and types do; new variables and plain statements
// don't (the session's table hides half-defined new names).
func (s *Session) needsTrial(a *analysis, pl *plan) bool {
	if len(pl.reemit) > 0 {
		return true
	}
	for _, m := range pl.methods {
		if pl.commit[m.recv] == nil { // a method added to an existing type
			return true
		}
	}
	for n := range pl.commit {
		if s.ents[n] != nil {
			return true
		}
	}
	// New names are harmless: the table hides half-defined ones, and a type
	// name the interpreter has seen gets a fresh internal name.
	return false
}

func (s *Session) commitPlan(pl *plan) {
	s.tabMu.Lock()
	defer s.tabMu.Unlock()
	for _, e := range pl.dropped {
		what := e.kind.String() + " " + e.name
		if e.kind == entMethod {
			what = fmt.Sprintf("method %s.%s", e.recv, e.name)
			if t := s.ents[e.recv]; t != nil {
				delete(t.methods, e.name)
			}
		} else if s.ents[e.name] == e {
			delete(s.ents, e.name)
			s.removed[e.name] = fmt.Sprintf("cell[%d] removed it: it no longer compiled after that cell's changes; fix and run cell[%d] again", pl.count, e.cell)
		}
		fmt.Fprintf(os.Stderr, "note: %s (from cell[%d]) was removed: it no longer compiles after this cell's changes:\n  %s\n  fix it and run its cell again.\n", what, e.cell, cleanNames(pl.why[e]))
	}
	for _, im := range pl.imports {
		s.imports[im[0]] = im[1]
	}
	for n, e := range pl.commit {
		if old := s.ents[n]; old != nil && old.kind == entType && e.kind == entType {
			e.methods = map[string]*entity{}
			for mn, m := range old.methods {
				e.methods[mn] = m
			}
		}
		if e.kind == entType && e.methods == nil {
			e.methods = map[string]*entity{}
		}
		s.ents[n] = e
		delete(s.removed, n)
		if e.kind == entType {
			s.sent[e.internal] = true
			s.sent[n] = true
		}
	}
	for _, e := range pl.reemit {
		if e.kind == entType {
			if in, ok := pl.rename[e.name]; ok {
				e.internal = in
			}
			s.sent[e.internal] = true
		}
	}
	for _, m := range pl.methods {
		if t := s.ents[m.recv]; t != nil && t.kind == entType {
			if t.methods == nil {
				t.methods = map[string]*entity{}
			}
			t.methods[m.name] = m
		}
	}
}

// reemitAt returns the re-emitted declaration that err points into.
func (pl *plan) reemitAt(err *Error) *entity {
	m := errPos.FindStringSubmatch(err.Value)
	if m == nil {
		return nil
	}
	cell, _ := strconv.Atoi(m[1])
	line, _ := strconv.Atoi(m[2])
	for _, e := range pl.reemit {
		p := e.piece
		if p != nil && p.cell == cell && line >= p.line && line <= p.line+strings.Count(p.text, "\n") {
			return e
		}
	}
	return nil
}

var errPos = regexp.MustCompile(`^cell\[(\d+)\]:(\d+):`)

// trial compiles the plan on the shadow interpreter.
func (s *Session) trial(pl *plan) *Error {
	if s.shadow == nil {
		if s.shadowDone != nil {
			<-s.shadowDone
			s.shadow, s.shadowLen, s.shadowDone = s.shadowNext, s.shadowNextLen, nil
		}
		if s.shadow == nil {
			sh, err := s.buildShadow(s.hist)
			if err != nil {
				return &Error{Name: "InternalError", Value: "building the trial interpreter: " + err.Error()}
			}
			s.shadow, s.shadowLen = sh, len(s.hist)
		}
	}
	// Catch up with the cells that needed no trial.
	for _, u := range s.hist[s.shadowLen:] {
		if _, err := s.compile(s.shadow, u, false); err != nil {
			s.dropShadow()
			return &Error{Name: "InternalError", Value: "updating the trial interpreter: " + err.Value}
		}
	}
	s.shadowLen = len(s.hist)
	for _, u := range pl.units {
		_, err := s.compileShow(s.shadow, u, false)
		if err != nil {
			s.dropShadow() // it holds the failed attempt now
			return err
		}
	}
	return nil
}

// buildShadow makes a trial interpreter with the compile history hist.
func (s *Session) buildShadow(hist []*unit) (*yinterp.Interpreter, error) {
	sh, err := s.newInterp()
	if err != nil {
		return nil, err
	}
	for _, u := range hist {
		if _, err := s.compile(sh, u, false); err != nil {
			return nil, err
		}
	}
	return sh, nil
}

// dropShadow discards the trial interpreter and builds a new one in the
// background (building one takes tens of milliseconds), ready for the
// next cell that needs it.
func (s *Session) dropShadow() {
	if s.shadowDone != nil {
		<-s.shadowDone
	}
	s.shadow, s.shadowNext = nil, nil
	hist := append([]*unit(nil), s.hist...)
	done := make(chan struct{})
	s.shadowDone, s.shadowNextLen = done, len(hist)
	go func() {
		defer close(done)
		sh, err := s.buildShadow(hist)
		if err == nil {
			s.shadowNext = sh
		}
	}()
}

// compileShow compiles u, finding how its last expression can be shown:
// yaegi compiles `v := voidCall()` and fails only when it runs, so a call
// of unknown result count is first compiled as ᐧs.Show(E), which fails
// for void calls.
func (s *Session) compileShow(in *yinterp.Interpreter, u *unit, main bool) (*yinterp.Program, *Error) {
	if u.show == showProbe {
		u.show = showDirect
		if _, err := s.compile(in, u, main); err != nil {
			u.show = 0
		} else {
			u.show = showAssign
		}
	}
	p, err := s.compile(in, u, main)
	for err != nil && u.show > 0 {
		u.show-- // multiple values, or a void call
		p, err = s.compile(in, u, main)
	}
	return p, err
}

// compile builds u on in's FileSet and compiles it.
func (s *Session) compile(in *yinterp.Interpreter, u *unit, main bool) (p *yinterp.Program, e *Error) {
	defer func() {
		if r := recover(); r != nil {
			p, e = nil, compilePanic(r, u)
		}
	}()
	n, err := s.build(in.FileSet(), u)
	if err != nil {
		return nil, err
	}
	prog, cerr := in.CompileAST(n)
	if cerr != nil {
		return nil, compileErr(cerr.Error())
	}
	if prog == nil {
		return nil, nil
	}
	return prog, nil
}

func compilePanic(r any, u *unit) *Error {
	msg := fmt.Sprint(r)
	where := ""
	if len(u.pieces) > 0 {
		where = fmt.Sprintf("cell[%d]:%d:%d: ", u.pieces[0].cell, u.pieces[0].line, u.pieces[0].col)
	}
	if strings.Contains(msg, "nil type") {
		msg = "this code uses something the interpreter cannot compile (a range over an int or a function whose type the session cannot see?): " +
			"write `for i := 0; i < n; i++` instead of `for i := range n`, and call an iterator directly as `seq(func(v T) bool { ...; return true })` " +
			"(return false to stop) instead of ranging over it"
	}
	return compileErr(where + msg)
}

// compileExec compiles and runs a unit (bootstrap).
func (s *Session) compileExec(ctx context.Context, in *yinterp.Interpreter, u *unit, main bool) error {
	p, err := s.compile(in, u, main)
	if err != nil {
		return err
	}
	if p == nil {
		return nil
	}
	if e := s.exec(ctx, in, p); e != nil {
		return e
	}
	return nil
}
