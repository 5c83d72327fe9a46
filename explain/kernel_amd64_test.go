package explain

import "testing"

// TestKernelSSE2 checks the SSE2 kernel on a processor that has AVX2 too.
func TestKernelSSE2(t *testing.T) {
	if !useAVX2 {
		t.Skip("the SSE2 kernel is the one the other tests check")
	}
	useAVX2 = false
	defer func() { useAVX2 = true }()
	TestKernelMatchesDefinition(t)
	TestKernelStopsWhenOutIsFull(t)
	checkKernelInBatches(t)
}

// TestProviderWithoutAVX2 checks providerIn's eight-bytes-at-a-time path,
// the one processors without AVX2 take.
func TestProviderWithoutAVX2(t *testing.T) {
	if !useAVX2 {
		t.Skip("the other tests check it")
	}
	useAVX2 = false
	defer func() { useAVX2 = true }()
	TestProviderIn(t)
	TestDotLetters(t)
	TestNLIndex(t)
}
