package optim_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	ag "github.com/gradlab/gradlab/autograd"
	"github.com/gradlab/gradlab/autograd/nn"
	"github.com/gradlab/gradlab/interp"
	"github.com/gradlab/gradlab/optim"
)

// runCell executes one cell and returns its stdout, failing on a cell error.
func runCell(t *testing.T, s *interp.Session, n int, code string) (string, *interp.Error) {
	t.Helper()
	var out strings.Builder
	res := s.Execute(context.Background(), interp.Cell{Code: code, Count: n, Out: func(stream, text string) {
		if stream == "stdout" {
			out.WriteString(text)
		}
	}})
	return out.String(), res.Err
}

// The cells a learner would write: a cell-defined model, SGD with momentum
// and a LambdaLR whose function is a closure over a cell variable (warm-up,
// then decay).
const cellModel = `
type Linear struct{ A, B *ag.Tensor }

func (m *Linear) Forward(x *ag.Tensor) *ag.Tensor { return m.A.Mul(x).Add(m.B) }
func (m *Linear) Parameters() []*ag.Tensor      { return []*ag.Tensor{m.A, m.B} }

x := ag.Linspace(-1, 1, 50)
y := x.MulScalar(3).AddScalar(2)
model := &Linear{A: nn.Param(ag.Zeros()), B: nn.Param(ag.Zeros())}
warmup := 5
`

const cellTrain = `
opt := optim.NewSGDWith(model.Parameters(), optim.SGDOptions{LR: 0.1, Momentum: 0.5})
sched := optim.NewLambdaLR(opt, func(epoch int) float64 {
	if epoch < warmup {
		return float64(epoch+1) / float64(warmup)
	}
	return math.Pow(0.9, float64(epoch-warmup))
})
for epoch := 0; epoch < 20; epoch++ {
	fmt.Println(opt.LR())
	loss := y.Sub(model.Forward(x)).Pow(2).Mean()
	opt.ZeroGrad()
	loss.Backward()
	opt.Step()
	sched.Step()
}
fmt.Println(model.A.Item(), model.B.Item(), sched.LastLR()[0])
`

// nativeTrain is cellTrain compiled: what the interpreted cells must print.
func nativeTrain() string {
	x := ag.Linspace(-1, 1, 50)
	y := x.MulScalar(3).AddScalar(2)
	a, b := nn.Param(ag.Zeros()), nn.Param(ag.Zeros())
	warmup := 5
	opt := optim.NewSGDWith([]*ag.Tensor{a, b}, optim.SGDOptions{LR: 0.1, Momentum: 0.5})
	sched := optim.NewLambdaLR(opt, func(epoch int) float64 {
		if epoch < warmup {
			return float64(epoch+1) / float64(warmup)
		}
		return math.Pow(0.9, float64(epoch-warmup))
	})
	var sb strings.Builder
	for epoch := 0; epoch < 20; epoch++ {
		fmt.Fprintln(&sb, opt.LR())
		loss := y.Sub(a.Mul(x).Add(b)).Pow(2).Mean()
		opt.ZeroGrad()
		loss.Backward()
		opt.Step()
		sched.Step()
	}
	fmt.Fprintln(&sb, a.Item(), b.Item(), sched.LastLR()[0])
	return sb.String()
}

// TestThroughInterpreter drives an optimiser and a LambdaLR with a
// cell-defined closure through the notebook interpreter: the interpreted
// training prints exactly what the same code compiled prints. It also checks
// optim.Zero survives the interpreter and a bad constructor argument becomes
// the cell's error with the session still usable.
func TestThroughInterpreter(t *testing.T) {
	s, err := interp.New()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, e := runCell(t, s, 1, cellModel); e != nil {
		t.Fatalf("model cell: %s: %s\n%s", e.Name, e.Value, strings.Join(e.Traceback, "\n"))
	}
	got, e := runCell(t, s, 2, cellTrain)
	if e != nil {
		t.Fatalf("training cell: %s: %s\n%s", e.Name, e.Value, strings.Join(e.Traceback, "\n"))
	}
	t.Logf("interpreted cell printed:\n%s", got)
	if want := nativeTrain(); got != want {
		t.Errorf("interpreted training printed\n%s\ncompiled prints\n%s", got, want)
	}
	if !strings.HasPrefix(got, "0.020000000000000004\n0.04000000000000001\n") {
		t.Errorf("warm-up learning rates start %q", got[:min(len(got), 60)])
	}

	// A later cell changes the captured variable; the scheduler's closure sees it.
	base, epoch, warmup := 0.1, 21, 100
	if out, e := runCell(t, s, 3, "warmup = 100\nsched.Step()\nfmt.Println(opt.LR())"); e != nil || out != fmt.Sprintln(base*(float64(epoch+1)/float64(warmup))) {
		t.Errorf("closure over a redefined cell variable: out %q, err %v", out, e)
	}

	out, e := runCell(t, s, 4, `w := optim.NewAdamWWith(model.Parameters(), optim.AdamWOptions{WeightDecay: optim.Zero})
fmt.Println(w.Options().WeightDecay, optim.NewAdamW(model.Parameters(), 0).Options().WeightDecay)`)
	if e != nil || out != "0 0.01\n" {
		t.Errorf("optim.Zero through the interpreter: out %q, err %v", out, e)
	}

	_, e = runCell(t, s, 5, `bad := optim.NewAdamWith(model.Parameters(), optim.AdamOptions{Betas: [2]float64{1, 0.999}})`)
	if e == nil || !strings.Contains(e.Value, "invalid beta parameter at index 0: 1") {
		t.Errorf("bad betas: cell error %+v, want one naming the beta", e)
	}
	if out, e := runCell(t, s, 6, `fmt.Println(opt.LR() > 0)`); e != nil || out != "true\n" {
		t.Errorf("session after a failed cell: out %q, err %v", out, e)
	}
}
