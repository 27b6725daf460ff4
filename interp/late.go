package interp

import (
	"fmt"
	"sync"
)

// lateOut is where output goes once cell count has ended and until the
// next cell starts: what the cell's goroutines still print. As ipykernel
// does, it goes to the cell's standard error, after a line saying whose
// it is, so that it is not taken for the cell's own output. (Output they
// print while a later cell runs cannot be told from that cell's own: it
// goes to that cell.)
func lateOut(count int, out func(stream, text string)) func(stream, text string) {
	if out == nil {
		return nil
	}
	var once sync.Once
	return func(_, text string) {
		once.Do(func() {
			out("stderr", fmt.Sprintf("[output of a goroutine of cell[%d], after the cell ended]\n", count))
		})
		out("stderr", text)
	}
}
