package notebook

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradlab/gradlab/display"
	"github.com/gradlab/gradlab/interp"
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

func TestRunWritesOutputsAndStopsAtFirstError(t *testing.T) {
	src := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "gradlab"}},
 "cells": [
  {"cell_type": "markdown", "id": "m", "metadata": {}, "source": ["# Title"]},
  {"cell_type": "code", "id": "a", "metadata": {}, "execution_count": null, "outputs": [], "source": ["x := 6\n", "fmt.Println(\"x =\", x)"]},
  {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": null, "outputs": [], "source": "x * 7"},
  {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": null, "outputs": [], "source": "var s []int\ns[3] = 1"},
  {"cell_type": "code", "id": "d", "metadata": {}, "execution_count": null, "outputs": [], "source": "fmt.Println(\"not reached\")"}
 ]}`
	dir := t.TempDir()
	path := filepath.Join(dir, "t.ipynb")
	os.WriteFile(path, []byte(src), 0o644)
	nb, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := interp.New()
	if err != nil {
		t.Fatal(err)
	}
	errs := Run(context.Background(), sess, nb, false)
	if len(errs) != 1 || errs[0].Index != 3 {
		t.Fatalf("errors = %v, want one in cell 3", errs)
	}
	if err := nb.Write(path); err != nil {
		t.Fatal(err)
	}
	nb, _ = Read(path)
	out := func(i int) []any { return nb.Cells[i]["outputs"].([]any) }
	if s := out(1)[0].(map[string]any); s["output_type"] != "stream" || s["text"] != "x = 6\n" {
		t.Errorf("cell 1 = %v", s)
	}
	if r := out(2)[0].(map[string]any); r["output_type"] != "execute_result" || r["data"].(map[string]any)["text/plain"] != "42" {
		t.Errorf("cell 2 = %v", r)
	}
	if e := out(3)[len(out(3))-1].(map[string]any); e["output_type"] != "error" || !strings.Contains(e["evalue"].(string), "index out of range") {
		t.Errorf("cell 3 = %v", e)
	}
	if len(out(4)) != 0 {
		t.Errorf("cell after the error ran: %v", out(4))
	}
	if nb.Cells[0]["source"].([]any)[0] != "# Title" {
		t.Error("markdown cell changed")
	}
}
