package interp

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradlab/gradlab/display"
)

// TestShippedNotebooks runs every code cell of the notebooks in
// ../notebooks through a session, in order, as the kernel would: none may
// fail (the notebooks' own test checks their numbers).
func TestShippedNotebooks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the tutorials")
	}
	files, _ := filepath.Glob("../notebooks/*.ipynb")
	if len(files) == 0 {
		t.Skip("no notebooks")
	}
	old := display.SetSink(&recSink{})
	defer display.SetSink(old)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var nb struct {
				Cells []struct {
					CellType string          `json:"cell_type"`
					Source   json.RawMessage `json:"source"`
				} `json:"cells"`
			}
			if err := json.Unmarshal(raw, &nb); err != nil {
				t.Fatal(err)
			}
			s := newSession(t)
			n := 0
			for _, c := range nb.Cells {
				if c.CellType != "code" {
					continue
				}
				var lines []string
				if err := json.Unmarshal(c.Source, &lines); err != nil {
					var one string
					json.Unmarshal(c.Source, &one)
					lines = []string{one}
				}
				code := strings.Join(lines, "")
				n++
				res := s.Execute(context.Background(), Cell{Code: code, Count: n, Out: func(string, string) {}})
				if res.Err != nil {
					t.Errorf("cell %d:\n%s\n-> %s: %s\n%s", n, code, res.Err.Name, res.Err.Value, strings.Join(res.Err.Traceback, "\n"))
				}
			}
		})
	}
}
