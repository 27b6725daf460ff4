package rewrite

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"strconv"
)

// constIota writes out what Go's constant declarations using iota mean:
// each spec's iota is its index in the group, and a spec without values
// repeats the type and values of the last one with them. yaegi v0.16.1
// got some of them wrong (`m = iota == 0` was false) or refused them
// (`s = string(iota + 'a')`, "constant definition loop" on the spec that
// repeats it):
//
//	const (                        const (
//		A = 1 << iota                  A = 1 << 0
//		B                 ->           B = 1 << 1
//		m = iota == 0                  m = 2 == 0
//	)                              )
//
// A file that declares its own iota is left as it is.
func constIota(fset *token.FileSet, f *ast.File) {
	usesIota := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(m ast.Node) bool {
			if id, ok := m.(*ast.Ident); ok && id.Name == "iota" {
				found = true
			}
			return !found
		})
		return found
	}
	var decls []*ast.GenDecl
	shadowed := false
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GenDecl:
			if n.Tok == token.CONST && usesIota(n) {
				decls = append(decls, n)
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				shadowed = shadowed || id.Name == "iota"
			}
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == "iota" {
					shadowed = true
				}
			}
		}
		return true
	})
	if shadowed {
		return
	}
	for _, d := range decls {
		var typ ast.Expr
		var vals []ast.Expr
		for i, sp := range d.Specs {
			vs := sp.(*ast.ValueSpec)
			implicit := len(vs.Values) == 0
			if !implicit {
				typ, vals = vs.Type, vs.Values
			}
			if vals == nil {
				continue // not valid Go: yaegi reports it
			}
			var out []ast.Expr
			for _, v := range vals {
				e := withIota(fset, v, i)
				if e == nil {
					out = nil
					break
				}
				out = append(out, e)
			}
			if out == nil {
				continue
			}
			if implicit && typ != nil {
				vs.Type = withIota(fset, typ, i)
				if vs.Type == nil {
					continue
				}
			}
			vs.Values = out
		}
	}
}

// withIota returns a copy of e with iota replaced by n, or nil when e
// cannot be printed and parsed again.
func withIota(fset *token.FileSet, e ast.Expr, n int) ast.Expr {
	var b bytes.Buffer
	if err := format.Node(&b, fset, e); err != nil {
		return nil
	}
	src := b.Bytes()
	var s scanner.Scanner
	file := token.NewFileSet().AddFile("", -1, len(src))
	s.Init(file, src, nil, 0)
	var out bytes.Buffer
	last := 0
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.IDENT && lit == "iota" {
			off := file.Offset(pos)
			out.Write(src[last:off])
			out.WriteString(strconv.Itoa(n))
			last = off + len(lit)
		}
	}
	out.Write(src[last:])
	x, err := parser.ParseExpr(out.String())
	if err != nil {
		return nil
	}
	return x
}
