package kernel

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// historyEntry is one executed cell, as history_request reports it.
type historyEntry struct {
	Session int    `json:"session"`
	Line    int    `json:"line"`
	Input   string `json:"input"`
	Output  string `json:"output,omitempty"`
}

// History keeps the cells run with store_history, across kernel sessions
// when it has a file: each kernel start is a new session number, as in
// IPython.
type History struct {
	mu      sync.Mutex
	entries []historyEntry
	session int
	file    string
}

// maxHistory bounds how many past entries are loaded from the file.
const maxHistory = 10000

// OpenHistory loads the history file (if any) and starts a new session.
// An empty path keeps history in memory only.
func OpenHistory(path string) *History {
	h := &History{file: path}
	if path != "" {
		if f, err := os.Open(path); err == nil {
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 1<<20), 16<<20)
			for sc.Scan() {
				var e historyEntry
				if json.Unmarshal(sc.Bytes(), &e) == nil {
					h.entries = append(h.entries, e)
					h.session = max(h.session, e.Session)
				}
			}
			f.Close()
			if len(h.entries) > maxHistory {
				h.entries = h.entries[len(h.entries)-maxHistory:]
			}
		}
	}
	h.session++
	return h
}

// Add records cell line of the current session.
func (h *History) Add(line int, input, output string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := historyEntry{Session: h.session, Line: line, Input: input, Output: output}
	h.entries = append(h.entries, e)
	if h.file == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(h.file), 0o755); err != nil {
		return
	}
	f, err := os.OpenFile(h.file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	b, _ := json.Marshal(e)
	f.Write(append(b, '\n'))
}

// historyRequest is the content of a history_request.
type historyRequest struct {
	Output     bool   `json:"output"`
	Raw        bool   `json:"raw"`
	AccessType string `json:"hist_access_type"`
	Session    int    `json:"session"`
	Start      int    `json:"start"`
	Stop       int    `json:"stop"`
	N          int    `json:"n"`
	Pattern    string `json:"pattern"`
	Unique     bool   `json:"unique"`
}

// Query answers a history request with [session, line, input] triples, or
// [session, line, [input, output]] when output is asked for.
func (h *History) Query(r historyRequest) []any {
	h.mu.Lock()
	defer h.mu.Unlock()
	var picked []historyEntry
	switch r.AccessType {
	case "tail":
		picked = lastN(h.entries, r.N)
	case "range":
		session := r.Session
		if session <= 0 { // 0 is this session, -1 the one before, ...
			session += h.session
		}
		for _, e := range h.entries {
			if e.Session == session && e.Line >= r.Start && (r.Stop <= 0 || e.Line < r.Stop) {
				picked = append(picked, e)
			}
		}
	case "search":
		re := globRegexp(r.Pattern)
		seen := map[string]bool{}
		// Walk newest first so that unique keeps the latest run of a cell.
		for i := len(h.entries) - 1; i >= 0; i-- {
			e := h.entries[i]
			if !re.MatchString(e.Input) || (r.Unique && seen[e.Input]) {
				continue
			}
			seen[e.Input] = true
			picked = append(picked, e)
		}
		for i, j := 0, len(picked)-1; i < j; i, j = i+1, j-1 {
			picked[i], picked[j] = picked[j], picked[i]
		}
		picked = lastN(picked, r.N)
	}
	out := make([]any, 0, len(picked))
	for _, e := range picked {
		if r.Output {
			out = append(out, []any{e.Session, e.Line, []any{e.Input, e.Output}})
		} else {
			out = append(out, []any{e.Session, e.Line, e.Input})
		}
	}
	return out
}

func lastN(es []historyEntry, n int) []historyEntry {
	if n > 0 && len(es) > n {
		return es[len(es)-n:]
	}
	return es
}

// globRegexp compiles a glob pattern (* and ?) matching a whole input.
func globRegexp(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for _, r := range glob {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}
