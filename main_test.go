package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeNotebook writes an nbformat 4 notebook with one code cell per
// source and returns its path.
func writeNotebook(t *testing.T, dir, name string, sources ...string) string {
	t.Helper()
	cells := []any{map[string]any{"cell_type": "markdown", "metadata": map[string]any{}, "source": "# " + name}}
	for _, src := range sources {
		cells = append(cells, map[string]any{"cell_type": "code", "metadata": map[string]any{},
			"execution_count": nil, "outputs": []any{}, "source": src})
	}
	b, err := json.Marshal(map[string]any{"nbformat": 4, "nbformat_minor": 5, "metadata": map[string]any{}, "cells": cells})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// outputs returns each code cell's outputs of the notebook at path.
func outputs(t *testing.T, path string) [][]map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			CellType string           `json:"cell_type"`
			Outputs  []map[string]any `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out [][]map[string]any
	for _, c := range nb.Cells {
		if c.CellType == "code" {
			out = append(out, c.Outputs)
		}
	}
	return out
}

func TestRunExecutesNotebookInTheGoSession(t *testing.T) {
	dir := t.TempDir()
	path := writeNotebook(t, dir, "a.ipynb",
		"x := 6\nfmt.Println(\"x =\", x)",
		"x * 7",
		`display.HTML("<b>hi</b>")`,
		"var s []int\ns[3] = 1",
		`fmt.Println("not reached")`)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"run", path}, &stdout, &stderr); code != 1 {
		t.Fatalf("gradlab run exited %d, want 1 (a cell fails)\n%s", code, stderr.String())
	}
	out := outputs(t, path)
	if o := out[0]; len(o) != 1 || o[0]["text"] != "x = 6\n" {
		t.Errorf("cell 1 = %v", o)
	}
	if o := out[1]; len(o) != 1 || o[0]["output_type"] != "execute_result" || o[0]["data"].(map[string]any)["text/plain"] != "42" {
		t.Errorf("cell 2 = %v", o)
	}
	if o := out[2]; len(o) != 1 || o[0]["output_type"] != "display_data" || o[0]["data"].(map[string]any)["text/html"] != "<b>hi</b>" {
		t.Errorf("cell 3 (a display call) = %v", o)
	}
	if o := out[3]; len(o) == 0 || o[len(o)-1]["output_type"] != "error" || !strings.Contains(o[len(o)-1]["evalue"].(string), "index out of range") {
		t.Errorf("cell 4 = %v", o)
	}
	if len(out[4]) != 0 {
		t.Errorf("the cell after the error ran: %v", out[4])
	}
}

func TestRunReplacesTheNotebookByRename(t *testing.T) {
	dir := t.TempDir()
	path := writeNotebook(t, dir, "a.ipynb", `fmt.Println("hi")`)
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"run", path}, &stdout, &stderr); code != 0 {
		t.Fatalf("gradlab run exited %d\n%s", code, stderr.String())
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// A new file renamed into place, not the old one truncated and
	// rewritten: a kill or a full disk mid-write cannot leave it cut short.
	if os.SameFile(before, after) {
		t.Error("the notebook was rewritten in place, not replaced by a rename")
	}
	if after.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want the input's 0640", after.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the directory holds %d files, want only the notebook (no temporary left)", len(ents))
	}
	if o := outputs(t, path)[0]; len(o) != 1 || o[0]["text"] != "hi\n" {
		t.Errorf("outputs = %v", o)
	}
}

func TestRunWithOutDirNeverOverwritesAnInput(t *testing.T) {
	dir := t.TempDir()
	path := writeNotebook(t, dir, "a.ipynb", `fmt.Println("hi")`)
	orig, _ := os.ReadFile(path)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"run", "-o", dir, path}, &stdout, &stderr); code != 2 {
		t.Errorf("gradlab run -o (the input's directory) exited %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "over the input") {
		t.Errorf("stderr %q does not say an input would be overwritten", stderr.String())
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, orig) {
		t.Error("the input was changed")
	}

	// Two inputs with one base name would land on one output.
	d1, d2 := filepath.Join(dir, "1"), filepath.Join(dir, "2")
	os.Mkdir(d1, 0o755)
	os.Mkdir(d2, 0o755)
	a, b := writeNotebook(t, d1, "n.ipynb", "1"), writeNotebook(t, d2, "n.ipynb", "2")
	stderr.Reset()
	if code := run([]string{"run", "-o", filepath.Join(dir, "out"), a, b}, &stdout, &stderr); code != 2 {
		t.Errorf("two inputs to one output: exited %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "would write both") {
		t.Errorf("stderr %q does not name the clash", stderr.String())
	}
}

func TestRunTimeoutInterruptsACellAndRecordsIt(t *testing.T) {
	dir := t.TempDir()
	path := writeNotebook(t, dir, "a.ipynb", "x := 1", "for {\n}", "fmt.Println(x)")
	var stdout, stderr bytes.Buffer
	// Long enough that the quick cells never reach it on a loaded machine;
	// the endless one always does.
	if code := run([]string{"run", "--timeout", "2s", "--keep-going", path}, &stdout, &stderr); code != 1 {
		t.Fatalf("gradlab run exited %d, want 1 (a cell timed out)\n%s", code, stderr.String())
	}
	out := outputs(t, path)
	if o := out[1]; len(o) == 0 || o[len(o)-1]["output_type"] != "error" || o[len(o)-1]["ename"] != "CellTimeoutError" {
		t.Errorf("the endless cell's outputs = %v, want a CellTimeoutError", o)
	}
	if !strings.Contains(stderr.String(), "CellTimeoutError") {
		t.Errorf("stderr %q does not report the timeout", stderr.String())
	}
	// The session survived the interrupt.
	if o := out[2]; len(o) != 1 || o[0]["text"] != "1\n" {
		t.Errorf("the cell after the timeout = %v, want it to print 1", o)
	}
}
