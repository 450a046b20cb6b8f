//go:build linux

package interop

import "syscall"

// procAttr puts the child in its own process group (so Stop can kill the
// whole group) and asks the kernel to SIGKILL it if the test binary dies
// without calling Stop.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
