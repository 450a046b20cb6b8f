//go:build unix && !linux

package interop

import "syscall"

// procAttr puts the child in its own process group so Stop can kill the
// whole group.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
