package costsplit

import (
	"testing"
	"time"
)

func TestPolicyPicksTheFasterWay(t *testing.T) {
	var p Policy
	n := 1000
	// Split is faster here: 10 us against 30 us.
	cost := map[bool]time.Duration{false: 30 * time.Microsecond, true: 10 * time.Microsecond}
	ways := map[bool]int{}
	for i := 0; i < 2*Warmup; i++ { // the warm-up times both ways
		s := p.Choose(n)
		ways[s]++
		p.Record(n, s, cost[s])
	}
	if ways[false] != Warmup || ways[true] != Warmup {
		t.Fatalf("warm-up went %d serial and %d split, want %d each", ways[false], ways[true], Warmup)
	}
	ways = map[bool]int{}
	for i := 0; i < 10*Retry; i++ {
		s := p.Choose(n)
		ways[s]++
		p.Record(n, s, cost[s])
	}
	if ways[false] == 0 || ways[false] > 10*Retry/Retry+1 || ways[true] < 9*Retry {
		t.Errorf("after warm-up: %d serial, %d split; want split, with serial retried once every %d", ways[false], ways[true], Retry)
	}
	// The machine gets busy: split now costs 50 us, and the retries of
	// serial find it faster; the policy turns to serial.
	cost[true] = 50 * time.Microsecond
	for i := 0; i < 20*Retry; i++ {
		s := p.Choose(n)
		p.Record(n, s, cost[s])
	}
	if p.Choose(n) && p.Choose(n) {
		t.Error("the policy kept splitting after split became slower")
	}
	// One run held up (the collector, a descheduled helper) does not turn
	// the policy around.
	cost[true], cost[false] = 10*time.Microsecond, 30*time.Microsecond
	for i := 0; i < 40*Retry; i++ {
		s := p.Choose(n)
		p.Record(n, s, cost[s])
	}
	if !p.Choose(n) {
		t.Fatal("the policy did not return to splitting")
	}
	p.Record(n, true, 5*time.Millisecond)
	for i := 0; i < 3; i++ {
		if !p.Choose(n) {
			t.Fatalf("one run of 5 ms among runs of 10 us turned the policy to serial")
		}
		p.Record(n, true, cost[true])
	}
	// Another size starts again.
	if p.Choose(2 * n); p.size != 2*n || p.tries[0]+p.tries[1] != 0 {
		t.Errorf("a new size kept the old timings: size %d, tries %v", p.size, p.tries)
	}
}

// With Favour, a split timed a little slower than serial is still chosen;
// one much slower is not.
func TestPolicyFavoursTheSplit(t *testing.T) {
	for _, c := range []struct {
		split time.Duration
		want  bool
	}{{11 * time.Microsecond, true}, {12 * time.Microsecond, true}, {13 * time.Microsecond, false}, {20 * time.Microsecond, false}} {
		for _, favour := range []float64{0, 0.25} {
			p := Policy{Favour: favour}
			cost := map[bool]time.Duration{false: 10 * time.Microsecond, true: c.split}
			splits := 0
			for i := 0; i < 4*Retry; i++ {
				s := p.Choose(1)
				p.Record(1, s, cost[s])
				if i >= 2*Warmup && s {
					splits++
				}
			}
			want := c.want && favour > 0
			if got := splits > 2*Retry; got != want {
				t.Errorf("favour %v, split %v against serial 10us: chose split %d times of %d, want mostly split %v", favour, c.split, splits, 4*Retry-2*Warmup, want)
			}
		}
	}
}
