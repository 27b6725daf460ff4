package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"time"

	"github.com/gradlab/gradlab/display"
)

type executeRequest struct {
	Code            *string           `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      bool              `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

// execute runs an execute_request: execute_input, the cell's streams and
// displays, then its result or error on IOPub and the execute_reply.
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
	// The cancel function is in place before the session is awaited and
	// execute_input published: an interrupt a client sends once it sees
	// execute_input must find it.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	k.setCancel(cancel)
	defer k.setCancel(nil)

	lang, err := k.sess()
	if err != nil {
		k.replyError(s, m, "execute_reply", err)
		return
	}
	code := *r.Code
	// store_history and stop_on_error default to true; silent implies
	// no history.
	store := (r.StoreHistory == nil || *r.StoreHistory) && !r.Silent
	stopOnError := r.StopOnError == nil || *r.StopOnError
	if store {
		k.count++
	}
	count := k.count
	c := Cell{Code: code, Count: count, Out: func(string, string) {}, Display: discard{}}
	if !r.Silent {
		k.publish("execute_input", m, map[string]any{"code": code, "execution_count": count})
		c.Out = func(stream, text string) {
			k.publish("stream", m, map[string]any{"name": stream, "text": text})
		}
		c.Display = sink{k, m}
	}
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
		e := res.Err.Content()
		if !r.Silent {
			k.publish("error", m, e)
		}
		e["status"], e["execution_count"] = "error", count
		e["payload"], e["user_expressions"] = []any{}, map[string]any{}
		k.reply(s, m, "execute_reply", e)
		if stopOnError && !r.Silent {
			k.abortBefore = time.Now()
		}
		return
	}
	if v := res.ExecuteResult(count); v != nil && !r.Silent {
		k.publish("execute_result", m, v)
	}
	payload := res.Payload
	if payload == nil {
		payload = []map[string]any{}
	}
	k.reply(s, m, "execute_reply", map[string]any{
		"status": "ok", "execution_count": count, "payload": payload,
		"user_expressions": userExpressions(ctx, lang, r.UserExpressions),
	})
}

// setCancel installs (or, with nil, removes) the running cell's cancel
// function, which interrupt calls.
func (k *Kernel) setCancel(cancel context.CancelFunc) {
	k.cellMu.Lock()
	k.cancelCell = cancel
	k.cellMu.Unlock()
}

// userExpressions evaluates each expression after the cell, as the spec
// asks: silently (no output reaches the frontend), interruptibly, and only
// if it is an expression, so that no statement runs behind the user's back.
func userExpressions(ctx context.Context, lang Session, exprs map[string]string) map[string]any {
	out := map[string]any{}
	for name, expr := range exprs {
		if _, err := parser.ParseExpr(expr); err != nil {
			out[name] = map[string]any{"status": "error", "ename": "SyntaxError",
				"evalue": fmt.Sprintf("not a Go expression: %v", err), "traceback": []string{}}
			continue
		}
		res := lang.Execute(ctx, Cell{Code: expr, Out: func(string, string) {}, Display: discard{}})
		if res.Err != nil {
			e := res.Err.Content()
			e["status"] = "error"
			out[name] = e
			continue
		}
		v := DisplayData(res.Value, nil)
		v["status"] = "ok"
		out[name] = v
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

// cursorRequest is the content of complete_request and inspect_request
// (is_complete_request uses Code only).
type cursorRequest struct {
	Code        string `json:"code"`
	CursorPos   *int   `json:"cursor_pos"`
	DetailLevel int    `json:"detail_level"`
}

// decode reads the content of a complete, inspect or is_complete request
// and waits for the session. When either fails it answers with an error
// reply of replyType and returns a nil Session.
func (k *Kernel) decode(s *socket, m *Message, replyType string) (cursorRequest, Session) {
	var r cursorRequest
	if err := json.Unmarshal(m.Content, &r); err != nil {
		k.replyError(s, m, replyType, err)
		return r, nil
	}
	lang, err := k.sess()
	if err != nil {
		k.replyError(s, m, replyType, err)
		return r, nil
	}
	return r, lang
}

func (k *Kernel) complete(s *socket, m *Message) {
	r, lang := k.decode(s, m, "complete_reply")
	if lang == nil {
		return
	}
	u16 := countsUTF16(m)
	pos := cursor(r.Code, r.CursorPos, u16)
	matches, start, end := lang.Complete(r.Code, pos)
	if matches == nil {
		matches = []string{}
	}
	if u16 {
		start, end = runesToUTF16(r.Code, start), runesToUTF16(r.Code, end)
	}
	k.reply(s, m, "complete_reply", map[string]any{
		"status": "ok", "matches": matches, "cursor_start": start, "cursor_end": end, "metadata": map[string]any{},
	})
}

func (k *Kernel) inspect(s *socket, m *Message) {
	r, lang := k.decode(s, m, "inspect_reply")
	if lang == nil {
		return
	}
	data, found := lang.Inspect(r.Code, cursor(r.Code, r.CursorPos, countsUTF16(m)), r.DetailLevel)
	if data == nil {
		data = map[string]any{}
	}
	k.reply(s, m, "inspect_reply", map[string]any{"status": "ok", "found": found, "data": data, "metadata": map[string]any{}})
}

func (k *Kernel) isComplete(s *socket, m *Message) {
	r, lang := k.decode(s, m, "is_complete_reply")
	if lang == nil {
		return
	}
	status, indent := lang.IsComplete(r.Code)
	c := map[string]any{"status": status}
	if status == "incomplete" {
		c["indent"] = indent
	}
	k.reply(s, m, "is_complete_reply", c)
}

// sink publishes one request's display output on IOPub, with the request
// as parent, also when a goroutine the cell started displays after the
// cell ended.
type sink struct {
	k      *Kernel
	parent *Message
}

func (s sink) Display(b display.Bundle, metadata map[string]any, displayID string, update bool) {
	content := DisplayData(b, metadata)
	if displayID != "" {
		content["transient"] = map[string]any{"display_id": displayID}
	}
	msgType := "display_data"
	if update {
		msgType = "update_display_data"
	}
	s.k.publish(msgType, s.parent, content)
}

func (s sink) ClearOutput(wait bool) {
	s.k.publish("clear_output", s.parent, map[string]any{"wait": wait})
}
