package kernel

import (
	"reflect"
	"testing"
)

// Tracebacks are coloured as ipykernel's are, since Notebook 6 and
// JupyterLab show an error's colour only from ANSI codes in its traceback:
// the headline red, cell positions green, the rest as it was.
func TestErrorContentColoursTheTraceback(t *testing.T) {
	e := &Error{Name: "CompileError", Value: "undefined: x", Traceback: []string{
		"cell[3]:2:5: undefined: x",
		"cell[3]:4:1: undefined: y",
		"(the cell changed nothing)",
	}}
	c := e.Content()
	want := []string{
		"\x1b[0;32mcell[3]:2:5\x1b[0m\x1b[0;31m: undefined: x\x1b[0m",
		"\x1b[0;32mcell[3]:4:1\x1b[0m: undefined: y",
		"(the cell changed nothing)",
	}
	if got := c["traceback"]; !reflect.DeepEqual(got, want) {
		t.Errorf("traceback = %q, want %q", got, want)
	}
	if c["ename"] != "CompileError" || c["evalue"] != "undefined: x" {
		t.Errorf("ename/evalue = %q/%q: they stay plain text", c["ename"], c["evalue"])
	}
	p := (&Error{Name: "panic", Value: "boom", Traceback: []string{"panic: boom"}}).Content()
	if got := p["traceback"].([]string)[0]; got != "\x1b[0;31mpanic: boom\x1b[0m" {
		t.Errorf("panic headline = %q, want it red", got)
	}
	if tb := (&Error{Name: "x"}).Content()["traceback"]; tb == nil || len(tb.([]string)) != 0 {
		t.Errorf("no traceback gives %#v, want an empty list", tb)
	}
}
