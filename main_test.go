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
