package interp

import (
	"context"
	"strings"
	"sync"
	"testing"
)

// cellOut is what one cell produced.
type cellOut struct {
	stdout, stderr string
	res            Result
}

func (o cellOut) value() string {
	if o.res.Value == nil {
		return ""
	}
	s, _ := o.res.Value["text/plain"].(string)
	return s
}

func newSession(t testing.TB) *Session {
	t.Helper()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func run(t testing.TB, s *Session, count int, code string) cellOut {
	t.Helper()
	return runCtx(context.Background(), t, s, count, code, nil)
}

func runCtx(ctx context.Context, t testing.TB, s *Session, count int, code string, input func(string, bool) (string, error)) cellOut {
	var mu sync.Mutex
	var out, errb strings.Builder
	res := s.Execute(ctx, Cell{Code: code, Count: count, Input: input, Out: func(stream, text string) {
		mu.Lock()
		defer mu.Unlock()
		if stream == "stdout" {
			out.WriteString(text)
		} else {
			errb.WriteString(text)
		}
	}})
	mu.Lock()
	defer mu.Unlock()
	return cellOut{stdout: out.String(), stderr: errb.String(), res: res}
}

// runInterrupted runs code, whose first output must be the line
// "started", and cancels it once that line has reached Out: the interrupt
// then hits a cell that is running, however loaded the machine is.
func runInterrupted(t testing.TB, s *Session, count int, code string) cellOut {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var out, errb strings.Builder
	res := s.Execute(ctx, Cell{Code: code, Count: count, Out: func(stream, text string) {
		mu.Lock()
		defer mu.Unlock()
		if stream == "stdout" {
			out.WriteString(text)
			if strings.Contains(out.String(), "started\n") {
				cancel()
			}
		} else {
			errb.WriteString(text)
		}
	}})
	mu.Lock()
	defer mu.Unlock()
	if !strings.HasPrefix(out.String(), "started\n") {
		t.Fatalf("the cell did not start with the line \"started\": stdout %q, %+v", out.String(), res.Err)
	}
	return cellOut{stdout: out.String(), stderr: errb.String(), res: res}
}
