package interp

import (
	"fmt"
	"go/types"
	"sort"
	"strings"

	"github.com/gradlab/gradlab/interp/internal/cellsrc"
	"github.com/gradlab/gradlab/interp/internal/rewrite"
)

// The kinds of entities are those of the declarations that define them.
type entKind = cellsrc.Kind

const (
	entVar    = cellsrc.Var
	entConst  = cellsrc.Const
	entFunc   = cellsrc.Func
	entType   = cellsrc.Type
	entMethod = cellsrc.Method
)

// entity is a name a cell defined.
type entity struct {
	name     string
	kind     entKind
	internal string          // name in the interpreter (types: fresh when redefined)
	piece    *cellsrc.Piece  // declaration to re-emit; nil for variables
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
	kind    cellsrc.SegKind
	imports [][2]string // name, path
	pieces  []*cellsrc.Piece
	show    rewrite.Show // statements: how the last expression statement becomes the cell's value
	probe   bool         // show is not known yet: compileShow finds out
	noCheck bool         // bootstrap code: no rewrites
	// definesNothing: statements that define no package-level name (an
	// expression, a call, a loop). The trial interpreter only compiles, so
	// it does not need them in its history (trialInterp.record).
	definesNothing bool

	facts rewrite.Facts

	// Statements: the segment analyse parsed, whose statements in
	// [preFrom, preTo) of the cell the first build on the interpreter's
	// FileSet takes instead of parsing the text again.
	pre            *cellsrc.ParsedSeg
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
	vars    map[string]bool // the session's and the cell's variables
}

// makePlan turns an analysed cell into a plan, in named phases: the
// imports it adds, the names it changes, the dependants to re-emit, those
// that no longer compile and what depends on them, internal names, the
// entities to commit, the compile units in order, and the facts the
// rewrites need. drop holds the dependants that earlier attempts found no
// longer compile (with why); it is not changed: the plan's why is drop
// grown by what depends on them.
func (s *Session) makePlan(src string, count int, a *cellsrc.Analysis, drop map[*entity]string) (*plan, *Error) {
	t := s.tab
	imports, err := planImports(t, a, count)
	if err != nil {
		return nil, err
	}
	pl := &plan{count: count, imports: imports}
	ch := changedNames(t, a)
	reemit := dependants(t, ch, drop)
	pl.why = dropDependants(reemit, drop)
	for e := range pl.why {
		pl.dropped = append(pl.dropped, e)
	}
	sort.Slice(pl.dropped, func(i, j int) bool { return pl.dropped[i].name < pl.dropped[j].name })
	internal := internalNames(t, a, reemit)
	pl.rename = renames(t, a, internal)
	pl.commit, pl.methods = entities(a, count, internal)
	var keys []string
	for k := range reemit {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		pl.reemit = append(pl.reemit, reemit[k])
	}
	pl.vars = map[string]bool{}
	for n, e := range t.ents {
		if e.kind == entVar {
			pl.vars[n] = true
		}
	}
	for n := range a.VarDefs {
		pl.vars[n] = true
	}
	for _, d := range a.Defs {
		if d.Kind == entVar {
			for _, n := range d.Names {
				pl.vars[n] = true
			}
		}
	}
	pl.units = planUnits(src, a, ch.changed, pl)
	f := s.facts(a, pl)
	f.Rename = pl.rename
	for _, u := range pl.units {
		u.facts = f
	}
	return pl, nil
}

// planImports lists the imports the cell adds, sorted: those it writes
// that the session lacks, and packages it uses without an import line
// (autoImports). A name the session already gives another package is an
// error.
func planImports(t *table, a *cellsrc.Analysis, count int) ([][2]string, *Error) {
	var out [][2]string
	seen := map[string]bool{}
	add := func(name, path string) *Error {
		if name == "_" || seen[name] { // _: for side effects (image/png...): native packages are linked already
			return nil
		}
		seen[name] = true
		if old, ok := t.imports[name]; ok {
			if old != path {
				return compileErr(fmt.Sprintf("cell[%d]: %s is already the name of %q in this session; import %q under another name", count, name, old, path))
			}
			return nil
		}
		out = append(out, [2]string{name, path})
		return nil
	}
	for _, im := range a.Imports {
		if err := add(im[0], im[1]); err != nil {
			return nil, err
		}
	}
	for name := range a.Free {
		if r := t.lookup(name); r.auto && !seen[name] {
			add(name, r.pkg)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out, nil
}

// changes is what a cell defines, and which of the session's names it
// changes.
type changes struct {
	changed     map[string]bool // session names the cell redefines (dependants adds types whose methods change)
	cellNames   map[string]bool // names the cell defines, methods aside
	cellMethods map[string]bool // methods the cell defines, as "T.M"
}

// changedNames finds what the cell defines and which existing names it
// changes: a redefined name, or a type one of whose methods it redefines.
func changedNames(t *table, a *cellsrc.Analysis) *changes {
	ch := &changes{changed: map[string]bool{}, cellNames: map[string]bool{}, cellMethods: map[string]bool{}}
	for _, d := range a.Defs {
		if d.Kind == entMethod {
			ch.cellMethods[d.Recv+"."+d.Names[0]] = true
			if e := t.ents[d.Recv]; e != nil && e.methods[d.Names[0]] != nil {
				ch.changed[d.Recv] = true
			}
			continue
		}
		for _, n := range d.Names {
			ch.cellNames[n] = true
			if t.ents[n] != nil {
				ch.changed[n] = true
			}
		}
	}
	for n := range a.VarDefs {
		ch.cellNames[n] = true
		if t.ents[n] != nil {
			ch.changed[n] = true
		}
	}
	return ch
}

// dependants closes the changed names over the declarations that use them:
// those are re-emitted (keyed by name, methods by "T.M"), so that they see
// the new definitions. A type one of whose methods uses a changed name is
// changed too (a new type with the new method set), and added to
// ch.changed. Declarations in drop are left out.
func dependants(t *table, ch *changes, drop map[*entity]string) map[string]*entity {
	reemit := map[string]*entity{}
	queue := make([]string, 0, len(ch.changed))
	for n := range ch.changed {
		queue = append(queue, n)
	}
	sort.Strings(queue)
	if len(queue) == 0 {
		return reemit
	}
	// Who uses what: name -> entities (and types whose methods) use it.
	users := map[string][]*entity{}
	methodUsers := map[string][]*entity{} // name -> types with a method using it
	for _, e := range t.sortedEnts() {
		for d := range e.deps {
			users[d] = append(users[d], e)
		}
		if e.kind == entType {
			for _, m := range sortedMethods(e) {
				if ch.cellMethods[e.name+"."+m.name] || drop[m] != "" {
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
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, e := range methodUsers[x] {
			if !ch.changed[e.name] {
				ch.changed[e.name] = true
				queue = append(queue, e.name)
			}
		}
		for _, e := range users[x] {
			if ch.cellNames[e.name] || e.piece == nil || reemit[e.name] != nil || e.kind == entVar || drop[e] != "" {
				continue
			}
			reemit[e.name] = e
			queue = append(queue, e.name)
		}
		if e := t.ents[x]; e != nil && e.kind == entType {
			if !ch.cellNames[x] && e.piece != nil {
				reemit[x] = e // its methods change: a new type with the new method set
			}
			for _, m := range sortedMethods(e) {
				if !ch.cellMethods[e.name+"."+m.name] && drop[m] == "" {
					reemit[e.name+"."+m.name] = m
				}
			}
		}
	}
	return reemit
}

// dropDependants removes from reemit the declarations in drop and those
// that use a dropped name (their name would be undefined), returning drop
// grown by the latter, with why.
func dropDependants(reemit map[string]*entity, drop map[*entity]string) map[*entity]string {
	why := make(map[*entity]string, len(drop))
	for e, w := range drop {
		why[e] = w
	}
	for grew := true; grew; {
		grew = false
		for k, e := range reemit {
			if why[e] != "" {
				delete(reemit, k)
				continue
			}
			for d := range e.deps {
				for de, w := range why {
					if de.kind != entMethod && de.name == d && why[e] == "" {
						why[e] = fmt.Sprintf("it uses %s, removed too (%s)", d, w)
						grew = true
					}
				}
			}
		}
	}
	return why
}

// internalNames gives types their names in the interpreter: types that
// change (redefined or re-emitted) get fresh ones, new types keep theirs
// unless the interpreter has seen the name before. Constants named like
// predeclared identifiers get fresh ones too.
func internalNames(t *table, a *cellsrc.Analysis, reemit map[string]*entity) map[string]string {
	out := map[string]string{}
	for _, d := range a.Defs {
		if d.Kind == entConst {
			// yaegi cannot compile a constant named like a predeclared
			// identifier (const len = 3: CFG post-order panic); under
			// another name it is a constant like any other.
			for _, n := range d.Names {
				if types.Universe.Lookup(n) != nil {
					out[n] = t.freshName(n)
				}
			}
		}
		if d.Kind != entType {
			continue
		}
		for _, n := range d.Names {
			if t.sent[n] || t.ents[n] != nil {
				out[n] = t.freshName(n)
			} else {
				out[n] = n
			}
		}
	}
	for n, e := range reemit {
		if e.kind == entType {
			out[n] = t.freshName(n)
		}
	}
	return out
}

// renames is the rename map of the plan's units: the session's internal
// names, updated by the cell's types (internal), without the cell's own
// funcs, vars and consts (they keep their names), and with main and the
// builtins yaegi lacks renamed unless a cell defines them.
func renames(t *table, a *cellsrc.Analysis, internal map[string]string) map[string]string {
	rename := map[string]string{}
	for n, e := range t.ents {
		if e.internal != n {
			rename[n] = e.internal
		}
	}
	rename["main"] = rewrite.Main
	for n, in := range internal {
		if in == n {
			delete(rename, n)
		} else {
			rename[n] = in
		}
	}
	for n := range a.VarDefs {
		delete(rename, n)
	}
	for _, d := range a.Defs {
		if d.Kind == entFunc || d.Kind == entVar || d.Kind == entConst {
			for _, n := range d.Names {
				if n != "main" && (internal[n] == "" || internal[n] == n) {
					delete(rename, n)
				}
			}
		}
	}
	// A cell's own min, max or clear wins over the bootstrap's.
	own := func(n string) {
		if rewrite.IsBuiltinRenamed(n) && !strings.HasPrefix(rename[n], n+"ᐧ") { // not a constant's internal name
			rename[n] = n
		}
	}
	for n := range t.ents {
		own(n)
	}
	for n := range a.VarDefs {
		own(n)
	}
	for _, d := range a.Defs {
		if d.Kind != entMethod && len(d.Names) > 0 {
			own(d.Names[0])
		}
	}
	return rename
}

// entities makes the entities the cell defines: by name, and its methods
// apart (they attach to their type when committed).
func entities(a *cellsrc.Analysis, count int, internal map[string]string) (commit map[string]*entity, methods []*entity) {
	commit = map[string]*entity{}
	for _, d := range a.Defs {
		if d.Kind == entMethod {
			methods = append(methods, &entity{name: d.Names[0], kind: entMethod, piece: d.Piece, deps: d.Deps, recv: d.Recv, cell: count, doc: d.Doc, sig: d.Sig, nres: d.NRes, selfCall: d.SelfCall})
			continue
		}
		for _, n := range d.Names {
			e := &entity{name: n, kind: d.Kind, internal: n, piece: d.Piece, deps: d.Deps, cell: count, doc: d.Doc, sig: d.Sig,
				nres: d.NRes, rtype: d.RType, selfCall: d.SelfCall, typ: a.VarType[n]}
			if in, ok := internal[n]; ok {
				e.internal = in
			}
			if n == "main" && d.Kind == entFunc {
				e.internal = rewrite.Main
			}
			if d.Kind == entVar {
				e.piece = nil
			}
			commit[n] = e
		}
	}
	for n := range a.VarDefs {
		if commit[n] == nil {
			commit[n] = &entity{name: n, kind: entVar, internal: n, cell: count, typ: a.VarType[n]}
		}
	}
	return commit, methods
}

// planUnits cuts the cell into compile units, in unitOrder: the imports
// first; re-emitted dependants go right after the last segment that
// (re)defines a name they depend on, merged into it when it is a
// declaration segment; the last expression statement is a unit of its
// own, to be shown.
func planUnits(src string, a *cellsrc.Analysis, changed map[string]bool, pl *plan) []*unit {
	count := pl.count
	var units []*unit
	lastChange := -1
	for i, names := range a.SegDefs {
		for _, n := range names {
			if changed[n] {
				lastChange = i
			}
		}
	}
	for _, d := range a.Defs {
		if d.Kind == entMethod && changed[d.Recv] && d.Seg > lastChange {
			lastChange = d.Seg
		}
	}
	if len(pl.reemit) > 0 && lastChange < 0 {
		lastChange = 0
	}
	if len(pl.imports) > 0 {
		units = append(units, &unit{kind: cellsrc.SegImport, imports: pl.imports})
	}
	var reemitPieces []*cellsrc.Piece
	for _, e := range pl.reemit {
		if !containsPiece(reemitPieces, e.piece) {
			reemitPieces = append(reemitPieces, e.piece)
		}
	}
	for _, i := range unitOrder(a) {
		seg := a.Segs[i]
		switch seg.Kind {
		case cellsrc.SegImport:
			continue
		case cellsrc.SegDecl:
			u := &unit{kind: cellsrc.SegDecl}
			// A var declaration whose value uses a variable becomes a
			// statement (build), so it goes in a unit of its own: before
			// the segment's other declarations when they use it, after them
			// otherwise.
			vu := &unit{kind: cellsrc.SegDecl}
			outside := map[string]bool{} // variables not declared in this segment
			for n := range pl.vars {
				outside[n] = true
			}
			for _, n := range a.SegDefs[i] {
				delete(outside, n)
			}
			for _, d := range a.Defs {
				if d.Seg != i || containsPiece(u.pieces, d.Piece) || containsPiece(vu.pieces, d.Piece) {
					continue
				}
				if d.Kind == entVar && usesVar(d, outside) {
					vu.pieces = append(vu.pieces, d.Piece)
				} else {
					u.pieces = append(u.pieces, d.Piece)
				}
			}
			if len(vu.pieces) > 0 {
				if len(u.pieces) == 0 || usesNames(a, i, vu) {
					units = append(units, vu)
				} else {
					units = append(units, u)
					u = vu
				}
			}
			if i == lastChange {
				u.pieces = append(u.pieces, reemitPieces...)
				reemitPieces = nil
			}
			units = append(units, u)
		case cellsrc.SegStmt:
			first := len(units)
			start := seg.Start
			if i == lastChange && len(reemitPieces) > 0 {
				// Dependants of redefined variables go right after the
				// statement that defines the last of them.
				cut := -1
				for n, end := range a.VarEnds[i] {
					if changed[n] && end > cut {
						cut = end
					}
				}
				if cut > start {
					units = append(units, &unit{kind: cellsrc.SegStmt, pieces: []*cellsrc.Piece{{Text: src[start:cut], Cell: count, Line: seg.Line, Col: seg.Col}}, pre: a.Parsed[i], preFrom: start, preTo: cut})
					units = append(units, &unit{kind: cellsrc.SegDecl, pieces: reemitPieces})
					reemitPieces = nil
					start = cut
				}
			}
			line, col := cellsrc.LineCol(src, start)
			p := &cellsrc.Piece{Text: src[start:seg.End], Cell: count, Line: line, Col: col}
			if a.LastOff >= start && a.LastOff < seg.End {
				if strings.TrimSpace(src[start:a.LastOff]) != "" {
					p.Text = src[start:a.LastOff]
					units = append(units, &unit{kind: cellsrc.SegStmt, pieces: []*cellsrc.Piece{p}, pre: a.Parsed[i], preFrom: start, preTo: a.LastOff})
				}
				line, col := cellsrc.LineCol(src, a.LastOff)
				lp := &cellsrc.Piece{Text: src[a.LastOff:seg.End], Cell: count, Line: line, Col: col}
				u := &unit{kind: cellsrc.SegStmt, pieces: []*cellsrc.Piece{lp}, show: rewrite.ShowAssign, pre: a.Parsed[i], preFrom: a.LastOff, preTo: seg.End}
				switch {
				case a.LastN == 0:
					u.show = rewrite.ShowNone
				case a.LastN > 1:
					u.show = rewrite.ShowDirect
				case a.LastN < 0:
					u.probe = true
				}
				units = append(units, u)
			} else {
				units = append(units, &unit{kind: cellsrc.SegStmt, pieces: []*cellsrc.Piece{p}, pre: a.Parsed[i], preFrom: start, preTo: seg.End})
			}
			if len(a.SegDefs[i]) == 0 {
				for _, u := range units[first:] {
					u.definesNothing = u.kind == cellsrc.SegStmt
				}
			}
		}
		if i == lastChange && len(reemitPieces) > 0 {
			units = append(units, &unit{kind: cellsrc.SegDecl, pieces: reemitPieces})
			reemitPieces = nil
		}
	}
	if a.HasMain {
		units = append(units, &unit{kind: cellsrc.SegStmt, pieces: []*cellsrc.Piece{{Text: "main()", Cell: count, Line: 1, Col: 1}}, definesNothing: true})
	}
	return units
}

// unitOrder is the order in which a cell's segments compile and run:
// declarations of funcs, methods, types and consts first, as in a Go file
// (so that statements may call a func defined below them), unless they use
// a variable the cell's statements define; the rest in source order.
func unitOrder(a *cellsrc.Analysis) []int {
	hoist := make([]bool, len(a.Segs))
	for i, seg := range a.Segs {
		hoist[i] = seg.Kind == cellsrc.SegDecl
	}
	for _, d := range a.Defs {
		if d.Kind == entVar {
			hoist[d.Seg] = false
		}
		for dep := range d.Deps {
			if a.VarDefs[dep] {
				hoist[d.Seg] = false
			}
		}
	}
	var order []int
	for i := range a.Segs {
		if hoist[i] {
			order = append(order, i)
		}
	}
	for i := range a.Segs {
		if !hoist[i] {
			order = append(order, i)
		}
	}
	return order
}

func containsPiece(ps []*cellsrc.Piece, p *cellsrc.Piece) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// sortedEnts returns the entities by name.
func (t *table) sortedEnts() []*entity {
	names := make([]string, 0, len(t.ents))
	for n := range t.ents {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]*entity, len(names))
	for i, n := range names {
		out[i] = t.ents[n]
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

// usesVar says whether d uses one of vars.
func usesVar(d *cellsrc.Def, vars map[string]bool) bool {
	for n := range d.Deps {
		if vars[n] {
			return true
		}
	}
	return false
}

// usesNames says whether a declaration of segment i outside vu uses a
// name vu's declarations define.
func usesNames(a *cellsrc.Analysis, i int, vu *unit) bool {
	names := map[string]bool{}
	for _, d := range a.Defs {
		if containsPiece(vu.pieces, d.Piece) {
			for _, n := range d.Names {
				names[n] = true
			}
		}
	}
	for _, d := range a.Defs {
		if d.Seg == i && !containsPiece(vu.pieces, d.Piece) && usesVar(d, names) {
			return true
		}
	}
	return false
}
