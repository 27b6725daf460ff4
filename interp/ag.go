package interp

import "github.com/gradlab/gradlab/autograd"

// Long native tensor operations and training helpers stop at their next
// check when the running cell's context is cancelled.
func init() { contextHooks = append(contextHooks, autograd.SetContext) }
