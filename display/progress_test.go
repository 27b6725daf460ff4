package display

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// fakeClock advances by step at every reading, so the test knows how much
// "time" a loop took without depending on the machine's speed.
func fakeClock(t *testing.T, step time.Duration) (now, reads *int64) {
	now, reads = new(int64), new(int64)
	old := clock
	clock = func() int64 { *now += int64(step); *reads++; return *now }
	t.Cleanup(func() { clock = old })
	return now, reads
}

func TestProgressFormatLikeTqdm(t *testing.T) {
	withSink(t)
	p := NewProgress(1000, "Batch")
	p.SetUnit("epoch")
	p.n = 1000
	if got, want := p.line(7.7), "Batch: 100%|██████████| 1000/1000 [00:07<00:00, 129.87 epoch/s]"; got != want {
		t.Errorf("line:\n got %q\nwant %q", got, want)
	}
	p.n = 255
	p.SetUnit(" it ")
	p.Set("loss", 0.123456)
	p.Set("acc", 0.5)
	p.Set("loss", 0.25)
	if got, want := p.line(3725), "Batch:  26%|██▌       | 255/1000 [1:02:05<3:01:22, 14.61s/it, loss=0.25, acc=0.5]"; got != want {
		t.Errorf("line:\n got %q\nwant %q", got, want)
	}
	q := NewProgress(0, "")
	q.n = 12
	if got, want := q.line(2), "12it [00:02,  6.00it/s]"; got != want {
		t.Errorf("unknown total:\n got %q\nwant %q", got, want)
	}
	q.SetUnit(" batch")
	if got, want := q.line(2), "12 batch [00:02,  6.00 batch/s]"; got != want {
		t.Errorf("unknown total with unit:\n got %q\nwant %q", got, want)
	}
	if got := (&Progress{total: 10, unit: "it"}).line(0); got != "  0%|          | 0/10 [00:00<?, ?it/s]" {
		t.Errorf("start line %q", got)
	}
}

func TestProgressMillionAddsBoundedUpdates(t *testing.T) {
	f := withSink(t)
	now, reads := fakeClock(t, time.Microsecond) // each clock reading costs 1 us of fake time
	const n = 1_000_000
	p := NewProgress(n, "Batch")
	for i := 0; i < n; i++ {
		p.Add(1)
		if i%1000 == 0 {
			*now += int64(time.Millisecond) // the loop body "takes" 1 us per step
		}
	}
	p.Close()
	elapsed := time.Duration(*now)
	var displays, updates int
	for _, c := range f.calls {
		if c.id != f.calls[0].id {
			t.Fatalf("bar used two display ids")
		}
		if c.update {
			updates++
		} else {
			displays++
		}
	}
	if displays != 1 {
		t.Errorf("%d display_data, want 1", displays)
	}
	// At most one redraw per 100 ms of (fake) time, plus completion and Close.
	if max := int(elapsed/redrawEvery) + 2; updates > max || updates < 2 {
		t.Errorf("%d updates over %v, want between 2 and %d", updates, elapsed, max)
	}
	if *reads > n/100 {
		t.Errorf("clock read %d times for %d Adds: the fast path is not taken", *reads, n)
	}
	last := f.calls[len(f.calls)-1].b
	if !strings.Contains(last["text/plain"].(string), "100%|██████████| 1000000/1000000") {
		t.Errorf("final text %q", last["text/plain"])
	}
	if !strings.Contains(last["text/html"].(string), "width:100.0%") {
		t.Errorf("final HTML does not show a full bar: %s", last["text/html"])
	}
}

func TestProgressRealClockBounded(t *testing.T) {
	f := withSink(t)
	start := time.Now()
	p := NewProgress(3_000_000, "x")
	for i := 0; i < 3_000_000; i++ {
		p.Add(1)
	}
	p.Close()
	if max := int(time.Since(start)/redrawEvery) + 3; len(f.calls) > max {
		t.Errorf("%d outputs in %v, want at most %d", len(f.calls), time.Since(start), max)
	}
}

func TestProgressSlowLoopStillRedraws(t *testing.T) {
	f := withSink(t)
	now, _ := fakeClock(t, 0)
	p := NewProgress(0, "")
	for i := 0; i < 20000; i++ { // fast phase: the stride grows
		p.Add(1)
	}
	before := len(f.calls)
	for i := 0; i < 2000; i++ { // slow phase: 10 ms per step
		*now += int64(10 * time.Millisecond)
		p.Add(1)
	}
	// 20 s of slow steps should give close to 200 redraws, not a handful.
	if got := len(f.calls) - before; got < 150 {
		t.Errorf("only %d redraws in 20 s of slow steps", got)
	}
}

func TestProgressTextModeWritesStderr(t *testing.T) {
	old := SetSink(nil)
	defer SetSink(old)
	var buf bytes.Buffer
	oldErr := stderr
	stderr = &buf
	defer func() { stderr = oldErr }()
	p := NewProgress(3, "T")
	p.Add(3)
	p.Close()
	s := buf.String()
	if !strings.HasPrefix(s, "\rT:   0%|") || !strings.HasSuffix(s, "\n") || !strings.Contains(s, "\rT: 100%|██████████| 3/3") {
		t.Errorf("text mode output %q", s)
	}
}

func BenchmarkProgressAdd(b *testing.B) {
	old := SetSink(&fakeSink{})
	defer SetSink(old)
	p := NewProgress(b.N, "bench")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p.Add(1)
	}
}

func TestProgressFlushedAtCellEnd(t *testing.T) {
	f := withSink(t)
	now, _ := fakeClock(t, 0)
	p := NewProgress(100, "early")
	for i := 0; i < 37; i++ { // fast steps: no redraw due, then the loop breaks
		p.Add(1)
	}
	*now += int64(time.Millisecond)
	EndCell()
	last := f.calls[len(f.calls)-1]
	if !last.update || !strings.Contains(last.b["text/plain"].(string), "37/100") {
		t.Errorf("cell end did not draw the last count: %q", last.b["text/plain"])
	}
	n := len(f.calls)
	EndCell()
	if len(f.calls) != n {
		t.Error("a bar was redrawn again at the next cell end")
	}
}
