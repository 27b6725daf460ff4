package interp

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"time"
)

const magicHelp = `Magics (IPython style):
  %time CODE        run one line of Go and print CPU and wall time, compile
                    included (and the interpreter's compile time, when over 0.1 s)
  %%time            (first line of a cell) the same for the whole cell
  %timeit CODE      run one line many times and print the time per loop
  %%timeit          (first line of a cell) the same for the whole cell
  %who              list the session's variables
  %whos             variables with their types and values
  %reset            forget every variable, function, type and import
  %env              list environment variables; %env NAME shows one; %env NAME=VALUE sets one
  !CMD              run a shell command (a line of its own, anywhere in a cell)
  %%bash, %%sh      run the whole cell as a shell script
  %%compile         compile the cell's declarations (standard library only) with
                    the Go toolchain; later cells call them at native speed.
                    Without a toolchain the cell is interpreted.
  %help             this list
Help: NAME? or ?NAME shows the documentation of NAME (NAME?? the full source of session code);
shift-tab inspects, tab completes.`

// magic runs IPython-style magics. It reports false when code is Go.
func (s *Session) magic(ctx context.Context, code string, count int) (Result, bool) {
	trimmed := strings.TrimLeft(code, " \t\r\n")
	if !strings.HasPrefix(trimmed, "%") {
		return Result{}, false
	}
	first, rest, _ := strings.Cut(trimmed, "\n")
	name, arg, _ := strings.Cut(strings.TrimSpace(first), " ")
	arg = strings.TrimSpace(arg)
	line := func() string { // the code a line magic applies to: the rest of its line and the cell
		if rest != "" {
			return arg + "\n" + rest
		}
		return arg
	}
	switch name {
	case "%%time", "%time":
		src := rest
		if name == "%time" {
			src = line()
		}
		return s.timed(ctx, src, count), true
	case "%%timeit", "%timeit":
		src := rest
		if name == "%timeit" {
			src = line()
		}
		return s.timeit(ctx, src, count), true
	case "%who":
		fmt.Println(strings.Join(s.names(entVar), "\t"))
		return s.then(ctx, rest, count), true
	case "%whos":
		for _, n := range s.names(entVar, entConst) {
			e := s.tab.ents[n]
			v, _ := s.in.Globals()[e.internal]
			typ := e.typ
			if typ == "" && v.IsValid() {
				typ = v.Type().String()
			}
			val := ""
			if v.IsValid() {
				val = short(fmt.Sprintf("%v", valueOf(v)))
				if len(val) > 60 {
					val = val[:60] + "..."
				}
			}
			fmt.Printf("%-16s %-20s %s\n", n, typ, val)
		}
		return s.then(ctx, rest, count), true
	case "%reset":
		if err := s.reset(); err != nil {
			return Result{Err: &Error{Name: "InternalError", Value: err.Error()}}, true
		}
		return s.then(ctx, rest, count), true
	case "%env":
		return s.env(arg), true
	case "%%compile":
		return s.compileNative(ctx, rest, count), true
	case "%%bash", "%%sh":
		return Result{Err: shell(ctx, rest)}, true
	case "%help", "%magic", "%lsmagic":
		os.Stdout.WriteString(magicHelp + "\n")
		return Result{}, true
	}
	msg := fmt.Sprintf("unknown magic %s; %%help lists the magics", name)
	return Result{Err: &Error{Name: "UsageError", Value: msg, Traceback: []string{msg}}}, true
}

// then runs what follows a line magic in the cell.
func (s *Session) then(ctx context.Context, rest string, count int) Result {
	if strings.TrimSpace(rest) == "" {
		return Result{}
	}
	return s.execute(ctx, rest, count)
}

func cpuTime() (user, sys time.Duration) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}

// compilerTimeMin is the compile time from which %time reports it (IPython's
// threshold).
var compilerTimeMin = 100 * time.Millisecond

func (s *Session) timed(ctx context.Context, src string, count int) Result {
	u0, s0 := cpuTime()
	c0 := s.yaegi.compile
	t0 := time.Now()
	r := s.execute(ctx, src, count)
	wall := time.Since(t0)
	u1, s1 := cpuTime()
	user, sys := u1-u0, s1-s0
	fmt.Printf("CPU times: user %s, sys: %s, total: %s\nWall time: %s\n", fmtDur(user), fmtDur(sys), fmtDur(user+sys), fmtDur(wall))
	if tc := s.yaegi.compile - c0; tc > compilerTimeMin {
		fmt.Printf("Compiler : %s\n", fmtDur(tc))
	}
	return r
}

// timeit runs the cell's statements in loops, as IPython's %timeit: the
// number of loops grows until a run takes 0.2 s, then 7 runs (fewer when a
// loop is slow) give the mean and standard deviation.
func (s *Session) timeit(ctx context.Context, src string, count int) Result {
	var summary string
	err := s.runGoThen(ctx, src, count, func(again func() *Error) *Error {
		loops := 1
		for {
			t0 := time.Now()
			for i := 0; i < loops; i++ {
				if err := again(); err != nil {
					return err
				}
			}
			d := time.Since(t0)
			if d >= 200*time.Millisecond || loops >= 1e7 {
				break
			}
			loops *= 10
		}
		runs := 7
		var times []float64
		deadline := time.Now().Add(5 * time.Second)
		for r := 0; r < runs; r++ {
			t0 := time.Now()
			for i := 0; i < loops; i++ {
				if err := again(); err != nil {
					return err
				}
			}
			times = append(times, float64(time.Since(t0))/float64(loops))
			if time.Now().After(deadline) {
				break
			}
		}
		mean, sd := meanStd(times)
		plural := "s"
		if loops == 1 {
			plural = ""
		}
		summary = fmt.Sprintf("%s ± %s per loop (mean ± std. dev. of %d runs, %d loop%s each)",
			fmtDur(time.Duration(mean)), fmtDur(time.Duration(sd)), len(times), loops, plural)
		return nil
	})
	if err != nil {
		return Result{Err: err}
	}
	fmt.Println(summary)
	return Result{}
}

func meanStd(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	if len(xs) > 1 {
		sd = math.Sqrt(sd / float64(len(xs)))
	} else {
		sd = 0
	}
	return mean, sd
}

// fmtDur prints durations as IPython does: 3 significant digits, ns, µs,
// ms or s.
func fmtDur(d time.Duration) string {
	f := float64(d)
	switch {
	case f < 1e3:
		return fmt.Sprintf("%.3g ns", f)
	case f < 1e6:
		return fmt.Sprintf("%.3g µs", f/1e3)
	case f < 1e9:
		return fmt.Sprintf("%.3g ms", f/1e6)
	}
	return fmt.Sprintf("%.3g s", f/1e9)
}

func (s *Session) env(arg string) Result {
	switch {
	case arg == "":
		env := os.Environ()
		sort.Strings(env)
		for _, kv := range env {
			fmt.Println(kv)
		}
	case strings.ContainsAny(arg, "= "):
		k, v, _ := strings.Cut(arg, "=")
		if !strings.Contains(arg, "=") {
			k, v, _ = strings.Cut(arg, " ")
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		os.Setenv(k, v)
		fmt.Printf("env: %s=%s\n", k, v)
	default:
		v, ok := os.LookupEnv(arg)
		if !ok {
			msg := fmt.Sprintf("environment variable %s is not set", arg)
			return Result{Err: &Error{Name: "KeyError", Value: msg, Traceback: []string{msg}}}
		}
		return Result{Value: map[string]any{"text/plain": fmt.Sprintf("%q", v)}}
	}
	return Result{}
}

// shellLine runs a `!cmd` line of a cell (ᐧs.Shell), stopped by the cell's
// interrupt; a failure to start it panics, as the cell's error.
func (s *Session) shellLine(cmd string) {
	ctx := context.Background()
	s.stateMu.Lock()
	if s.cur != nil && s.cur.ctx != nil {
		ctx = s.cur.ctx
	}
	s.stateMu.Unlock()
	if err := shell(ctx, cmd); err != nil {
		panic(err.Value)
	}
}

// shell runs a shell command with the cell's output streams; cancelling
// ctx kills it.
func shell(ctx context.Context, script string) *Error {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", script)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return interrupted()
		}
		if _, ok := err.(*exec.ExitError); ok {
			return nil // the command said what went wrong on its stderr, as in IPython
		}
		return &Error{Name: "ShellError", Value: err.Error(), Traceback: []string{err.Error()}}
	}
	return nil
}
