package interp

import (
	"fmt"
	"go/types"
	"sort"
	"strings"
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
	selfCall bool   // funcs and methods: the body calls its own name
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
	ints         map[string]bool   // session variables and constants of integer kind
	varTypes     map[string]string // variables -> their types, when the code says
	funcTypes    map[string]string // function-typed variables, and "call:f" -> f's result type
	sessionTypes map[string]bool   // types defined in cells (this one included)
	recursive    map[string]bool   // funcs ("f") and methods ("T.M") that can call themselves
	osShadowed   bool              // a cell defined its own os
	operands     map[string]string // operands of top-level index expressions -> their types, as source (see typedindex.go)

	// Statements: the segment analyse parsed, whose statements in
	// [preFrom, preTo) of the cell the first build on the interpreter's
	// FileSet takes instead of parsing the text again.
	pre            *parsedSeg
	preFrom, preTo int
}

var universe = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range types.Universe.Names() {
		m[n] = true
	}
	return m
}()

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

func (s *Session) makePlan(src string, count int, a *analysis, drop map[*entity]string) (*plan, *Error) {
	pl := &plan{commit: map[string]*entity{}, rename: map[string]string{}}
	// Imports: new ones, plus packages used without an import line.
	seen := map[string]bool{}
	addImport := func(name, path string) *Error {
		if name == "_" { // for side effects (image/png...): native packages are linked already
			return nil
		}
		if seen[name] {
			return nil
		}
		seen[name] = true
		if old, ok := s.tab.imports[name]; ok {
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
		if r := s.tab.lookup(name); r.auto && !seen[name] {
			addImport(name, r.pkg)
		}
	}
	sort.Slice(pl.imports, func(i, j int) bool { return pl.imports[i][0] < pl.imports[j][0] })

	// Current internal names.
	for n, e := range s.tab.ents {
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
			if t := s.tab.ents[d.recv]; t != nil && t.methods[d.names[0]] != nil {
				changed[d.recv] = true
			}
			continue
		}
		for _, n := range d.names {
			cellNames[n] = true
			if s.tab.ents[n] != nil {
				changed[n] = true
			}
		}
	}
	for n := range a.varDefs {
		cellNames[n] = true
		if s.tab.ents[n] != nil {
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
		if t := s.tab.ents[x]; t != nil && t.kind == entType {
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
			if s.tab.sent[n] || s.tab.ents[n] != nil {
				newInternal[n] = s.tab.freshName(n)
			} else {
				newInternal[n] = n
			}
		}
	}
	for n, e := range reemit {
		if e.kind == entType {
			newInternal[n] = s.tab.freshName(n)
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
		if s.tab.ents[b] != nil || a.varDefs[b] {
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
			pl.methods = append(pl.methods, &entity{name: d.names[0], kind: entMethod, piece: d.piece, deps: d.deps, recv: d.recv, cell: count, doc: d.doc, sig: d.sig, nres: d.nres, selfCall: d.selfCall})
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
			e.selfCall = d.selfCall
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
	for _, i := range unitOrder(a) {
		seg := a.segs[i]
		switch seg.kind {
		case segImport:
			continue
		case segDecl:
			u := &unit{kind: segDecl, rename: pl.rename}
			for _, d := range a.defs {
				if d.seg == i && !containsPiece(u.pieces, d.piece) {
					u.pieces = append(u.pieces, d.piece)
				}
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
					pl.units = append(pl.units, &unit{kind: segStmt, pieces: []*piece{{text: src[start:cut], cell: count, line: seg.line, col: seg.col}}, rename: pl.rename, pre: a.parsed[i], preFrom: start, preTo: cut})
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
					pl.units = append(pl.units, &unit{kind: segStmt, pieces: []*piece{p}, rename: pl.rename, pre: a.parsed[i], preFrom: start, preTo: a.lastOff})
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
				pl.units = append(pl.units, &unit{kind: segStmt, pieces: []*piece{lp}, rename: pl.rename, show: show, pre: a.parsed[i], preFrom: a.lastOff, preTo: seg.end})
			} else {
				pl.units = append(pl.units, &unit{kind: segStmt, pieces: []*piece{p}, rename: pl.rename, pre: a.parsed[i], preFrom: start, preTo: seg.end})
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
	// What is an integer matters to `for i := range X` rewrites only, in the
	// cell or in code re-emitted with it.
	var ints map[string]bool
	if plUses(pl, "range") {
		ints = s.intGlobals()
		for k := range s.intExprs() {
			ints[k] = true
		}
		for _, d := range a.defs {
			if d.kind == entFunc && intTypeNames[d.rtype] {
				ints["call:"+d.names[0]] = true
			}
		}
	}
	varTypes := map[string]string{}
	for n, e := range s.tab.ents {
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
	for n, e := range s.tab.ents {
		if e.kind == entFunc && strings.HasPrefix(e.rtype, "func(") {
			funcTypes["call:"+n] = e.rtype
		}
	}
	for _, d := range a.defs {
		if d.kind == entFunc && strings.HasPrefix(d.rtype, "func(") {
			funcTypes["call:"+d.names[0]] = d.rtype
		}
	}
	sessionTypes := map[string]bool{}
	for n, e := range s.tab.ents {
		if e.kind == entType {
			sessionTypes[n] = true
		}
	}
	for _, d := range a.defs {
		if d.kind == entType {
			for _, n := range d.names {
				sessionTypes[n] = true
			}
		}
	}
	recursive := s.recursiveFuncs(a, pl)
	var operands map[string]string
	if len(a.operands) > 0 {
		operands = s.planOperands(a, pl)
	}
	for _, u := range pl.units {
		u.recursive = recursive
		u.operands = operands
		u.sessionTypes = sessionTypes
		u.ints = ints
		u.varTypes = varTypes
		u.funcTypes = funcTypes
		u.osShadowed = s.tab.ents["os"] != nil
	}
	return pl, nil
}

// unitOrder is the order in which a cell's segments compile and run:
// declarations of funcs, methods, types and consts first, as in a Go file
// (so that statements may call a func defined below them), unless they use
// a variable the cell's statements define; the rest in source order.
func unitOrder(a *analysis) []int {
	hoist := make([]bool, len(a.segs))
	for i, seg := range a.segs {
		hoist[i] = seg.kind == segDecl
	}
	for _, d := range a.defs {
		if d.kind == entVar {
			hoist[d.seg] = false
		}
		for dep := range d.deps {
			if a.varDefs[dep] {
				hoist[d.seg] = false
			}
		}
	}
	var order []int
	for i := range a.segs {
		if hoist[i] {
			order = append(order, i)
		}
	}
	for i := range a.segs {
		if !hoist[i] {
			order = append(order, i)
		}
	}
	return order
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
	out := make([]*entity, 0, len(s.tab.ents))
	for _, n := range s.names() {
		out = append(out, s.tab.ents[n])
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

// recursiveFuncs finds the cell's and the session's functions that can
// call themselves: a cycle through the functions they use, or a method
// calling a method of its own name. Cycles are looked for only from the
// functions pl compiles (the cell's and those re-emitted): the guard goes
// into their declarations, and a cell declaring none costs no search.
func (s *Session) recursiveFuncs(a *analysis, pl *plan) map[string]bool {
	deps := map[string]map[string]bool{}
	for n, e := range s.tab.ents {
		if e.kind == entFunc {
			deps[n] = e.deps
		}
	}
	out := map[string]bool{}
	for _, d := range a.defs {
		switch d.kind {
		case entFunc:
			deps[d.names[0]] = d.deps
			if d.selfCall {
				out[d.names[0]] = true
			}
		case entMethod:
			if d.selfCall {
				out[d.recv+"."+d.names[0]] = true
			}
		}
	}
	for n, e := range s.tab.ents {
		if e.kind == entType {
			for mn, m := range e.methods {
				if m.selfCall {
					out[n+"."+mn] = true
				}
			}
		}
		if e.kind == entFunc && e.selfCall {
			out[n] = true
		}
	}
	var compiled []string
	for _, d := range a.defs {
		if d.kind == entFunc {
			compiled = append(compiled, d.names[0])
		}
	}
	for _, e := range pl.reemit {
		if e.kind == entFunc {
			compiled = append(compiled, e.name)
		}
	}
	// Mutual recursion: f reaches f through the funcs it uses.
	for _, f := range compiled {
		seen := map[string]bool{}
		stack := []string{f}
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for d := range deps[x] {
				if d == f {
					out[f] = true
				}
				if deps[d] != nil && !seen[d] {
					seen[d] = true
					stack = append(stack, d)
				}
			}
		}
	}
	return out
}

// planOperands writes, as source, the types the top-level index rewrite
// gives to operands (see typedindex.go), with the packages as the cell
// sees them.
func (s *Session) planOperands(a *analysis, pl *plan) map[string]string {
	names := map[string]string{} // import path -> name in the session
	for name, path := range s.tab.imports {
		names[path] = name
	}
	for _, im := range pl.imports {
		names[im[1]] = im[0]
	}
	out := map[string]string{}
	for x, t := range a.operands {
		if src := operandType(t, names); src != "" {
			out[x] = src
		}
	}
	return out
}

// plUses reports whether any piece the plan compiles contains word.
func plUses(pl *plan, word string) bool {
	for _, u := range pl.units {
		for _, p := range u.pieces {
			if strings.Contains(p.text, word) {
				return true
			}
		}
	}
	return false
}
