package lib

import (
	"fmt"
	"os"
	"reflect"
	"syscall"
	"unsafe"

	ysyscall "github.com/traefik/yaegi/stdlib/syscall"
	yunsafe "github.com/traefik/yaegi/stdlib/unsafe"
)

// unsafe and syscall come from yaegi's own tables, which its stdlib set
// leaves out. yaegi's syscall table has no Exec, Exit, ForkExec, Kill,
// Ptrace, Reboot, Shutdown, StartProcess or Syscall, so a cell cannot end
// or replace the kernel's process through it. The unsafe table comes with
// a hook (its "github.com/traefik/yaegi/yaegi" entry) that teaches the
// interpreter conversions between unsafe.Pointer, uintptr and pointers.
//
// Kill is added, guarded: to the kernel's own process, its parent, its
// process group or every process (pid <= 0) it sends only signals whose
// default action is to be ignored or that test the pid (0), and returns
// EPERM for the others; other processes (a cell's children) get any.
//
// yaegi's unsafe lacks String and StringData (Go 1.20); they are added here
// (String's length may be of any integer type, as in Go). Slice and SliceData are generic and cannot be given as
// one native function.
func init() {
	u := map[string]reflect.Value{}
	for k, v := range yunsafe.Symbols["unsafe/unsafe"] {
		u[k] = v
	}
	u["String"] = reflect.ValueOf(func(p *byte, n any) string { return unsafe.String(p, intOf(n)) })
	u["StringData"] = reflect.ValueOf(func(s string) *byte { return unsafe.StringData(s) })
	Symbols["unsafe/unsafe"] = u
	Symbols["github.com/traefik/yaegi/yaegi"] = yunsafe.Symbols["github.com/traefik/yaegi/yaegi"]
	sc := map[string]reflect.Value{}
	for k, v := range ysyscall.Symbols["syscall/syscall"] {
		sc[k] = v
	}
	sc["Kill"] = reflect.ValueOf(kill)
	Symbols["syscall/syscall"] = sc
}

// harmless are the signals a cell may send to the kernel's process: 0
// (does the process exist) and those whose default action is to ignore
// them.
var harmless = map[syscall.Signal]bool{0: true, syscall.SIGCHLD: true, syscall.SIGURG: true, syscall.SIGWINCH: true}

// kill is syscall.Kill, refusing to signal the kernel (see init).
func kill(pid int, sig syscall.Signal) error {
	if (pid <= 0 || pid == os.Getpid() || pid == os.Getppid()) && !harmless[sig] {
		return syscall.EPERM
	}
	return syscall.Kill(pid, sig)
}

// intOf converts an integer of any type to int, panicking as Go does on a
// negative or non-integer length.
func intOf(n any) int {
	v := reflect.ValueOf(n)
	switch {
	case v.CanInt():
		if v.Int() < 0 {
			panic("unsafe.String: len out of range")
		}
		return int(v.Int())
	case v.CanUint():
		return int(v.Uint())
	}
	panic(fmt.Sprintf("unsafe.String: length of type %T, want an integer", n))
}
