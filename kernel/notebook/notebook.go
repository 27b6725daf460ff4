// Package notebook executes Jupyter notebooks (.ipynb, nbformat 4)
// in-process, without Jupyter: each code cell runs in one Go session and
// its outputs are written back in nbformat's shape, as nbconvert --execute
// would. It is what `gradlab run` does. It is a second frontend beside the
// kernel: it runs cells through the same kernel.Session and maps results
// to outputs with the kernel's functions, so both show a cell alike.
package notebook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gradlab/gradlab/display"
	"github.com/gradlab/gradlab/kernel"
)

// Notebook is a parsed .ipynb. Fields gradlab does not use are kept as
// they were read, so a run changes only outputs and execution counts.
type Notebook struct {
	raw   map[string]any
	Cells []map[string]any
}

// Read parses a notebook file.
func Read(path string) (*Notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: not a notebook: %v", path, err)
	}
	cells, ok := raw["cells"].([]any)
	if !ok {
		return nil, fmt.Errorf("%s: not an nbformat 4 notebook (no cells list)", path)
	}
	nb := &Notebook{raw: raw}
	for i, c := range cells {
		m, ok := c.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: cell %d is not an object", path, i)
		}
		nb.Cells = append(nb.Cells, m)
	}
	return nb, nil
}

// Write saves the notebook as nbformat does (one-space indent). The file
// is replaced whole or not at all: the notebook goes to a temporary file
// in the same directory, is synced, and is renamed over path, so a run
// killed mid-write or a full disk leaves the previous file as it was.
func (nb *Notebook) Write(path string) error {
	cells := make([]any, len(nb.Cells))
	for i, c := range nb.Cells {
		cells[i] = c
	}
	nb.raw["cells"] = cells
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(nb.raw); err != nil {
		return err
	}
	return writeFileAtomic(path, buf.Bytes())
}

// writeFileAtomic replaces path with data through a synced temporary file
// and a rename. The file keeps its permissions; a new one gets 0644.
func writeFileAtomic(path string, data []byte) (err error) {
	perm := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		perm = st.Mode().Perm()
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	// The rename itself is durable once the directory is synced.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Source returns a cell's source text (nbformat allows a string or a list
// of lines).
func Source(cell map[string]any) string {
	switch s := cell["source"].(type) {
	case string:
		return s
	case []any:
		var b strings.Builder
		for _, l := range s {
			if str, ok := l.(string); ok {
				b.WriteString(str)
			}
		}
		return b.String()
	}
	return ""
}

// CellError is an error a cell raised while running.
type CellError struct {
	Index int // position of the cell in the notebook
	Err   *kernel.Error
}

func (e CellError) Error() string {
	return fmt.Sprintf("cell %d: %s: %s", e.Index, e.Err.Name, e.Err.Value)
}

// Options control a run.
type Options struct {
	// KeepGoing runs the cells after a failing cell too; by default a run
	// stops at the first error, as nbconvert does.
	KeepGoing bool
	// Timeout, if positive, interrupts a cell that runs longer and records
	// a CellTimeoutError in its outputs, as nbconvert's --timeout does.
	Timeout time.Duration
}

// Run executes every code cell of nb in sess, in order, replacing their
// outputs.
func Run(ctx context.Context, sess kernel.Session, nb *Notebook, opts Options) []CellError {
	var errs []CellError
	count := 0
	// Display ids outlive their cell: a handle shown in one cell can be
	// updated from a later one, as in Jupyter.
	shown := map[string][]map[string]any{}
	for i, cell := range nb.Cells {
		if cell["cell_type"] != "code" {
			continue
		}
		count++
		out := &outputs{shown: shown}
		res := execute(ctx, sess, kernel.Cell{Code: Source(cell), Count: count, Out: out.stream, Display: out}, opts.Timeout)
		if r := res.ExecuteResult(count); r != nil {
			r["output_type"] = "execute_result"
			out.add(r)
		}
		for _, p := range res.Payload {
			// Pager payloads become plain output, as nbconvert shows them.
			if data, ok := p["data"].(map[string]any); ok {
				out.add(map[string]any{"output_type": "display_data", "data": data, "metadata": map[string]any{}})
			}
		}
		if res.Err != nil {
			e := res.Err.Content()
			e["output_type"] = "error"
			out.add(e)
			errs = append(errs, CellError{Index: i, Err: res.Err})
		}
		cell["execution_count"] = count
		cell["outputs"] = out.list()
		if res.Err != nil && !opts.KeepGoing {
			break
		}
	}
	return errs
}

// execute runs one cell, interrupting it after timeout (if positive).
func execute(ctx context.Context, sess kernel.Session, c kernel.Cell, timeout time.Duration) kernel.Result {
	if timeout <= 0 {
		return sess.Execute(ctx, c)
	}
	// An interrupt, not a deadline: the session knows how to stop a cell
	// on cancel and keeps its state for the next one.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var timedOut atomic.Bool
	t := time.AfterFunc(timeout, func() {
		timedOut.Store(true)
		cancel()
	})
	res := sess.Execute(ctx, c)
	t.Stop()
	if timedOut.Load() && res.Err != nil {
		res.Err = &kernel.Error{Name: "CellTimeoutError",
			Value:     fmt.Sprintf("the cell ran longer than the timeout of %v and was interrupted", timeout),
			Traceback: []string{fmt.Sprintf("CellTimeoutError: the cell ran longer than the timeout of %v (gradlab run --timeout) and was interrupted", timeout)}}
	}
	return res
}

// outputs collects one cell's outputs in nbformat's shape; it is the
// display sink while the cell runs.
type outputs struct {
	mu        sync.Mutex
	items     []map[string]any
	clearNext bool
	shown     map[string][]map[string]any // display id -> outputs showing it, notebook-wide
}

func (o *outputs) add(item map[string]any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.addLocked(item)
}

func (o *outputs) addLocked(item map[string]any) {
	if o.clearNext {
		o.items, o.clearNext = nil, false
	}
	o.items = append(o.items, item)
}

func (o *outputs) stream(name, text string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if n := len(o.items); n > 0 && !o.clearNext {
		last := o.items[n-1]
		if last["output_type"] == "stream" && last["name"] == name {
			last["text"] = last["text"].(string) + text
			return
		}
	}
	o.addLocked(map[string]any{"output_type": "stream", "name": name, "text": text})
}

func (o *outputs) Display(b display.Bundle, metadata map[string]any, displayID string, update bool) {
	d := kernel.DisplayData(b, metadata)
	o.mu.Lock()
	defer o.mu.Unlock()
	if update {
		// update_display_data replaces every output showing that id, in
		// whichever cell it is.
		for _, it := range o.shown[displayID] {
			it["data"], it["metadata"] = d["data"], d["metadata"]
		}
		return
	}
	d["output_type"] = "display_data"
	if displayID != "" {
		o.shown[displayID] = append(o.shown[displayID], d)
	}
	o.addLocked(d)
}

func (o *outputs) ClearOutput(wait bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if wait {
		o.clearNext = true
		return
	}
	o.items = nil
}

// list returns the outputs.
func (o *outputs) list() []any {
	o.mu.Lock()
	defer o.mu.Unlock()
	l := make([]any, 0, len(o.items))
	for _, it := range o.items {
		l = append(l, it)
	}
	return l
}
