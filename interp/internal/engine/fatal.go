package engine

import (
	"fmt"
	"math"
	"runtime/debug"
)

// A few functions of the runtime end the process when a cell calls them,
// and the process is the kernel: the session gives cells versions that
// panic instead, which the cell's error reports (nativeSymbols).

// breakpoint is runtime.Breakpoint: its SIGTRAP ends a process no debugger
// is attached to.
func breakpoint() {
	panic("runtime.Breakpoint called: without a debugger its trap would end the kernel; the session keeps running")
}

// setMaxStack is debug.SetMaxStack, refusing to lower the limit: any
// goroutine past it, the kernel's own too, is a fatal stack overflow.
func setMaxStack(n int) int { return raiseOnly("debug.SetMaxStack", "stack", debug.SetMaxStack, n) }

// setMaxThreads is debug.SetMaxThreads, refusing to lower the limit: the
// process ends when it needs a thread more than it allows, at once when
// it has more already.
func setMaxThreads(n int) int {
	return raiseOnly("debug.SetMaxThreads", "thread", debug.SetMaxThreads, n)
}

// raiseOnly calls set(n) when n does not lower the limit set keeps, and
// panics otherwise, leaving it as it was. It reads the limit by raising it
// to the most for a moment: setting a lower one to read it could already
// be fatal.
func raiseOnly(name, what string, set func(int) int, n int) int {
	prev := set(math.MaxInt32)
	if n < prev {
		set(prev)
		panic(fmt.Sprintf("%s: a cell cannot lower the %s limit (%d, asked %d): past it the kernel's process would end; the limit stays as it was", name, what, prev, n))
	}
	set(n)
	return prev
}
