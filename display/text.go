package display

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
)

// textSink is the default sink outside a notebook: it prints the plain-text
// form of each bundle to standard output. If $GRADLAB_DISPLAY_DIR names a
// directory, images (PNG, SVG) are also written there and their paths
// printed, so a plain Go program can still look at its figures.
type textSink struct{}

var imageSeq atomic.Int64

func (textSink) Display(b Bundle, _ map[string]any, _ string, _ bool) {
	textDisplay(os.Stdout, os.Getenv("GRADLAB_DISPLAY_DIR"), b)
}

func textDisplay(w io.Writer, dir string, b Bundle) {
	if s, ok := b["text/plain"].(string); ok {
		fmt.Fprintln(w, s)
	}
	if dir == "" {
		return
	}
	save := func(ext string, data []byte) {
		path := filepath.Join(dir, fmt.Sprintf("display-%d-%03d.%s", os.Getpid(), imageSeq.Add(1), ext))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			fmt.Fprintf(w, "[display: %v]\n", err)
			return
		}
		fmt.Fprintf(w, "[%s saved to %s]\n", ext, path)
	}
	if p, ok := b["image/png"].([]byte); ok {
		save("png", p)
	} else if s, ok := b["image/svg+xml"].(string); ok {
		save("svg", []byte(s))
	}
}

func (textSink) ClearOutput(bool) {}
