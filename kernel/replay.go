package kernel

import "sync"

// maxSeen is how many signatures replayGuard remembers (ipykernel's
// digest_history_size).
const maxSeen = 1 << 16

// replayGuard remembers the signatures of the messages received last, so
// that a captured signed message sent again is dropped, as ipykernel does.
// A genuine message is never a repeat: its signature covers its header,
// whose msg_id is new each time. Unsigned messages (no key) pass.
type replayGuard struct {
	mu    sync.Mutex
	seen  map[string]struct{}
	order []string // ring of the signatures in seen, oldest at next
	next  int
}

// fresh reports whether sig has not been seen before, and remembers it.
func (g *replayGuard) fresh(sig string) bool {
	if sig == "" {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.seen[sig]; ok {
		return false
	}
	if g.seen == nil {
		g.seen = make(map[string]struct{})
	}
	if len(g.order) < maxSeen {
		g.order = append(g.order, sig)
	} else {
		delete(g.seen, g.order[g.next])
		g.order[g.next] = sig
		g.next = (g.next + 1) % maxSeen
	}
	g.seen[sig] = struct{}{}
	return true
}
