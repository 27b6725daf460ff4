// Package cellsrc reads the source of a notebook cell, without running
// anything and without the session: it cuts a cell into segments of
// imports, declarations and statements (Split), parses a piece of a cell
// so that positions read in the cell's own coordinates (Parse), tells
// whether a cell is ready to run (IsComplete), and finds the expression at
// a cursor (ExprAt, InCommentOrString).
package cellsrc
