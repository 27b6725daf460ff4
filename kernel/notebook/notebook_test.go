package notebook

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradlab/gradlab/display"
	"github.com/gradlab/gradlab/kernel"
)

func TestOutputsFollowNbformatSemantics(t *testing.T) {
	o := &outputs{shown: map[string][]map[string]any{}}
	o.stream("stdout", "a")
	o.stream("stdout", "b\n") // consecutive stream text merges
	o.Display(display.Bundle{"text/html": "<p>1</p>"}, nil, "bar", false)
	o.Display(display.Bundle{"text/html": "<p>2</p>"}, nil, "bar", true) // replaced in place
	o.stream("stderr", "warn\n")
	got := o.list()
	if len(got) != 3 {
		t.Fatalf("outputs = %v", got)
	}
	if s := got[0].(map[string]any); s["text"] != "ab\n" {
		t.Errorf("stream = %v", s)
	}
	if d := got[1].(map[string]any); d["data"].(map[string]any)["text/html"] != "<p>2</p>" {
		t.Errorf("updated display = %v", d)
	}
	// A later cell updates the display shown in this one.
	later := &outputs{shown: o.shown}
	later.Display(display.Bundle{"text/html": "<p>3</p>"}, nil, "bar", true)
	if d := o.list()[1].(map[string]any); d["data"].(map[string]any)["text/html"] != "<p>3</p>" {
		t.Errorf("update from a later cell lost: %v", d)
	}
	o.ClearOutput(true) // wait: clears when the next output arrives
	if len(o.list()) != 3 {
		t.Error("clear_output(wait) cleared at once")
	}
	o.stream("stdout", "fresh")
	if got := o.list(); len(got) != 1 || got[0].(map[string]any)["text"] != "fresh" {
		t.Errorf("after clear_output(wait) and output: %v", got)
	}
}

// fakeSession runs one-word commands, so that Run is tested without the
// Go interpreter (main's tests run real notebooks through `gradlab run`).
type fakeSession struct{ ran []string }

func (f *fakeSession) Execute(ctx context.Context, c kernel.Cell) kernel.Result {
	f.ran = append(f.ran, c.Code)
	cmd, arg, _ := strings.Cut(c.Code, " ")
	switch cmd {
	case "print":
		c.Out("stdout", arg+"\n")
	case "value":
		return kernel.Result{Value: map[string]any{"text/plain": arg}}
	case "show":
		c.Display.Display(display.Bundle{"text/html": arg}, map[string]any{"isolated": true}, "", false)
	case "fail":
		c.Out("stdout", "before\n")
		return kernel.Result{Err: &kernel.Error{Name: "panic", Value: arg}}
	}
	return kernel.Result{}
}

func (f *fakeSession) Complete(string, int) ([]string, int, int)       { return nil, 0, 0 }
func (f *fakeSession) Inspect(string, int, int) (map[string]any, bool) { return nil, false }
func (f *fakeSession) IsComplete(string) (string, string)              { return "complete", "" }

func TestRunWritesOutputsAndStopsAtFirstError(t *testing.T) {
	src := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "gradlab"}},
 "cells": [
  {"cell_type": "markdown", "id": "m", "metadata": {}, "source": ["# Title"]},
  {"cell_type": "code", "id": "a", "metadata": {}, "execution_count": null, "outputs": [], "source": ["print x", " = 6"]},
  {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": null, "outputs": [], "source": "value 42"},
  {"cell_type": "code", "id": "s", "metadata": {}, "execution_count": null, "outputs": [], "source": "show <b>hi</b>"},
  {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": null, "outputs": [], "source": "fail boom"},
  {"cell_type": "code", "id": "d", "metadata": {}, "execution_count": null, "outputs": [], "source": "print not reached"}
 ]}`
	dir := t.TempDir()
	path := filepath.Join(dir, "t.ipynb")
	os.WriteFile(path, []byte(src), 0o644)
	nb, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	sess := &fakeSession{}
	errs := Run(context.Background(), sess, nb, Options{})
	if len(errs) != 1 || errs[0].Index != 4 {
		t.Fatalf("errors = %v, want one in cell 4", errs)
	}
	if err := nb.Write(path); err != nil {
		t.Fatal(err)
	}
	nb, _ = Read(path)
	out := func(i int) []any { return nb.Cells[i]["outputs"].([]any) }
	if s := out(1)[0].(map[string]any); s["output_type"] != "stream" || s["text"] != "x = 6\n" {
		t.Errorf("cell 1 = %v", s)
	}
	if r := out(2)[0].(map[string]any); r["output_type"] != "execute_result" || r["execution_count"] != 2.0 ||
		r["data"].(map[string]any)["text/plain"] != "42" || r["metadata"] == nil {
		t.Errorf("cell 2 = %v", r)
	}
	if d := out(3)[0].(map[string]any); d["output_type"] != "display_data" || d["data"].(map[string]any)["text/html"] != "<b>hi</b>" ||
		d["metadata"].(map[string]any)["isolated"] != true {
		t.Errorf("cell 3 = %v", d)
	}
	if o := out(4); len(o) != 2 || o[0].(map[string]any)["text"] != "before\n" {
		t.Errorf("cell 4 = %v, want its stream then its error", o)
	}
	if e := out(4)[1].(map[string]any); e["output_type"] != "error" || e["ename"] != "panic" || e["evalue"] != "boom" || e["traceback"] == nil {
		t.Errorf("cell 4's error = %v", e)
	}
	if len(out(5)) != 0 || len(sess.ran) != 4 {
		t.Errorf("the cell after the error ran: %v, %v", out(5), sess.ran)
	}
	if nb.Cells[0]["source"].([]any)[0] != "# Title" {
		t.Error("markdown cell changed")
	}
}
