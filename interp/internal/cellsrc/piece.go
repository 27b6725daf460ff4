package cellsrc

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// Parse parses p on fset: declarations as a file, statements as the
// body of a function, behind a //line directive that puts every position
// in the cell's coordinates (cell[N]:line:col).
func Parse(fset *token.FileSet, p *Piece, kind SegKind, mode parser.Mode) (*ast.File, error) {
	var b strings.Builder
	b.WriteString("package main\n")
	if kind == SegStmt {
		b.WriteString("func _() {\n")
	}
	fmt.Fprintf(&b, "//line cell[%d]:%d:%d\n", p.Cell, p.Line, p.Col)
	b.WriteString(p.Text)
	if kind == SegStmt {
		b.WriteString("\n}")
	}
	// The file name matters to yaegi: it keys file-scoped names by it.
	// Names are resolved by rewrite.PackageRefs, not by the parser's
	// deprecated objects (which yaegi does not read either).
	return parser.ParseFile(fset, "cell.go", b.String(), mode|parser.AllErrors|parser.SkipObjectResolution)
}

// HeaderLen is the length of what Parse puts before the text.
func HeaderLen(p *Piece, kind SegKind) int {
	n := len("package main\n") + len(fmt.Sprintf("//line cell[%d]:%d:%d\n", p.Cell, p.Line, p.Col))
	if kind == SegStmt {
		n += len("func _() {\n")
	}
	return n
}

// Piece is a span of a cell's source, kept to be parsed again (for the
// trial interpreter, for re-emitting a declaration that depends on a
// redefined name).
type Piece struct {
	Text            string
	Cell, Line, Col int // the cell's number, and where Text starts in it
}
