package explain

// kernel is written in SSE2, which every amd64 processor has; see
// kernel_amd64.s and kernelGo, its definition.
//
//go:noescape
func kernel(b []byte, i, end int, out []uint64) (n, next int)
