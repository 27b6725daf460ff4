package display

import (
	"fmt"
	"os"
)

// textSink is the default sink outside a notebook: it prints the plain-text
// form of each bundle to standard output.
type textSink struct{}

func (textSink) Display(b Bundle, _ map[string]any, _ string, _ bool) {
	if s, ok := b["text/plain"].(string); ok {
		fmt.Fprintln(os.Stdout, s)
	}
}

func (textSink) ClearOutput(bool) {}
