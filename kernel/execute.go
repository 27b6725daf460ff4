package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"time"
	"unicode/utf8"

	"github.com/gradlab/gradlab/display"
	"github.com/gradlab/gradlab/interp"
)

type executeRequest struct {
	Code            *string           `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      bool              `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

func (k *Kernel) execute(s *socket, m *Message) {
	if m.received.Before(k.abortBefore) { // queued behind a cell that failed with stop_on_error
		k.reply(s, m, "execute_reply", map[string]any{"status": "abort", "execution_count": k.count})
		return
	}
	var r executeRequest
	if err := json.Unmarshal(m.Content, &r); err != nil || r.Code == nil {
		if err == nil {
			err = errors.New("no code in content")
		}
		k.replyError(s, m, "execute_reply", err)
		return
	}
	code := *r.Code
	lang, err := k.sess()
	if err != nil {
		k.replyError(s, m, "execute_reply", err)
		return
	}
	// store_history and stop_on_error default to true; silent implies
	// no history.
	store := (r.StoreHistory == nil || *r.StoreHistory) && !r.Silent
	stopOnError := r.StopOnError == nil || *r.StopOnError
	if store {
		k.count++
	}
	count := k.count
	if !r.Silent {
		k.publish("execute_input", m, map[string]any{"code": code, "execution_count": count})
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cell := &runningCell{req: m, silent: r.Silent, cancel: cancel}
	k.cellMu.Lock()
	k.cell = cell
	k.cellMu.Unlock()
	defer func() {
		k.cellMu.Lock()
		k.cell, k.lastCell = nil, cell
		k.cellMu.Unlock()
	}()

	c := interp.Cell{Code: code, Count: count, Out: func(stream, text string) {
		if !r.Silent {
			k.publish("stream", m, map[string]any{"name": stream, "text": text})
		}
	}}
	if r.AllowStdin {
		c.Input = func(prompt string, password bool) (string, error) {
			return k.readInput(ctx, m, prompt, password)
		}
	}
	res := lang.Execute(ctx, c)

	if store {
		out := ""
		if res.Value != nil {
			out, _ = res.Value["text/plain"].(string)
		}
		k.history.Add(count, code, out)
	}
	if res.Err != nil {
		e := res.Err
		tb := e.Traceback
		if tb == nil {
			tb = []string{}
		}
		if !r.Silent {
			k.publish("error", m, map[string]any{"ename": e.Name, "evalue": e.Value, "traceback": tb})
		}
		k.reply(s, m, "execute_reply", map[string]any{
			"status": "error", "execution_count": count,
			"ename": e.Name, "evalue": e.Value, "traceback": tb,
			"payload": []any{}, "user_expressions": map[string]any{},
		})
		if stopOnError && !r.Silent {
			k.abortBefore = time.Now()
		}
		return
	}
	if res.Value != nil && !r.Silent {
		k.publish("execute_result", m, map[string]any{"execution_count": count, "data": display.Bundle(res.Value).JSONData(), "metadata": res.Metadata})
	}
	payload := res.Payload
	if payload == nil {
		payload = []map[string]any{}
	}
	k.reply(s, m, "execute_reply", map[string]any{
		"status": "ok", "execution_count": count, "payload": payload,
		"user_expressions": k.userExpressions(ctx, lang, cell, r.UserExpressions),
	})
}

// userExpressions evaluates each expression after the cell, as the spec
// asks: silently (no output reaches the frontend), interruptibly, and only
// if it is an expression, so that no statement runs behind the user's back.
func (k *Kernel) userExpressions(ctx context.Context, lang Session, cell *runningCell, exprs map[string]string) map[string]any {
	out := map[string]any{}
	if len(exprs) == 0 {
		return out
	}
	k.cellMu.Lock()
	silent := cell.silent
	cell.silent = true
	k.cellMu.Unlock()
	defer func() {
		k.cellMu.Lock()
		cell.silent = silent
		k.cellMu.Unlock()
	}()
	for name, expr := range exprs {
		if _, err := parser.ParseExpr(expr); err != nil {
			out[name] = map[string]any{"status": "error", "ename": "SyntaxError",
				"evalue": fmt.Sprintf("not a Go expression: %v", err), "traceback": []string{}}
			continue
		}
		res := lang.Execute(ctx, interp.Cell{Code: expr, Out: func(string, string) {}})
		if res.Err != nil {
			out[name] = map[string]any{"status": "error", "ename": res.Err.Name, "evalue": res.Err.Value, "traceback": res.Err.Traceback}
			continue
		}
		out[name] = map[string]any{"status": "ok", "data": display.Bundle(res.Value).JSONData(), "metadata": map[string]any{}}
	}
	return out
}

// readInput asks the frontend for a line of input over the stdin channel.
func (k *Kernel) readInput(ctx context.Context, m *Message, prompt string, password bool) (string, error) {
	// Drop a stale reply from an earlier, interrupted request.
	select {
	case <-k.inputReplies:
	default:
	}
	k.send(k.stdin, m.Identities, "input_request", m.RawHeader, nil, map[string]any{"prompt": prompt, "password": password})
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case <-k.done:
		return "", errors.New("kernel shutting down")
	case rep := <-k.inputReplies:
		var c struct {
			Value string `json:"value"`
		}
		if err := json.Unmarshal(rep.Content, &c); err != nil {
			return "", fmt.Errorf("bad input_reply: %v", err)
		}
		return c.Value, nil
	}
}

// cursorRequest is the content of complete_request and inspect_request.
type cursorRequest struct {
	Code        string `json:"code"`
	CursorPos   *int   `json:"cursor_pos"`
	DetailLevel int    `json:"detail_level"`
}

func (k *Kernel) complete(s *socket, m *Message) {
	var r cursorRequest
	if err := json.Unmarshal(m.Content, &r); err != nil {
		k.replyError(s, m, "complete_reply", err)
		return
	}
	lang, err := k.sess()
	if err != nil {
		k.replyError(s, m, "complete_reply", err)
		return
	}
	pos := k.cursor(r.Code, r.CursorPos)
	matches, start, end := lang.Complete(r.Code, pos)
	if matches == nil {
		matches = []string{}
	}
	if k.utf16.Load() {
		start, end = runesToUTF16(r.Code, start), runesToUTF16(r.Code, end)
	}
	k.reply(s, m, "complete_reply", map[string]any{
		"status": "ok", "matches": matches, "cursor_start": start, "cursor_end": end, "metadata": map[string]any{},
	})
}

// cursor converts a request's cursor_pos to code points, defaulting to the
// end of the code. The spec counts code points, JupyterLab UTF-16 units;
// the two differ only after a character outside the BMP. A position past
// the last code point proves UTF-16, and from then on the kernel reads
// (and answers) this frontend's positions as UTF-16.
func (k *Kernel) cursor(code string, pos *int) int {
	if pos == nil {
		return utf8.RuneCountInString(code)
	}
	p := max(*pos, 0)
	if p > utf8.RuneCountInString(code) {
		k.utf16.Store(true)
	}
	if k.utf16.Load() {
		return utf16ToRunes(code, p)
	}
	return p
}

func (k *Kernel) inspect(s *socket, m *Message) {
	var r cursorRequest
	if err := json.Unmarshal(m.Content, &r); err != nil {
		k.replyError(s, m, "inspect_reply", err)
		return
	}
	lang, err := k.sess()
	if err != nil {
		k.replyError(s, m, "inspect_reply", err)
		return
	}
	data, found := lang.Inspect(r.Code, k.cursor(r.Code, r.CursorPos), r.DetailLevel)
	if data == nil {
		data = map[string]any{}
	}
	k.reply(s, m, "inspect_reply", map[string]any{"status": "ok", "found": found, "data": data, "metadata": map[string]any{}})
}

func (k *Kernel) isComplete(s *socket, m *Message) {
	var r struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(m.Content, &r); err != nil {
		k.replyError(s, m, "is_complete_reply", err)
		return
	}
	lang, err := k.sess()
	if err != nil {
		k.replyError(s, m, "is_complete_reply", err)
		return
	}
	status, indent := lang.IsComplete(r.Code)
	c := map[string]any{"status": status}
	if status == "incomplete" {
		c["indent"] = indent
	}
	k.reply(s, m, "is_complete_reply", c)
}

// sink publishes display output on IOPub, as output of the running cell,
// or of the last cell when a goroutine it started displays after it ended
// (its prints stay with it too).
type sink struct{ k *Kernel }

// parent returns the request display output belongs to; ok is false when
// the output must be dropped (a silent request).
func (s sink) parent() (parent *Message, ok bool) {
	s.k.cellMu.Lock()
	defer s.k.cellMu.Unlock()
	c := s.k.cell
	if c == nil {
		c = s.k.lastCell
	}
	if c == nil {
		return nil, true
	}
	return c.req, !c.silent
}

func (s sink) Display(b display.Bundle, metadata map[string]any, displayID string, update bool) {
	parent, ok := s.parent()
	if !ok {
		return
	}
	md := map[string]any{}
	for key, v := range metadata {
		md[key] = v
	}
	content := map[string]any{"data": b.JSONData(), "metadata": md}
	if displayID != "" {
		content["transient"] = map[string]any{"display_id": displayID}
	}
	msgType := "display_data"
	if update {
		msgType = "update_display_data"
	}
	s.k.publish(msgType, parent, content)
}

func (s sink) ClearOutput(wait bool) {
	if parent, ok := s.parent(); ok {
		s.k.publish("clear_output", parent, map[string]any{"wait": wait})
	}
}
