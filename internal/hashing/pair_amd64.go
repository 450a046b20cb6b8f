//go:build amd64 && !purego

package hashing

import "golang.org/x/sys/cpu"

// blockPair runs SHA-1's compression over n blocks of each message, the
// rounds of the two interleaved (pair_amd64.s). Requires SHA-NI and SSSE3.
//
//go:noescape
func blockPair(a, b *[5]uint32, pa, pb *byte, n int)

// cpuidSHA reports CPUID.(EAX=7,ECX=0):EBX bit 29, SHA-NI.
func cpuidSHA() bool

// forceGeneric, set by tests, makes new Pairs use the fallback.
var forceGeneric bool

var hasSHANI = cpu.X86.HasSSSE3 && cpuidSHA()

func twoWay() bool { return hasSHANI && !forceGeneric }
