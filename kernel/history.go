package kernel

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"unicode/utf8"
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
// IPython. The file has one JSON entry per line; a line that cannot be
// read (cut short by a killed kernel, garbage, too long) is skipped, never
// the end of the history.
type History struct {
	mu      sync.Mutex
	entries []historyEntry
	session int
	file    string

	// The first reason the file cannot be read or written goes to the
	// kernel's log once; until the kernel sets log, it waits in problem.
	log     *log.Logger
	problem string
	warned  bool
}

const (
	// maxHistory bounds how many past entries are loaded from the file.
	maxHistory = 10000
	// One entry stores at most this much of a cell's input and output:
	// a value of many MB (a large HTML table's text) would otherwise be
	// kept in memory and on disk with every run.
	maxInput  = 256 << 10
	maxOutput = 64 << 10
	// maxLine is the longest line loaded; longer ones (from files written
	// before entries were capped) are skipped.
	maxLine = 4 << 20
)

// OpenHistory loads the history file (if any) and starts a new session.
// An empty path keeps history in memory only. A file that cannot be read
// leaves the history empty, and the kernel says so in its log.
func OpenHistory(path string) *History {
	h := &History{file: path}
	if path == "" {
		h.session = 1
		return h
	}
	var err error
	h.entries, h.session, err = claimSession(path)
	if err != nil {
		h.warnLocked(err.Error())
	}
	return h
}

// claimSession reads the history file and takes the next session number.
// It writes the number down (a line-0 entry) under the file's lock, so
// that kernels started together, before either has run a cell, still get
// different numbers.
func claimSession(path string) (entries []historyEntry, session int, err error) {
	os.MkdirAll(filepath.Dir(path), 0o755)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		// Perhaps readable but not writable: load it; Add will say that it
		// cannot write.
		f, err = os.Open(path)
		if err != nil {
			// No file yet (or no directory for it) is a history still
			// empty; whether it can be written is found out at the first Add.
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
				return nil, 1, nil
			}
			return nil, 1, fmt.Errorf("cannot read the history file: %v (earlier sessions' history is not available)", err)
		}
		defer f.Close()
		entries, session, err = readHistory(f)
		if err != nil {
			err = fmt.Errorf("cannot read the history file: %v (earlier sessions' history is not available)", err)
		}
		return entries, session + 1, err
	}
	defer f.Close()
	unlock, err := lockFile(f)
	if err != nil {
		return nil, 1, fmt.Errorf("cannot lock the history file: %v", err)
	}
	defer unlock()
	entries, session, err = readHistory(f)
	if err != nil {
		return entries, session + 1, fmt.Errorf("cannot read the history file: %v (earlier sessions' history is not available)", err)
	}
	session++
	if err := writeLine(f, historyEntry{Session: session}); err != nil {
		return entries, session, fmt.Errorf("cannot write the history file: %v (history is kept in memory only)", err)
	}
	return entries, session, nil
}

// readHistory reads the entries of a history file, the last maxHistory of
// them, and the highest session number in it (session marks included).
func readHistory(r io.Reader) (entries []historyEntry, session int, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var line []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > maxLine {
				tooLong, line = true, line[:0]
			} else {
				line = append(line, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue // the rest of a long line
		}
		var e historyEntry
		if !tooLong && json.Unmarshal(line, &e) == nil && e.Session > 0 {
			session = max(session, e.Session)
			if e.Line > 0 { // line 0 only marks a session as taken
				entries = append(entries, e)
				if len(entries) >= 2*maxHistory {
					entries = append(entries[:0], entries[len(entries)-maxHistory:]...)
				}
			}
		}
		line, tooLong = line[:0], false
		if err == io.EOF {
			break
		}
		if err != nil {
			return lastN(entries, maxHistory), session, err
		}
	}
	return lastN(entries, maxHistory), session, nil
}

// setLog is where History reports that its file cannot be used; a problem
// met before is reported now.
func (h *History) setLog(l *log.Logger) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.log = l
	if h.problem != "" && !h.warned {
		h.warned = true
		l.Printf("history %s: %s", h.file, h.problem)
	}
}

// warnLocked reports the first problem with the file, once.
func (h *History) warnLocked(problem string) {
	if h.problem != "" {
		return
	}
	h.problem = problem
	if h.log != nil {
		h.warned = true
		h.log.Printf("history %s: %s", h.file, problem)
	}
}

// Add records cell line of the current session.
func (h *History) Add(line int, input, output string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := historyEntry{Session: h.session, Line: line, Input: clip(input, maxInput), Output: clip(output, maxOutput)}
	h.entries = append(h.entries, e)
	if len(h.entries) >= 2*maxHistory {
		h.entries = append(h.entries[:0], h.entries[len(h.entries)-maxHistory:]...)
	}
	if h.file == "" {
		return
	}
	if err := appendLine(h.file, e); err != nil {
		h.warnLocked(fmt.Sprintf("cannot write the history file: %v (history is kept in memory only)", err))
	}
}

// appendLine appends e to the file as one line, in one write under an
// exclusive lock, so that kernels sharing the file never interleave. A
// last line cut short (a kernel killed mid-write) is ended first, so that
// it does not swallow this entry.
func appendLine(path string, e historyEntry) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	unlock, err := lockFile(f)
	if err != nil {
		return err
	}
	defer unlock()
	return writeLine(f, e)
}

// writeLine appends e to f, which the caller has locked.
func writeLine(f *os.File, e historyEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		var last [1]byte
		if _, err := f.ReadAt(last[:], st.Size()-1); err == nil && last[0] != '\n' {
			b = append([]byte{'\n'}, b...)
		}
	}
	_, err = f.Write(b)
	return err
}

// clip cuts s to at most n bytes, at a character boundary, saying so.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + fmt.Sprintf("\n[... cut: %d bytes in all]", len(s))
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
