package kernel

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// inputs returns the inputs a fresh kernel sees in the history file.
func inputs(path string) []string {
	var got []string
	for _, e := range OpenHistory(path).entries {
		got = append(got, e.Input)
	}
	return got
}

func TestHistorySkipsBadLinesAndKeepsWhatFollows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	long := `{"session":1,"line":3,"input":"huge","output":"` + strings.Repeat("x", 18<<20) + `"}`
	content := strings.Join([]string{
		`{"session":1,"line":1,"input":"a"}`,
		`garbage {`,
		`{"session":1,"line":2,"inp`, // cut short by a killed kernel
		long,                         // written before entries were capped
		"\xff\xfe",
		`{"session":2,"line":1,"input":"b"}`,
	}, "\n") + "\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if s := OpenHistory(path).session; s != 3 {
		t.Errorf("new session %d, want 3", s)
	}
	if got := fmt.Sprint(inputs(path)); got != "[a b]" {
		t.Errorf("loaded inputs %s, want [a b]", got)
	}
}

func TestHistoryAppendAfterACutLineIsKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	os.WriteFile(path, []byte(`{"session":1,"line":1,"input":"a"}`+"\n"+`{"session":1,"line":2,"inp`), 0o600)
	h := OpenHistory(path)
	h.Add(1, "after the cut", "")
	if got := fmt.Sprint(inputs(path)); got != "[a after the cut]" {
		t.Errorf("loaded inputs %s, want [a after the cut]", got)
	}
}

func TestHistoryCapsAnEntryAndLaterKernelsSeeWhatFollows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	h := OpenHistory(path)
	h.Add(1, "table", strings.Repeat("<td>1</td>", 2<<20)) // 20 MB of value text
	h.Add(2, "after", "")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() > maxLine {
		t.Errorf("the history file holds %d bytes for two entries, want at most %d", st.Size(), maxLine)
	}
	if got := fmt.Sprint(inputs(path)); got != "[table after]" {
		t.Errorf("loaded inputs %s, want [table after]", got)
	}
	if out := h.entries[0].Output; len(out) > maxOutput+100 || !strings.Contains(out, "cut") {
		t.Errorf("the stored output has %d bytes and does not say it was cut", len(out))
	}
}

func TestHistoryThatCannotBePersistedIsLoggedOnce(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	os.WriteFile(notDir, nil, 0o600)
	var logged bytes.Buffer
	h := OpenHistory(filepath.Join(notDir, "history.jsonl")) // its directory is a file
	h.setLog(log.New(&logged, "", 0))
	h.Add(1, "a", "")
	h.Add(2, "b", "")
	if n := strings.Count(logged.String(), "cannot write the history file"); n != 1 {
		t.Errorf("logged %q, want one line saying the file cannot be written", logged.String())
	}
	if len(h.entries) != 2 {
		t.Errorf("kept %d entries in memory, want 2", len(h.entries))
	}

	// A file that cannot be read is reported when the kernel starts.
	logged.Reset()
	h = OpenHistory(dir) // a directory
	h.setLog(log.New(&logged, "", 0))
	if !strings.Contains(logged.String(), "cannot read the history file") {
		t.Errorf("logged %q, want a line saying the file cannot be read", logged.String())
	}
}

func TestKernelsStartedTogetherTakeDifferentSessions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	// Two kernels started one after the other, before either runs a cell.
	a, b := OpenHistory(path), OpenHistory(path)
	if a.session == b.session {
		t.Errorf("both kernels took session %d", a.session)
	}
	// Many at once.
	const n = 20
	sessions := make(chan int, n)
	for i := 0; i < n; i++ {
		go func() { sessions <- OpenHistory(path).session }()
	}
	seen := map[int]bool{a.session: true, b.session: true}
	for i := 0; i < n; i++ {
		s := <-sessions
		if seen[s] {
			t.Errorf("session %d taken twice", s)
		}
		seen[s] = true
	}
	// The marks that take a number are not history entries.
	a.Add(1, "x", "")
	if got := fmt.Sprint(inputs(path)); got != "[x]" {
		t.Errorf("loaded inputs %s, want [x]", got)
	}
}
