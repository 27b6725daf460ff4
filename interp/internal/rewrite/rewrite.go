// Package rewrite turns Go that yaegi v0.16.1 cannot run into Go that it
// can, and names the session's definitions as the interpreter knows them.
// Every rewrite is a function of the syntax tree and of Facts, the few
// things of the session it needs, and says in its doc comment what it
// does, before and after:
//
//   - renames (File): session names to their internal names (names.go)
//   - stdinFromFrontend: os.Stdin reads from the frontend
//   - rangeInt: range over an integer
//   - rangeFunc: range over a function iterator
//   - goRecover: a panic in a goroutine is reported, not fatal
//   - guardGoMethods: the same for a func() passed to a method named Go
//   - guardRecursion: runaway recursion panics before the stack overflows
//   - perIterationLoopVars: Go 1.22's per-iteration loop variables
//   - typeSwitchesToAssertions: type switches on cell types
//   - topLevelCommaOk: v, ok := ... at a cell's top level
//   - needsFuncScope and inFunc: variables of top-level compound statements
//   - typedTopLevelIndex: index operands whose type came from native code
//   - methodExprs: method expressions, called and as values (methodexpr.go)
//   - deferArgs: a deferred call's arguments are evaluated at the defer (deferargs.go)
//   - newOfExprs: Go 1.26's new(expr) (newexpr.go)
//   - parallelAssignTemps: nil and values into interfaces among several assigned (multiassign.go)
//   - literalsThroughVars: values of value-receiver types into interfaces (ifacelit.go)
//   - constIota: iota and implicit repetition in constant declarations (iota.go)
//   - typedConstants: untyped constants of shifts and select sends (untyped.go)
//   - arrayPointerIndex: &p[i] of a pointer to an array (untyped.go)
//   - topLevelDerefTypes: top-level variables defined from *p or p[i] (toptyped.go)
//   - constantLens: len and cap of arrays, ranges over pointers to arrays (constlen.go)
//   - realImagConstants: real and imag of complex constants (cplxconst.go)
//   - rangeChanValues: ranges over slices and maps of channels (untyped.go)
//   - parallelAssignParens: assignments of several values, returned receives (parallelassign.go)
//   - pkgFuncs, unsafeTypeArgs: generic funcs of native packages (pkgfuncs.go)
//   - selectRecvParens: a select case's parenthesised receive (selectrecv.go)
//   - selectRecvAssign: a select case receiving into a field or through a pointer (selectrecv.go)
//   - selectJumps: break, continue and goto in a select case (selectjump.go)
//   - selectChanOperands: a select's indexed channels, evaluated before it (selecthoist.go)
//   - rangeAssign: range statements assigning existing variables (rangeassign.go)
//   - deferredClosures: closures a function's defer statements call (deferclosure.go)
//   - typeVerbs: %T of cell types (typeverb.go)
//   - dynamicFmtArgs: fmt's operands of a cell interface type (dynargs.go)
//   - assertionMessages: Go's message for a failing assertion to a cell's interface (assertmsg.go)
//   - checkedMakeSlices: Go's run-time errors of make of a slice (makeslice.go)
//   - checkedSliceConversions: Go's run-time error of a slice converted to an array (sliceconv.go)
//   - stringRanges: ranges over strings decoded rune by rune (rangestring.go)
//   - methodValues: a method value's receiver evaluated when it is made (methodvalue.go)
//   - chanComparisons: a channel compared with a directional one (chancompare.go)
//   - unsafeConstants, hugeConstants: unsafe.Sizeof and friends, constants beyond int64 (constfold.go)
//   - literalsAssignedToIfaces: a cell type's literal assigned to an interface (ifaceassign.go)
//   - registerCellMethods: String and Error of cell types for fmt, through any (cellmethods.go)
//   - ShowLast: the cell's last expression becomes its value
//
// The package knows nothing of the session: it takes syntax in and gives
// syntax out, and its tests are source in, source out.
package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// Facts is what the rewrites need to know of the session, fixed when a
// unit is planned so that rebuilding it later (on the trial interpreter)
// gives the same program.
type Facts struct {
	Rename       map[string]string // package-level names -> their internal names
	Ints         map[string]bool   // session variables and constants of integer kind; "call:f", "v.F", "call:v.M" (rangeInt)
	VarTypes     map[string]string // variables -> their types, when the code says
	FuncTypes    map[string]string // function-typed variables, and "call:f" -> f's result type
	SessionTypes map[string]bool   // types defined in cells
	Recursive    map[string]bool   // funcs ("f") and methods ("T.M") that can call themselves
	OSShadowed   bool              // a cell defined its own os
	Operands     map[string]string // operands of top-level index expressions -> their types, as source (typedTopLevelIndex)
	Packages     map[string]bool   // local names of the packages the session imports (AssignThroughPointer, HoistArgs)
	HoistCalls   map[string]bool   // cell funcs whose one result is of a cell type (HoistArgs)
	Generic      []string          // the session's generic funcs, as declarations without bodies (ExplicitTypeArgs)
	Vars         map[string]bool   // the session's and the cell's variables (a var declaration using one compiles as a statement)
	TypeDecls    []string          // the session's and the cell's type declarations and method signatures, as source (methodExprs)
	PkgFuncs     map[string]string // generic funcs of imported native packages ("rand.N") -> interpreted versions (pkgfuncs.go)
	ErrorTyped   map[string]bool   // variables of type error ("err"), funcs and package funcs returning one ("call:f", "call:errors.Unwrap") (errcompare.go)
	ValueDecls   []string          // the session's and the cell's func (without bodies), var and const declarations, as source (checkTypesIn)
}

// context is what checkTypesIn declares besides the file: the type,
// func, var and const declarations of the session and the cell.
func (facts *Facts) context() []string {
	if len(facts.ValueDecls) == 0 {
		return facts.TypeDecls
	}
	return append(append([]string(nil), facts.TypeDecls...), facts.ValueDecls...)
}

// File rewrites f, a file of declarations or the file of a unit of
// statements (their body is the body of its one function), in place: the
// renames, then the rewrites whose constructs f has.
func File(fset *token.FileSet, f *ast.File, facts *Facts) {
	// On the names as written, before the renames:
	if len(facts.Generic) > 0 || declaresGeneric(f) {
		ExplicitTypeArgs(fset, f, genericContext(facts.Generic))
	}
	if len(facts.HoistCalls) > 0 {
		HoistArgs(f, func(c *ast.CallExpr) bool {
			sel, ok := c.Fun.(*ast.SelectorExpr)
			if !ok {
				return false
			}
			id, ok := sel.X.(*ast.Ident)
			return ok && facts.Packages[id.Name]
		}, func(e ast.Expr) (string, bool) {
			c, ok := e.(*ast.CallExpr)
			if !ok {
				return "", false
			}
			id, ok := c.Fun.(*ast.Ident)
			return "", ok && facts.HoistCalls[id.Name]
		})
	}
	if facts.PkgFuncs != nil {
		unsafeTypeArgs(fset, f, func(id *ast.Ident) bool { return facts.PkgFuncs[id.Name+".Slice"] == "ᐧunsafeSlice" })
	}
	constIota(fset, f)
	typedConstants(fset, f, facts.VarTypes)
	ctx := facts.context() // for go/types
	arrayPointerIndex(fset, f, facts.VarTypes, ctx)
	topLevelDerefTypes(fset, f, facts.VarTypes, ctx)
	constantLens(fset, f, facts.VarTypes, ctx)
	realImagConstants(fset, f, facts.VarTypes, ctx)
	rangeChanValues(fset, f, facts.VarTypes)
	typeVerbs(fset, f, facts.VarTypes, facts.Packages, ctx) // before dynamicFmtArgs: %T's operand is the variable
	dynamicFmtArgs(fset, f, facts.VarTypes, facts.Packages, facts.TypeDecls)
	assertionMessages(fset, f, facts.VarTypes, ctx)
	checkedMakeSlices(fset, f, facts.VarTypes, ctx)
	checkedSliceConversions(fset, f, facts.VarTypes, ctx)
	unsafeConstants(fset, f, facts.VarTypes, ctx)
	hugeConstants(fset, f, facts.VarTypes, ctx)
	chanComparisons(fset, f, facts.VarTypes, ctx)
	methodValues(fset, f, facts.VarTypes, ctx)
	stringRanges(fset, f, facts.VarTypes, ctx) // before rangeAssign
	literalsAssignedToIfaces(fset, f, facts.VarTypes, ctx)
	errorComparisons(f, facts.ErrorTyped) // keyed on the names as written
	methodExprs(f, facts.SessionTypes, facts.TypeDecls)
	deferArgs(f, facts.Vars)
	newOfExprs(f, facts.Vars)
	parallelAssignTemps(fset, f, facts.VarTypes, ctx)
	literalsThroughVars(f, facts.TypeDecls)
	selectRecvParens(f)
	selectRecvAssign(f)
	selectJumps(f)
	selectChanOperands(f)
	rangeAssign(f)
	guardRecursion(f, facts.Recursive) // keyed on the names as written: before the renames
	guardClosureRecursion(f)
	guardFuncFields(f)
	freeOS := map[*ast.Ident]bool{}
	freeIDs := map[*ast.Ident]bool{}
	PackageRefs(f, func(id *ast.Ident, free bool) {
		if free {
			freeIDs[id] = true
		}
		if free && id.Name == "os" {
			freeOS[id] = true
		}
		if in, ok := facts.Rename[id.Name]; ok {
			id.Name = in
		} else if in, ok := builtinRenames[id.Name]; ok && free {
			id.Name = in
		}
	})
	if len(facts.PkgFuncs) > 0 {
		pkgFuncs(f, facts.PkgFuncs, func(id *ast.Ident) bool { return freeIDs[id] && facts.Packages[id.Name] })
	}
	registerCellMethods(f) // after the renames: yaegi's names of the types
	HideUnexportedFields(f)
	RecoverValues(f, func(id *ast.Ident) bool { return freeIDs[id] })
	AssignThroughPointer(f, func(id *ast.Ident) bool { return freeIDs[id] && facts.Packages[id.Name] })
	has := censusOf(f)
	if has.stdin && !facts.OSShadowed {
		stdinFromFrontend(f, freeOS)
	}
	if has.goMethod {
		guardGoMethods(f)
	}
	if has.forLoop {
		perIterationLoopVars(f)
	}
	if has.typeSwitch {
		typeSwitchesToAssertions(f, facts.SessionTypes)
	}
	parallelAssignParens(f)
	deferredClosures(f)
	if !has.rangeLoop && !has.goStmt {
		return // the statement rewrites below are of range and go statements
	}
	var ints map[string]bool
	if has.rangeLoop {
		ints = intNames(f, facts.Ints)
	}
	done := map[ast.Node]bool{}
	var list func(stmts []ast.Stmt)
	list = func(stmts []ast.Stmt) {
		for i, st := range stmts {
			stmts[i] = rewriteStmt(fset, facts, st, ints, done)
		}
	}
	eachStmtList(f, list)
}

// anyNode tells whether some node of n satisfies pred, looking no
// further once one does.
func anyNode(n ast.Node, pred func(ast.Node) bool) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		found = found || m != nil && pred(m)
		return !found
	})
	return found
}

// eachStmtList calls list with every statement list in n: blocks' and
// case and select clauses' bodies, outer ones first.
func eachStmtList(n ast.Node, list func([]ast.Stmt)) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BlockStmt:
			list(n.List)
		case *ast.CaseClause:
			list(n.Body)
		case *ast.CommClause:
			list(n.Body)
		}
		return true
	})
}

// census is which constructs a file has that some rewrite applies to: the
// rewrites that walk the whole file run only when it has theirs.
type census struct {
	stdin, goMethod, forLoop, rangeLoop, goStmt, typeSwitch bool
}

func censusOf(f *ast.File) census {
	var c census
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			c.stdin = c.stdin || x.Sel.Name == "Stdin"
			c.goMethod = c.goMethod || x.Sel.Name == "Go"
		case *ast.ForStmt:
			c.forLoop = true
		case *ast.RangeStmt:
			c.forLoop, c.rangeLoop = true, true
		case *ast.GoStmt:
			c.goStmt = true
		case *ast.TypeSwitchStmt:
			c.typeSwitch = true
		}
		return true
	})
	return c
}

// stdinFromFrontend turns os.Stdin, os the package (one of the idents in
// pkgOS), into ᐧs.Stdin, which reads from the frontend as fmt.Scan does:
//
//	bufio.NewScanner(os.Stdin)  ->  bufio.NewScanner(ᐧs.Stdin)
func stdinFromFrontend(f *ast.File, pkgOS map[*ast.Ident]bool) {
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Stdin" {
			if id, ok := sel.X.(*ast.Ident); ok && pkgOS[id] {
				id.Name = Sess
			}
		}
		return true
	})
}

// rewriteStmt applies the statement rewrites (range over an int or a
// func, go statements) to st; done marks go statements already rewritten.
func rewriteStmt(fset *token.FileSet, facts *Facts, st ast.Stmt, ints map[string]bool, done map[ast.Node]bool) ast.Stmt {
	switch x := st.(type) {
	case *ast.LabeledStmt:
		if r, ok := x.Stmt.(*ast.RangeStmt); ok {
			if blk := rangeInt(r, ints, x.Label); blk != nil {
				return blk
			}
		}
		if g, ok := x.Stmt.(*ast.GoStmt); ok && !done[g] { // `L: go f()`, a goto target
			done[g] = true
			x.Stmt = goRecover(fset, g, done)
		}
	case *ast.RangeStmt:
		if blk := rangeInt(x, ints, nil); blk != nil {
			return blk
		}
		if call := rangeFunc(x, facts.FuncTypes); call != nil {
			return call
		}
	case *ast.GoStmt:
		if done[x] {
			return x
		}
		done[x] = true
		return goRecover(fset, x, done)
	}
	return st
}

// TopLevel rewrites the statements at the top level of a cell (the body of
// a statement unit): comma-ok definitions (topLevelCommaOk), index operands
// of known types (typedTopLevelIndex), and compound statements that define
// variables of their own, which run in a function (needsFuncScope). Its
// error says which statement the interpreter cannot run, and why.
func TopLevel(fset *token.FileSet, list []ast.Stmt, facts *Facts) ([]ast.Stmt, error) {
	list, err := topLevelCommaOk(fset, list, facts.VarTypes)
	if err != nil {
		return nil, err
	}
	typedTopLevelIndex(list, facts.Operands)
	list = topLevelPkgFuncDefs(list)
	for i, st := range list {
		if needsFuncScope(st) {
			list[i] = inFunc(st)
		}
	}
	return list, nil
}

// Show says how ShowLast makes a cell's last expression its value.
type Show int

const (
	ShowNone   Show = iota // the expression runs as it is (a void call)
	ShowDirect             // ᐧs.Show(E): for multiple values
	ShowAssign             // { ᐧv := E; ᐧs.Show(ᐧv) }
)

// Weaker is the form to try when s does not compile: a call with several
// values fails as an assignment, a void call as an argument.
func (s Show) Weaker() Show {
	switch s {
	case ShowAssign:
		return ShowDirect
	default:
		return ShowNone
	}
}

// ShowLast makes the last statement of body, when it is an expression E,
// the cell's value:
//
//	E  ->  { ᐧv := E; ᐧs.Show(ᐧv) }   (ShowAssign)
//	E  ->  ᐧs.Show(E)                 (ShowDirect)
//
// Through a variable, yaegi knows the static type and wraps interpreted
// values whose methods Show needs.
func ShowLast(body *ast.BlockStmt, how Show) {
	if how == ShowNone || len(body.List) == 0 {
		return
	}
	es, ok := body.List[len(body.List)-1].(*ast.ExprStmt)
	if !ok {
		return
	}
	show := func(arg ast.Expr) *ast.ExprStmt {
		return &ast.ExprStmt{X: &ast.CallExpr{
			Fun:  &ast.SelectorExpr{X: ast.NewIdent(Sess), Sel: ast.NewIdent("Show")},
			Args: []ast.Expr{arg},
		}}
	}
	if how == ShowAssign {
		body.List[len(body.List)-1] = &ast.BlockStmt{List: []ast.Stmt{
			&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("ᐧv")}, Tok: token.DEFINE, Rhs: []ast.Expr{es.X}},
			show(ast.NewIdent("ᐧv")),
		}}
		return
	}
	body.List[len(body.List)-1] = show(es.X)
}

// declaresGeneric says whether f declares a generic func.
func declaresGeneric(f *ast.File) bool {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Type.TypeParams != nil {
			return true
		}
	}
	return false
}

// genericContext parses the session's generic funcs (declarations without
// bodies) as a file for ExplicitTypeArgs' check; nil if they do not parse.
func genericContext(sigs []string) []*ast.File {
	if len(sigs) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("package main\n")
	for _, s := range sigs {
		b.WriteString(s)
		b.WriteString(" { panic(0) }\n")
	}
	f, err := parser.ParseFile(token.NewFileSet(), "generic.go", b.String(), parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	return []*ast.File{f}
}
