package capture

import "github.com/gradlab/gradlab/display/comm"

// SyncComm wraps the kernel's comm transport while a cell runs, as
// SyncSink wraps the display sink: before each comm message it hands over
// the output printed so far, so that an output widget's capture starts
// and ends where the prints around it were made.
type SyncComm struct {
	capt  *Capture
	inner comm.Transport
}

// InstallSyncComm puts a SyncComm in front of the current comm transport
// and returns a func that restores it.
func InstallSyncComm(capt *Capture) (restore func()) {
	return comm.WrapTransport(func(t comm.Transport) comm.Transport { return &SyncComm{capt: capt, inner: t} })
}

func (t *SyncComm) Open(id, target string, m comm.Msg) {
	t.capt.Sync()
	t.inner.Open(id, target, m)
}

func (t *SyncComm) Send(id string, m comm.Msg) {
	t.capt.Sync()
	t.inner.Send(id, m)
}

func (t *SyncComm) Close(id string, m comm.Msg) {
	t.capt.Sync()
	t.inner.Close(id, m)
}

func (t *SyncComm) Parent() string { return t.inner.Parent() }
