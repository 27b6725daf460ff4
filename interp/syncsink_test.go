package interp

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/gradlab/gradlab/display"
)

// events records streams and displays in the order the frontend gets them.
type events struct {
	mu  sync.Mutex
	log []string
}

func (e *events) add(s string) { e.mu.Lock(); e.log = append(e.log, s); e.mu.Unlock() }
func (e *events) Display(b display.Bundle, _ map[string]any, _ string, update bool) {
	e.add("display:" + b["text/plain"].(string))
}
func (e *events) ClearOutput(bool) { e.add("clear") }

func TestPrintsAndDisplaysArriveInOrder(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	ev := &events{}
	old := display.SetSink(ev)
	defer display.SetSink(old)
	res := s.Execute(context.Background(), Cell{Code: `fmt.Println("a")
display.Display("shown")
fmt.Println("b")
display.ClearOutput(true)
fmt.Println("c")`, Count: 1, Out: func(stream, text string) {
		for _, line := range strings.SplitAfter(text, "\n") {
			if line != "" {
				ev.add(stream + ":" + strings.TrimSpace(line))
			}
		}
	}})
	if res.Err != nil {
		t.Fatal(res.Err.Value)
	}
	got := strings.Join(ev.log, " ")
	want := "stdout:a display:shown stdout:b clear stdout:c"
	if got != want {
		t.Errorf("order = %s\nwant    %s", got, want)
	}
}
