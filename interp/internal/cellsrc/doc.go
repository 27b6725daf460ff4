// Package cellsrc reads the source of a notebook cell, without running
// anything and without the session: it cuts a cell into segments of
// imports, declarations and statements (Split), parses a piece of a cell
// so that positions read in the cell's own coordinates (Parse), tells
// whether a cell is ready to run (IsComplete), and finds the expression at
// a cursor (ExprAt, InCommentOrString).
//
// Analyse asks the session what a name means through the small
// Resolver interface, and nothing else of it. It imports package rewrite
// for one thing only: Go's scope rules as rewrite implements them
// (PackageRefs, RecvName, IndexOperands) and the internal-name scheme
// (IsInternal), so that the session resolves names by one implementation
// instead of a copy per package.
package cellsrc
