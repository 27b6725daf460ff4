package data

import ag "github.com/gradlab/gradlab/autograd"

// labelTensor returns labels[idx] (all labels for a nil idx) as a tensor
// of class indices.
func labelTensor(labels []uint8, idx []int) *ag.Tensor {
	if idx == nil {
		out := make([]int, len(labels))
		for i, l := range labels {
			out[i] = int(l)
		}
		return ag.FromInts(out)
	}
	out := make([]int, len(idx))
	for i, j := range idx {
		out[i] = int(labels[j])
	}
	return ag.FromInts(out)
}
