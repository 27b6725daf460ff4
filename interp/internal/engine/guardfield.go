package engine

// guardFuncField guards f, a func() error literal a cell stores in a
// field that native code calls from a goroutine of its own (exec.Cmd's
// Cancel, run when the command's context ends): a panic there would end
// the process. Reported, it makes f return nil. The rewrite wraps such
// literals (rewrite.guardFuncFields).
func (e *Engine) guardFuncField(where string, f func() error) func() error {
	if f == nil {
		return nil
	}
	where = "the func in " + where
	return func() (err error) {
		guardCall0(e, func() { err = f() }, where)
		return err
	}
}
