//go:build linux

package main

import "syscall"

// procAttr gives a child its own process group and has the kernel kill it
// if the bench dies without cleaning up.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
