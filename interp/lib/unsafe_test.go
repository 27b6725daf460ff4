package lib

import (
	"testing"

	yinterp "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// TestUnsafeAndSyscallImport loads the tables as a session does and uses
// the parts Go's own tests use: pointer conversions, Sizeof, String with a
// length of another integer type, StringData, and syscall's constants and
// harmless calls; syscall.Exit and Exec stay out, and Kill signals the
// kernel's process only with harmless signals.
func TestUnsafeAndSyscallImport(t *testing.T) {
	in := yinterp.New(yinterp.Options{})
	if err := in.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := in.Use(Symbols); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Eval(`import ("unsafe"; "syscall"; "fmt")`); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ code, want string }{
		{`x := 3.5; fmt.Sprint(*(*uint64)(unsafe.Pointer(&x)))`, "4615063718147915776"},
		{`fmt.Sprint(unsafe.Sizeof(int32(0)), unsafe.Sizeof(x))`, "4 8"},
		{`b := []byte("hello"); unsafe.String(&b[0], uint64(4))`, "hell"},
		{`s := "abc"; fmt.Sprint(*unsafe.StringData(s))`, "97"},
		{`fmt.Sprint(syscall.Getpagesize() > 0, syscall.SIGCHLD == 17)`, "true true"},
		{`fmt.Sprint(syscall.Kill(syscall.Getpid(), syscall.SIGCHLD), syscall.Kill(syscall.Getpid(), 0))`, "<nil> <nil>"},
		{`fmt.Sprint(syscall.Kill(syscall.Getpid(), syscall.SIGKILL), syscall.Kill(0, syscall.SIGTERM), syscall.Kill(-1, syscall.SIGINT))`,
			"operation not permitted operation not permitted operation not permitted"},
	}
	for _, c := range cases {
		v, err := in.Eval(c.code)
		if err != nil {
			t.Errorf("%s: %v", c.code, err)
			continue
		}
		if got, _ := v.Interface().(string); got != c.want {
			t.Errorf("%s = %q, want %q", c.code, got, c.want)
		}
	}
	for _, name := range []string{"Exit", "Exec", "ForkExec"} {
		if _, err := in.Eval("syscall." + name); err == nil {
			t.Errorf("syscall.%s is reachable from a cell: it could end the kernel", name)
		}
	}
}
