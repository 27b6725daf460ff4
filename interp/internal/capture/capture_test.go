package capture

import (
	"strings"
	"testing"
)

// newTestStream is a stream without pipes whose destination records what
// it is handed.
func newTestStream(got *[]string) *stream {
	c := &Capture{}
	c.dest = func(_, text string) { *got = append(*got, text) }
	return &stream{name: "stdout", c: c, waiters: map[int]chan struct{}{}}
}

// TestMarkerSplitAcrossReads: a sync marker cut between two reads of the
// pipe is still recognised: it is not output, and its waiter is released
// once what came before it has been handed over.
func TestMarkerSplitAcrossReads(t *testing.T) {
	t.Parallel()
	var got []string
	s := newTestStream(&got)
	ch := make(chan struct{})
	s.waiters[7] = ch
	s.take([]byte("ab\x00glsy"))
	select {
	case <-ch:
		t.Fatal("waiter released before its marker was complete")
	default:
	}
	s.take([]byte("nc7\x00cd"))
	select {
	case <-ch:
	default:
		t.Fatal("waiter not released by its marker")
	}
	s.flush(true)
	if out := strings.Join(got, ""); out != "abcd" {
		t.Fatalf("output = %q, want %q", out, "abcd")
	}
}

// TestNULBytesThatAreNoMarker pass through as output; a NUL at the end of
// a read may start a marker, so it waits for the next read.
func TestNULBytesThatAreNoMarker(t *testing.T) {
	t.Parallel()
	var got []string
	s := newTestStream(&got)
	s.take([]byte("x\x00y\x00glsyncZ\x00"))
	s.flush(true)
	if out := strings.Join(got, ""); out != "x\x00y\x00glsyncZ" {
		t.Fatalf("output = %q", out)
	}
	s.take([]byte("z"))
	s.flush(true)
	if out := strings.Join(got, ""); out != "x\x00y\x00glsyncZ\x00z" {
		t.Fatalf("output = %q", out)
	}
}

// TestIncompleteUTF8WaitsForItsBytes: a flush that is not final keeps back
// the start of a character whose other bytes have not arrived.
func TestIncompleteUTF8WaitsForItsBytes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want int
	}{
		{"abc", 0},
		{"a\xc3", 1},            // é's first byte
		{"a\xe2\x82", 2},        // € without its last byte
		{"a\xf0\x9f\x98", 3},    // an emoji without its last byte
		{"a\xe2\x82\xac", 0},    // € whole
		{"\x80\x80\x80\x80", 0}, // no start byte in reach: nothing to wait for
	} {
		if got := incompleteTail([]byte(c.in)); got != c.want {
			t.Errorf("incompleteTail(%q) = %d, want %d", c.in, got, c.want)
		}
	}
	var got []string
	s := newTestStream(&got)
	s.take([]byte("a\xe2\x82"))
	s.flush(false)
	s.take([]byte("\xac"))
	s.flush(false)
	if len(got) != 2 || got[0] != "a" || got[1] != "€" {
		t.Fatalf("chunks = %q, want [\"a\" \"€\"]", got)
	}
}
