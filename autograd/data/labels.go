package data

import ag "github.com/gradlab/gradlab/autograd"

// labelTensor returns labels[idx] (all labels for a nil idx) as an Int64
// tensor of class indices, as PyTorch's DataLoader gives them.
func labelTensor(labels []uint8, idx []int) *ag.Tensor {
	if idx == nil {
		return ag.FromUint8Long(labels)
	}
	y := ag.ZerosOf(ag.Int64, len(idx))
	out := y.DataInt64()
	for i, j := range idx {
		out[i] = int64(labels[j])
	}
	return y
}
